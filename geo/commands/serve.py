"""``geo serve``: build the site, serve it on localhost, and rebuild it when routes.yaml changes.

The server is a preview for the person at this machine, hardened as if a web page in their
browser were the attacker: it serves only files whose real path (symlinks resolved) is inside
site/, answers only requests addressed to 127.0.0.1 or localhost (a DNS-rebinding page sends its
own host name), sends the page's Content-Security-Policy as a header too, and answers a
malformed path with 400 instead of a traceback.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from geo.commands.options import layers_option, site_option
from geo.errors import DataError, GeoError, printable

HOST = "127.0.0.1"  # a preview: never reachable from other machines
BACKLOG = 256  # connections the kernel holds while the server accepts (a page opens dozens)
_BAD_PATH = re.compile(r"%(?![0-9A-Fa-f]{2})|[\x00-\x1f\x7f]")


class PreviewServer(ThreadingHTTPServer):
    """A thread per request, a listen backlog a browser's burst of requests fits in."""

    request_queue_size = BACKLOG
    daemon_threads = True

    def __init__(self, port: int, site: Path, headers: dict[str, str], verbose: bool):
        self.root = os.path.realpath(site)
        self.extra_headers = headers
        self.verbose = verbose
        super().__init__((HOST, port), _PreviewHandler)
        bound = self.server_address[1]
        self.hosts = {f"{HOST}:{bound}", f"localhost:{bound}"}
        if bound == 80:
            self.hosts |= {HOST, "localhost"}

    def handle_error(self, request, client_address):
        """One line, never a traceback: a request that broke the handler is the client's problem."""
        exc = sys.exc_info()[1]
        message = f"error: request from {client_address[0]} failed: {exc!r}"
        sys.stderr.write(printable(message) + "\n")


class _PreviewHandler(SimpleHTTPRequestHandler):
    """Static files from the server's root only, with caching off (a reload always shows the
    latest build) and the page's security headers."""

    server: PreviewServer

    def __init__(self, request, client_address, server: PreviewServer):
        super().__init__(request, client_address, server, directory=server.root)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        for name, value in self.server.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def send_head(self):
        refusal = self._refusal()
        if refusal is not None:
            self.send_error(*refusal)
            return None
        return super().send_head()

    def _refusal(self) -> tuple[HTTPStatus, str] | None:
        """Why this request gets no file, or None when it may have one."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.hosts:
            return HTTPStatus.FORBIDDEN, "Host not allowed: use http://127.0.0.1 or localhost"
        path = urllib.parse.urlsplit(self.path).path
        if _BAD_PATH.search(path):
            return HTTPStatus.BAD_REQUEST, "Malformed path"
        try:
            decoded = urllib.parse.unquote(path, errors="strict")
        except UnicodeDecodeError:
            return HTTPStatus.BAD_REQUEST, "Malformed path (not UTF-8)"
        if _BAD_PATH.search(decoded):
            return HTTPStatus.BAD_REQUEST, "Malformed path"
        if not _inside(self.translate_path(self.path), self.server.root):
            return HTTPStatus.NOT_FOUND, "File not found"
        return None

    def translate_path(self, path):
        """The real path (symlinks resolved) of the file a URL names; send_head opens this."""
        local = super().translate_path(path)
        real = os.path.realpath(local)
        return real + "/" if local.endswith("/") and real != "/" else real

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        if self.server.verbose:
            super().log_message(format, *args)


def _inside(path: str, root: str) -> bool:
    path = path.rstrip("/") or "/"
    return path == root or path.startswith(root + os.sep)


def security_headers() -> dict[str, str]:
    """The headers the page's <meta> tags cannot carry, with the same policy as its meta tag."""
    from geo.site.page import content_security_policy, tile_origin, tile_provider

    return {
        "Content-Security-Policy": content_security_policy(tile_origin(tile_provider())),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
    }


def _signature(path: Path) -> tuple | None:
    """What changes when the file is saved (in place or by an editor's rename)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class Watcher(threading.Thread):
    """Polls routes.yaml and rebuilds layers/ and site/ after each change.

    A build that fails (invalid data) is reported and the previous site stays up.
    """

    def __init__(self, data: Path, rebuild, interval: float):
        super().__init__(daemon=True, name="geo-serve-watcher")
        self.data, self.rebuild, self.interval = data, rebuild, interval
        self.stopped = threading.Event()
        self.seen = _signature(data)

    def run(self):
        while not self.stopped.wait(self.interval):
            current = _signature(self.data)
            if current == self.seen or current is None:
                continue
            self.seen = current
            self.rebuild(changed=True)


class Rebuilder:
    """Builds layers/ and site/ from FILE: the first build's errors stop `geo serve`; a later
    one's are reported and the last good map stays up."""

    def __init__(self, data: str, layers_dir: str, site_dir: str):
        self.data, self.layers_dir, self.site_dir = data, layers_dir, site_dir
        self.lock = threading.Lock()

    def __call__(self, changed: bool = False) -> None:
        from geo import build as pipeline

        with self.lock:
            try:
                result = pipeline.run(Path(self.data), self.layers_dir, Path(self.site_dir))
            except DataError as exc:
                if not changed:
                    raise
                for problem in exc.problems:
                    click.echo(str(problem), err=True)
                click.echo(
                    f"{self.data}: not rebuilt ({len(exc.problems)} problem(s)); "
                    "still serving the last good map",
                    err=True,
                )
                return
            except GeoError as exc:
                if not changed:
                    raise
                click.echo(f"error: {exc}; still serving the last good map", err=True)
                return
        counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
        click.echo(
            f"{'rebuilt' if changed else 'built'} {self.layers_dir}/ and {self.site_dir}/: {counts}"
        )


@click.command()
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option(
    "--data",
    "--file",
    "data",
    default="routes.yaml",
    show_default=True,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="The routes.yaml to build from and watch.",
)
@layers_option
@site_option("Where to write, and serve, the map website.")
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.05, 60),
    help="Seconds between checks of FILE for changes.",
)
@click.option("--verbose", "-v", is_flag=True, help="Log every request.")
def serve(port, data, layers_dir, site_dir, interval, verbose):
    """Build the map and serve it at http://127.0.0.1:PORT/ for preview, rebuilding
    layers/ and site/ whenever FILE changes (reload the page to see it). A change that
    makes FILE invalid is reported and the last good map stays up. Ctrl+C stops.

    Only files inside the site folder are served (symlinks leading out are refused), only
    to addresses naming 127.0.0.1 or localhost.

    \b
    Example:
      geo serve                    # http://127.0.0.1:8000/
      geo serve --port 8080 --data my-routes.yaml
    """
    rebuild = Rebuilder(data, layers_dir, site_dir)
    rebuild()
    try:
        server = PreviewServer(port, Path(site_dir), security_headers(), verbose)
    except OSError as exc:
        raise GeoError(
            f"cannot listen on {HOST}:{port}: {exc.strerror or exc}; try another --port"
        ) from None
    watcher = Watcher(Path(data), rebuild, interval)
    watcher.start()
    click.echo(
        f"Serving {site_dir}/ at http://{HOST}:{server.server_address[1]}/ "
        f"(watching {data}; Ctrl+C to stop)"
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        watcher.stopped.set()
        server.server_close()
