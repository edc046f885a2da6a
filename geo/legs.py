"""Which network legs a dataset needs, which the path cache lacks, and filling them in.

This is the only stage that loads the OpenStreetMap graphs or the land mask, and only for
legs that are missing from the cache (the imports in :mod:`geo.network` are deferred).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from geo.errors import GeoError
from geo.geometry import network_legs
from geo.model import Dataset
from geo.pathcache import DATA_VERSIONS, PathCache, leg_key

Point = tuple[float, float]


@dataclass(frozen=True)
class Leg:
    route: str
    mode: str
    a: Point
    b: Point

    @property
    def key(self) -> str:
        return leg_key(self.mode, self.a, self.b)


def needed_legs(dataset: Dataset) -> list[Leg]:
    """Every leg the routes draw on a network, once per key, in route order."""
    seen: set[str] = set()
    out: list[Leg] = []
    for route in dataset.routes:
        for a, b in network_legs(route):
            leg = Leg(route.id, route.mode, a, b)
            back = leg_key(route.mode, b, a)
            if leg.key not in seen and back not in seen:
                seen.add(leg.key)
                out.append(leg)
    return out


def missing_legs(dataset: Dataset, cache: PathCache) -> list[Leg]:
    return [leg for leg in needed_legs(dataset) if cache.leg(leg.mode, leg.a, leg.b) is None]


def fill(dataset: Dataset, cache: PathCache, prune: bool = False, progress=None) -> list[Leg]:
    """Compute the missing legs into *cache* (not written); with *prune*, drop the legs no
    route of *dataset* uses.  Returns the legs computed."""
    from geo.network import network_leg

    todo = missing_legs(dataset, cache)
    if todo:
        require_pinned_versions({leg.mode for leg in todo})
    for leg in todo:
        if progress:
            progress(leg)
        try:
            vertices = network_leg(leg.mode, leg.a, leg.b)
        except GeoError as exc:
            line, _ = dataset.locate("routes", leg.route)
            raise GeoError(f"{dataset.file}:{line}: route {leg.route}: {exc}") from None
        cache.put(leg.mode, leg.a, leg.b, vertices)
    if prune:
        used = set()
        for leg in needed_legs(dataset):
            used.update({leg.key, leg_key(leg.mode, leg.b, leg.a)})
        cache.legs = {k: v for k, v in cache.legs.items() if k in used}
    return todo


def require_pinned_versions(modes: set[str]) -> None:
    """Refuse to compute with packages other than the ones the cache keys name."""
    for mode in sorted(modes):
        for pin in DATA_VERSIONS[mode].split(","):
            name, wanted = pin.split("=")
            if name in ("grid", "simplify"):
                continue
            try:
                installed = version(name)
            except PackageNotFoundError:
                installed = None
            if installed != wanted:
                raise GeoError(
                    f"{mode} legs are keyed to {name}=={wanted}, but "
                    f"{installed or 'no version'} is installed; hint: pip install {name}=={wanted}"
                )
