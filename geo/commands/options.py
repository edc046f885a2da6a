"""The options several commands share, defined once: where the data, layers and site are,
and the edit commands' source and output options."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click

# What a command leaves for the operating system to free when geo.cli.entry() ends the
# process (cleared at each geo.cli.main(), so a program that calls main() repeatedly keeps
# at most one).
LEFT_FOR_EXIT: list = []


def layers_option(f):
    return click.option(
        "--layers", "layers_dir", default="layers", show_default=True, metavar="DIR",
        type=click.Path(file_okay=False), help="Where to write the GeoJSON layers.",
    )(f)  # fmt: skip


def site_option(help_text: str = "Where to write the map website."):
    return click.option(
        "--site", "site_dir", default="site", show_default=True, metavar="DIR",
        type=click.Path(file_okay=False), help=help_text,
    )  # fmt: skip


def data_option(f):
    return click.option(
        "--data", "data", default="routes.yaml", show_default=True, metavar="FILE",
        type=click.Path(dir_okay=False), help="The routes.yaml to read.",
    )(f)  # fmt: skip


def _grouped(options: list, make, params: dict[str, str], name: str):
    """A decorator adding *options* to a command and handing their values to it as one
    ``name=make(...)`` argument (*params* maps click parameter to field of *make*)."""

    def decorate(f):
        @functools.wraps(f)
        def command(**kwargs):
            grouped = make(**{field: kwargs.pop(param) for param, field in params.items()})
            return f(**{name: grouped}, **kwargs)

        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@dataclass(frozen=True)
class SourceOptions:
    """The source options as given on the command line (checked by geo.commands.sources)."""

    ids: tuple[str, ...]
    url: str | None
    outlet: str | None
    title: str | None
    date: str | None
    language: str | None
    new_id: str | None


source_options = _grouped(
    [
        click.option("--source", "source_ids", multiple=True, metavar="SOURCE_ID",
                     help="Id of a source already in routes.yaml (repeatable)."),
        click.option("--source-url", metavar="URL", help="A new source: its http(s) link..."),
        click.option("--source-outlet", metavar="TEXT",
                     help="...its publisher (e.g. 'NK News')..."),
        click.option("--source-title", metavar="TEXT", help="...its headline..."),
        click.option("--source-date", metavar="DATE", help="...and its publication date."),
        click.option("--source-language", metavar="CODE",
                     help="ISO 639 code of the new source's language."),
        click.option("--source-id", "new_source_id", metavar="ID",
                     help="Id for the new source [default: outlet-date]."),
    ],
    SourceOptions,
    {"source_ids": "ids", "source_url": "url", "source_outlet": "outlet",
     "source_title": "title", "source_date": "date", "source_language": "language",
     "new_source_id": "new_id"},
    "given_sources",
)  # fmt: skip


@dataclass(frozen=True)
class OutputOptions:
    """Where the edit goes and what is printed: --file, --dry-run, --json, --build."""

    file: str
    dry_run: bool
    as_json: bool
    then_build: bool
    interactive: bool = False


file_options = _grouped(
    [
        click.option("--file", "--data", "file", default="routes.yaml", show_default=True,
                     metavar="FILE", type=click.Path(dir_okay=False),
                     help="The routes.yaml to edit."),
        click.option("--dry-run", is_flag=True,
                     help="Print the unified diff that would be applied; write nothing."),
        click.option("--json", "as_json", is_flag=True,
                     help="Print what was added as JSON (for scripts)."),
        click.option("--build", "then_build", is_flag=True,
                     help="Run geo build (layers/ and site/ beside FILE) after writing."),
        click.option("--interactive", "-i", is_flag=True,
                     help="Ask for every field, then show the entry and ask before writing "
                          "(what a terminal gets when no option is given)."),
    ],
    OutputOptions,
    {"file": "file", "dry_run": "dry_run", "as_json": "as_json", "then_build": "then_build",
     "interactive": "interactive"},
    "output",
)  # fmt: skip

def replace_option(f):
    """--replace (merge into the entry with the same id) or --replace-all (rewrite it)."""
    f = click.option("--replace-all", "replace", flag_value="all",
                     help="Rewrite the entry with the same id from these options alone.")(f)
    return click.option("--replace", "replace", flag_value="merge",
                        help="Merge into the entry with the same id: the fields given change, "
                             "the others stay; sources and statuses are added.")(f)  # fmt: skip
