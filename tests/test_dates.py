"""Dates at their precision: our EDTF subset agrees with the edtf package, and rejects impossible days."""

from __future__ import annotations

import datetime as dt

import edtf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.dates import DateError, parse_date


@pytest.mark.parametrize(
    "text, start, end, precision, approximate, uncertain",
    [
        ("2019", "2019-01-01", "2019-12-31", "year", False, False),
        ("2018-11", "2018-11-01", "2018-11-30", "month", False, False),
        ("2024-02", "2024-02-01", "2024-02-29", "month", False, False),
        ("2024-02-05", "2024-02-05", "2024-02-05", "day", False, False),
        ("2019-05~", "2019-05-01", "2019-05-31", "month", True, False),
        ("2019?", "2019-01-01", "2019-12-31", "year", False, True),
        ("2017-08%", "2017-08-01", "2017-08-31", "month", True, True),
    ],
)
def test_spans(text, start, end, precision, approximate, uncertain):
    d = parse_date(text)
    assert (d.start.isoformat(), d.end.isoformat()) == (start, end)
    assert (d.precision, d.approximate, d.uncertain, d.text) == (precision, approximate, uncertain, text)


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024-13", "2024-00", "2024-04-31", "24-02-05",
                                  "2024/02/05", "last week", "", "2024-02-05T10:00", "0000"])
def test_rejects(text):
    with pytest.raises(DateError):
        parse_date(text)


@settings(deadline=None)  # edtf's first parse builds its grammar: slow on a loaded machine
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["year", "month", "day"]), st.sampled_from(["", "~", "?", "%"]))
def test_bounds_agree_with_the_edtf_package(day, precision, qualifier):
    text = {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": f"{day:%Y-%m-%d}"}[precision] + qualifier
    ours = parse_date(text)
    theirs = edtf.parse_edtf(text)
    lo, hi = theirs.lower_strict(), theirs.upper_strict()
    assert ours.start == dt.date(lo.tm_year, lo.tm_mon, lo.tm_mday)
    assert ours.end == dt.date(hi.tm_year, hi.tm_mon, hi.tm_mday)


@given(st.text(max_size=30))
def test_never_raises_anything_but_date_error(text):
    try:
        parse_date(text)
    except DateError:
        pass
