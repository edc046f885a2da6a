"""The ``geo`` command: a thin click layer over the library.

Commands are imported only when they run, so ``geo validate`` never pays for geopandas or
folium.  Library code raises GeoError/DataError; only here do they become messages on
stderr and exit code 2.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import os
import sys

import click

from geo import __version__
from geo.commands.options import LEFT_FOR_EXIT
from geo.errors import DataError, GeoError, printable

# name -> ("module:function", one-line help shown by `geo --help` without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("geo.commands.validate:validate",
                 "Check routes.yaml and report every problem with its line."),
    "resolve": ("geo.commands.resolve:resolve", "Look a place name up in the offline gazetteer."),
    "build": ("geo.commands.build:build", "Write the GeoJSON layers and the map website."),
    "export": ("geo.commands.export:export", "Export the layers for GIS and spreadsheets."),
    "add-route": ("geo.commands.add_route:add_route",
                  "Add a route to routes.yaml (validated, atomic)."),
    "add-event": ("geo.commands.add_event:add_event",
                  "Add a dated, sourced event to routes.yaml."),
    "add-place": ("geo.commands.add_place:add_place",
                  "Add a place to routes.yaml's local gazetteer."),
    "add-story": ("geo.commands.add_story:add_story",
                  "Add a story (a guided tour of the map) with its first step."),
    "add-step": ("geo.commands.add_step:add_step", "Add a step to a story in routes.yaml."),
    "set-status": ("geo.commands.set_status:set_status",
                   "Append a dated status to a route's history."),
    "edit": ("geo.commands.edit:edit",
             "Change fields of one entry, keeping the rest (comments too)."),
    "remove": ("geo.commands.remove:remove",
               "Remove an entry (refused while others refer to it) and its unused sources."),
    "add-source": ("geo.commands.add_source:add_source",
                   "Add a source to routes.yaml, to cite later."),
    "import": ("geo.commands.import_events:import_events",
               "Add the events of a CSV file, all checked before any is written."),
    "list": ("geo.commands.list_entries:list_entries",
             "List sources, places, routes or events (by date, by place)."),
    "search": ("geo.commands.search:search", "Find entries by a word of their title or names."),
    "undo": ("geo.commands.undo:undo", "Revert the last edit geo made to routes.yaml."),
    "paths": ("geo.commands.paths:paths", "Route rail, road and sea legs on their networks."),
    "check": ("geo.commands.check:check", "Check drawn routes: length, land, countries."),
    "snapshot": ("geo.commands.snapshot:snapshot",
                 "Write the map at a date, event or story step as a PNG."),
    "serve": ("geo.commands.serve:serve",
              "Build and preview the site on localhost, rebuilding on change."),
}  # fmt: skip


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [name for name, (target, _) in COMMANDS.items() if _available(target)]

    def get_command(self, ctx, name):
        if name not in COMMANDS or not _available(COMMANDS[name][0]):
            return None
        module, attr = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(target: str) -> bool:
    module = target.split(":")[0]
    if module == __name__:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="geo")
def cli():
    """Map how North Korean workers, students, tourists, sailors and cash move between
    North Korea, Russia and China.

    routes.yaml is the source of truth: sources, places, routes with a dated status
    history, and dated events that each cite a source. Typical session:

    \b
      geo validate                 # check routes.yaml
      geo resolve Rason            # what does the gazetteer know?
      geo add-event --help         # add this morning's report
      geo build                    # write layers/ and site/

    Errors are printed as FILE:LINE:COL: field: message, and exit with status 2.
    """


def entry() -> None:
    """The ``geo`` command (console script and ``python -m geo``): main(), then leave at once.

    A process that is about to end need not free what it built one object by object, nor
    run the interpreter's teardown: after a 100,000-event build that is half a second.
    Output is flushed first; an unexpected error still ends with its traceback as usual.
    For the same reason, a command other than ``geo serve`` runs without the cyclic garbage
    collector: the first collection after a large build would walk every object still alive.
    """
    if sys.argv[1:2] != ["serve"]:
        gc.disable()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (geo … | head) or stream
            pass
    os._exit(code)


def main(argv=None):
    """Entry point: run the CLI and turn library errors into one-line messages, exit 2."""
    LEFT_FOR_EXIT.clear()
    try:
        rc = cli.main(args=argv, prog_name="geo", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        hint = exc.ctx.command_path if exc.ctx else "geo"
        click.echo(printable(f"error: {exc.format_message()} (see: {hint} --help)"), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(printable(f"error: {exc.format_message()}"), err=True)
        sys.exit(exc.exit_code)
    except DataError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        n = len(exc.problems)
        click.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)
        sys.exit(2)
    except GeoError as exc:
        click.echo(printable(f"error: {exc}"), err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        if os.environ.get("GEO_DEBUG"):
            raise
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        click.echo(f"error: {exc.strerror or exc}{where}", err=True)
        sys.exit(2)
    sys.exit(rc if isinstance(rc, int) else 0)
