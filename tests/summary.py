"""Counts printed at the end of a pytest run: corpus size, XSS payloads, crash-test runs.

A suite reports a number with :func:`record` (a size every worker computes the same way, such
as the number of corpus cases) or :func:`add` (work done, such as crash runs; summed over
workers).  The hooks at the end of tests/conftest.py carry the counts from pytest-xdist
workers to the controller and print them under "counts".
"""

from __future__ import annotations

SUMMARY_COUNTS: dict[str, int] = {}
_SUMMED: set[str] = set()


def record(label: str, count: int) -> None:
    """Report a size; with several workers the largest report wins (they are all equal)."""
    SUMMARY_COUNTS[label] = max(count, SUMMARY_COUNTS.get(label, 0))


def add(label: str, count: int = 1) -> None:
    """Report work done; reports from all workers are added up."""
    _SUMMED.add(label)
    SUMMARY_COUNTS[label] = SUMMARY_COUNTS.get(label, 0) + count


def worker_counts() -> dict:
    """What a worker sends to the controller (plain data: it crosses a process boundary)."""
    return {"counts": dict(SUMMARY_COUNTS), "summed": sorted(_SUMMED)}


def merge_worker_counts(payload: dict | None) -> None:
    if not payload:
        return
    summed = set(payload.get("summed", ()))
    for label, count in payload.get("counts", {}).items():
        if label in summed:
            add(label, count)
        else:
            record(label, count)


def summary_lines() -> list[str]:
    return [f"{label}: {count}" for label, count in sorted(SUMMARY_COUNTS.items())]
