"""``geo add-route``, ``add-event``, ``add-place`` and ``set-status``: safe edits of routes.yaml.

Each command checks its option values first (choices, dates, coordinates, URLs), then,
under the file's lock, resolves places through the gazetteer, checks ids and sources
against the current file, and hands one new entry (plus a source entry for a source given
by URL) to :mod:`geo.edit`, which splices it in, validates the whole result and writes it
atomically.  Missing required options are asked for when stdin is a terminal; otherwise
they are a one-line usage error, so a script never hangs on a prompt.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from geo.dates import DateError, FuzzyDate, parse_date
from geo.edit import AddKey, Append, Insert, Op, Replace, RoutesFile, edit_file
from geo.errors import ResolveError
from geo.model import CONFIDENCES, MODES, STATUSES, Place

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CODE = {"--iata": re.compile(r"^[A-Z]{3}$"), "--icao": re.compile(r"^[A-Z]{4}$")}
EARTH_RADIUS_KM = 6371.0088


def _enum(definition: str, prop: str) -> list[str]:
    """Allowed values of a field, read from the JSON Schema so the CLI cannot drift from it."""
    from geo.validate import schema

    return list(schema()["$defs"][definition]["properties"][prop]["enum"])


# ---------------------------------------------------------------- one-line usage errors


def _one_line(exc: click.UsageError, hint: str = "") -> click.UsageError:
    """The same error without its context, so it prints as one line ("Error: ...")."""
    return click.UsageError(exc.format_message().rstrip(".") + hint)


class EditCommand(click.Command):
    """A command whose usage errors come out as one line naming the option, exit status 2."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise _one_line(exc, f" (see geo {ctx.info_name} --help)") from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None


def bad(option: str, message: str) -> click.UsageError:
    return click.UsageError(f"{option}: {message}")


def interactive() -> bool:
    """Prompt for missing options only when a person can answer (stdin is a terminal)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed or replaced stdin
        return False


def missing(option: str, also: str = "") -> click.UsageError:
    return click.UsageError(
        f"Missing option '{option}'{also} (stdin is not a terminal, so geo cannot ask for it)"
    )


def ask(label: str, parse: Callable[[str], object], default: str | None = None):
    """Prompt until *parse* accepts the answer; its usage errors are shown and asked again."""
    while True:
        text = click.prompt(label, default=default, show_default=default is not None)
        try:
            return parse(text)
        except click.UsageError as exc:
            click.echo(f"  {exc.format_message()}", err=True)


# ---------------------------------------------------------------- value parsers


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
    if not _ID.match(value):
        raise bad(
            option,
            f"'{value}' is not a valid id: use lower-case letters, digits and hyphens "
            "(at most 80, starting with a letter or digit)",
        )
    return value


def parse_url(option: str, value: str) -> str:
    url = value.strip()
    if not _URL.match(url):
        raise bad(
            option, f"'{url}' is not an http(s) URL; links must start with http:// or https://"
        )
    return url


def parse_coordinate(option: str, value: float | str, axis: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise bad(option, f"'{value}' is not a number") from None
    limit = 90 if axis == "latitude" else 180
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise bad(option, f"{axis} {value} is out of range (-{limit} to {limit})")
    return round(number, 6)


def parse_point(option: str, value: str) -> tuple[float, float]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise bad(option, f"'{value}' is not LAT,LON (e.g. 42.4150,130.6410)")
    return parse_coordinate(option, parts[0], "latitude"), parse_coordinate(
        option, parts[1], "longitude"
    )


def slug(text: str) -> str:
    """'Pyongyang–Khabarovsk (rail)' -> 'pyongyang-khabarovsk-rail' (ASCII only; may be empty)."""
    spaced = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in text)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return s[:80].rstrip("-")


def default_id(option: str, *parts: str) -> str:
    made = slug("-".join(p for p in parts if p))
    if not made:
        raise bad(
            option,
            "cannot make an id from non-Latin text; give one (lower-case letters, digits, hyphens)",
        )
    return made


# ---------------------------------------------------------------- places


@dataclass(frozen=True)
class Resolved:
    given: str
    place: Place
    others: tuple[Place, ...] = ()

    def describe(self) -> str:
        from geo.gazetteer import describe

        chosen = ""
        if self.others:
            chosen = (
                f"; chosen over {len(self.others)} other(s) of that name (write 'Name, CC' to pick)"
            )
        return (
            f"{self.given} -> {self.place.id}: {describe(self.place)} [{self.place.origin}]{chosen}"
        )

    def as_json(self) -> dict:
        p = self.place
        return {
            "given": self.given,
            "id": p.id,
            "name": p.name,
            "country": p.country,
            "kind": p.kind,
            "lat": p.lat,
            "lon": p.lon,
            "origin": p.origin,
        }


def gazetteer_for(current: RoutesFile):
    from geo.gazetteer import Gazetteer

    return Gazetteer(current.local_places())


def resolve(gazetteer, option: str, name: str) -> Resolved:
    try:
        match = gazetteer.resolve(name)
    except ResolveError as exc:
        # the message offers geo resolve's --country, which these commands do not have
        raise bad(option, str(exc).replace("(--country CC or ", "(")) from None
    return Resolved(name, match.place, tuple(match.alternatives))


# ---------------------------------------------------------------- sources


@dataclass(frozen=True)
class NewSource:
    url: str
    outlet: str
    title: str
    published: FuzzyDate
    language: str | None = None
    id: str | None = None

    def entry(self) -> dict:
        out = {
            "outlet": self.outlet,
            "title": self.title,
            "published": self.published.text,
            "url": self.url,
        }
        if self.language:
            out["language"] = self.language
        return out


@dataclass(frozen=True)
class SourceRequest:
    ids: tuple[str, ...] = ()
    new: NewSource | None = None


SOURCE_HELP = "SOURCE_ID, or --source-url with --source-outlet, --source-title and --source-date"


@dataclass(frozen=True)
class SourceOptions:
    """The source options as given on the command line (checked by parse_sources)."""

    ids: tuple[str, ...]
    url: str | None
    outlet: str | None
    title: str | None
    date: str | None
    language: str | None
    new_id: str | None


_SOURCE_PARAMS = {  # click parameter -> SourceOptions field
    "source_ids": "ids",
    "source_url": "url",
    "source_outlet": "outlet",
    "source_title": "title",
    "source_date": "date",
    "source_language": "language",
    "new_source_id": "new_id",
}


def source_options(f):
    """The --source… options, handed to the command as one ``given_sources: SourceOptions``."""

    @functools.wraps(f)
    def command(**kwargs):
        given = SourceOptions(**{field: kwargs.pop(p) for p, field in _SOURCE_PARAMS.items()})
        return f(given_sources=given, **kwargs)

    options = [
        click.option(
            "--source",
            "source_ids",
            multiple=True,
            metavar="SOURCE_ID",
            help="Id of a source already in routes.yaml (repeatable).",
        ),
        click.option("--source-url", metavar="URL", help="A new source: its http(s) link..."),
        click.option(
            "--source-outlet", metavar="TEXT", help="...its publisher (e.g. 'NK News')..."
        ),
        click.option("--source-title", metavar="TEXT", help="...its headline..."),
        click.option("--source-date", metavar="DATE", help="...and its publication date."),
        click.option(
            "--source-language", metavar="CODE", help="ISO 639 code of the new source's language."
        ),
        click.option(
            "--source-id",
            "new_source_id",
            metavar="ID",
            help="Id for the new source [default: outlet-date].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_NEW_SOURCE_PARTS = {  # option -> (prompt, parser)
    "--source-url": ("Source URL", parse_url),
    "--source-outlet": ("Outlet (publisher)", parse_text),
    "--source-title": ("Headline", parse_text),
    "--source-date": (
        "Publication date (YYYY-MM-DD)",
        lambda option, value: parse_day(option, value).text,
    ),
}


def _source_id_or_url(answer: str) -> tuple[str, str]:
    if answer.strip().lower().startswith(("http:", "https:")):
        return "url", parse_url("--source-url", answer)
    return "id", parse_id("--source", answer.strip())


def parse_sources(
    given: SourceOptions, *, required: bool = True, ask_missing: bool = False
) -> SourceRequest:
    """Check the source options (not yet against the file); ask for missing parts on a terminal."""
    ids, url, outlet, title, date = given.ids, given.url, given.outlet, given.title, given.date
    language, new_id = given.language, given.new_id
    ids = tuple(parse_id("--source", i.strip()) for i in ids)
    parts = {
        "--source-url": url,
        "--source-outlet": outlet,
        "--source-title": title,
        "--source-date": date,
    }
    if not any(v is not None for v in (url, outlet, title, date, language, new_id)):
        if ids or not required:
            return SourceRequest(ids)
        if not ask_missing:
            raise missing("--source", f" (give {SOURCE_HELP})")
        kind, answer = ask("Source id, or the URL of a new source", _source_id_or_url)
        if kind == "id":
            return SourceRequest((answer,))
        parts["--source-url"] = answer
    for option, value in parts.items():
        if value is None:
            if not ask_missing:
                raise missing(
                    option,
                    " (a new source needs --source-url, --source-outlet, --source-title "
                    "and --source-date)",
                )
            label, parser = _NEW_SOURCE_PARTS[option]
            parts[option] = ask(label, lambda s, o=option, p=parser: p(o, s))
    new = NewSource(
        url=parse_url("--source-url", parts["--source-url"]),
        outlet=parse_text("--source-outlet", parts["--source-outlet"]),
        title=parse_text("--source-title", parts["--source-title"]),
        published=parse_day("--source-date", parts["--source-date"]),
        language=_language(language),
        id=parse_id("--source-id", new_id) if new_id else None,
    )
    return SourceRequest(ids, new)


def _language(value: str | None) -> str | None:
    if value is None:
        return None
    if not _LANGUAGE.match(value):
        raise bad(
            "--source-language", f"'{value}' is not an ISO 639 language code (e.g. en, ko, ru, zh)"
        )
    return value


@dataclass
class Citation:
    ids: list[str]
    ops: list[Op] = field(default_factory=list)
    new: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    published: FuzzyDate | None = None  # date of the first cited source


def _date_or_none(value) -> FuzzyDate | None:
    """A date from the file, or None if it is malformed (the validator reports that)."""
    try:
        return parse_date(value)
    except DateError:
        return None


def _published(source: dict) -> FuzzyDate | None:
    return _date_or_none(source.get("published"))


def cite(current: RoutesFile, request: SourceRequest) -> Citation:
    """Source ids for an entry, plus the operation adding a new source (unless its URL is known)."""
    known = current.sources()
    for sid in request.ids:
        if sid not in known:
            hint = _did_you_mean(sid, list(known)) or "; add a new one with --source-url"
            raise bad("--source", f"unknown source '{sid}'{hint}")
    citation = Citation(list(request.ids))
    if request.ids:
        citation.published = _published(known[request.ids[0]])
    new = request.new
    if new is None:
        return citation
    same = next(
        (sid for sid, s in known.items() if str(s.get("url") or "").strip() == new.url), None
    )
    if same is not None:
        citation.notes.append(f"source {new.url} is already in the file as '{same}': citing it")
        if same not in citation.ids:
            citation.ids.append(same)
        citation.published = citation.published or _published(known[same])
        return citation
    if new.id:
        if new.id in known:
            raise bad("--source-id", f"source '{new.id}' already exists; choose another id")
        sid = new.id
    else:
        base = default_id("--source-outlet", new.outlet, new.published.text.rstrip("~?%"))
        sid, n = base, 2
        while sid in known:
            sid, n = f"{base[:76]}-{n}", n + 1
    citation.ids.append(sid)
    citation.new[sid] = new.entry()
    citation.ops.append(AddKey(("sources",), sid, new.entry()))
    citation.published = citation.published or new.published
    return citation


# ---------------------------------------------------------------- shared options and output


@dataclass(frozen=True)
class OutputOptions:
    """Where the edit goes and what is printed: --file, --dry-run, --json, --build."""

    file: str
    dry_run: bool
    as_json: bool
    then_build: bool


def file_options(f):
    """--file, --dry-run, --json and --build, handed to the command as ``output: OutputOptions``."""

    @functools.wraps(f)
    def command(**kwargs):
        output = OutputOptions(
            **{name: kwargs.pop(name) for name in ("file", "dry_run", "as_json", "then_build")}
        )
        return f(output=output, **kwargs)

    options = [
        click.option(
            "--file",
            "--data",
            "file",
            default="routes.yaml",
            show_default=True,
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="The routes.yaml to edit.",
        ),
        click.option(
            "--dry-run",
            is_flag=True,
            help="Print the unified diff that would be applied; write nothing.",
        ),
        click.option(
            "--json", "as_json", is_flag=True, help="Print what was added as JSON (for scripts)."
        ),
        click.option(
            "--build",
            "then_build",
            is_flag=True,
            help="Run geo build (layers/ and site/ beside FILE) after writing.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


replace_option = click.option(
    "--replace", is_flag=True, help="Replace an existing entry with the same id."
)


@dataclass
class Report:
    """What a command added, for the messages and the --json output."""

    kind: str  # route, event, place, status
    id: str
    entry: dict
    sources: dict[str, dict] = field(default_factory=dict)
    resolved: list[Resolved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replaced: bool = False


def run_edit(
    output: OutputOptions, build: Callable[[RoutesFile], tuple[list[Op], Report]]
) -> None:
    """Apply the edit and tell the user what happened (the diff, with --dry-run)."""
    file, dry_run, as_json = output.file, output.dry_run, output.as_json
    edit, report = edit_file(file, build, dry_run=dry_run)
    line = edit.lines[-1]
    if as_json:
        out = {
            "file": file,
            "written": edit.written,
            "kind": report.kind,
            "id": report.id,
            "replaced": report.replaced,
            "line": line,
            "entry": report.entry,
            "new_sources": report.sources,
            "resolved": [r.as_json() for r in report.resolved],
        }
        if dry_run:
            out["diff"] = edit.diff()
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    elif dry_run:
        click.echo(edit.diff(), nl=False)
    else:
        action = (
            f"Replaced {report.kind} '{report.id}' in"
            if report.replaced
            else f"Added {report.kind} '{report.id}' to"
        )
        click.echo(f"{action} {file} (line {line}).")
    if not as_json:
        say = (lambda m: click.echo(m, err=True)) if dry_run else click.echo
        for r in report.resolved:
            say(f"  {r.describe()}")
        for sid, entry in report.sources.items():
            say(f"  new source '{sid}': {entry['outlet']}, {entry['published']}")
        for note in report.notes:
            say(f"  {note}")
    if dry_run:
        if not as_json:
            click.echo(f"(dry run: {file} not changed)", err=True)
        return
    if output.then_build:
        _build(Path(file), err=as_json)
    elif not as_json:
        click.echo("Run `geo build` to update layers/ and site/ (or pass --build next time).")


def _build(file: Path, err: bool) -> None:
    """geo build for *file*, into layers/ and site/ beside it (messages on stderr with --json)."""
    from geo import build as pipeline

    base = file.resolve().parent
    result = pipeline.run(file, base / "layers", base / "site")
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    click.echo(f"Built {result.layers_dir}/: {counts}", err=err)
    if result.site_dir is not None:
        click.echo(f"Built {result.site_dir}/", err=err)


def add_or_replace(
    current: RoutesFile,
    section: str,
    kind: str,
    option: str,
    item_id: str,
    entry: dict,
    replace: bool,
    insert_at: int | None = None,
) -> tuple[Op, bool]:
    """The operation adding *entry* to *section* (at the end, or before item *insert_at*),
    or replacing the entry with the same id."""
    index = current.index_of(section, item_id)
    if index is None:
        if insert_at is not None:
            return Insert((section,), insert_at, entry), False
        return Append((section,), entry), False
    if not replace:
        line = current.line_of(section, item_id)
        where = f" (line {line})" if line else ""
        raise bad(
            option,
            f"{kind} '{item_id}' already exists{where}; choose another {option} or pass --replace",
        )
    return Replace((section,), index, entry), True


def _did_you_mean(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


# ---------------------------------------------------------------- add-route


def _assign_waypoints(stops: list[Place], points: list[tuple[float, float]]) -> list[dict]:
    """Put each waypoint after the stop of the leg it bends least (then in order along the leg)."""
    placed = []
    for n, (lat, lon) in enumerate(points):
        detours = []
        for i in range(len(stops) - 1):
            a, b = stops[i], stops[i + 1]
            detour = (
                _km(a.lat, a.lon, lat, lon)
                + _km(lat, lon, b.lat, b.lon)
                - _km(a.lat, a.lon, b.lat, b.lon)
            )
            detours.append((round(detour, 6), i))
        _, leg = min(detours)
        placed.append((leg, _km(stops[leg].lat, stops[leg].lon, lat, lon), n, lat, lon))
    return [
        {"after": stops[leg].id, "lat": lat, "lon": lon} for leg, _, _, lat, lon in sorted(placed)
    ]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _stops(gazetteer, names: list[str]) -> list[Resolved]:
    stops = [resolve(gazetteer, "--via", name) for name in names]
    for a, b in zip(stops, stops[1:], strict=False):
        if a.place.id == b.place.id:
            raise bad(
                "--via",
                f"'{a.given}' and '{b.given}' are the same place ({a.place.id}) back to back",
            )
    return stops


def _ask_stops(current: RoutesFile, given: list[str]) -> list[str]:
    """Ask for stops after the *given* ones, resolving each answer at once (with suggestions)."""
    gazetteer = gazetteer_for(current)
    names = [resolve(gazetteer, "--via", name).place.id for name in given]
    while True:
        n = len(names) + 1
        label = f"Stop {n} (place name or id{'; empty to finish' if n > 2 else ''})"
        text = click.prompt(label, default="", show_default=False).strip()
        if not text:
            if n > 2:
                return names
            continue
        try:
            r = resolve(gazetteer, "--via", text)
        except click.UsageError as exc:
            click.echo(f"  {exc.format_message()}", err=True)
            continue
        click.echo(f"  {r.describe()}", err=True)
        names.append(r.place.id)


@click.command(cls=EditCommand)
@click.option("--id", "route_id", metavar="ID", help="Route id [default: a slug of --name].")
@click.option("--name", metavar="TEXT", help="Route name, e.g. 'Pyongyang-Khabarovsk through car'.")
@click.option("--mode", type=click.Choice(MODES), help="How people travel on it.")
@click.option(
    "--via",
    multiple=True,
    metavar="PLACE",
    help="A stop, in order (repeat, at least 2): a place name, 'Name, CC' or an id.",
)
@click.option(
    "--waypoint",
    multiple=True,
    metavar="LAT,LON",
    help="A point the line bends through (repeatable); it goes on the leg it fits best.",
)
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default="operating",
    show_default=True,
    help="Status of the route since --since.",
)
@click.option("--since", metavar="DATE", help="Date of that status [default: the source's date].")
@click.option("--operator", metavar="TEXT", help="Airline, railway or shipping company.")
@click.option("--service", metavar="TEXT", help="Flight or train numbers, e.g. JS271/JS272.")
@click.option("--note", metavar="TEXT", help="A note on the route.")
@source_options
@replace_option
@file_options
def add_route(
    route_id,
    name,
    mode,
    via,
    waypoint,
    status,
    since,
    operator,
    service,
    note,
    given_sources,
    replace,
    output,
):
    """Add a route to routes.yaml. Every --via is resolved through the gazetteer
    (routes.yaml's places:, then the curated list, then GeoNames cities) and written as
    the id it resolved to; an unknown or ambiguous name is an error with suggestions.
    The whole file is validated before it is written (atomically, under a lock), and
    nothing else in it changes: comments, order and quoting stay as they were.

    \b
    Example: the Beijing-Pyongyang international train, citing a source in the file:
      geo add-route --name "Beijing-Pyongyang train K27/K28" --mode rail \\
        --via Beijing --via Dandong --via "Sino-Korean Friendship Bridge" \\
        --via Sinuiju --via "Pyongyang station" --service K27/K28 \\
        --status operating --since 2026-03-12 \\
        --source cna-2026-03-pyongyang-beijing-first-train
    \b
    prints what each stop resolved to:
      Added route 'beijing-pyongyang-train-k27-k28' to routes.yaml (line 885).
        Beijing -> beijing: Beijing (CN, city) [curated]
        Dandong -> dandong: Dandong (CN, city) [curated]
        ...
    \b
    A source that is not in the file yet is given by its link instead of --source:
      --source-url https://example.org/news/123 --source-outlet "Example News" \\
      --source-title "Train resumes" --source-date 2026-03-13
    \b
    Preview with --dry-run (prints the diff, writes nothing); afterwards run
    `geo build` (or pass --build). On a terminal, missing options are asked for.
    """
    ask_missing = interactive()
    points = [parse_point("--waypoint", w) for w in waypoint]
    name = parse_text("--name", name) if name is not None else None
    if route_id is not None:
        parse_id("--id", route_id)
    for option, value in (("--operator", operator), ("--service", service), ("--note", note)):
        if value is not None:
            parse_text(option, value)
    since_date = parse_day("--since", since, future_ok=status == "planned") if since else None
    if not ask_missing:
        for option, value in (("--name", name), ("--mode", mode)):
            if not value:
                raise missing(option)
        if len(via) < 2:
            raise (
                missing("--via", " (give at least two stops)")
                if not via
                else bad("--via", f"a route needs at least 2 stops (got 1: '{via[0]}')")
            )
    sources = parse_sources(given_sources, ask_missing=ask_missing)
    via = list(via)
    if ask_missing and (not name or not mode or len(via) < 2):
        before = RoutesFile.read(output.file)
        name = name or ask("Route name", lambda s: parse_text("--name", s))
        mode = mode or click.prompt("Mode", type=click.Choice(MODES))
        if len(via) < 2:
            via = _ask_stops(before, via)

    def build(current: RoutesFile) -> tuple[list[Op], Report]:
        gazetteer = gazetteer_for(current)
        stops = _stops(gazetteer, via)
        citation = cite(current, sources)
        rid = route_id or default_id("--name", name)
        first = since_date or citation.published
        if first is None:
            raise bad(
                "--since", "give the date of the status (the source's own date is not usable)"
            )
        places = [s.place for s in stops]
        entry: dict = {"id": rid, "name": name, "mode": mode, "via": [p.id for p in places]}
        if points:
            entry["waypoints"] = [
                {**w, "sources": citation.ids} for w in _assign_waypoints(places, points)
            ]
        for key, value in (("operator", operator), ("service", service), ("notes", note)):
            if value:
                entry[key] = value.strip()
        entry["status"] = [{"since": first.text, "status": status, "sources": citation.ids}]
        op, replaced = add_or_replace(current, "routes", "route", "--id", rid, entry, replace)
        notes = list(citation.notes)
        if not since_date:
            notes.append(
                f"status: {status} since {first.text} (the source's date; set it with --since)"
            )
        for w in entry.get("waypoints", []):
            notes.append(f"waypoint {w['lat']},{w['lon']} after {w['after']}")
        report = Report("route", rid, entry, citation.new, stops, notes, replaced)
        return citation.ops + [op], report

    run_edit(output, build)


# ---------------------------------------------------------------- set-status


@click.command(cls=EditCommand)
@click.argument("route_id", metavar="ROUTE")
@click.argument("status", type=click.Choice(STATUSES))
@click.option(
    "--since", metavar="DATE", help="Date the status took effect (YYYY, YYYY-MM or YYYY-MM-DD)."
)
@click.option("--note", metavar="TEXT", help="A note on this change.")
@source_options
@file_options
def set_status(
    route_id,
    status,
    since,
    note,
    given_sources,
    output,
):
    """Append a dated, sourced STATUS to ROUTE's status history (the history is kept in
    date order, so --since may not be earlier than the route's latest status).

    \b
    Example: the day the Tumen road bridge opens, citing the report of it:
      geo set-status tumen-road-bridge operating --since YYYY-MM-DD \\
        --source-url URL --source-outlet OUTLET --source-title TITLE \\
        --source-date YYYY-MM-DD
    """
    ask_missing = interactive()
    if note is not None:
        parse_text("--note", note)
    if since is None:
        if not ask_missing:
            raise missing("--since")
        since_date = ask(
            "Since (YYYY, YYYY-MM or YYYY-MM-DD)",
            lambda s: parse_day("--since", s, future_ok=status == "planned"),
        )
    else:
        since_date = parse_day("--since", since, future_ok=status == "planned")
    sources = parse_sources(given_sources, ask_missing=ask_missing)

    def build(current: RoutesFile) -> tuple[list[Op], Report]:
        index = current.index_of("routes", route_id)
        if index is None:
            raise bad(
                "ROUTE",
                f"unknown route '{route_id}'{_did_you_mean(route_id, current.ids('routes'))}",
            )
        route = current.data["routes"][index]
        history = [s for s in route.get("status") or [] if isinstance(s, dict)]
        latest = history[-1] if history else {}
        latest_since = _date_or_none(latest.get("since"))
        if latest_since and since_date.start < latest_since.start:
            raise bad(
                "--since",
                f"{since_date.text} is before the route's latest status ({latest.get('status')} "
                f"since {latest_since.text}); the history is kept in date order",
            )
        citation = cite(current, sources)
        entry: dict = {"since": since_date.text, "status": status, "sources": citation.ids}
        if note:
            entry["notes"] = note.strip()
        report = Report("status of route", route_id, entry, citation.new, [], citation.notes)
        if latest_since:
            report.notes.append(
                f"{route.get('name', route_id)}: {latest.get('status')} since {latest_since.text}"
                f" -> {status} since {since_date.text}"
            )
        return citation.ops + [Append(("routes", index, "status"), entry)], report

    run_edit(output, build)


# ---------------------------------------------------------------- add-event


@click.command(cls=EditCommand)
@click.option(
    "--id", "event_id", metavar="ID", help="Event id [default: date and a slug of --title]."
)
@click.option(
    "--date",
    metavar="DATE",
    help="When, at the precision the source gives: 2024, 2024-02, 2024-02-05 "
    "(append ~ if approximate, ? if uncertain).",
)
@click.option("--end-date", metavar="DATE", help="Last day, for an event spanning several days.")
@click.option("--title", metavar="TEXT", help="One line: what happened.")
@click.option("--summary", metavar="TEXT", help="A few sentences in your own words.")
@click.option(
    "--kind", type=click.Choice(_enum("event", "kind")), default="movement", show_default=True
)
@click.option("--place", metavar="PLACE", help="Where it happened (a place name or id)...")
@click.option("--from", "origin", metavar="PLACE", help="...or where a movement started...")
@click.option("--to", "destination", metavar="PLACE", help="...and where it went...")
@click.option("--route", "route_id", metavar="ROUTE", help="...and/or the route id it used.")
@click.option(
    "--people", "people_text", metavar="TEXT", help="How many people, in the source's words."
)
@click.option("--people-min", type=click.IntRange(min=0), help="Lower bound of that number.")
@click.option("--people-max", type=click.IntRange(min=0), help="Upper bound of that number.")
@click.option("--group", type=click.Choice(_enum("event", "group")), help="Who moved.")
@click.option("--direction", type=click.Choice(_enum("event", "direction")), help="Which way.")
@click.option("--confidence", type=click.Choice(CONFIDENCES), default="reported", show_default=True)
@click.option("--note", metavar="TEXT", help="A note on the event.")
@source_options
@replace_option
@file_options
def add_event(
    event_id,
    date,
    end_date,
    title,
    summary,
    kind,
    place,
    origin,
    destination,
    route_id,
    people_text,
    people_min,
    people_max,
    group,
    direction,
    confidence,
    note,
    given_sources,
    replace,
    output,
):
    """Add a dated, sourced event to routes.yaml: a place, a from/to pair or a route puts
    it on the map; places are resolved through the gazetteer like add-route's --via.
    In a file that lists its events in date order, the new one goes in its place.

    \b
    Example:
      geo add-event --date 2025-06-25 \\
        --title "First Pyongyang-Moscow through car reaches Moscow" \\
        --summary "The first direct car reached Moscow, reportedly empty." \\
        --kind service --from "Pyongyang station" --to Moscow \\
        --route pyongyang-moscow-through-car --group passengers \\
        --direction to_russia --source newspravda-2025-06-25-train-arrives-moscow
    """
    ask_missing = interactive()
    date_value = parse_day("--date", date) if date else None
    end_value = parse_day("--end-date", end_date) if end_date else None
    title = parse_text("--title", title) if title is not None else None
    summary = parse_text("--summary", summary) if summary is not None else None
    if route_id is not None:
        parse_id("--route", route_id)
    if event_id is not None:
        parse_id("--id", event_id)
    if (people_min is not None or people_max is not None) and not people_text:
        raise bad(
            "--people", "give the source's words for the number too (e.g. --people 'more than 300')"
        )
    if people_min is not None and people_max is not None and people_max < people_min:
        raise bad("--people-max", f"{people_max} is smaller than --people-min {people_min}")
    if not ask_missing:
        for option, value in (("--date", date_value), ("--title", title), ("--summary", summary)):
            if value is None:
                raise missing(option)
        if not any((place, origin, destination, route_id)):
            raise missing("--place", " (or --from/--to, or --route: an event needs a location)")
    sources = parse_sources(given_sources, ask_missing=ask_missing)
    if ask_missing and (
        date_value is None
        or title is None
        or summary is None
        or not any((place, origin, destination, route_id))
    ):
        before = RoutesFile.read(output.file)
        date_value = date_value or ask(
            "Date (YYYY, YYYY-MM or YYYY-MM-DD)", lambda s: parse_day("--date", s)
        )
        title = title or ask("Title", lambda s: parse_text("--title", s))
        summary = summary or ask(
            "Summary (in your own words)", lambda s: parse_text("--summary", s)
        )
        if not any((place, origin, destination, route_id)):
            gazetteer = gazetteer_for(before)
            place = ask("Place (name or id)", lambda s: resolve(gazetteer, "--place", s).place.id)
    if end_value and date_value and end_value.end < date_value.start:
        raise bad("--end-date", f"{end_value.text} is before --date {date_value.text}")

    def build(current: RoutesFile) -> tuple[list[Op], Report]:
        gazetteer = gazetteer_for(current)
        located = {
            key: resolve(gazetteer, option, value)
            for key, option, value in (
                ("place", "--place", place),
                ("from", "--from", origin),
                ("to", "--to", destination),
            )
            if value
        }
        if (
            "from" in located
            and "to" in located
            and located["from"].place.id == located["to"].place.id
        ):
            raise bad("--to", f"--from and --to are the same place ({located['to'].place.id})")
        if route_id and route_id not in current.ids("routes"):
            raise bad(
                "--route",
                f"unknown route '{route_id}'{_did_you_mean(route_id, current.ids('routes'))}",
            )
        citation = cite(current, sources)
        eid = event_id or default_id("--title", date_value.text.rstrip("~?%"), title)
        entry: dict = {"id": eid, "date": date_value.text}
        if end_value:
            entry["end_date"] = end_value.text
        entry.update(title=title, summary=summary, kind=kind)
        for key in ("place", "from", "to"):
            if key in located:
                entry[key] = located[key].place.id
        if route_id:
            entry["route"] = route_id
        if people_text:
            people: dict = {}
            if people_min is not None:
                people["min"] = people_min
            if people_max is not None:
                people["max"] = people_max
            people["text"] = people_text.strip()
            entry["people"] = people
        if group:
            entry["group"] = group
        if direction:
            entry["direction"] = direction
        entry["confidence"] = confidence
        entry["sources"] = citation.ids
        if note:
            entry["notes"] = note.strip()
        op, replaced = add_or_replace(
            current,
            "events",
            "event",
            "--id",
            eid,
            entry,
            replace,
            _date_position(current, date_value),
        )
        report = Report(
            "event", eid, entry, citation.new, list(located.values()), citation.notes, replaced
        )
        return citation.ops + [op], report

    run_edit(output, build)


def _date_position(current: RoutesFile, date: FuzzyDate) -> int | None:
    """Where a new event goes when the file keeps its events in date order (after those of
    the same date); None when it does not."""
    raw = current.data.get("events")
    dates = [
        _date_or_none(e.get("date")) if isinstance(e, dict) else None
        for e in (raw if isinstance(raw, list) else [])
    ]
    if not dates or None in dates:
        return None
    starts = [d.start for d in dates]
    if starts != sorted(starts):
        return None
    return bisect.bisect_right(starts, date.start)


# ---------------------------------------------------------------- add-place


@click.command(cls=EditCommand)
@click.option("--id", "place_id", metavar="ID", help="Place id [default: a slug of --name].")
@click.option("--name", metavar="TEXT", help="The usual English name.")
@click.option("--lat", metavar="DEG", help="Latitude, WGS84 decimal degrees (-90 to 90).")
@click.option("--lon", metavar="DEG", help="Longitude, WGS84 decimal degrees (-180 to 180).")
@click.option("--country", metavar="CC", help="ISO 3166-1 alpha-2 code: RU, KP, CN, ...")
@click.option(
    "--kind", type=click.Choice(_enum("place", "kind")), default="site", show_default=True
)
@click.option(
    "--alt-name",
    "alt_names",
    multiple=True,
    metavar="TEXT",
    help="Another spelling or script that should resolve to it (repeatable).",
)
@click.option(
    "--precision",
    type=click.Choice(["exact", "approximate"]),
    default="exact",
    show_default=True,
    help="approximate: the coordinates are not confirmed by a source.",
)
@click.option("--iata", metavar="CODE", help="IATA code (airports).")
@click.option("--icao", metavar="CODE", help="ICAO code (airports).")
@click.option("--note", metavar="TEXT", help="A note on the place.")
@source_options
@replace_option
@file_options
def add_place(
    place_id,
    name,
    lat,
    lon,
    country,
    kind,
    alt_names,
    precision,
    iata,
    icao,
    note,
    given_sources,
    replace,
    output,
):
    """Add a place to routes.yaml's places: (the local gazetteer, searched before the
    curated one), so routes and events can refer to it by name or id. A name that
    another place already answers to is refused, since it would make that name ambiguous;
    an id of a curated place overrides that place only with --replace.

    \b
    Example (coordinates and source from your own reporting):
      geo add-place --name "Tumen River road bridge" --kind bridge --country RU \\
        --lat LAT --lon LON --precision approximate --source SOURCE_ID
    """
    ask_missing = interactive()
    for option, value in (("--lat", lat), ("--lon", lon), ("--country", country), ("--name", name)):
        if value is None and not ask_missing:
            raise missing(option)
    name = (
        parse_text("--name", name)
        if name is not None
        else ask("Name", lambda s: parse_text("--name", s))
    )
    lat = (
        parse_coordinate("--lat", lat, "latitude")
        if lat is not None
        else ask("Latitude", lambda s: parse_coordinate("--lat", s, "latitude"))
    )
    lon = (
        parse_coordinate("--lon", lon, "longitude")
        if lon is not None
        else ask("Longitude", lambda s: parse_coordinate("--lon", s, "longitude"))
    )
    country = (
        _country(country) if country is not None else ask("Country (ISO code, e.g. RU)", _country)
    )
    if place_id is not None:
        parse_id("--id", place_id)
    alt = [parse_text("--alt-name", a) for a in alt_names]
    for option, value in (("--iata", iata), ("--icao", icao)):
        if value is not None and not _CODE[option].match(value):
            raise bad(option, f"'{value}' is not a valid {option[2:].upper()} code")
    sources = parse_sources(given_sources, required=False, ask_missing=False)

    def build(current: RoutesFile) -> tuple[list[Op], Report]:
        pid = place_id or default_id("--name", name)
        _refuse_silent_override(current, pid, replace)
        _refuse_taken_names(current, pid, [name, *alt])
        citation = cite(current, sources)
        entry: dict = {"id": pid, "name": name}
        if alt:
            entry["alt_names"] = alt
        entry.update(kind=kind, country=country, lat=lat, lon=lon)
        if iata:
            entry["iata"] = iata
        if icao:
            entry["icao"] = icao
        if precision != "exact":
            entry["precision"] = precision
        if citation.ids:
            entry["sources"] = citation.ids
        if note:
            entry["notes"] = note.strip()
        op, replaced = add_or_replace(current, "places", "place", "--id", pid, entry, replace)
        report = Report("place", pid, entry, citation.new, [], citation.notes, replaced)
        return citation.ops + [op], report

    run_edit(output, build)


def _country(value: str) -> str:
    if not _COUNTRY.match(value.strip()):
        raise bad("--country", f"'{value}' is not a two-letter ISO country code (e.g. RU, KP, CN)")
    return value.strip().upper()


def _refuse_silent_override(current: RoutesFile, place_id: str, replace: bool) -> None:
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
