"""geo serve: builds the site, serves it on 127.0.0.1 and rebuilds it when routes.yaml changes."""

from __future__ import annotations

import html
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
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
        self.log: list[str] = []  # every line, for checks that none is a traceback
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.log.append(line.rstrip("\n"))
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


# ---------------------------------------------------------------- hardening (issue 17)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One `geo serve` for the hardening tests: (server, port, site folder)."""
    folder = tmp_path_factory.mktemp("preview")
    shutil.copyfile(Path(__file__).parent / "data" / "small.yaml", folder / "routes.yaml")
    server = Served(folder)
    line = server.wait_for(r"^Serving site/ at ")
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
    yield server, port, folder / "site"
    server.stop()
    assert not [x for x in server.log if "Traceback" in x], server.log


def raw_request(port: int, target: bytes, host: bytes | None = None) -> tuple[int, str, bytes]:
    """Sends one HTTP/1.0 request as given (no client library cleaning the path up) and returns
    (status, header block, body)."""
    host = b"127.0.0.1:%d" % port if host is None else host
    request = b"GET " + target + b" HTTP/1.0\r\nHost: " + host + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head.decode("latin-1"), body


def test_serve_does_not_follow_symlinks_out_of_site(preview):
    server, port, site = preview
    (site / "passwd-link").symlink_to("/etc/passwd")
    (site / "root-link").symlink_to("/")
    (site / "up-link").symlink_to("..")
    (site / "index-link.html").symlink_to("index.html")  # inside site/: fine
    outside = (b"/passwd-link", b"/root-link/", b"/root-link/etc/passwd", b"/up-link/routes.yaml")
    for target in outside:
        status, _, body = raw_request(port, target)
        assert status in (403, 404), (target, status)
        assert b"root:" not in body and b"sources:" not in body and b"etc/" not in body, target
    status, _, body = raw_request(port, b"/index-link.html")
    assert status == 200 and body == (site / "index.html").read_bytes()


def test_serve_sends_the_pages_security_headers(preview):
    _, port, _ = preview
    status, headers, body = get(f"http://127.0.0.1:{port}/")
    assert status == 200
    meta = re.search(rb'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', body)
    assert headers["Content-Security-Policy"] == html.unescape(meta.group(1).decode())
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    status, headers, _ = get(f"http://127.0.0.1:{port}/data/routes.geojson")
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"


def test_serve_refuses_other_host_names(preview):
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 must not read
    the preview; its requests carry its own Host."""
    _, port, _ = preview
    assert raw_request(port, b"/")[0] == 200
    assert raw_request(port, b"/", b"localhost:%d" % port)[0] == 200
    for host in (b"evil.example:%d" % port, b"evil.example", b"127.0.0.1", b"127.0.0.1:1", b""):
        status, _, body = raw_request(port, b"/", host)
        assert status == 403, host
        assert b"<html" not in body.lower() or b"Host not allowed" in body


def test_serve_answers_malformed_paths_with_400(preview):
    server, port, _ = preview
    for target in (b"/%00", b"/index.html%00.png", b"/\x00", b"/%zz", b"/%e", b"/%ff%fe",
                   b"/data/%c3%28.js", b"/%0d%0aSet-Cookie:x=1"):
        status, head, _ = raw_request(port, target)
        assert status == 400, (target, status)
        assert "Set-Cookie" not in head
    assert raw_request(port, b"/data/routes.geojson")[0] == 200  # still serving
    time.sleep(0.3)
    assert not [x for x in server.log if "Traceback" in x or "Error" in x], server.log


def test_serve_answers_200_concurrent_requests_within_5_s_ten_times(preview):
    _, port, _ = preview
    url = f"http://127.0.0.1:{port}/data/routes.geojson"

    def fetch(_):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return response.status
        except (OSError, urllib.error.URLError) as exc:
            return repr(exc)

    with ThreadPoolExecutor(max_workers=200) as pool:
        for run in range(10):
            started = time.monotonic()
            statuses = list(pool.map(fetch, range(200)))
            elapsed = time.monotonic() - started
            failed = [s for s in statuses if s != 200]
            assert not failed and elapsed < 5, (run, f"{elapsed:.1f} s", failed[:5], len(failed))
