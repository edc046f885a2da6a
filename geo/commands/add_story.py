"""``geo add-story``: a new story in routes.yaml, with its first step (more with
``geo add-step``)."""

from __future__ import annotations

import functools

import click

from geo.commands.add_step import StepRequest, parse_step, step_entry, step_options
from geo.commands.editing import EditCommand, Report, add_or_replace, run_edit
from geo.commands.options import file_options, source_options
from geo.commands.values import default_id, missing, parse_id, parse_text
from geo.edit import Op, RoutesFile


@click.command(cls=EditCommand)
@click.option("--id", "story_id", metavar="ID", help="Story id [default: a slug of --title].")
@click.option("--title", metavar="TEXT", help="The story's title.")
@click.option("--summary", metavar="TEXT", help="What the story shows, in a sentence or two.")
@step_options
@source_options
@file_options
def add_story(story_id, title, summary, date, events, routes, view, step_title, text,
              given_sources, output):  # fmt: skip
    """Add a story to routes.yaml: a guided tour of the map that the site plays step by
    step. The step options describe its first step; add the others with geo add-step.

    \b
    Example:
      geo add-story --title "Workers by rail through Khasan, 2019–2024" \\
        --date 2019-06 --event 2019-06-visa-runs-described --view 42.8,131.2,7 \\
        --text "In 2019 North Korean builders in Vladivostok lived on three-month visas."
    """
    if title is None:
        raise missing("--title")
    texts = {"title": parse_text("--title", title)}
    if summary is not None:
        texts["summary"] = parse_text("--summary", summary)
    if story_id is not None:
        parse_id("--id", story_id)
    step = parse_step(date, events, routes, view, step_title, text, given_sources)
    run_edit(output, functools.partial(_story, story_id, texts, step))


def _story(story_id: str | None, texts: dict, step: StepRequest,
           current: RoutesFile) -> tuple[list[Op], Report]:  # fmt: skip
    sid = story_id or default_id("--title", texts["title"])
    first, ops, report = step_entry(step, current)
    entry = {"id": sid, **texts, "steps": [first]}
    op, _ = add_or_replace(current, "stories", sid, entry, None)
    report.kind, report.id, report.entry = "story", sid, entry
    return ops + [op], report
