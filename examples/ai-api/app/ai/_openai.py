"""The same analysis from an OpenAI-compatible chat completions API (used when its key secret is set).

Any server speaking ``POST {base_url}/chat/completions`` works (OpenAI, Azure OpenAI, vLLM,
Ollama, LM Studio...). The standard library's HTTP client keeps the example dependency-free.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from app.ai._offline import Analysis
from tausestack.core import BackendUnavailableError

__all__ = ["analyze_openai"]

_PROMPT = (
    "Analyse the document the user sends. Answer with one JSON object and nothing else: "
    '{"summary": "<at most %d sentences>", "keywords": ["<at most %d single words>"], '
    '"sentiment": <a number from -1 (negative) to 1 (positive)>}'
)


def analyze_openai(
    text: str,
    *,
    api_key: str,
    base_url: str,
    model: str,
    summary_sentences: int,
    keyword_count: int,
    timeout: float,
) -> Analysis:
    """Ask the provider; raise :class:`BackendUnavailableError` when it fails or answers nonsense."""
    payload = {
        "model": model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": _PROMPT % (summary_sentences, keyword_count)},
            {"role": "user", "content": text[:50_000]},
        ],
    }
    request = urllib.request.Request(  # noqa: S310 - the base URL is the operator's configuration
        base_url.rstrip("/") + "/chat/completions",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body: dict[str, Any] = json.load(response)
        content = json.loads(body["choices"][0]["message"]["content"])
        score = max(-1.0, min(1.0, float(content["sentiment"])))
        keywords = [str(word) for word in content["keywords"]][:keyword_count]
        summary = str(content["summary"])
    except urllib.error.HTTPError as exc:
        raise BackendUnavailableError(f"the AI provider at {base_url} answered HTTP {exc.code}") from None
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise BackendUnavailableError(f"the AI provider at {base_url} failed: {type(exc).__name__}") from None
    label = "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"
    return Analysis(summary, keywords, round(score, 3), label, provider=f"openai:{model}")
