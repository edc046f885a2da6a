"""The rule every text in routes.yaml meets: no invisible, control or line-separator character.

Such characters make two names look alike, show text in another order than it is stored
(Trojan-source style spoofing), or break a line where the reader sees none (CR, U+2028).
Tab and the line feed of a multi-line summary are allowed.  The edit commands check every
text they write by this rule; geo.validate is meant to use the same function.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

REFUSED = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)


def text_problem(value: str) -> str | None:
    """What is wrong with *value* as text in routes.yaml, or None."""
    m = REFUSED.search(value)
    if m is None:
        return None
    return f"contains an invisible or control character U+{ord(m.group()):04X}; retype the text"


def text_problems(value, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, problem) for every text in *value*, nested mappings and lists too, that breaks it."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            yield path, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from text_problems(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from text_problems(item, path + (i,))
