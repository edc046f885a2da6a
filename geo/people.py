"""People counts read from the source's words, by the rule in routes.yaml's header:

    "more than 300", "over 300"  -> min: 300
    "fewer than 10,000"          -> max: 10000
    "hundreds"                   -> min: 200
    "about 100", "some 50"       -> min/max = the figure -10 % / +10 % (90-110, 45-55)
    an exact figure              -> min = max

"thousands" and "dozens" are read like "hundreds" (at least two of them).  Words that give
no number give no range.  The reading is a proposal: the edit commands show it for the
user to confirm or override.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "a hundred": 100, "a thousand": 1000,
}  # fmt: skip
_SCALE = {"thousand": 1_000, "million": 1_000_000}
_PLURALS = {"dozens": 24, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000}
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(_WORDS, key=len)[::-1]) + ")"
_FIGURE = re.compile(_NUMBER + r"(?:\s+(thousand|million))?", re.IGNORECASE)
_LOWER = ("more than", "over", "at least", "upwards of")
_UPPER = ("fewer than", "less than", "under", "up to", "at most")
_ABOUT = ("about", "some", "around", "approximately", "roughly", "an estimated")


@dataclass(frozen=True)
class Reading:
    min: int | None
    max: int | None
    rule: str  # how the words were read, for the confirmation and the notes

    def as_fields(self) -> dict:
        return {k: v for k, v in (("min", self.min), ("max", self.max)) if v is not None}


def _figure(text: str) -> tuple[int, int] | None:
    """(value, position) of the first figure in *text*: 1,500, 300, 1.5 million, five."""
    m = _FIGURE.search(text)
    if m is None:
        return None
    raw = m.group(1).lower().replace(",", "")
    value = float(_WORDS[raw]) if raw in _WORDS else float(raw)
    value *= _SCALE.get((m.group(2) or "").lower(), 1)
    return (round(value), m.start()) if value == int(value) else None


def read_people(text: str) -> Reading | None:
    """The min/max the header's rule gives for *text*, or None when it gives no number."""
    words = " ".join(text.lower().split())
    for plural, low in sorted(_PLURALS.items(), key=lambda p: -len(p[0])):
        if re.search(rf"\b{plural}\b", words) and _figure(words) is None:
            return Reading(low, None, f"'{plural}' -> at least {low:,}")
    found = _figure(words)
    if found is None:
        return None
    value, at = found
    before = words[:at].strip()
    lower = next((w for w in _LOWER if before.endswith(w)), None)
    upper = next((w for w in _UPPER if before.endswith(w)), None)
    about = next((w for w in _ABOUT if before.endswith(w)), None)
    if lower:
        return Reading(value, None, f"'{lower} {value:,}' -> min {value:,}")
    if upper:
        return Reading(None, value, f"'{upper} {value:,}' -> max {value:,}")
    if about:
        low, high = round(value * 0.9), round(value * 1.1)
        return Reading(low, high, f"'{about} {value:,}' -> {low:,} to {high:,} (-10 % / +10 %)")
    return Reading(value, value, f"an exact figure -> {value:,}")
