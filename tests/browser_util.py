"""Build a site from a routes.yaml, serve it on 127.0.0.1, and drive it in headless Chromium.

Also a small script: ``python tests/browser_util.py --screenshot docs/screenshot.png`` builds
the site from the bundled routes.yaml and saves the README screenshot (tiles blocked, so the
image shows the offline outline and is the same on every machine).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import struct
import sys
import threading
import zlib
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TILE_HOST = "tile.openstreetmap.org"
# also how bench/browser.py starts it, so the benchmark measures the page the tests check
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def build_site(routes_yaml: Path, out_dir: Path) -> dict[str, str]:
    """Build the site for *routes_yaml* into *out_dir*; return the layer texts it was built from."""
    from geo.layers import render_layers
    from geo.site import write_site
    from geo.validate import load_dataset

    dataset = load_dataset(routes_yaml)
    layers = render_layers(dataset)
    write_site(dataset, layers, out_dir)
    return layers.texts


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve *directory* on an ephemeral 127.0.0.1 port; yields the base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def blank_png(size: int = 256, rgb=(236, 233, 226)) -> bytes:
    """A plain PNG tile, to stand in for the tile server in tests that must stay offline."""
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


class PageWatch:
    """Records what a page did: console errors, page errors, requests, dialogs, CSP violations.

    tiles: "stub" answers tile requests with a blank PNG, "block" makes the tile server
    unreachable; every other outside request is aborted and recorded.
    """

    def __init__(self, page, tiles: str = "stub"):
        self.page = page
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.tile_requests = 0
        png = blank_png()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("dialog", self._dialog)
        page.on("request", lambda req: self.requests.append(req.url))

        def route(r):
            url = r.request.url
            host = urlsplit(url).hostname or ""
            if url.startswith(("file:", "data:", "blob:")) or host == "127.0.0.1":
                return r.continue_()
            if host == TILE_HOST:
                self.tile_requests += 1
                if tiles == "stub":
                    return r.fulfill(status=200, content_type="image/png", body=png)
                return r.abort("connectionrefused")
            self.outside.append(url)
            return r.abort("blockedbyclient")

        page.route("**/*", route)

    def _console(self, msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "") if isinstance(msg.location, dict) else ""
        if TILE_HOST in where or TILE_HOST in msg.text:
            return  # tiles failing is the point of the "unreachable" tests
        self.console_errors.append(msg.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def hosts(self) -> set[str]:
        return {urlsplit(u).hostname or urlsplit(u).scheme for u in self.requests}


def wait_ready(page, timeout: float = 15000) -> None:
    page.wait_for_function("() => window.geoApp && window.geoApp.ready === true", timeout=timeout)


def launch(playwright, executable_path: str):
    return playwright.chromium.launch(executable_path=executable_path, args=CHROMIUM_ARGS)


def screenshot(
    routes_yaml: Path, out_png: Path, width: int = 1280, height: int = 800, date: str | None = None
) -> None:
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(routes_yaml, site)
        with serve(site) as base, sync_playwright() as p:
            browser = launch(p, "/usr/bin/chromium")
            page = browser.new_page(viewport={"width": width, "height": height})
            PageWatch(page, tiles="block")
            page.goto(base + "index.html" + (f"#date={date}" if date else ""))
            wait_ready(page)
            page.wait_for_timeout(500)
            out_png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out_png))
            browser.close()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", type=Path, required=True, help="PNG file to write")
    parser.add_argument("--data", type=Path, default=ROOT / "routes.yaml")
    parser.add_argument("--date", default=None, help="map date, YYYY-MM-DD (default: the newest)")
    args = parser.parse_args()
    screenshot(args.data, args.screenshot, date=args.date)
    print(f"wrote {args.screenshot}")
