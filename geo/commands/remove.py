"""``geo remove``: take an entry out of routes.yaml, with the sources only it cited."""

from __future__ import annotations

import functools

import click

from geo.commands.editing import EditCommand, confirmed, find_entry, show_written
from geo.commands.options import file_options
from geo.commands.values import bad
from geo.edit import Delete, RoutesFile, edit_file
from geo.references import SECTIONS, cited, referrers, unused_sources


@click.command(cls=EditCommand)
@click.argument("kind", type=click.Choice(list(SECTIONS)))
@click.argument("entry_id", metavar="ID")
@file_options
def remove(kind, entry_id, output):
    """Remove the KIND (source, place, route or event) entry ID from routes.yaml.

    Refused while another entry refers to it (the message lists them: change or remove
    those first). The sources that only this entry cited are removed with it, so the
    file never keeps a source nothing cites. `geo undo` puts everything back.

    \b
    Example:
      geo remove event 2024-02-05-workers-rail-khasan-vladivostok --dry-run
    """
    build = functools.partial(_removal, kind, entry_id)
    if not confirmed(output, build):
        return
    edit, dropped = edit_file(output.file, build, dry_run=output.dry_run)
    notes = [f"also removed source '{sid}' (no other entry cites it)" for sid in dropped]
    show_written(output, edit, f"Removed {kind} '{entry_id}' from {output.file}.", notes,
                 {"removed": {"kind": kind, "id": entry_id}, "removed_sources": dropped})


def _removal(kind: str, entry_id: str, current: RoutesFile) -> tuple[list, list[str]]:
    section = SECTIONS[kind]
    key, entry = find_entry(current, kind, entry_id)
    users = referrers(current.data, kind, entry_id)
    if users:
        listed = ", ".join(
            f"{k} '{i}'" + (f" (line {line})" if (line := _line(current, k, i)) else "")
            for k, i in users[:8]
        )
        more = f" and {len(users) - 8} more" if len(users) > 8 else ""
        raise bad("ID", f"{kind} '{entry_id}' is still used by {listed}{more}; "
                  "change or remove those first")  # fmt: skip
    remaining = dict(current.data)
    remaining[section] = _without(current.data[section], key)
    mine = set(cited(entry))
    dropped = [sid for sid in unused_sources(remaining) if sid in mine]
    ops = [Delete(("sources",), sid) for sid in dropped]
    return ops + [Delete((section,), key)], dropped


def _without(container, key):
    if isinstance(container, dict):
        return {k: v for k, v in container.items() if k != key}
    return [e for i, e in enumerate(container) if i != key]


def _line(current: RoutesFile, kind: str, entry_id: str) -> int | None:
    section = SECTIONS[kind]
    if section == "sources":
        return current.doc.where((section, entry_id), key=True)[0]
    return current.line_of(section, entry_id)
