"""Prompt mode's questions for an event and a place: every field, in the file's order, each
checked by the function that checks the option of the same name."""

from __future__ import annotations

from geo.commands.editing import gazetteer_for, resolve
from geo.commands.prompts import Question, choice_check
from geo.commands.sources import did_you_mean, source_questions
from geo.commands.values import (
    bad,
    choices,
    default_id,
    parse_code,
    parse_coordinate,
    parse_country,
    parse_day,
    parse_id,
    parse_text,
)
from geo.edit import RoutesFile
from geo.people import read_people

CONFIDENCE = ("confirmed: an official act or statement, or two or more independent sources; "
              "reported: one credible outlet; rumoured: hearsay, unconfirmed claims. "
              "Default: reported.")  # fmt: skip


def _text(option: str):
    return lambda s: parse_text(option, s)


def _pick(option: str, section: str, field: str, label: str, default=None,
          required: bool = False) -> Question:  # fmt: skip
    allowed = choices(section, field)
    says = f" Default: {default}." if default else ""
    return Question(option.removeprefix("--").replace("-", "_"), label,
                    f"One of: {', '.join(allowed)}.{says}", choice_check(option, allowed),
                    default, required)  # fmt: skip


def _people_default(bound: str):
    def default(answers: dict) -> str | None:
        reading = read_people(answers.get("people_text") or "")
        value = getattr(reading, bound, None) if reading else None
        return None if value is None else str(value)

    return default


def _people_explain(bound: str):
    def explain(answers: dict) -> str:
        reading = read_people(answers["people_text"])
        how = f"read from the words by routes.yaml's rule: {reading.rule}" if reading else (
            "the words give no number by routes.yaml's rule")
        return f"The {'lower' if bound == 'min' else 'upper'} bound, a whole number; {how}."

    return explain


def _count(option: str):
    def check(text: str) -> None:
        if not text.isdigit():
            raise bad(option, f"'{text}' is not a whole number: give digits only, e.g. 1500")

    return check


def event_questions(current: RoutesFile) -> list[Question]:
    gazetteer = gazetteer_for(current)
    routes = current.ids("routes")

    def place(option: str):
        return lambda s: print_resolved(gazetteer, option, s)

    def route(text: str) -> None:
        if text not in routes:
            raise bad("--route", f"unknown route '{text}'{did_you_mean(text, routes)}")

    def unplaced(a: dict) -> bool:
        return not a.get("place")

    return [
        Question("date", "Date", "When, at the precision the source gives: 2024, 2024-02 or "
                 "2024-02-05 (append ~ if approximate, ? if uncertain).",
                 lambda s: parse_day("--date", s), required=True),
        Question("end_date", "End date", "The last day, for an event over several days.",
                 lambda s: parse_day("--end-date", s)),
        Question("title", "Title", "One line, in our words: what happened.", _text("--title"),
                 required=True),
        Question("summary", "Summary", "A few sentences in our own words; quote the source "
                 "only briefly.", _text("--summary"), required=True),
        _pick("--kind", "event", "kind", "Kind", "movement"),
        Question("place", "Place", "Where it happened (a name or id); leave empty for a "
                 "movement given by from/to or a route.", place("--place")),
        Question("origin", "From", "Where the movement started.", place("--from"), when=unplaced),
        Question("destination", "To", "Where it went.", place("--to"), when=unplaced),
        Question("route_id", "Route", "The id of the route it used (geo list route).", route,
                 required=lambda a: not (a.get("place") or a.get("destination"))),
        Question("people_text", "People", "How many people, in the source's words: 'about "
                 "1,500', 'hundreds', 'more than 300'.", _text("--people")),
        Question("people_min", "At least", _people_explain("min"), _count("--people-min"),
                 _people_default("min"), when=lambda a: bool(a.get("people_text"))),
        Question("people_max", "At most", _people_explain("max"), _count("--people-max"),
                 _people_default("max"), when=lambda a: bool(a.get("people_text"))),
        _pick("--group", "event", "group", "Group"),
        _pick("--direction", "event", "direction", "Direction"),
        Question("confidence", "Confidence", CONFIDENCE,
                 choice_check("--confidence", choices("event", "confidence")), "reported"),
        Question("note", "Note", "A note: how a date or place was inferred, for instance.",
                 _text("--note")),
        *source_questions(current),
        Question("event_id", "Id", "Lower-case letters, digits and hyphens; the default is "
                 "the date and the title.", lambda s: parse_id("--id", s),
                 lambda a: default_id("--title", a["date"].rstrip("~?%"), a["title"])),
    ]  # fmt: skip


def print_resolved(gazetteer, option: str, text: str) -> None:
    import click

    click.echo(f"  {resolve(gazetteer, option, text).describe()}", err=True)


def place_questions(current: RoutesFile) -> list[Question]:
    return [
        Question("name", "Name", "The usual English name.", _text("--name"), required=True),
        Question("place_id", "Id", "Lower-case letters, digits and hyphens; the default is "
                 "made from the name.", lambda s: parse_id("--id", s),
                 lambda a: default_id("--name", a["name"])),
        Question("alt_names", "Other name", "Other spellings or scripts that should find it "
                 "(라진, Раджин).", _text("--alt-name"), many=True),
        _pick("--kind", "place", "kind", "Kind", required=True),
        Question("country", "Country", "ISO 3166-1 code: RU, KP, CN ...", parse_country,
                 required=True),
        Question("lat", "Latitude", "WGS84 decimal degrees, -90 to 90, e.g. 42.73 (north is "
                 "positive).", lambda s: parse_coordinate("--lat", s, "latitude"), required=True),
        Question("lon", "Longitude", "WGS84 decimal degrees, -180 to 180, e.g. 130.64 (east is "
                 "positive).", lambda s: parse_coordinate("--lon", s, "longitude"),
                 required=True),
        Question("precision", "Precision", "exact: a source confirms the coordinates; "
                 "approximate: they are not confirmed.",
                 choice_check("--precision", choices("place", "precision")), required=True),
        Question("iata", "IATA code", "Three letters, e.g. FNJ.", lambda s: parse_code("--iata", s),
                 when=lambda a: a.get("kind") == "airport"),
        Question("icao", "ICAO code", "Four letters, e.g. ZKPY.",
                 lambda s: parse_code("--icao", s), when=lambda a: a.get("kind") == "airport"),
        Question("note", "Note", "A note on the place.", _text("--note")),
        *source_questions(current, required=False),
    ]  # fmt: skip

