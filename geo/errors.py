"""Errors raised by library code; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


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
        return f"{self.file}:{self.line}:{self.col}:{field} {self.message}"


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
