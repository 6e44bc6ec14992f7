"""The offline AI step: summary, keywords, sentiment."""

from __future__ import annotations

from app.ai._offline import analyze_offline, keywords, sentiment, split_sentences, summarize

TEXT = (
    "TauseStack stores documents in storage. The storage layer writes files atomically. "
    "Cats sleep a lot. Storage backends include files and S3 storage buckets. The weather was mild."
)


def test_split_sentences() -> None:
    assert split_sentences("One. Two!  Three?\n\nFour") == ["One.", "Two!", "Three?", "Four"]


def test_summary_keeps_the_most_central_sentences_in_order() -> None:
    sentences = split_sentences(TEXT)
    summary = summarize(sentences, 2)
    assert (
        summary
        == "The storage layer writes files atomically. Storage backends include files and S3 storage buckets."
    )
    assert "Cats" not in summary
    assert "weather" not in summary
    assert summarize(sentences[:1], 3) == sentences[0]


def test_keywords_are_frequent_content_words() -> None:
    assert keywords(TEXT, 2) == ["storage", "files"]
    assert "the" not in keywords(TEXT, 20)


def test_sentiment_with_negation() -> None:
    assert sentiment("This is great and easy. I love it.") == (1.0, "positive")
    assert sentiment("It is slow and buggy, a terrible failure.")[1] == "negative"
    assert sentiment("It is not good.")[1] == "negative"
    assert sentiment("The sky is blue.") == (0.0, "neutral")


def test_analyze_offline() -> None:
    result = analyze_offline(TEXT, summary_sentences=2, keyword_count=3)
    assert result.provider == "offline"
    assert len(result.keywords) == 3
    assert result.sentiment_label == "neutral"
