"""``geo resolve``: look a place name up the way routes.yaml's references are looked up."""

from __future__ import annotations

import json
import os

import click

from geo.errors import DataError, GeoError, ResolveError

DEFAULT_DATA = "routes.yaml"


class ResolveCommand(click.Command):
    """Usage errors in the one style of every geo error: 'error: ...', one line, exit 2."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise GeoError(f"{exc.format_message().rstrip('.')} (see geo resolve --help)") from None


@click.command(cls=ResolveCommand)
@click.argument("name")
@click.option("--country", "-c", metavar="CC",
              help="Only places in this ISO country (e.g. RU, KP, CN).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the place, or an ambiguous name's candidates, as JSON.")
@click.option("--data", "data", default=None, metavar="FILE", type=click.Path(dir_okay=False),
              help="Also search the places: of this routes.yaml [default: ./routes.yaml, "
                   "when there is one].")
def resolve(name, country, as_json, data):
    """Resolve NAME to one place: routes.yaml's own places and the curated gazetteer first,
    then GeoNames world cities (a city a curated place stands for resolves to that place).

    Matching ignores case, accents and punctuation and knows Korean, Russian and Chinese
    spellings. An unknown name suggests the nearest names; an ambiguous one lists every
    candidate with its id, region and coordinates (pick one by id, or narrow with --country).

    \b
    Examples:
      geo resolve Rason            # -> Rajin (KP)
      geo resolve 라진
      geo resolve Khabarovsk       # GeoNames fallback
      geo resolve Springfield -c US
      geo resolve Troitsk --json   # the candidates, as JSON
    """
    from geo.gazetteer import Gazetteer

    try:
        match = Gazetteer(_local_places(data)).resolve(name, country)
    except ResolveError as exc:
        if as_json:
            click.echo(json.dumps(_failure(exc), ensure_ascii=False, indent=2))
        raise
    if as_json:
        click.echo(json.dumps(_record(match), ensure_ascii=False, indent=2))
    else:
        _show(match)


def _local_places(data: str | None) -> tuple:
    """The places: of FILE, or of ./routes.yaml when FILE is not given and that file exists
    (a ./routes.yaml with problems is then skipped with a warning, not an error)."""
    path = data or (DEFAULT_DATA if os.path.isfile(DEFAULT_DATA) else None)
    if path is None:
        return ()
    from geo.validate import load_dataset

    try:
        dataset = load_dataset(path)
    except DataError as exc:
        if data:
            raise
        click.echo(
            f"warning: {DEFAULT_DATA} has {len(exc.problems)} problem(s) (see geo validate); "
            "its places are not searched",
            err=True,
        )
        return ()
    return tuple(p for p in dataset.places.values() if p.origin == "local")


def _place_fields(p) -> dict:
    return {
        "id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "kind": p.kind,
        "country": p.country, "admin1": p.admin1, "population": p.population,
        "origin": p.origin,
    }


def _record(match) -> dict:
    p = match.place
    return {
        **_place_fields(p),
        "alt_names": list(p.alt_names), "geonames_id": p.geonames_id, "iata": p.iata,
        "icao": p.icao, "precision": p.precision, "matched": match.matched,
        "sources": list(p.sources),
        "alternatives": [_place_fields(a) for a in match.alternatives],
    }


def _failure(exc: ResolveError) -> dict:
    """An unknown name's suggestions, or an ambiguous name's candidates."""
    places = [c for c in exc.candidates if not isinstance(c, str)]
    return {
        "error": str(exc),
        "candidates": [_place_fields(p) for p in places],
        "suggestions": [c for c in exc.candidates if isinstance(c, str)],
    }


def _show(match) -> None:
    p = match.place
    via = f"  (matched '{match.matched}')" if match.matched not in (p.name, p.id) else ""
    where = f"{p.lat:.6f}, {p.lon:.6f}"
    click.echo(f"{p.id}\t{p.name}\t{p.country}\t{p.kind}\t{where}\t[{p.origin}]{via}")
    if p.alt_names:
        click.echo(f"  also: {', '.join(p.alt_names)}")
    ids = [f"GeoNames {p.geonames_id}" if p.geonames_id else "", f"IATA {p.iata}" if p.iata else ""]
    if any(ids):
        click.echo(f"  ids: {', '.join(i for i in ids if i)}")
    if match.alternatives:
        from geo.gazetteer import region

        others = "; ".join(f"{a.name} ({region(a)}): {a.id}" for a in match.alternatives[:5])
        click.echo(f"  chosen as by far the most populous; others: {others} (pick one by id)")
