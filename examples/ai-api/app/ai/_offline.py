"""The offline AI step: extractive summary, keywords and lexicon sentiment, in plain Python.

No model download and no network: sentences are scored by the frequency of their content words
(a classic extractive summariser), keywords are the most frequent content words, and sentiment
comes from a small built-in lexicon with negation ("not good" counts as negative).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["Analysis", "split_sentences", "words", "summarize", "keywords", "sentiment", "analyze_offline"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n{2,}")
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'-]*")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "may",
        "might",
        "must",
        "shall",
        "us",
        "one",
        "two",
        "new",
        "many",
        "much",
        "get",
        "got",
        "make",
        "made",
        "use",
        "used",
        "using",
        "like",
        "well",
        "even",
        "still",
        "yet",
        "via",
        "per",
        "etc",
    ]
)
POSITIVE = frozenset(
    [
        "good",
        "great",
        "excellent",
        "amazing",
        "awesome",
        "fantastic",
        "wonderful",
        "love",
        "loved",
        "lovely",
        "like",
        "liked",
        "best",
        "better",
        "happy",
        "glad",
        "pleased",
        "delighted",
        "enjoy",
        "enjoyed",
        "enjoyable",
        "fast",
        "easy",
        "simple",
        "clear",
        "helpful",
        "useful",
        "reliable",
        "robust",
        "fine",
        "nice",
        "perfect",
        "brilliant",
        "impressive",
        "success",
        "successful",
        "win",
        "wins",
        "improved",
        "improve",
        "improvement",
        "recommend",
        "recommended",
        "smooth",
        "secure",
        "stable",
        "efficient",
        "powerful",
        "elegant",
        "friendly",
        "positive",
        "benefit",
        "benefits",
        "gain",
        "gains",
        "growth",
        "profit",
        "profitable",
        "strong",
        "superb",
    ]
)
NEGATIVE = frozenset(
    [
        "bad",
        "terrible",
        "awful",
        "horrible",
        "hate",
        "hated",
        "poor",
        "worse",
        "worst",
        "sad",
        "angry",
        "annoyed",
        "annoying",
        "slow",
        "hard",
        "difficult",
        "confusing",
        "broken",
        "bug",
        "bugs",
        "buggy",
        "crash",
        "crashes",
        "crashed",
        "fail",
        "fails",
        "failed",
        "failure",
        "error",
        "errors",
        "problem",
        "problems",
        "issue",
        "issues",
        "wrong",
        "useless",
        "unreliable",
        "unstable",
        "insecure",
        "expensive",
        "loss",
        "losses",
        "lost",
        "weak",
        "negative",
        "disappointing",
        "disappointed",
        "frustrating",
        "frustrated",
        "painful",
        "ugly",
        "complicated",
        "late",
        "delay",
        "delayed",
        "risk",
        "risky",
        "decline",
        "declined",
    ]
)
NEGATIONS = frozenset(
    {"not", "no", "never", "n't", "hardly", "without", "isn't", "wasn't", "don't", "didn't", "doesn't"}
)


@dataclass(frozen=True)
class Analysis:
    """What the AI step returns, whichever provider produced it."""

    summary: str
    keywords: list[str]
    sentiment: float  # -1 (negative) .. 1 (positive)
    sentiment_label: str  # "negative" | "neutral" | "positive"
    provider: str


def split_sentences(text: str) -> list[str]:
    """The text's sentences, whitespace normalised, empty ones dropped."""
    return [" ".join(part.split()) for part in _SENTENCE_END.split(text) if part and part.strip()]


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``."""
    return [word.lower().strip("'-") for word in _WORD.findall(text)]


def _content(tokens: list[str]) -> list[str]:
    return [word for word in tokens if word not in STOPWORDS and len(word) > 2]


def summarize(sentences: list[str], count: int) -> str:
    """The ``count`` highest-scoring sentences, in their original order."""
    if len(sentences) <= count:
        return " ".join(sentences)
    frequencies = Counter(_content(words(" ".join(sentences))))
    top = max(frequencies.values(), default=1)

    def score(sentence: str) -> float:
        content = _content(words(sentence))
        if not content:
            return 0.0
        return sum(frequencies[word] / top for word in content) / math.sqrt(len(content))

    ranked = sorted(range(len(sentences)), key=lambda index: (-score(sentences[index]), index))[:count]
    return " ".join(sentences[index] for index in sorted(ranked))


def keywords(text: str, count: int) -> list[str]:
    """The ``count`` most frequent content words (ties: first seen first)."""
    tokens = _content(words(text))
    order = {word: index for index, word in reversed(list(enumerate(tokens)))}
    ranked = sorted(Counter(tokens).items(), key=lambda item: (-item[1], order[item[0]]))
    return [word for word, _ in ranked[:count]]


def sentiment(text: str) -> tuple[float, str]:
    """Lexicon sentiment in [-1, 1] with negation, and its label."""
    tokens = words(text)
    total = 0
    hits = 0
    for index, word in enumerate(tokens):
        polarity = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
        if not polarity:
            continue
        if any(
            previous in NEGATIONS or previous.endswith("n't")
            for previous in tokens[max(0, index - 3) : index]
        ):
            polarity = -polarity
        total += polarity
        hits += 1
    score = round(total / hits, 3) if hits else 0.0
    label = "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"
    return score, label


def analyze_offline(text: str, *, summary_sentences: int, keyword_count: int) -> Analysis:
    """The whole offline analysis of ``text``."""
    score, label = sentiment(text)
    return Analysis(
        summary=summarize(split_sentences(text), summary_sentences),
        keywords=keywords(text, keyword_count),
        sentiment=score,
        sentiment_label=label,
        provider="offline",
    )
