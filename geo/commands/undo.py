"""``geo undo``: put routes.yaml back as it was before the last edit geo made to it."""

from __future__ import annotations

import difflib

import click

from geo.commands.options import data_option


@click.command()
@data_option
@click.option("--dry-run", is_flag=True, help="Print the diff the undo would make; change nothing.")
def undo(data, dry_run):
    """Revert the last edit made by a geo command (add-*, set-status, edit, remove, import),
    byte for byte. Each edit keeps the file's previous bytes in .routes.yaml.journal/ next
    to it (the last 50); undo again to go further back. An edit made since by hand is never
    overwritten: undo refuses instead.
    """
    from geo.journal import undo as undo_last

    done = undo_last(data, dry_run=dry_run)
    old = done.current.decode("utf-8", "replace").splitlines(keepends=True)
    new = done.restored.decode("utf-8", "replace").splitlines(keepends=True)
    diff = list(difflib.unified_diff(old, new, f"a/{data}", f"b/{data}"))
    if dry_run:
        click.echo("".join(diff), nl=False)
        click.echo(f"(dry run: {data} not changed)", err=True)
        return
    added = sum(1 for ln in diff if ln.startswith("+") and not ln.startswith("+++"))
    removed = sum(1 for ln in diff if ln.startswith("-") and not ln.startswith("---"))
    click.echo(f"Undid the last edit of {data} (+{added} -{removed} lines); "
               f"{done.left} earlier edit(s) can still be undone.")  # fmt: skip
