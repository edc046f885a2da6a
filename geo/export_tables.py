"""The layers as tables for ``geo export``: one :class:`Table` per layer, typed by
:data:`geo.fields.FIELDS`, the stable integer id of a feature, and what every export says
about the data (:class:`About`).  The format writers (``geo.export_*``) read these only."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from geo.errors import GeoError
from geo.fields import FIELDS, GEOMETRY
from geo.layers import Layers


@dataclass(frozen=True)
class Table:
    """One layer as rows: its name, fields (name, kind) from FIELDS, geometry type, the
    GeoJSON geometry and the properties of each feature, in file order."""

    name: str
    fields: tuple[tuple[str, str], ...]
    geometry_type: str  # "Point" or "LineString" (lines may be multi-part)
    geometries: list[dict | None]
    rows: list[dict]

    @property
    def ids(self) -> list[str]:
        return [row["id"] for row in self.rows]


@dataclass(frozen=True)
class About:
    """What every export says about the data, where its format has room: the licence,
    attribution and data version the layers carry (their FeatureCollection members), and the
    day of ``--as-of``."""

    licence: str | None
    attribution: str | None
    data_version: str | None  # the newest source's publication date
    as_of: str | None  # YYYY-MM-DD of `--as-of`, None for the data as it is now

    @classmethod
    def of(cls, layers: Layers, as_of: str | None = None) -> About:
        first = layers.encoded[f"{next(iter(FIELDS))}.geojson"]
        head = json.loads(first)
        return cls(head.get("license"), head.get("attribution"), head.get("data_version"), as_of)

    def metadata(self) -> dict[str, str]:
        """LICENSE, ATTRIBUTION, DATA_VERSION, AS_OF: the ones known."""
        pairs = (
            ("LICENSE", self.licence),
            ("ATTRIBUTION", self.attribution),
            ("DATA_VERSION", self.data_version),
            ("AS_OF", self.as_of),
        )
        return {key: value for key, value in pairs if value}

    def lines(self) -> list[str]:
        labels = {
            "LICENSE": "Licence of the data",
            "ATTRIBUTION": "Attribution",
            "DATA_VERSION": "Data version (newest source)",
            "AS_OF": "Layers as of",
        }
        return [f"{labels[key]}: {value}" for key, value in self.metadata().items()]

    def text(self) -> str:
        return "\n".join(self.lines())

    def one_line(self) -> str:
        return "; ".join(self.lines())


def stable_fid(feature_id: str) -> int:
    """A positive integer below 2**53 (exact in a JavaScript number or a double) that depends
    on the id alone, so it never changes when other features come or go."""
    digest = hashlib.blake2b(feature_id.encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 11) or 1


def stable_fids(table: Table) -> list[int]:
    fids = [stable_fid(fid) for fid in table.ids]
    if len(set(fids)) != len(fids):
        raise GeoError(f"two {table.name} ids hash to the same fid; rename one of them")
    return fids


def tables(layers: Layers) -> list[Table]:
    """One Table per layer of *layers*, in the order of FIELDS."""
    out = []
    for name in FIELDS:
        features = json.loads(layers.encoded[f"{name}.geojson"])["features"]
        out.append(
            Table(
                name=name,
                fields=FIELDS[name],
                geometry_type=GEOMETRY[name],
                geometries=[f["geometry"] for f in features],
                rows=[f["properties"] for f in features],
            )
        )
    return out


def wkb(geometries: list[dict | None]):
    """The GeoJSON geometries as WKB (a numpy object array; None stays None)."""
    import numpy as np
    import shapely
    from shapely.geometry import shape

    return np.array([shapely.to_wkb(shape(g)) if g else None for g in geometries], dtype=object)


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
