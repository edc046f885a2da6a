"""The two guarantees of a write to routes.yaml: one edit at a time, and old or new, never half.

An edit holds ``<file>.lock`` (flock(2)) from reading the file to replacing it, so concurrent
edits never lose each other's additions.  The lock file is opened with O_NOFOLLOW: a symbolic
link planted at that name is refused instead of followed (which would create or truncate
whatever it points to).  The new file is written beside the old one, fsynced and renamed
over it, so a crash leaves either the old or the new file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.errors import GeoError

LOCK_TIMEOUT = 60.0  # seconds to wait for another geo command to finish its edit


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock``, removing the lock file when done.

    A lock file may be unlinked by its holder on release, so after locking, the descriptor
    is checked to still be the file at the path; if not, the lock is taken again.  A process
    killed while holding the lock leaves the file behind and the kernel releases the lock:
    the next edit takes it over and removes it.
    """
    import fcntl

    target = lock_path(path)
    deadline = time.monotonic() + timeout
    while True:
        fd = _open_lock(target)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() > deadline:
                raise GeoError(_busy(path, timeout)) from None
            time.sleep(0.01)
            continue
        if _still_at(fd, target):
            break
        os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        os.close(fd)


def _open_lock(target: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(target, flags, 0o644)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.EMLINK):  # what O_NOFOLLOW gives on a link
            raise
        raise GeoError(
            f"{target.name} is a symbolic link; geo does not follow it (remove it and try again)"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise GeoError(f"{target.name} is not a regular file (remove it and try again)")
    return fd


def _still_at(fd: int, target: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(target, follow_symlinks=False))
    except FileNotFoundError:
        return False


def _busy(path: Path, timeout: float) -> str:
    return (
        f"{path.name} is being edited by another geo command (lock {lock_path(path).name} held "
        f"for over {timeout:g} s); try again"
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Replace *path* with *data*: temp file in the same directory, fsync, rename, fsync dir."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            try:
                os.fchmod(fd, stat.S_IMODE(path.stat().st_mode))
            except FileNotFoundError:
                pass
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename in *directory* durable (not possible everywhere; it is atomic anyway)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(path: Path) -> None:
    """Delete temporary files left by edits killed mid-write (call only under the lock)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass
