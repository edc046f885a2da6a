"""Run one piece of a large build in a forked process, on the machine's second core.

``geo build`` at 100,000 events is pure Python work that a single core does in sequence;
the development machine has two.  A piece whose result is text (a layer, a JSON payload)
can be computed in a child that ``os.fork()`` made: it shares the parent's data without
copying or pickling it, writes its result (bytes) to an unnamed temporary file, and exits;
the parent carries on meanwhile and reads the bytes when it needs them.

Only where it is safe and worth it: on a POSIX system, from a process with a single thread
(forking a threaded process, such as ``geo serve``, can leave a lock held forever in the
child), and for work the caller judges large.  Otherwise, or if the child fails for any
reason, the piece is simply computed in the parent, so the result never depends on it.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable


class Forked:
    """``Forked(work).result()`` is ``work()`` (bytes), computed in a child process when
    possible."""

    def __init__(self, work: Callable[[], bytes], worth_it: bool = True):
        self._work = work
        self._pid = 0
        self._file = None
        if worth_it and _can_fork():
            self._start()

    def _start(self) -> None:
        self._file = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: compute, write, and leave without running any cleanup
            status = 1
            try:
                _die_with(parent)
                self._file.write(self._work())
                self._file.flush()
                status = 0
            finally:
                os._exit(status)
        self._pid = pid

    def result(self) -> bytes:
        if self._pid:
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            try:
                if os.waitstatus_to_exitcode(status) == 0:
                    self._file.seek(0)
                    return self._file.read()
            finally:
                self._file.close()
        return self._work()

    def cancel(self) -> None:
        """Stop the child if its result will not be asked for (no-op once it has been)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            self._pid = 0
            self._file.close()


def _die_with(parent: int) -> None:
    """Have the kernel end this child if *parent* dies (a build killed by Ctrl-C or SIGKILL
    must not leave a worker running); Linux only."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        return
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


def _can_fork() -> bool:
    return (
        hasattr(os, "fork") and threading.active_count() == 1 and not os.environ.get("GEO_NO_FORK")
    )
