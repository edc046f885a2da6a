"""What an edit cites: sources already in routes.yaml by id, or a new one by its link."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from geo.commands.options import SourceOptions
from geo.commands.values import (
    ask,
    bad,
    default_id,
    missing,
    parse_day,
    parse_id,
    parse_language,
    parse_text,
    parse_url,
    short_id,
)
from geo.dates import DateError, FuzzyDate, parse_date
from geo.edit import AddKey, Op, RoutesFile

SOURCE_HELP = "SOURCE_ID, or --source-url with --source-outlet, --source-title and --source-date"


@dataclass(frozen=True)
class NewSource:
    url: str
    outlet: str
    title: str
    published: FuzzyDate
    language: str | None = None
    id: str | None = None

    def entry(self) -> dict:
        out = {"outlet": self.outlet, "title": self.title, "published": self.published.text}
        out["url"] = self.url
        if self.language:
            out["language"] = self.language
        return out


@dataclass(frozen=True)
class SourceRequest:
    ids: tuple[str, ...] = ()
    new: NewSource | None = None


_NEW_SOURCE_PARTS = {  # option -> (prompt, parser)
    "--source-url": ("Source URL", parse_url),
    "--source-outlet": ("Outlet (publisher)", parse_text),
    "--source-title": ("Headline", parse_text),
    "--source-date": ("Publication date (YYYY-MM-DD)", lambda o, v: parse_day(o, v).text),
}


def _source_id_or_url(answer: str) -> tuple[str, str]:
    if answer.strip().lower().startswith(("http:", "https:")):
        return "url", parse_url("--source-url", answer)
    return "id", parse_id("--source", answer.strip())


def parse_sources(
    given: SourceOptions, *, required: bool = True, ask_missing: bool = False
) -> SourceRequest:
    """Check the source options (not yet against the file); ask for missing parts on a terminal."""
    ids = tuple(parse_id("--source", i.strip()) for i in given.ids)
    parts = {
        "--source-url": given.url,
        "--source-outlet": given.outlet,
        "--source-title": given.title,
        "--source-date": given.date,
    }
    if all(v is None for v in (*parts.values(), given.language, given.new_id)):
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
                raise missing(option, " (a new source needs --source-url, --source-outlet, "
                              "--source-title and --source-date)")  # fmt: skip
            label, parser = _NEW_SOURCE_PARTS[option]
            parts[option] = ask(label, lambda s, o=option, p=parser: p(o, s))
    new = NewSource(
        url=parse_url("--source-url", parts["--source-url"]),
        outlet=parse_text("--source-outlet", parts["--source-outlet"]),
        title=parse_text("--source-title", parts["--source-title"]),
        published=parse_day("--source-date", parts["--source-date"]),
        language=parse_language(given.language),
        id=parse_id("--source-id", given.new_id) if given.new_id else None,
    )
    return SourceRequest(ids, new)


@dataclass
class Citation:
    ids: list[str]
    ops: list[Op] = field(default_factory=list)
    new: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    published: FuzzyDate | None = None  # date of the first cited source


def date_or_none(value) -> FuzzyDate | None:
    """A date from the file, or None if it is malformed (the validator reports that)."""
    try:
        return parse_date(value)
    except DateError:
        return None


def did_you_mean(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def cite(current: RoutesFile, request: SourceRequest) -> Citation:
    """Source ids for an entry, plus the operation adding a new source (unless its URL is known)."""
    known = current.sources()
    for sid in request.ids:
        if sid not in known:
            hint = did_you_mean(sid, list(known)) or "; add a new one with --source-url"
            raise bad("--source", f"unknown source '{sid}'{hint}")
    citation = Citation(list(request.ids))
    if request.ids:
        citation.published = date_or_none(known[request.ids[0]].get("published"))
    new = request.new
    if new is None:
        return citation
    same = next((s for s, e in known.items() if str(e.get("url") or "").strip() == new.url), None)
    if same is not None:
        citation.notes.append(f"source {new.url} is already in the file as '{same}': citing it")
        if same not in citation.ids:
            citation.ids.append(same)
        citation.published = citation.published or date_or_none(known[same].get("published"))
        return citation
    sid = _new_source_id(new, known)
    citation.ids.append(sid)
    citation.new[sid] = new.entry()
    citation.ops.append(AddKey(("sources",), sid, new.entry()))
    citation.published = citation.published or new.published
    return citation


def _new_source_id(new: NewSource, known: dict) -> str:
    if new.id:
        if new.id in known:
            raise bad("--source-id", f"source '{new.id}' already exists; choose another id")
        return new.id
    base = default_id("--source-outlet", new.outlet, new.published.text.rstrip("~?%"))
    sid, n = base, 2
    while sid in known:
        sid, n = f"{short_id(base, 76)}-{n}", n + 1
    return sid


def _is_url(text: str | None) -> bool:
    return bool(text) and text.strip().lower().startswith(("http:", "https:"))


def source_questions(current: RoutesFile, required: bool = True) -> list:
    """Prompt mode's questions for what an entry cites: a source in the file, or a new one."""
    from geo.commands.prompts import Question

    known = current.sources()

    def check(text: str) -> None:
        kind, value = _source_id_or_url(text)
        if kind == "id" and value not in known:
            raise bad("--source", f"unknown source '{value}'{did_you_mean(value, list(known))}"
                      "; or give the URL of a new source")  # fmt: skip

    def new(answers: dict) -> bool:
        return _is_url(answers.get("source"))

    return [
        Question("source", "Source", "What reports it: the id of a source in the file "
                 "(geo list source), or the http(s) URL of a new one.", check, None, required),
        Question("source_outlet", "Outlet", "The new source's publisher, e.g. NK News.",
                 lambda s: parse_text("--source-outlet", s), None, True, when=new),
        Question("source_title", "Headline", "Its headline as published.",
                 lambda s: parse_text("--source-title", s), None, True, when=new),
        Question("source_date", "Published", "Its date: YYYY, YYYY-MM or YYYY-MM-DD.",
                 lambda s: parse_day("--source-date", s), None, True, when=new),
        Question("source_language", "Language", "ISO 639 code of its language: en, ko, ru, zh.",
                 parse_language, None, False, when=new),
    ]  # fmt: skip


def source_params(answers: dict) -> dict:
    """The source options (click parameters) that prompt mode's answers stand for."""
    source = answers.pop("source", None)
    if _is_url(source):
        return {"source_ids": (), "source_url": source}
    for key in ("source_outlet", "source_title", "source_date", "source_language"):
        answers.pop(key, None)
    return {"source_ids": (source,) if source else ()}


def source_date(current: RoutesFile, answers: dict) -> str | None:
    """The publication date of the source answered, for a default date."""
    source = answers.get("source")
    if _is_url(source):
        return answers.get("source_date")
    published = date_or_none(current.sources().get(source or "", {}).get("published"))
    return published.text.rstrip("~?%") if published else None
