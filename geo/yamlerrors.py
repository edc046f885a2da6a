"""Where in a YAML text a position is, and a one-line message for each error libyaml raises:
the place the mistake was made (not only where the parser noticed it), with a hint."""

from __future__ import annotations

import bisect
import re

import yaml

from geo.errors import Problem


class LineIndex:
    """Line and column of a character offset, with only \\n, \\r\\n and \\r ending a line.

    libyaml also ends lines at U+0085, U+2028 and U+2029, which editors show inside a line, so
    its line numbers drift after one of them; positions are recounted in such files.
    """

    EXTRA_BREAKS = re.compile("[\x85\u2028\u2029]")

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    @classmethod
    def needed(cls, text: str) -> LineIndex | None:
        return cls(text) if cls.EXTRA_BREAKS.search(text) else None

    def line_col(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1, index - self.starts[line] + 1


def line_col(mark, index: LineIndex | None) -> tuple[int, int]:
    if index is None or mark.index is None:
        return mark.line + 1, mark.column + 1
    return index.line_col(mark.index)


def syntax_problem(name: str, exc: yaml.MarkedYAMLError, text: str,
                    lines: LineIndex | None) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "syntax error").strip()
    hint = ""
    context = (exc.context or "").strip()
    unclosed = context.startswith(
        ("while parsing a flow", "while scanning a quoted", "while scanning a double"))
    if unclosed and exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line < exc.problem_mark.line:
        # an unterminated [..], {..} or "..": the mistake is where it was opened
        mark = exc.context_mark
        hint = f" (opened here, still open on line {line_col(exc.problem_mark, lines)[0]})"
    elif exc.problem_mark is not None and exc.problem_mark.index is not None:
        quote = _runaway_quote(text, exc.problem_mark)
        if quote is not None:
            return Problem(name, *line_col(quote, lines), "", (
                f"YAML syntax error: the quoted value opened here only ends on line "
                f"{line_col(exc.problem_mark, lines)[0]}; "
                "add its closing quote"))
    line, col = line_col(mark, lines) if mark else (1, 1)
    at = mark.index if mark is not None and mark.index is not None else -1
    if "'\\t'" in problem or "tab" in problem.lower() or (0 <= at < len(text) and text[at] == "\t"):
        problem = "a tab character is used for indentation"
        hint = "; indent with spaces"
    elif "mapping values are not allowed" in problem:
        line_start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
        if ":" in text[line_start:at]:
            hint = "; put quotes around a value that contains ': '"
        else:  # the key on this line was read as the continuation of the value above it
            hint = "; this line is indented more than the key above it"
    elif "could not find expected ':'" in problem:
        hint = "; check the indentation and quotes of the line above"
    elif "found unknown escape character" in problem or "expected hexdecimal number" in problem:
        hint = ("; a backslash starts an escape inside double quotes: "
                "use single quotes, or double the backslash")
    return Problem(name, line, col, "", f"YAML syntax error: {problem}{hint}")


def _runaway_quote(text: str, error: yaml.Mark) -> yaml.Mark | None:
    """Where a quoted value starts that runs over several lines and ends on the error's line.

    A missing closing quote makes the value swallow the following lines until the next quote
    character, and the parser only complains there, often dozens of lines later.
    """
    line_end = text.find("\n", error.index)
    found = None
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for token in yaml.scan(text if line_end < 0 else text[:line_end], Loader=loader):
            if token.start_mark.line > error.line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.start_mark.line < token.end_mark.line == error.line:
                found = token.start_mark
    except yaml.YAMLError:
        pass
    return found


def character_problem(name: str, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML forbids in a file (a raw control character): say which, and where."""
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    line, col = LineIndex(text).line_col(min(max(exc.position, 0), len(text)))
    kind = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
    message = f"{kind} U+{code:04X} is not allowed in a YAML file; delete it"
    return Problem(name, line, col, "", message)
