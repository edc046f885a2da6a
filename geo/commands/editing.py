"""What the edit commands share: one-line usage errors, places resolved through the
gazetteer, adding or replacing an entry, and the report of what was written."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from geo.commands.options import OutputOptions
from geo.commands.prompts import confirm_write
from geo.commands.sources import did_you_mean
from geo.commands.values import bad, in_schema_order
from geo.edit import Append, Insert, Op, Replace, RoutesFile, Update, edit_file
from geo.errors import ResolveError
from geo.model import Place


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


def _one_line(exc: click.UsageError, hint: str = "") -> click.UsageError:
    """The same error without its context, so it prints as one line ("Error: ...")."""
    return click.UsageError(exc.format_message().rstrip(".") + hint)


# ---------------------------------------------------------------- places


@dataclass(frozen=True)
class Resolved:
    given: str
    place: Place
    others: tuple[Place, ...] = ()

    def describe(self) -> str:
        from geo.gazetteer import describe

        p = self.place
        chosen = ""
        if self.others:
            chosen = (
                f"; chosen over {len(self.others)} other(s) of that name (write 'Name, CC' to pick)"
            )
        return f"{self.given} -> {p.id}: {describe(p)} [{p.origin}]{chosen}"

    def as_json(self) -> dict:
        p = self.place
        return {"given": self.given, "id": p.id, "name": p.name, "country": p.country,
                "kind": p.kind, "lat": p.lat, "lon": p.lon, "origin": p.origin}  # fmt: skip


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


# ---------------------------------------------------------------- the entry and the report


def add_or_replace(
    current: RoutesFile,
    section: str,
    item_id: str,
    entry: dict,
    replace: str | None,
    insert_at: int | None = None,
) -> tuple[Op, bool]:
    """The operation adding *entry* to *section* (at the end, or before item *insert_at*), or
    changing the entry with the same id: merged into it with --replace (fields not given
    stay, lists of sources and statuses grow), rewritten with --replace-all."""
    kind = section[:-1]  # places -> place
    index = current.index_of(section, item_id)
    if index is None:
        if insert_at is not None:
            return Insert((section,), insert_at, entry), False
        return Append((section,), entry), False
    if not replace:
        line = current.line_of(section, item_id)
        where = f" (line {line})" if line else ""
        raise bad(
            "--id",
            f"{kind} '{item_id}' already exists{where}; choose another --id, or pass --replace "
            "(merge into it) or --replace-all",
        )
    if replace == "all":
        return Replace((section,), index, entry), True
    old = current.data[section][index]
    return Update((section,), index, in_schema_order(kind, merged(old, entry), old)), True


GROWING = ("sources", "alt_names", "status")  # lists a merge adds to instead of replacing


def merged(old: dict, new: dict) -> dict:
    """*old* with the fields of *new*: the lists in GROWING get the items they lack."""
    out = dict(old)
    for key, value in new.items():
        before = old.get(key)
        if key in GROWING and isinstance(before, list) and isinstance(value, list):
            out[key] = before + [v for v in value if v not in before]
        else:
            out[key] = value
    return out


def find_entry(current: RoutesFile, kind: str, entry_id: str) -> tuple[int | str, dict]:
    """(index or key, entry) of the *kind* entry *entry_id*; a usage error if there is none."""
    section = kind + "s"
    if section == "sources":
        found = current.sources()
        if entry_id in found:
            return entry_id, found[entry_id]
    elif (index := current.index_of(section, entry_id)) is not None:
        return index, current.data[section][index]
    known = list(current.sources()) if section == "sources" else current.ids(section)
    hint = did_you_mean(entry_id, known)
    if kind == "place" and not hint:
        from geo.gazetteer import curated_places

        if any(p.id == entry_id for p in curated_places()):
            hint = " (it is in the curated gazetteer, geo/data/gazetteer.yaml, not in the file)"
    raise bad("ID", f"no {kind} '{entry_id}' in {current.display}{hint}")


@dataclass
class Report:
    """What a command added, for the messages and the --json output."""

    kind: str  # route, event, place, status of route
    id: str
    entry: dict
    sources: dict[str, dict] = field(default_factory=dict)
    resolved: list[Resolved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replaced: bool = False


def run_edit(
    output: OutputOptions, build: Callable[[RoutesFile], tuple[list[Op], Report]]
) -> None:
    """Apply the edit and tell the user what happened (the diff, with --dry-run); in prompt
    mode, show the entry and ask first."""
    if not confirmed(output, build):
        return
    edit, report = edit_file(output.file, build, dry_run=output.dry_run)
    line = edit.lines[-1]
    action, where = ("Updated", "in") if report.replaced else ("Added", "to")
    message = f"{action} {report.kind} '{report.id}' {where} {output.file} (line {line})."
    notes = [r.describe() for r in report.resolved]
    notes += [f"new source '{sid}': {e['outlet']}, {e['published']}"
              for sid, e in report.sources.items()]  # fmt: skip
    extra = {
        "kind": report.kind, "id": report.id, "replaced": report.replaced, "line": line,
        "entry": report.entry, "new_sources": report.sources,
        "resolved": [r.as_json() for r in report.resolved],
    }  # fmt: skip
    show_written(output, edit, message, notes + report.notes, extra)


def confirmed(output: OutputOptions, build: Callable) -> bool:
    """In prompt mode (--interactive), the change shown and the user's yes; else True."""
    if not output.interactive or output.dry_run:
        return True
    preview, _ = edit_file(output.file, build, dry_run=True)
    if confirm_write(preview.diff(), output.file):
        return True
    click.echo(f"Nothing written to {output.file}.")
    return False


def show_written(output: OutputOptions, edit, message: str, notes: list[str], extra: dict) -> None:
    """The report of an edit: *message* and *notes*, the diff with --dry-run, or JSON."""
    if output.as_json:
        out = {"file": output.file, "written": edit.written, **extra}
        if output.dry_run:
            out["diff"] = edit.diff()
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(edit.diff() if output.dry_run else message + "\n", nl=False)
        say = (lambda m: click.echo(m, err=True)) if output.dry_run else click.echo
        for note in notes:
            say(f"  {note}")
    if output.dry_run:
        if not output.as_json:
            click.echo(f"(dry run: {output.file} not changed)", err=True)
    elif output.then_build:
        _build(Path(output.file), err=output.as_json)
    elif not output.as_json:
        click.echo("Run `geo build` to update layers/ and site/ (or pass --build next time); "
                   "`geo undo` reverts this edit.")  # fmt: skip


def _build(file: Path, err: bool) -> None:
    """geo build for *file*, into layers/ and site/ beside it (messages on stderr with --json)."""
    from geo import build as pipeline

    base = file.resolve().parent
    result = pipeline.run(file, base / "layers", base / "site")
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    click.echo(f"Built {result.layers_dir}/: {counts}", err=err)
    if result.site_dir is not None:
        click.echo(f"Built {result.site_dir}/", err=err)
