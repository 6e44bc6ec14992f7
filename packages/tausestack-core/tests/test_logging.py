from __future__ import annotations

import logging

import pytest

from tausestack.core import RedactingFilter, get_logger, redact, register_secret


def test_redacts_known_shapes() -> None:
    text = (
        "url=postgresql://app:pw1234@db/app header Authorization: Bearer abc.def.ghi "
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl api_key=sk-live-123 "
        '{"password": "letmein"}'
    )
    out = redact(text)
    for leaked in ("pw1234", "abc.def.ghi", "eyJhbGciOiJIUzI1NiJ9", "sk-live-123", "letmein"):
        assert leaked not in out, leaked
    assert "postgresql://app:***@db/app" in out


def test_registered_secret_is_hidden_everywhere() -> None:
    register_secret("orange-elephant-42")
    register_secret("abc")  # too short to register; must not blank every 'abc'
    assert redact("value orange-elephant-42 here; abc stays") == "value *** here; abc stays"


def test_library_logs_are_redacted_whatever_the_handler(caplog: pytest.LogCaptureFixture) -> None:
    logger = get_logger("storage.test")
    assert logger.name == "tausestack.storage.test"
    register_secret("purple-monkey-dishwasher")
    with caplog.at_level(logging.INFO, logger="tausestack"):
        logger.info("connecting with %s to %s", "purple-monkey-dishwasher", "redis://u:pw99@h/0")
        try:
            raise RuntimeError("token=abcdef123 failed")
        except RuntimeError:
            logger.exception("boom")
    text = caplog.text
    assert "purple-monkey-dishwasher" not in text
    assert "pw99" not in text
    assert "abcdef123" not in text
    assert "connecting with *** to redis://u:***@h/0" in text


def test_filter_survives_bad_format_strings() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "broken %s %s", ("only-one",), None)
    assert RedactingFilter().filter(record) is True
    assert "broken" in str(record.msg)
