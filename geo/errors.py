"""Errors raised by library code; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters a terminal acts on or that reorder text (escape sequences, bidi overrides,
# zero-width characters): a hostile routes.yaml must not be able to drive the terminal of
# the person reading `geo validate`'s messages, or make a message say something else.
_UNPRINTABLE = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def printable(text: str) -> str:
    """*text* with control, bidi and zero-width characters shown as <U+XXXX>."""
    return _UNPRINTABLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an input file, located to a line and column (1-based)."""

    file: str
    line: int
    col: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return printable(f"{self.file}:{self.line}:{self.col}:{field} {self.message}")


class GeoError(Exception):
    """A user-facing error: its message is one line a user can act on."""


class DataError(GeoError):
    """routes.yaml (or another input) has one or more problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ResolveError(GeoError):
    """A place name is unknown or ambiguous."""

    def __init__(self, message: str, candidates: list | None = None):
        self.candidates = candidates or []
        super().__init__(message)
