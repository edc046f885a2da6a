"""Fixtures shared by every test module."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bundled_routes() -> Path:
    """The routes.yaml shipped at the repository root."""
    return ROOT / "routes.yaml"


@pytest.fixture()
def small_routes(tmp_path) -> Path:
    """A copy of tests/data/small.yaml in a fresh directory (safe to edit)."""
    dst = tmp_path / "routes.yaml"
    shutil.copyfile(DATA / "small.yaml", dst)
    return dst


def run_geo(*args, cwd=None, input=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run the real `geo` command in a subprocess (exit codes, stderr and no tracebacks are what users see)."""
    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=cwd, input=input, capture_output=True, text=True, env=full_env, timeout=timeout,
    )


@pytest.fixture(scope="session")
def geo():
    """Callable that runs `geo ARGS...` and returns the CompletedProcess."""
    return run_geo


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Headless Chromium for a test module's pages (tests/browser_util.launch)."""
    from browser_util import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p, chromium_path)
        yield b
        b.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; in CI a missing browser is a failure, never a skip."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


# Counts printed at the end of the run (corpus size, payloads, crash runs): see tests/summary.py.
def pytest_sessionfinish(session):
    from summary import worker_counts

    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker: hand the counts over
        session.config.workeroutput["summary_counts"] = worker_counts()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from summary import merge_worker_counts

    merge_worker_counts(getattr(node, "workeroutput", {}).get("summary_counts"))


def pytest_terminal_summary(terminalreporter):
    from summary import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("counts")
        for line in lines:
            terminalreporter.write_line(line)
