"""``geo add-place``: a place in routes.yaml's local gazetteer (places:)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click

from geo.commands.editing import EditCommand, Report, add_or_replace, run_edit
from geo.commands.options import file_options, replace_option, source_options
from geo.commands.prompts import prompt_mode, run_answered
from geo.commands.questions import place_questions
from geo.commands.sources import SourceRequest, cite, parse_sources, source_params
from geo.commands.values import (
    ask,
    bad,
    choices,
    default_id,
    interactive,
    missing,
    parse_code,
    parse_coordinate,
    parse_country,
    parse_id,
    parse_text,
)
from geo.edit import Op, RoutesFile
from geo.errors import ResolveError
from geo.model import Place


@dataclass(frozen=True)
class PlaceRequest:
    """The checked options of one add-place."""

    place_id: str | None
    name: str
    alt_names: list[str]
    fields: dict  # kind, country, lat, lon, iata, icao, precision: in the file's order
    note: str | None
    sources: SourceRequest
    replace: str | None  # None, "merge" (--replace) or "all" (--replace-all)


@click.command(cls=EditCommand)
@click.option("--id", "place_id", metavar="ID", help="Place id [default: a slug of --name].")
@click.option("--name", metavar="TEXT", help="The usual English name.")
@click.option("--lat", metavar="DEG", help="Latitude, WGS84 decimal degrees (-90 to 90).")
@click.option("--lon", metavar="DEG", help="Longitude, WGS84 decimal degrees (-180 to 180).")
@click.option("--country", metavar="CC", help="ISO 3166-1 alpha-2 code: RU, KP, CN, ...")
@click.option("--kind", type=click.Choice(choices("place", "kind")), default="site",
              show_default=True)
@click.option("--alt-name", "alt_names", multiple=True, metavar="TEXT",
              help="Another spelling or script that should resolve to it (repeatable).")
@click.option("--precision", type=click.Choice(choices("place", "precision")), default="exact",
              show_default=True, help="approximate: the coordinates are not confirmed by a source.")
@click.option("--iata", metavar="CODE", help="IATA code (airports).")
@click.option("--icao", metavar="CODE", help="ICAO code (airports).")
@click.option("--note", metavar="TEXT", help="A note on the place.")
@source_options
@replace_option
@file_options
def add_place(place_id, name, lat, lon, country, kind, alt_names, precision, iata, icao, note,
              given_sources, replace, output):  # fmt: skip
    """Add a place to routes.yaml's places: (the local gazetteer, searched before the
    curated one), so routes and events can refer to it by name or id. A name that
    another place already answers to is refused, since it would make that name ambiguous;
    an id of a curated place overrides that place only with --replace.

    \b
    Example (coordinates and source from your own reporting):
      geo add-place --name "Tumen River road bridge" --kind bridge --country RU \\
        --lat LAT --lon LON --precision approximate --source SOURCE_ID
    """
    if prompt_mode(output):
        current = RoutesFile.read(output.file)
        return run_answered(place_questions(current), "A new place for routes.yaml.", _params)
    ask_missing = interactive()
    for option, value in (("--lat", lat), ("--lon", lon), ("--country", country), ("--name", name)):
        if value is None and not ask_missing:
            raise missing(option)
    name = _given_or_asked(name, "Name", lambda s: parse_text("--name", s))
    lat = _given_or_asked(lat, "Latitude", lambda s: parse_coordinate("--lat", s, "latitude"))
    lon = _given_or_asked(lon, "Longitude", lambda s: parse_coordinate("--lon", s, "longitude"))
    country = _given_or_asked(country, "Country (ISO code, e.g. RU)", parse_country)
    if place_id is not None:
        parse_id("--id", place_id)
    alt = [parse_text("--alt-name", a) for a in alt_names]
    fields = {"kind": kind, "country": country, "lat": lat, "lon": lon,
              "iata": parse_code("--iata", iata), "icao": parse_code("--icao", icao),
              "precision": precision if precision != "exact" else None}  # fmt: skip
    sources = parse_sources(given_sources, required=False, ask_missing=False)
    request = PlaceRequest(place_id, name, alt, fields, note, sources, replace)
    run_edit(output, functools.partial(_place_entry, request))


def _params(answers: dict) -> dict:
    names = tuple(answers.pop("alt_names") or ())
    source = source_params(answers)
    return {**answers, **source, "alt_names": names}


def _given_or_asked(value, label: str, parse):
    return parse(value) if value is not None else ask(label, parse)


def _place_entry(request: PlaceRequest, current: RoutesFile) -> tuple[list[Op], Report]:
    pid = request.place_id or default_id("--name", request.name)
    _refuse_silent_override(current, pid, request.replace)
    _refuse_taken_names(current, pid, [request.name, *request.alt_names])
    citation = cite(current, request.sources)
    entry: dict = {"id": pid, "name": request.name}
    if request.alt_names:
        entry["alt_names"] = request.alt_names
    entry.update({k: v for k, v in request.fields.items() if v is not None})
    if citation.ids:
        entry["sources"] = citation.ids
    if request.note:
        entry["notes"] = request.note.strip()
    op, replaced = add_or_replace(current, "places", pid, entry, request.replace)
    report = Report("place", pid, entry, citation.new, [], citation.notes, replaced)
    return citation.ops + [op], report


def _refuse_silent_override(current: RoutesFile, place_id: str, replace) -> None:
    """A local place with a curated place's id replaces it everywhere: only with --replace."""
    from geo.gazetteer import curated_places

    curated = next((p for p in curated_places() if p.id == place_id), None)
    if curated is not None and not replace and current.index_of("places", place_id) is None:
        raise bad(
            "--id",
            f"'{place_id}' is the gazetteer's {curated.name} ({curated.country}, {curated.kind}); "
            "pass --replace to override it here, or choose another --id",
        )


def _refuse_taken_names(current: RoutesFile, place_id: str, names: list[str]) -> None:
    """A new name must not also answer to another curated or local place (it would be ambiguous)."""
    from geo.gazetteer import Gazetteer

    gazetteer = Gazetteer(current.local_places(), use_geonames=False)
    for label in names:
        try:
            others = [gazetteer.resolve(label).place]
        except ResolveError as exc:
            others = [c for c in exc.candidates if isinstance(c, Place)]
        other = next((p for p in others if p.id != place_id), None)
        if other is not None:
            raise bad(
                "--name" if label == names[0] else "--alt-name",
                f"'{label}' already means {other.name} ({other.id}); choose another name, "
                f"or use --id {other.id} --replace to change that place",
            )
