"""Dates at the precision a source gives them, written in EDTF (Library of Congress).

Accepted forms: ``2019`` (year), ``2018-11`` (month), ``2024-02-05`` (day), each optionally
followed by ``~`` (approximate), ``?`` (uncertain) or ``%`` (both): EDTF level 0 dates with the
level 1 qualifiers.  We parse this small subset ourselves instead of calling the ``edtf``
package: its pyparsing grammar costs about 16 ms per date (2.7 s for the bundled file, and
half an hour for a 100,000-event archive), and it accepts impossible days such as 2023-02-29.
tests/test_dates.py checks our first/last days against ``edtf``'s ``lower_strict`` /
``upper_strict`` for every form we accept.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

# ASCII digits only, like the schema
_SHAPE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)$")
PRECISIONS = ("year", "month", "day")


class DateError(ValueError):
    """A date string that is not a valid EDTF date of the accepted forms."""


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A date as written, with the first and last day it can stand for."""

    start: dt.date
    end: dt.date
    text: str
    precision: str
    approximate: bool = False
    uncertain: bool = False

    def __str__(self) -> str:
        return self.text


def parse_date(text: str) -> FuzzyDate:
    """Parse an EDTF date string; raise DateError with a readable reason."""
    if not isinstance(text, str):
        raise DateError(f"expected a date string like 2024-02-05, got {type(text).__name__}")
    return _parse(text.strip())


@lru_cache(maxsize=65536)
def _parse(text: str) -> FuzzyDate:
    m = _SHAPE.match(text)
    if not m:
        raise DateError(
            f"'{_clip(text)}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD "
            "(append ~ if approximate, ? if uncertain)"
        )
    year, month, day, qualifier = m.groups()
    y = int(year)
    if y < 1:
        raise DateError(f"year {year} is out of range")
    if month is not None and not 1 <= int(month) <= 12:
        raise DateError(f"'{text}' has month {month}; months run 01-12")
    if day is not None:
        last = calendar.monthrange(y, int(month))[1]
        if not 1 <= int(day) <= last:
            raise DateError(f"'{text}' is not a calendar day ({year}-{month} has {last} days)")

    m_, d_ = int(month or 1), int(day or 1)
    start = dt.date(y, m_, d_)
    if day:
        end = start
    elif month:
        end = dt.date(y, m_, calendar.monthrange(y, m_)[1])
    else:
        end = dt.date(y, 12, 31)
    precision = "day" if day else "month" if month else "year"
    return FuzzyDate(
        start=start,
        end=end,
        text=text,
        precision=precision,
        approximate=qualifier in ("~", "%"),
        uncertain=qualifier in ("?", "%"),
    )


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
