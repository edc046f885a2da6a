"""``geo serve``: build the site, serve it on localhost, and rebuild it when routes.yaml changes."""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from geo.commands.options import layers_option, site_option
from geo.errors import DataError, GeoError

HOST = "127.0.0.1"  # a preview: never reachable from other machines


class _PreviewHandler(SimpleHTTPRequestHandler):
    """Static files with caching off, so a reload always shows the latest build."""

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


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

    \b
    Example:
      geo serve                    # http://127.0.0.1:8000/
      geo serve --port 8080 --data my-routes.yaml
    """
    from geo import build as pipeline

    data_path = Path(data)
    site_path = Path(site_dir)
    lock = threading.Lock()

    def rebuild(changed: bool = False) -> None:
        with lock:
            try:
                result = pipeline.run(data_path, layers_dir, site_path)
            except DataError as exc:
                if not changed:
                    raise
                for problem in exc.problems:
                    click.echo(str(problem), err=True)
                click.echo(
                    f"{data}: not rebuilt ({len(exc.problems)} problem(s)); "
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
                f"{'rebuilt' if changed else 'built'} {layers_dir}/ and {site_dir}/: {counts}"
            )

    rebuild()
    handler = functools.partial(_PreviewHandler, directory=os.fspath(site_path.resolve()))
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise GeoError(
            f"cannot listen on {HOST}:{port}: {exc.strerror or exc}; try another --port"
        ) from None
    server.verbose = verbose  # type: ignore[attr-defined]
    watcher = Watcher(data_path, rebuild, interval)
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
