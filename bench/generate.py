"""A synthetic routes.yaml at a chosen scale, the same bytes for the same arguments.

The shape follows the bundled file: sources keyed by id, local places, routes with a dated
status history (and sourced waypoints on some surface routes), and dated events that cite
one to three sources.  Places are the curated gazetteer's plus generated ones in the
region; events are mostly movements of people along a route's stops, with the date
precisions, qualifiers, people counts and cash amounts a newsroom archive has.  Nothing
reads the clock: every date lies between 2013 and LAST_DAY.

    python -m bench.generate --events 10000 --out /tmp/routes-10k.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

FIRST_DAY = dt.date(2013, 1, 1)
LAST_DAY = dt.date(2026, 6, 30)
MODES = ("air", "rail", "sea", "road")
MODE_WEIGHTS = (3, 3, 2, 2)
PLACE_KINDS = ("city", "town", "station", "port", "airport", "border_crossing")
COUNTRIES = ("RU", "KP", "CN")
GROUPS = (
    "workers",
    "students",
    "tourists",
    "sailors",
    "officials",
    "passengers",
    "traders",
    "cash",
    "cargo",
)
GROUP_WEIGHTS = (10, 3, 3, 2, 2, 3, 2, 1, 1)
DIRECTIONS = ("to_russia", "to_north_korea", "to_china", "within_russia", "none")
CONFIDENCES = ("confirmed", "reported", "rumoured")
CONFIDENCE_WEIGHTS = (2, 6, 2)
PLACE_KINDS_OF_EVENT = ("policy", "statement", "agreement", "summit", "observation", "seizure")
OUTLETS = (
    "Radio Free Asia",
    "Daily NK",
    "NK News",
    "Yonhap",
    "KBS",
    "Reuters",
    "Kommersant",
    "Vladivostok News",
    "Primamedia",
    "Global Times",
    "The Asahi Shimbun",
    "38 North",
)
ROOTS = (
    "Khasan",
    "Rajin",
    "Tumen",
    "Sinuiju",
    "Dandong",
    "Hunchun",
    "Zarubino",
    "Nakhodka",
    "Chongjin",
    "Hamhung",
    "Wonsan",
    "Yanji",
    "Ussuri",
    "Amur",
    "Partizansk",
    "Artyom",
)
SUFFIXES = ("", " North", " South", " East", " West", " Bay", " Junction", " Pass", "-2")
PEOPLE_WORDS = (
    (5, "a handful"),
    (20, "about 20"),
    (50, "dozens of"),
    (200, "hundreds of"),
    (300, "more than 300"),
    (1000, "about 1,000"),
    (5000, "several thousand"),
)
CURRENCIES = ("USD", "EUR", "CNY", "RUB")
OPERATORS = ("Air Koryo", "RZD", "RasonConTrans", "Mangyongbong")


@dataclass(frozen=True)
class Scale:
    """How much data to generate; sources scale with the events (about five events a source)."""

    events: int
    places: int = 100
    routes: int = 1000

    @property
    def sources(self) -> int:
        return max(20, self.events // 5)


def curated_place_ids() -> list[str]:
    from geo.gazetteer import curated_places

    return [p.id for p in curated_places()]


def generate(scale: Scale, seed: int = 2026) -> str:
    """The text of a valid routes.yaml of *scale* (deterministic for a given seed and gazetteer)."""
    return _Generator(scale, random.Random(seed)).text()


def write(path: str | Path, scale: Scale, seed: int = 2026) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate(scale, seed), encoding="utf-8")
    return path


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def _flow(ids) -> str:
    return "[" + ", ".join(ids) + "]"


class _Generator:
    def __init__(self, scale: Scale, rng: random.Random):
        self.scale = scale
        self.rng = rng
        self.lines: list[str] = []
        self.span_days = (LAST_DAY - FIRST_DAY).days

    # -- helpers -----------------------------------------------------------------
    def day(self, after: dt.date = FIRST_DAY) -> dt.date:
        """A day after *after*, more often recent (archives grow over time)."""
        span = max(0, (LAST_DAY - after).days)
        return after + dt.timedelta(days=int(span * self.rng.random() ** 0.6))

    def edtf(self, day: dt.date) -> str:
        r = self.rng.random()
        text = day.isoformat() if r < 0.75 else day.isoformat()[:7] if r < 0.93 else str(day.year)
        q = self.rng.random()
        return text + ("~" if q < 0.08 else "?" if q < 0.11 else "")

    def cite(self, n_max: int = 3) -> str:
        n = 1 + int(self.rng.random() ** 3 * n_max)
        picks = sorted({self.rng.randrange(self.scale.sources) for _ in range(n)})
        return _flow(f"src-{i:06d}" for i in picks)

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    # -- sections ----------------------------------------------------------------
    def text(self) -> str:
        self.emit(
            "# Synthetic routes.yaml for benchmarks (bench/generate.py); not real reporting.",
            f"# {self.scale.events} events, {self.scale.routes} routes, "
            f"{self.scale.places} places, "
            f"{self.scale.sources} sources.",
            "version: 1",
            "",
        )
        self.sources()
        self.place_ids = self.places()
        self.route_stops = self.routes()
        self.events()
        return "\n".join(self.lines) + "\n"

    def sources(self) -> None:
        self.emit("sources:")
        for i in range(self.scale.sources):
            outlet = self.rng.choice(OUTLETS)
            published = self.day()
            self.emit(
                f"  src-{i:06d}:",
                f"    outlet: {_q(outlet)}",
                "    title: "
                + _q(f"{self.rng.choice(ROOTS)} report no. {i}: movements across the border"),
                f'    published: "{published.isoformat()}"',
                f"    url: https://example.org/{slug(outlet)}/{published.year}/{i}",
                "    language: " + self.rng.choice(("en", "ko", "ru", "zh")),
            )
        self.emit("")

    def places(self) -> list[str]:
        curated = curated_place_ids()
        local = max(0, self.scale.places - len(curated))
        self.emit("places:" if local else "places: []")
        ids = list(curated)
        for i in range(local):
            pid = f"bench-place-{i:04d}"
            name = f"{self.rng.choice(ROOTS)}{self.rng.choice(SUFFIXES)} (synthetic {i})"
            self.emit(
                f"  - id: {pid}",
                f"    name: {_q(name)}",
                f"    kind: {self.rng.choice(PLACE_KINDS)}",
                f"    country: {self.rng.choice(COUNTRIES)}",
                f"    lat: {self.rng.uniform(38.0, 56.0):.5f}",
                f"    lon: {self.rng.uniform(120.0, 142.0):.5f}",
                f"    sources: {self.cite(1)}",
            )
            ids.append(pid)
        self.emit("")
        return ids

    def routes(self) -> list[tuple[str, str, list[str]]]:
        self.emit("routes:")
        out = []
        for i in range(self.scale.routes):
            mode = self.rng.choices(MODES, MODE_WEIGHTS)[0]
            n_stops = 2 if mode in ("air", "sea") else self.rng.choice((2, 3, 3, 4))
            stops = self.rng.sample(self.place_ids, n_stops)
            rid = f"bench-route-{i:04d}"
            self.emit(
                f"  - id: {rid}",
                f"    name: {_q(f'Synthetic {mode} route {i}')}",
                f"    mode: {mode}",
                f"    via: {_flow(stops)}",
            )
            if mode in ("rail", "road") and self.rng.random() < 0.3:
                self.emit("    waypoints:")
                after = stops[self.rng.randrange(n_stops - 1)]
                self.emit(
                    f"      - after: {after}",
                    f"        lat: {self.rng.uniform(38.0, 56.0):.5f}",
                    f"        lon: {self.rng.uniform(120.0, 142.0):.5f}",
                    f"        sources: {self.cite(1)}",
                )
            if self.rng.random() < 0.5:
                self.emit(f"    operator: {_q(self.rng.choice(OPERATORS))}")
            self.emit("    status:")
            since = self.day()
            statuses = ["operating"] + [
                self.rng.choice(("suspended", "operating", "closed"))
                for _ in range(self.rng.randrange(3))
            ]
            for status in statuses:
                self.emit(
                    f'      - since: "{since.isoformat()}"',
                    f"        status: {status}",
                    f"        sources: {self.cite(2)}",
                )
                since = self.day(since + dt.timedelta(days=1))
            out.append((rid, mode, stops))
        self.emit("")
        return out

    def events(self) -> None:
        self.emit("events:")
        for i in range(self.scale.events):
            self.event(i)

    def event(self, i: int) -> None:
        rng = self.rng
        day = self.day()
        date = self.edtf(day)
        group = rng.choices(GROUPS, GROUP_WEIGHTS)[0]
        movement = rng.random() < 0.6
        kind = "movement" if movement else rng.choice(PLACE_KINDS_OF_EVENT)
        lines = [f"  - id: ev-{i:06d}", f'    date: "{date}"']
        if date[-1].isdigit() and len(date) == 10 and rng.random() < 0.05:
            end = min(day + dt.timedelta(days=rng.randint(1, 30)), LAST_DAY)
            lines.append(f'    end_date: "{end.isoformat()}"')
        if movement:
            route, mode, stops = self.route_stops[rng.randrange(len(self.route_stops))]
            if rng.random() < 0.85:
                a, b = rng.sample(range(len(stops)), 2)
                origin, dest = stops[a], stops[b]
                lines.append(
                    f"    title: {_q(f'{group.capitalize()} travel by {mode}, {origin} to {dest}')}"
                )
                where = [f"    from: {origin}", f"    to: {dest}", f"    route: {route}"]
            else:  # not along a known route: drawn as a geodesic
                origin, dest = rng.sample(self.place_ids, 2)
                lines.append(
                    f"    title: {_q(f'{group.capitalize()} reported moving {origin} → {dest}')}"
                )
                where = [f"    from: {origin}", f"    to: {dest}"]
        else:
            place = rng.choice(self.place_ids)
            lines.append(f"    title: {_q(f'{kind.capitalize()} reported at {place}')}")
            where = [f"    place: {place}"]
        lines.append(
            "    summary: "
            + _q(
                f"Synthetic event {i}: {rng.choice(OUTLETS)} reported {group} and officials near "
                f"{rng.choice(ROOTS)}; details as the source gives them, in our own words."
            )
        )
        lines.append(f"    kind: {kind}")
        lines.extend(where)
        if group != "cash" and (movement or rng.random() < 0.2):
            low, words = rng.choice(PEOPLE_WORDS)
            high = f", max: {low * 2}" if rng.random() < 0.3 else ""
            lines.append(f"    people: {{min: {low}{high}, text: {_q(words + ' ' + group)}}}")
        if group == "cash" or (kind == "seizure" and rng.random() < 0.3):
            value = rng.randint(1, 500) * 1000
            currency = rng.choice(CURRENCIES)
            lines.append(
                f"    amount: {{value: {value}, currency: {currency}, "
                f"text: {_q(f'{value:,} {currency}')}}}"
            )
        lines.append(f"    group: {group}")
        lines.append(f"    direction: {rng.choice(DIRECTIONS)}")
        lines.append(f"    confidence: {rng.choices(CONFIDENCES, CONFIDENCE_WEIGHTS)[0]}")
        lines.append(f"    sources: {self.cite()}")
        if rng.random() < 0.1:
            lines.append(f"    notes: {_q('Date inferred from the article; see the source.')}")
        self.emit(*lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic routes.yaml for benchmarks.")
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--routes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    path = write(args.out, Scale(args.events, args.places, args.routes), args.seed)
    print(f"wrote {path} ({path.stat().st_size / 1048576:.1f} MB)")


if __name__ == "__main__":
    main()
