"""Read routes.yaml into plain Python values, remembering where every value came from.

The YAML is *composed* (parsed to nodes), never *constructed*: no tag can create a Python
object, and scalars are typed by the field they belong to rather than by YAML 1.1's
implicit rules.  So ``country: NO`` stays the string "NO", ``date: 2024-02-05`` stays the
string "2024-02-05", and ``title: 1:20`` is not read as the number 80.  Numbers are only
read under the numeric keys listed in NUMERIC_KEYS.

Composition is done here, from libyaml's event stream, rather than by ``yaml.compose``:
PyYAML's composer recurses once per nesting level and overflows the C stack (a segfault,
not an exception) on about 100,000 nested brackets, and it expands aliases.  Ours is a loop
that stops at MAX_DEPTH and never resolves an alias, so neither a deep file nor an alias
bomb can cost more than one pass over the text.
"""

from __future__ import annotations

import bisect
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.errors import DataError, GeoError, Problem

Path_ = tuple  # a path into the document: ("events", 3, "date")

NUMERIC_KEYS = frozenset({"lat", "lon", "min", "max", "km", "value", "geonames_id", "version"})
MAX_DEPTH = 40
# 100,000 realistic events take about 41 MB; a hand-kept file is a few MB.  Validation runs
# at roughly 2 s of CPU and 55 MB of memory per MB of YAML, so a bigger file is refused before
# parsing instead (docs/security.md).  The benchmark raises the limit with GEO_MAX_FILE_MB.
DEFAULT_MAX_MB = 16

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_MAP_TAG, _SEQ_TAG, _STR_TAG = _STD + "map", _STD + "seq", _STD + "str"


@dataclass
class Document:
    """A loaded YAML document: plain values plus the position of every node."""

    file: str
    data: object
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    line_index: LineIndex | None = field(default=None, repr=False, compare=False)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at *path*, or of its nearest parent."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        if key and p in table:
            return table[p]
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str, key: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, format_path(path), message)


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


def _line_col(mark, index: LineIndex | None) -> tuple[int, int]:
    if index is None or mark.index is None:
        return mark.line + 1, mark.column + 1
    return index.line_col(mark.index)


def format_path(path: Path_) -> str:
    """("events", 3, "date") -> "events[3].date"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def max_bytes() -> int:
    setting = os.environ.get("GEO_MAX_FILE_MB", DEFAULT_MAX_MB)
    try:
        megabytes = float(setting)
    except ValueError:
        megabytes = math.nan
    if not (math.isfinite(megabytes) and megabytes > 0):
        raise GeoError(f"GEO_MAX_FILE_MB must be a positive number of megabytes, not {setting!r}")
    return int(megabytes * 1024 * 1024)


def read_text(path: str | os.PathLike, display: str | None = None) -> str:
    """Read a UTF-8 text file (a BOM is allowed, CRLF is fine); refuse binary and huge files."""
    p = Path(path)
    name = display or str(path)
    try:
        if p.is_dir():
            raise GeoError(f"{name}: is a directory, not a routes.yaml file")
        limit = max_bytes()
        with open(p, "rb") as fh:
            # read one byte past the limit rather than trust stat(): pipes and devices report size 0
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise GeoError(f"{name}: file not found") from None
    except OSError as exc:
        raise GeoError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        try:
            size = p.stat().st_size
        except OSError:
            size = 0
        known = f" {size / 1048576:.1f} MB," if size > limit else ""  # a pipe or device has no size
        raise DataError([Problem(name, 1, 1, "", (
            f"file is{known} over the {limit / 1048576:g} MB limit "
            "(set GEO_MAX_FILE_MB to raise it)"))])
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for bom, encoding in _OTHER_BOMS:
        if raw.startswith(bom):
            raise DataError([Problem(name, 1, 1, "", f"file is {encoding} text; save it as UTF-8")])
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise DataError([Problem(name, line, 1, "", "binary data (NUL byte): not a YAML text file")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError([Problem(name, line, col, "", "not UTF-8 text; save the file as UTF-8")]) from None


_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


def load_document(path: str | os.PathLike, display: str | None = None) -> Document:
    name = display or str(path)
    return parse_document(read_text(path, name), name)


def parse_document(text: str, name: str = "routes.yaml") -> Document:
    """Parse YAML text into a Document; raise DataError on syntax or unsafe content."""
    text = text.lstrip("\ufeff")
    lines = LineIndex.needed(text)
    try:
        node = _compose(text, name, lines)
    except yaml.MarkedYAMLError as exc:
        raise DataError([_syntax_problem(name, exc, text, lines)]) from None
    except yaml.reader.ReaderError as exc:
        raise DataError([_character_problem(name, exc, text)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, 1, 1, "", f"YAML error: {exc}")]) from None
    doc = Document(file=name, data=None, text=text, line_index=lines)
    if node is None:
        raise DataError([Problem(name, 1, 1, "", "file is empty; expected sources:, places:, routes: and events:")])
    problems: list[Problem] = []
    doc.data = _convert(node, (), doc, problems, key=None)
    if problems:
        raise DataError(_one_alias_problem(problems))
    return doc


def _one_alias_problem(problems: list[Problem]) -> list[Problem]:
    """Keep the first alias problem and count the rest: an alias bomb has hundreds of them."""
    aliases = sorted(p for p in problems if p.message.endswith(_ALIAS_MESSAGE))
    if len(aliases) < 2:
        return problems
    first = aliases[0]
    more = f"{first.message} ({len(aliases) - 1} more aliases follow)"
    others = [p for p in problems if not p.message.endswith(_ALIAS_MESSAGE)]
    return [Problem(first.file, first.line, first.col, first.field, more), *others]


_ALIAS_MESSAGE = "anchors (&name) and aliases (*name) are not supported; write the value out"


class _AliasNode(yaml.Node):
    """Stands where a *name alias was written; _convert reports it."""

    id = "alias"


def _loader_cls():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, name: str, lines: LineIndex | None) -> yaml.Node | None:
    """Build the node tree from the event stream in one loop (see the module docstring)."""
    root = None
    documents = 0
    stack: list[list] = []  # [collection node, its pending mapping key node or None]
    for event in yaml.parse(text, Loader=_loader_cls()):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            tag = _STR_TAG if event.tag in (None, "!") else event.tag
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                   style=event.style)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                line, col = _line_col(event.start_mark, lines)
                raise DataError([Problem(name, line, col, "", (
                    f"nesting deeper than {MAX_DEPTH} levels; "
                    "a routes.yaml needs no more than 6"))])
            mapping = kind is yaml.MappingStartEvent
            tag = event.tag if event.tag not in (None, "!") else _MAP_TAG if mapping else _SEQ_TAG
            node_cls = yaml.MappingNode if mapping else yaml.SequenceNode
            node = node_cls(tag, [], event.start_mark, None, flow_style=event.flow_style)
            stack.append([node, None])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            node = stack.pop()[0]
            node.end_mark = event.end_mark
        elif kind is yaml.AliasEvent:
            node = _AliasNode(None, event.anchor, event.start_mark, event.end_mark)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                line, col = _line_col(event.start_mark, lines)
                raise DataError([Problem(name, line, col, "", (
                    "a second YAML document starts here; routes.yaml must be one document "
                    "(remove this '---' line)"))])
            continue
        else:
            continue
        if not stack:
            root = node
            continue
        frame = stack[-1]
        if type(frame[0]) is yaml.SequenceNode:
            frame[0].value.append(node)
        elif frame[1] is None:
            frame[1] = node
        else:
            frame[0].value.append((frame[1], node))
            frame[1] = None
    return root


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError, text: str,
                    lines: LineIndex | None) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "syntax error").strip()
    hint = ""
    context = (exc.context or "").strip()
    unclosed = context.startswith(("while parsing a flow", "while scanning a quoted", "while scanning a double"))
    if unclosed and exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line < exc.problem_mark.line:
        # an unterminated [..], {..} or "..": the mistake is where it was opened
        mark = exc.context_mark
        hint = f" (opened here, still open on line {_line_col(exc.problem_mark, lines)[0]})"
    elif exc.problem_mark is not None and exc.problem_mark.index is not None:
        quote = _runaway_quote(text, exc.problem_mark)
        if quote is not None:
            return Problem(name, *_line_col(quote, lines), "", (
                f"YAML syntax error: the quoted value opened here only ends on line "
                f"{_line_col(exc.problem_mark, lines)[0]}; "
                "add its closing quote"))
    line, col = _line_col(mark, lines) if mark else (1, 1)
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
        for token in yaml.scan(text if line_end < 0 else text[:line_end], Loader=_loader_cls()):
            if token.start_mark.line > error.line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.start_mark.line < token.end_mark.line == error.line:
                found = token.start_mark
    except yaml.YAMLError:
        pass
    return found


def _character_problem(name: str, exc: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML forbids in a file (a raw control character): say which, and where."""
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    line, col = LineIndex(text).line_col(min(max(exc.position, 0), len(text)))
    kind = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
    message = f"{kind} U+{code:04X} is not allowed in a YAML file; delete it"
    return Problem(name, line, col, "", message)


def _pos(node: yaml.Node, doc: Document) -> tuple[int, int]:
    return _line_col(node.start_mark, doc.line_index)


def _convert(node, path, doc, problems, key):
    doc.positions[path] = _pos(node, doc)
    if isinstance(node, _AliasNode):
        problems.append(Problem(doc.file, *_pos(node, doc), format_path(path),
                                f"*{node.value} is an alias; {_ALIAS_MESSAGE}"))
        return None
    if node.tag not in _ALLOWED_TAGS:
        tag = node.tag.replace(_STD, "!!")
        problems.append(Problem(doc.file, *_pos(node, doc), format_path(path),
                                f"tag {tag} is not allowed; routes.yaml holds plain text, numbers, lists and mappings"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                problems.append(Problem(doc.file, *_pos(knode, doc), format_path(path),
                                        "a key must be plain text"))
                continue
            k = knode.value
            if knode.tag not in _ALLOWED_TAGS:
                problems.append(Problem(doc.file, *_pos(knode, doc), format_path(path),
                                        f"tag {knode.tag.replace(_STD, '!!')} is not allowed"))
                continue
            if k == "<<" and not knode.style:
                problems.append(Problem(doc.file, *_pos(knode, doc), format_path(path),
                                        "merge keys (<<) are not supported; write the fields out"))
                continue
            if k in out:
                first = doc.key_positions.get(path + (k,), (0, 0))[0]
                problems.append(Problem(doc.file, *_pos(knode, doc), format_path(path + (k,)),
                                        f"duplicate key '{k}' (first given on line {first})"))
                continue
            doc.key_positions[path + (k,)] = _pos(knode, doc)
            out[k] = _convert(vnode, path + (k,), doc, problems, key=k)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), doc, problems, key=None)
                for i, item in enumerate(node.value)]
    return _scalar(node, key)


def _scalar(node: yaml.ScalarNode, key):
    text = node.value
    if node.style:  # quoted or block scalar: always text (libyaml uses "" for plain, PyYAML None)
        return text
    if text in _NULLS:
        return None
    if key in NUMERIC_KEYS and (_INT.match(text) or _FLOAT.match(text)):
        # too large for a float (1e400), or for int() (over 4,300 digits): left as text,
        # which the validator reports as not a finite number
        try:
            return int(text)
        except ValueError:
            number = float(text)
            return number if math.isfinite(number) else text
    return text
