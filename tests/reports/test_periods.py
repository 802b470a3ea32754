import datetime

import pytest

from reports.periods import parse_period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026", "year", "2026-01-01", "2026-12-31"),
        ("2026-Q3", "quarter", "2026-07-01", "2026-09-30"),
        ("2026-q4", "quarter", "2026-10-01", "2026-12-31"),
        ("2026-02", "month", "2026-02-01", "2026-02-28"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),
        ("2026-W01", "week", "2025-12-29", "2026-01-04"),
    ],
)
def test_periods_as_the_secretariat_writes_them(text: str, kind: str, start: str, end: str) -> None:
    period = parse_period(text)

    assert (period.kind, period.start, period.end) == (
        kind, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end),
    )  # fmt: skip
    assert period.label == text.upper()


@pytest.mark.parametrize("text", ["", "26", "2026-13", "2026-Q5", "2025-W53", "0000", "2026/09"])
def test_other_text_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(ValueError, match="Give a year"):
        parse_period(text)


def test_the_period_before_is_of_the_same_kind() -> None:
    assert parse_period("2026-Q1").before().label == "2025-Q4"
    assert parse_period("2026-01").before().label == "2025-12"
