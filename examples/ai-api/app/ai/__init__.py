"""The AI step: offline by default, an OpenAI-compatible provider when its API key secret is set.

Results are cached (tausestack.cache) by the document's SHA-256, the provider and the
parameters: analysing the same text twice costs one computation (or one API call).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from app.ai._offline import Analysis, analyze_offline, split_sentences, words
from app.config import Settings
from tausestack import cache, secrets

__all__ = ["Analysis", "analyze", "provider_name", "split_sentences", "words"]


def _api_key(settings: Settings) -> str | None:
    value = secrets.get(settings.openai_key_secret, default=None)
    return str(value) if value else None


def provider_name(settings: Settings) -> str:
    """``offline`` or ``openai:<model>``, depending on whether the API key secret is set."""
    return f"openai:{settings.openai_model}" if _api_key(settings) else "offline"


def analyze(text: str, settings: Settings) -> tuple[Analysis, bool]:
    """Analyse ``text``; return the analysis and whether it came from the cache."""
    provider = provider_name(settings)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = f"{provider}:{settings.summary_sentences}:{settings.keyword_count}:{digest}"
    hit = cache.get(key, namespace="analysis")
    if hit is not None:
        return Analysis(**hit), True
    api_key = _api_key(settings)
    if api_key:
        from app.ai._openai import analyze_openai

        result = analyze_openai(
            text,
            api_key=api_key,
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            summary_sentences=settings.summary_sentences,
            keyword_count=settings.keyword_count,
            timeout=settings.openai_timeout,
        )
    else:
        result = analyze_offline(
            text, summary_sentences=settings.summary_sentences, keyword_count=settings.keyword_count
        )
    cache.set(key, asdict(result), ttl=settings.cache_ttl, namespace="analysis")
    return result, False
