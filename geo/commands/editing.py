"""What the edit commands share: one-line usage errors, places resolved through the
gazetteer, adding or replacing an entry, and the report of what was written."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from geo.commands.options import OutputOptions
from geo.commands.values import bad
from geo.edit import Append, Insert, Op, Replace, RoutesFile, edit_file
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
    replace: bool,
    insert_at: int | None = None,
) -> tuple[Op, bool]:
    """The operation adding *entry* to *section* (at the end, or before item *insert_at*),
    or replacing the entry with the same id (only with --replace)."""
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
            f"{kind} '{item_id}' already exists{where}; choose another --id or pass --replace",
        )
    return Replace((section,), index, entry), True


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
    """Apply the edit and tell the user what happened (the diff, with --dry-run)."""
    edit, report = edit_file(output.file, build, dry_run=output.dry_run)
    line = edit.lines[-1]
    if output.as_json:
        _print_json(output, edit, report, line)
    elif output.dry_run:
        click.echo(edit.diff(), nl=False)
    else:
        action = "Replaced" if report.replaced else "Added"
        where = "in" if report.replaced else "to"
        click.echo(f"{action} {report.kind} '{report.id}' {where} {output.file} (line {line}).")
    if not output.as_json:
        say = (lambda m: click.echo(m, err=True)) if output.dry_run else click.echo
        for r in report.resolved:
            say(f"  {r.describe()}")
        for sid, entry in report.sources.items():
            say(f"  new source '{sid}': {entry['outlet']}, {entry['published']}")
        for note in report.notes:
            say(f"  {note}")
    if output.dry_run:
        if not output.as_json:
            click.echo(f"(dry run: {output.file} not changed)", err=True)
    elif output.then_build:
        _build(Path(output.file), err=output.as_json)
    elif not output.as_json:
        click.echo("Run `geo build` to update layers/ and site/ (or pass --build next time).")


def _print_json(output: OutputOptions, edit, report: Report, line: int) -> None:
    out = {
        "file": output.file, "written": edit.written, "kind": report.kind, "id": report.id,
        "replaced": report.replaced, "line": line, "entry": report.entry,
        "new_sources": report.sources, "resolved": [r.as_json() for r in report.resolved],
    }  # fmt: skip
    if output.dry_run:
        out["diff"] = edit.diff()
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


def _build(file: Path, err: bool) -> None:
    """geo build for *file*, into layers/ and site/ beside it (messages on stderr with --json)."""
    from geo import build as pipeline

    base = file.resolve().parent
    result = pipeline.run(file, base / "layers", base / "site")
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    click.echo(f"Built {result.layers_dir}/: {counts}", err=err)
    if result.site_dir is not None:
        click.echo(f"Built {result.site_dir}/", err=err)
