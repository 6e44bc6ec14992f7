from __future__ import annotations

from datetime import timedelta

import pytest

from tausestack.core import InvalidInputError, parse_duration


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (5, 5.0),
        (0.5, 0.5),
        (timedelta(minutes=2), 120.0),
        ("90s", 90.0),
        ("5m", 300.0),
        ("2h", 7200.0),
        ("1d", 86400.0),
        ("1h30m", 5400.0),
        ("250ms", 0.25),
        ("12", 12.0),
        (" 3M ", 180.0),
    ],
)
def test_parses(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["", "5x", "m5", "1h 30m", "-5", -1, True, None, [1], "5mm", "nan"])
def test_refuses_with_the_name(value: object) -> None:
    with pytest.raises(InvalidInputError, match="ttl"):
        parse_duration(value, name="ttl")  # type: ignore[arg-type]
