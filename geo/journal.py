"""The undo journal: the bytes of routes.yaml before each edit made by geo.

It lives next to the file, in ``.<name>.journal/`` (kept out of git), one pair of files per
edit: ``NNNNNN.before`` (the file as it was) and ``NNNNNN.after`` (the SHA-256 of what the
edit wrote).  geo undo puts the last ``before`` back, byte for byte, with the same lock and
atomic write as an edit, and only if the file is still exactly what that edit wrote: a
change made since by hand is never silently thrown away.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GeoError
from geo.lockfile import locked, write_atomic

KEEP = 50  # edits that can be undone


def journal_dir(path: Path) -> Path:
    return path.with_name(f".{path.name}.journal")


def _entries(directory: Path) -> list[int]:
    if not directory.is_dir():
        return []
    return sorted(int(p.stem) for p in directory.glob("*.after") if p.stem.isdigit())


def _checked_dir(path: Path) -> Path:
    directory = journal_dir(path)
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise GeoError(f"{directory.name} is not a directory; geo does not follow it (remove it)")
    return directory


def record(path: Path, before: bytes, after: bytes) -> None:
    """Keep *before* as the state to go back to from *after* (call under the file's lock)."""
    directory = _checked_dir(path)
    directory.mkdir(mode=0o700, exist_ok=True)
    entries = _entries(directory)
    number = (entries[-1] + 1) if entries else 1
    write_atomic(directory / f"{number:06d}.before", before)
    write_atomic(directory / f"{number:06d}.after", hashlib.sha256(after).hexdigest().encode())
    for old in entries[: max(0, len(entries) + 1 - KEEP)]:
        _drop(directory, old)


def _drop(directory: Path, number: int) -> None:
    for suffix in (".after", ".before"):
        try:
            os.unlink(directory / f"{number:06d}{suffix}")
        except FileNotFoundError:
            pass


@dataclass(frozen=True)
class Undone:
    current: bytes  # the file before the undo
    restored: bytes  # the file after it
    left: int  # earlier edits that can still be undone


def undo(path: str | os.PathLike, *, dry_run: bool = False) -> Undone:
    """Put back routes.yaml as it was before the last edit geo made to it."""
    real = Path(os.path.realpath(path))
    directory = _checked_dir(real)
    with locked(real):
        entries = _entries(directory)
        if not entries:
            raise GeoError(f"{path}: no edit made by geo to undo")
        number = entries[-1]
        current = real.read_bytes()
        expected = (directory / f"{number:06d}.after").read_text(encoding="ascii").strip()
        if hashlib.sha256(current).hexdigest() != expected:
            raise GeoError(
                f"{path} was changed after geo's last edit (by hand or another tool); "
                "undo would lose that change, so nothing was changed"
            )
        before = (directory / f"{number:06d}.before").read_bytes()
        if not dry_run:
            write_atomic(real, before)
            _drop(directory, number)
    return Undone(current, before, len(entries) - (0 if dry_run else 1))
