"""The committed cache of network legs: geo/data/paths.json.

Rail, road and sea legs are computed on OpenStreetMap graphs and the GSHHG land mask
(:mod:`geo.network`), which take seconds to load.  The results are stored here, so that the
build reads a small JSON file instead.  A leg's key holds everything its vertices depend on:
the mode, its two end points at 6 decimals and the version of the data it was computed from
(:data:`DATA_VERSIONS`); a leg whose key is missing is drawn straight by the build and
reported by ``geo check`` until ``geo paths`` computes it.

Why a package data file and not a file beside routes.yaml: a leg depends on its end points,
not on the file that lists them, so one content-keyed store serves the bundled data, the
test fixtures and a user's file alike, and the geometry stage can read it without being told
where the routes came from (like the gazetteer in the same folder).  ``geo paths --cache``
writes another file for whoever wants to keep their own.

The file is written deterministically: keys sorted, one leg per line, numbers at 6 decimals.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path

Point = tuple[float, float]  # (lon, lat)

BUNDLED = Path(__file__).parent / "data" / "paths.json"

DATA_VERSIONS = {
    "rail": "scgraph-data=2.0.0,scgraph=2.15.0,simplify=0.002",
    "road": "scgraph-data=2.0.0,scgraph=2.15.0,simplify=0.002",
    "sea": "roaring-landmask=0.11.0,grid=0.005",
}
"""The packages each mode's legs come from, pinned in pyproject.toml; ``geo paths`` refuses to
run with other versions installed, so a key never lies about where its vertices came from."""


def number(value: float) -> str:
    """Shortest fixed-point text with at most 6 decimals (as geo.geometry writes them)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def leg_key(mode: str, a: Point, b: Point) -> str:
    ends = " ".join(f"{number(lon)},{number(lat)}" for lon, lat in (a, b))
    return f"{mode} {ends} {DATA_VERSIONS[mode]}"


class PathCache:
    """Legs by key, read from and written to one JSON file."""

    def __init__(self, file: Path, legs: dict[str, list[Point]] | None = None):
        self.file = file
        self.legs: dict[str, list[Point]] = legs or {}

    @classmethod
    def read(cls, file: str | os.PathLike) -> PathCache:
        file = Path(file)
        if not file.exists():
            return cls(file)
        import orjson

        return cls(file, orjson.loads(file.read_bytes())["legs"])

    def leg(self, mode: str, a: Point, b: Point) -> list[Point] | None:
        """The stored vertices from a to b (reversed when only b to a is stored), or None."""
        found = self.legs.get(leg_key(mode, a, b))
        if found is None:
            back = self.legs.get(leg_key(mode, b, a))
            found = back[::-1] if back is not None else None
        return [(x, y) for x, y in found] if found is not None else None

    def put(self, mode: str, a: Point, b: Point, vertices: list[Point]) -> None:
        self.legs[leg_key(mode, a, b)] = [(round(x, 6), round(y, 6)) for x, y in vertices]

    def text(self) -> str:
        lines = []
        for key in sorted(self.legs):
            coords = ",".join(f"[{number(x)},{number(y)}]" for x, y in self.legs[key])
            lines.append(f"    {json.dumps(key)}: [{coords}]")
        body = ",\n".join(lines)
        return '{\n  "format": 1,\n  "legs": {\n' + body + ("\n" if body else "") + "  }\n}\n"

    def write(self) -> None:
        """Replace the file atomically: a reader sees the old or the new file, never half."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".paths-", suffix=".json", dir=self.file.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(self.text())
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@cache
def bundled() -> PathCache:
    """The committed cache, read once per process."""
    return PathCache.read(BUNDLED)
