"""Work done on a second core (geo.forked) gives the same bytes as work done in line."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from geo import forked, layers
from geo.site import build as site_build
from geo.site import write_site
from geo.validate import load_dataset

DATA = Path(__file__).resolve().parent / "data" / "small.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_layers_and_site_are_the_same_with_and_without_a_forked_worker(tmp_path, monkeypatch):
    dataset = load_dataset(DATA)
    monkeypatch.setenv("GEO_NO_FORK", "1")
    alone = layers.render_layers(dataset)
    write_site(dataset, dict(alone.texts), tmp_path / "alone")
    monkeypatch.delenv("GEO_NO_FORK")
    monkeypatch.setattr(layers, "PARALLEL_FROM", 0)  # small data: fork anyway
    monkeypatch.setattr(site_build, "PARALLEL_FROM", 0)
    children = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: children.append(1) or real_fork())
    both = layers.render_layers(dataset)
    write_site(dataset, dict(both.texts), tmp_path / "both")
    assert len(children) == 2, "the layers and the site each used a worker"
    assert both == alone
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
