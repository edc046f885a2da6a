"""Files of the built site: our static assets, Leaflet from XStatic-Leaflet, atomic replacement.

The site is written into a temporary sibling directory and swapped in at the end, so a
reader (or ``geo serve``) never sees half a site, and a failed build leaves the old one.
A directory that does not look like a previous build is never deleted.
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

from geo.errors import GeoError

# Present in every site this module writes; their absence means "not ours, do not delete".
_SITE_MARKERS = ("index.html", "data.js", "leaflet")


def leaflet_dir() -> Path:
    import xstatic.pkg.leaflet

    return Path(xstatic.pkg.leaflet.BASE_DIR)


def copy_leaflet(dest: Path) -> None:
    """Copy what the page uses of XStatic-Leaflet: leaflet.js, leaflet.css and the images/
    that leaflet.css refers to (not the unminified sources and source maps, 3 MB)."""
    src = leaflet_dir()
    if not (src / "leaflet.js").exists():
        raise GeoError(f"Leaflet not found in {src}; reinstall xstatic-leaflet==1.9.3.0")
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copyfile(src / name, dest / name)
    shutil.copytree(src / "images", dest / "images")


def copy_static(dest: Path) -> None:
    """Copy our own scripts and styles (geo/site/static) into the site."""
    dest.mkdir(parents=True, exist_ok=True)
    static = resources.files("geo.site") / "static"
    for entry in sorted(static.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith((".js", ".css")):
            (dest / entry.name).write_bytes(entry.read_bytes())


class SiteWriter:
    """Collects the site in ``.<name>.tmp-<pid>`` next to *out_dir*, then replaces *out_dir*."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.root = self.out_dir.parent / f".{self.out_dir.name}.tmp-{os.getpid()}"

    def __enter__(self) -> SiteWriter:
        if self.out_dir.exists() and not _replaceable(self.out_dir):
            raise GeoError(
                f"{self.out_dir} exists and is not a site built by geo; "
                "choose an empty or new directory for the site"
            )
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir()
        return self

    def write_text(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    def write_bytes(self, relative: str, data: bytes) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def copy_file(self, relative: str, source: Path) -> None:
        """Copy *source* (in the kernel, with sendfile where the system has it)."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            return
        old = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
        if self.out_dir.exists():
            os.replace(self.out_dir, old)
        os.replace(self.root, self.out_dir)
        shutil.rmtree(old, ignore_errors=True)


def _replaceable(path: Path) -> bool:
    if not path.is_dir():
        return False
    entries = {p.name for p in path.iterdir()}
    return not entries or all(marker in entries for marker in _SITE_MARKERS)
