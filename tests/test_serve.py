"""geo serve: builds the site, serves it on 127.0.0.1 and rebuilds it when routes.yaml changes."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest


class Served:
    """A running `geo serve` whose output lines are collected as they come."""

    def __init__(self, workdir: Path, *args):
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geo",
                "serve",
                "--port",
                "0",
                "--interval",
                "0.1",
                *map(str, args),
            ],
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, f"geo serve exited: {seen}"
                continue
            seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no {pattern!r} from geo serve within {timeout} s; got {seen}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def route_ids(base: str) -> set[str]:
    return {f["id"] for f in json.loads(get(base + "data/routes.geojson")[2])["features"]}


@pytest.fixture()
def served(small_routes):
    server = Served(small_routes.parent)
    yield server
    server.stop()


def test_serve_builds_serves_and_rebuilds_on_change(served, small_routes, geo):
    served.wait_for(r"^built layers/ and site/")
    line = served.wait_for(r"^Serving site/ at http://127\.0\.0\.1:\d+/")
    base = re.search(r"http://127\.0\.0\.1:\d+/", line).group()
    status, headers, body = get(base)
    assert status == 200 and b"<html" in body.lower()
    assert headers.get("Cache-Control") == "no-store"
    assert route_ids(base) == {"t-air", "t-rail"}

    r = geo(
        "add-route",
        "--file",
        small_routes,
        "--name",
        "Served route",
        "--mode",
        "rail",
        "--via",
        "t-khasan",
        "--via",
        "t-rajin",
        "--source",
        "ref-facts",
    )
    assert r.returncode == 0, r.stderr
    served.wait_for(r"^rebuilt layers/ and site/")
    assert "served-route" in route_ids(base)

    good = small_routes.read_text(encoding="utf-8")
    small_routes.write_text(good.replace('since: "2018"', 'since: "2018-02-30"'), encoding="utf-8")
    served.wait_for(r"not a calendar day")
    served.wait_for(r"not rebuilt .*still serving the last good map")
    assert "served-route" in route_ids(base)

    small_routes.write_text(good.replace("Served route", "Served route, renamed"), encoding="utf-8")
    served.wait_for(r"^rebuilt layers/ and site/")
    layer = json.loads(get(base + "data/routes.geojson")[2])
    assert {f["properties"]["name"] for f in layer["features"]} >= {"Served route, renamed"}
    assert served.stop() == 0


def test_serve_listens_on_localhost_only(served):
    line = served.wait_for(r"^Serving site/ at ")
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"], listening  # 127.0.0.1, and nothing else


def test_serve_refuses_an_invalid_file_at_start(small_routes, geo):
    small_routes.write_text(
        small_routes.read_text(encoding="utf-8").replace('"2018"', '"2018-02-30"'), encoding="utf-8"
    )
    r = geo("serve", "--port", "0", cwd=small_routes.parent, timeout=120)
    assert r.returncode == 2
    assert "not a calendar day" in r.stderr
