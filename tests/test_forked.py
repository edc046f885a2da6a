"""Work done on a second core (geo.forked) gives the same bytes as work done in line."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from geo import forked, layers
from geo.site import write_site
from geo.validate import load_dataset

DATA = Path(__file__).resolve().parent / "data" / "small.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_layers_and_site_are_the_same_with_and_without_forked_workers(tmp_path, monkeypatch):
    """geo build writes the events layer, the movements layer (and the site's lines) and the
    site's list of events in workers for large files; the bytes must not depend on it."""
    from geo import build

    monkeypatch.setenv("GEO_NO_FORK", "1")
    build.run(DATA, tmp_path / "alone" / "layers", tmp_path / "alone" / "site")
    monkeypatch.delenv("GEO_NO_FORK")
    monkeypatch.setattr(layers, "PARALLEL_FROM", 0)  # small data: fork anyway
    monkeypatch.setattr(build, "PARALLEL_FROM", 0)
    children = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: children.append(1) or real_fork())
    build.run(DATA, tmp_path / "both" / "layers", tmp_path / "both" / "site")
    # the events layer, the movements layer (with the site's lines), the site's events
    assert len(children) == 3
    assert tree(tmp_path / "both") == tree(tmp_path / "alone")


def test_a_failed_worker_is_redone_in_line():
    calls = []

    def work() -> str:
        calls.append(os.getpid())
        if os.getpid() != parent:
            raise RuntimeError("the worker fails")
        return "done"

    parent = os.getpid()
    assert forked.Forked(work).result() == "done"
    assert calls == [parent]  # the child's call happened in the child, then the parent's


def test_no_worker_is_forked_from_a_threaded_process(monkeypatch):
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked with a thread running"))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert forked.Forked(lambda: "in line").result() == "in line"
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_does_not_outlive_a_killed_build(tmp_path):
    """SIGKILL of `geo build` (the crash tests do it 30 times) must not leave its worker running."""
    import signal
    import subprocess
    import time

    pidfile = tmp_path / "worker.pid"
    script = (
        "import os, time\n"
        "from geo.forked import Forked\n"
        f"def work():\n    open({str(pidfile)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n    return ''\n"
        "Forked(work).result()\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        worker = int(pidfile.read_text())
        os.kill(build.pid, signal.SIGKILL)
        build.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(worker, 0)
            except ProcessLookupError:
                break
            stat = Path(f"/proc/{worker}/stat")
            if not stat.exists() or stat.read_text().split()[2] == "Z":
                break
            time.sleep(0.05)
        else:
            os.kill(worker, signal.SIGKILL)
            pytest.fail("the worker was still running 10 s after its build was killed")
    finally:
        build.kill()


def test_a_site_from_layers_written_by_workers_without_the_sites_lines(tmp_path, monkeypatch):
    """render_layers called without movements_extra, as a library user would: the movements'
    geometry stays in the worker, and the site reads it back from the layer's text."""
    dataset = load_dataset(DATA)
    monkeypatch.setenv("GEO_NO_FORK", "1")
    alone = layers.render_layers(dataset)
    write_site(dataset, alone.texts, tmp_path / "alone", built=alone)
    monkeypatch.delenv("GEO_NO_FORK")
    monkeypatch.setattr(layers, "PARALLEL_FROM", 0)
    both = layers.render_layers(dataset)
    assert both.movement_geometry is None and both.movements_extra is None
    assert both.encoded == alone.encoded
    write_site(dataset, both.texts, tmp_path / "both", built=both)
    assert tree(tmp_path / "both") == tree(tmp_path / "alone")


def test_a_worker_no_longer_needed_is_stopped():
    """geo.fastpath cancels its reading worker when the parent's part already refuses the file."""
    import time

    def slow() -> bytes:
        time.sleep(60)
        return b"late"

    worker = forked.Forked(slow)
    pid = worker._pid
    assert pid, "a worker was forked"
    started = time.monotonic()
    worker.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind
    worker.cancel()  # twice is harmless
