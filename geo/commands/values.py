"""The edit commands' option values, checked before routes.yaml is read.

Every pattern, range and list of choices comes from the JSON Schema (geo.validate.schema),
so an option accepts exactly what the file may hold.  A bad value is a one-line usage
error naming the option; a missing one is asked for on a terminal, never in a script.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache

import click

from geo.dates import DateError, FuzzyDate, parse_date


def definition(*path: str) -> dict:
    """The schema's definition at ``$defs/<path>``, following ``properties`` on the way."""
    from geo.validate import schema

    node = schema()["$defs"][path[0]]
    for part in path[1:]:
        node = node["properties"][part]
    if "$ref" in node:
        node = schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def choices(*path: str) -> list[str]:
    """The allowed values of an enumerated field, e.g. choices("event", "kind")."""
    return list(definition(*path)["enum"])


@cache
def pattern(*path: str) -> re.Pattern:
    return re.compile(definition(*path)["pattern"])


# ---------------------------------------------------------------- errors and prompts


def bad(option: str, message: str) -> click.UsageError:
    return click.UsageError(f"{option}: {message}")


def missing(option: str, also: str = "") -> click.UsageError:
    return click.UsageError(
        f"Missing option '{option}'{also} (stdin is not a terminal, so geo cannot ask for it)"
    )


def interactive() -> bool:
    """Prompt for missing options only when a person can answer (stdin is a terminal)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or replaced stdin
        return False


def ask(label: str, parse: Callable[[str], object], default: str | None = None):
    """Prompt until *parse* accepts the answer; its usage errors are shown and asked again."""
    while True:
        text = click.prompt(label, default=default, show_default=default is not None)
        try:
            return parse(text)
        except click.UsageError as exc:
            click.echo(f"  {exc.format_message()}", err=True)


# ---------------------------------------------------------------- values


def parse_text(option: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise bad(option, "must not be empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes from the command line
        raise bad(option, "is not valid UTF-8 text") from None
    return text


def parse_day(option: str, value: str, *, future_ok: bool = False) -> FuzzyDate:
    from geo.validate import today

    try:
        date = parse_date(value)
    except DateError as exc:
        raise bad(option, str(exc)) from None
    if not future_ok and date.start > today():
        raise bad(option, f"{date.text} is in the future (today is {today().isoformat()})")
    return date


def parse_id(option: str, value: str) -> str:
    if not pattern("id").match(value):
        raise bad(
            option,
            f"'{value}' is not a valid id: use lower-case letters, digits and hyphens "
            "(at most 80, starting with a letter or digit)",
        )
    return value


def parse_url(option: str, value: str) -> str:
    url = value.strip()
    if not pattern("url").match(url):
        raise bad(
            option, f"'{url}' is not an http(s) URL; links must start with http:// or https://"
        )
    return url


def parse_coordinate(option: str, value: float | str, axis: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        example = "42.73" if axis == "latitude" else "130.64"
        hint = f"give decimal degrees, e.g. {example}"
        raise bad(option, f"'{value}' is not a number: {hint}") from None
    limits = definition(axis)
    low, high = limits["minimum"], limits["maximum"]
    if not math.isfinite(number) or not low <= number <= high:
        raise bad(option, f"{axis} {value} is out of range ({low} to {high})")
    return round(number, 6)


def parse_point(option: str, value: str) -> tuple[float, float]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise bad(option, f"'{value}' is not LAT,LON (e.g. 42.4150,130.6410)")
    lat = parse_coordinate(option, parts[0], "latitude")
    return lat, parse_coordinate(option, parts[1], "longitude")


def parse_country(value: str) -> str:
    code = value.strip().upper()
    if not value.strip().isascii() or not pattern("place", "country").match(code):
        raise bad("--country", f"'{value}' is not a two-letter ISO country code (e.g. RU, KP, CN)")
    return code


def parse_language(value: str | None) -> str | None:
    if value is not None and not pattern("source", "language").match(value):
        raise bad(
            "--source-language", f"'{value}' is not an ISO 639 language code (e.g. en, ko, ru, zh)"
        )
    return value


def parse_code(option: str, value: str | None) -> str | None:
    """An --iata or --icao airport code."""
    if value is not None and not pattern("place", option[2:]).match(value):
        raise bad(option, f"'{value}' is not a valid {option[2:].upper()} code")
    return value


def slug(text: str) -> str:
    """'Pyongyang–Khabarovsk (rail)' -> 'pyongyang-khabarovsk-rail' (ASCII only; may be empty)."""
    spaced = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in text)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return short_id(s)


def short_id(made: str, limit: int = 80) -> str:
    """*made* cut to *limit* characters at a hyphen, never in the middle of a word."""
    if len(made) <= limit:
        return made
    cut = made[: limit + 1].rfind("-")
    return made[:cut] if cut > 0 else made[:limit]


def default_id(option: str, *parts: str) -> str:
    made = slug("-".join(p for p in parts if p))
    if not made:
        raise bad(
            option,
            "cannot make an id from non-Latin text; give one (lower-case letters, digits, hyphens)",
        )
    return made


PLACE_FIELDS = frozenset({"place", "from", "to", "via", "after"})  # resolved through the gazetteer
_DATE_FIELDS = frozenset({"date", "end_date", "since", "published"})


def field_definition(kind: str, path: tuple[str, ...]) -> dict:
    """The schema of field *path* (e.g. ('people', 'min')) of a *kind* entry."""
    from geo.validate import schema

    node, option = definition(kind), f"--set {'.'.join(path)}"
    for part in path:
        known = list(node.get("properties") or {})
        if part not in known:
            close = difflib.get_close_matches(part, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"fields: {', '.join(known)}"
            article = "an" if kind[0] in "aeiou" else "a"
            raise bad(option, f"{article} {kind} has no field '{part}' ({hint})")
        node = node["properties"][part]
        if "$ref" in node:
            node = schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def in_schema_order(kind: str, entry: dict, old: dict) -> dict:
    """*entry* with the keys *old* has in their order, and new ones where the schema puts
    them: before the first key that follows them in the schema."""
    order = list(definition(kind).get("properties") or {})
    rank = {k: i for i, k in enumerate(order)}
    keys = [k for k in entry if k in old]
    for key in (k for k in entry if k not in old):
        mine = rank.get(key, len(order))
        later = (i for i, k in enumerate(keys) if rank.get(k, len(order)) > mine)
        keys.insert(next(later, len(keys)), key)
    return {k: entry[k] for k in keys}


def parse_field(kind: str, path: tuple[str, ...], text: str):
    """*text* as the value of field *path* of a *kind* entry, checked against the schema."""
    node, option, name = field_definition(kind, path), f"--set {'.'.join(path)}", path[-1]
    if "enum" in node and text not in node["enum"]:
        close = difflib.get_close_matches(text, node["enum"], n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise bad(option, f"'{text}' is not one of: {', '.join(node['enum'])}{hint}")
    if name in ("lat", "lon"):
        return parse_coordinate(option, text, "latitude" if name == "lat" else "longitude")
    if node.get("type") == "integer":
        if not text.strip().isdigit():
            raise bad(option, f"'{text}' is not a whole number: give digits only, e.g. 1500")
        return int(text)
    if node.get("type") == "array":
        return [parse_text(option, t) for t in text.split(",") if t.strip()]
    if name in _DATE_FIELDS:
        return parse_day(option, text, future_ok=name == "since").text
    if name == "url":
        return parse_url(option, text)
    if "pattern" in node and not re.match(node["pattern"], text):
        raise bad(option, f"'{text}' does not have the expected form ({node['pattern']})")
    return parse_text(option, text)
