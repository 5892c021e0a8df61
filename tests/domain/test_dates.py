"""Dates as officers type them, and the years a date may be in."""

from __future__ import annotations

from datetime import date

import pytest

from complaints_tui.domain.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15", date(2024, 1, 15)),
        ("15/01/2024", date(2024, 1, 15)),
        ("1/2/1900", date(1900, 2, 1)),
        ("2100-12-31", date(2100, 12, 31)),
    ],
)
def test_dates_in_either_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-02", "01/06/9999", "31/12/1899"])
def test_a_placeholder_year_is_refused_saying_which_years(text: str) -> None:
    with pytest.raises(ValueError, match=f"'{text}' is outside the years 1900 to 2100"):
        parse_date(text)


def test_an_impossible_date_says_so() -> None:
    with pytest.raises(ValueError, match="impossible date"):
        parse_date("31/02/2024")
