"""Prompt mode: one question per field an entry can have, then a preview and a confirm.

Each answer is checked at once by the same function that checks the option of the same
name (so the messages, with the expected format, are the same), and kept as the text the
user typed: the command then runs exactly as if the answers had been given as options.
An empty answer takes the default shown (or leaves an optional field out); ``<`` goes
back one question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click
from click.core import ParameterSource

from geo.commands.values import interactive

BACK = "<"
ANSWERED = "geo.answered"  # context meta: the prompts were answered, the command runs now
OUTPUT_PARAMS = frozenset({"file", "dry_run", "as_json", "then_build", "interactive"})


@dataclass(frozen=True)
class Question:
    key: str  # the option it stands for (its click parameter name)
    label: str
    explain: str | Callable[[dict], str]  # what the field is, what the default means
    check: Callable[[str], object] | None = None  # raises click.UsageError on a bad answer
    default: str | Callable[[dict], str | None] | None = None
    required: bool | Callable[[dict], bool] = False
    many: bool = False  # asked again until an empty answer; the answers form a list
    when: Callable[[dict], bool] | None = None  # asked only if true of the answers so far


def prompt_mode(output) -> bool:
    """--interactive, or a terminal and no option given but where the edit goes."""
    ctx = click.get_current_context()
    if ctx.meta.get(ANSWERED):
        return False
    if getattr(output, "interactive", False):
        return True
    if not interactive():
        return False
    return all(
        ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None)
        for name in ctx.params
        if name not in OUTPUT_PARAMS
    )


def ask_all(questions: list[Question], intro: str) -> dict:
    """The answers to *questions*, by key (None for a field left out)."""
    click.echo(f"{intro}\nPress Enter to take the [default]; type {BACK} to go back a question.")
    answers: dict = {}
    asked: list[int] = []
    i = 0
    while i < len(questions):
        q = questions[i]
        if q.when is not None and not q.when(answers):
            i += 1
            continue
        answer = _ask_many(q, answers) if q.many else _ask_one(q, answers)
        if answer is BACK:
            if asked:
                i = asked.pop()
                answers.pop(questions[i].key, None)
            continue
        answers[q.key] = answer
        asked.append(i)
        i += 1
    return answers


def _default(q: Question, answers: dict) -> str | None:
    return q.default(answers) if callable(q.default) else q.default


def _ask_one(q: Question, answers: dict, label: str | None = None, optional=" (optional)"):
    explain = q.explain(answers) if callable(q.explain) else q.explain
    if explain:
        click.echo(f"  {explain}", err=True)
    default = _default(q, answers)
    required = q.required(answers) if callable(q.required) else q.required
    optional = "" if required or default else optional
    while True:
        text = click.prompt(f"{label or q.label}{optional}", default=default or "",
                            show_default=bool(default)).strip()  # fmt: skip
        if text == BACK:
            return BACK
        if not text:
            if not required:
                return None
            click.echo("  an answer is needed here", err=True)
            continue
        try:
            if q.check is not None:
                q.check(text)
        except click.UsageError as exc:
            click.echo(f"  {exc.format_message()}", err=True)
            continue
        return text


def _ask_many(q: Question, answers: dict):
    """Answers one after another until an empty one; < removes the last (or goes back)."""
    items: list[str] = []
    while True:
        n = len(items) + 1
        need = bool(q.required) and n <= 2
        one = Question(q.key, q.label, q.explain if n == 1 else "", q.check, None, need)
        answer = _ask_one(one, answers, f"{q.label} {n}", " (Enter to end)")
        if answer is BACK:
            if not items:
                return BACK
            items.pop()
            continue
        if answer is None:
            return items or None
        items.append(answer)


def run_answered(questions: list[Question], intro: str, to_params: Callable[[dict], dict]):
    """Ask *questions*, then run the current command again with the answers as its options
    (and a preview and confirm before writing)."""
    answers = ask_all(questions, intro)
    ctx = click.get_current_context()
    ctx.meta[ANSWERED] = True
    params = {**ctx.params, **to_params(answers), "interactive": True}
    return ctx.command.callback(**params)


def choice_check(option: str, allowed: list[str]) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text not in allowed:
            raise click.UsageError(f"{option}: '{text}' is not one of: {', '.join(allowed)}")
        return text

    return check


def confirm_write(preview: str, file: str) -> bool:
    """Show the lines the edit adds and takes out, and ask whether to write them."""
    lines = preview.splitlines()
    for sign, says in (("-", "comes out of"), ("+", "goes into")):
        changed = [ln[1:] for ln in lines if ln[:1] == sign and ln[:3] != sign * 3]
        if changed:
            click.echo(f"\nThis {says} {file}:\n")
            click.echo("\n".join(changed))
    return click.confirm("\nWrite it?", default=True)
