"""Read routes.yaml into plain Python values, remembering where every value came from.

The YAML is *composed* (parsed to nodes), never *constructed*: no tag can create a Python
object, and scalars are typed by the field they belong to rather than by YAML 1.1's
implicit rules.  So ``country: NO`` stays the string "NO", ``date: 2024-02-05`` stays the
string "2024-02-05", and ``title: 1:20`` is not read as the number 80.  Numbers are only
read under the numeric keys listed in NUMERIC_KEYS.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.errors import DataError, GeoError, Problem

Path_ = tuple  # a path into the document: ("events", 3, "date")

NUMERIC_KEYS = frozenset({"lat", "lon", "min", "max", "km", "value", "geonames_id", "version"})
MAX_DEPTH = 40
DEFAULT_MAX_MB = 64

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Document:
    """A loaded YAML document: plain values plus the position of every node."""

    file: str
    data: object
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

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
    return int(float(os.environ.get("GEO_MAX_FILE_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def read_text(path: str | os.PathLike, display: str | None = None) -> str:
    """Read a UTF-8 text file (a BOM is allowed, CRLF is fine); refuse binary and huge files."""
    p = Path(path)
    name = display or str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise GeoError(f"{name}: file not found") from None
    except OSError as exc:
        raise GeoError(f"{name}: cannot read: {exc.strerror}") from None
    if p.is_dir():
        raise GeoError(f"{name}: is a directory, not a routes.yaml file")
    limit = max_bytes()
    if size > limit:
        raise DataError([Problem(name, 1, 1, "", (
            f"file is {size / 1048576:.1f} MB, over the {limit / 1048576:.0f} MB limit "
            "(set GEO_MAX_FILE_MB to raise it)"))])
    raw = p.read_bytes()
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
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


def load_document(path: str | os.PathLike, display: str | None = None) -> Document:
    name = display or str(path)
    return parse_document(read_text(path, name), name)


def parse_document(text: str, name: str = "routes.yaml") -> Document:
    """Parse YAML text into a Document; raise DataError on syntax or unsafe content."""
    text = text.lstrip("\ufeff")
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        raise DataError([_syntax_problem(name, exc, text)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, 1, 1, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DataError([Problem(name, 1, 1, "", "nesting is too deep to be a routes.yaml file")]) from None
    doc = Document(file=name, data=None, text=text)
    if node is None:
        raise DataError([Problem(name, 1, 1, "", "file is empty; expected sources:, places:, routes: and events:")])
    problems: list[Problem] = []
    doc.data = _convert(node, (), doc, problems, set(), 0, key=None)
    if problems:
        raise DataError(problems)
    return doc


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "syntax error").strip()
    hint = ""
    context = (exc.context or "").strip()
    unclosed = context.startswith(("while parsing a flow", "while scanning a quoted", "while scanning a double"))
    if unclosed and exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line < exc.problem_mark.line:
        # an unterminated [..], {..} or "..": the mistake is where it was opened
        mark = exc.context_mark
        hint = f" (opened here, still open on line {exc.problem_mark.line + 1})"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    at = mark.index if mark is not None and mark.index is not None else -1
    if "'\\t'" in problem or "tab" in problem.lower() or (0 <= at < len(text) and text[at] == "\t"):
        problem = "a tab character is used for indentation"
        hint = "; indent with spaces"
    elif "mapping values are not allowed" in problem:
        hint = "; put quotes around a value that contains ': '"
    elif "could not find expected ':'" in problem:
        hint = "; check the indentation and quotes of the line above"
    elif "found unknown escape character" in problem:
        hint = "; use single quotes, or double the backslash"
    return Problem(name, line, col, "", f"YAML syntax error: {problem}{hint}")


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node, path, doc, problems, seen, depth, key):
    if depth > MAX_DEPTH:
        problems.append(doc.problem(path, f"nesting deeper than {MAX_DEPTH} levels"))
        return None
    doc.positions[path] = _pos(node)
    if id(node) in seen:
        problems.append(Problem(doc.file, *_pos(node), format_path(path),
                                "anchors and aliases (&name / *name) are not supported; write the value out"))
        return None
    if node.tag not in _ALLOWED_TAGS:
        tag = node.tag.replace(_STD, "!!")
        problems.append(Problem(doc.file, *_pos(node), format_path(path),
                                f"tag {tag} is not allowed; routes.yaml holds plain text, numbers, lists and mappings"))
        return None
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        out: dict = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                problems.append(Problem(doc.file, *_pos(knode), format_path(path), "a key must be plain text"))
                continue
            k = knode.value
            if knode.tag not in _ALLOWED_TAGS:
                problems.append(Problem(doc.file, *_pos(knode), format_path(path),
                                        f"tag {knode.tag.replace(_STD, '!!')} is not allowed"))
                continue
            if k == "<<":
                problems.append(Problem(doc.file, *_pos(knode), format_path(path),
                                        "merge keys (<<) are not supported; write the fields out"))
                continue
            if k in out:
                first = doc.key_positions.get(path + (k,), (0, 0))[0]
                problems.append(Problem(doc.file, *_pos(knode), format_path(path + (k,)),
                                        f"duplicate key '{k}' (first given on line {first})"))
                continue
            doc.key_positions[path + (k,)] = _pos(knode)
            out[k] = _convert(vnode, path + (k,), doc, problems, seen, depth + 1, key=k)
        return out
    if isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        return [
            _convert(item, path + (i,), doc, problems, seen, depth + 1, key=None)
            for i, item in enumerate(node.value)
        ]
    return _scalar(node, key)


def _scalar(node: yaml.ScalarNode, key):
    text = node.value
    if node.style:  # quoted or block scalar: always text (libyaml uses "" for plain, PyYAML None)
        return text
    if text in _NULLS:
        return None
    if key in NUMERIC_KEYS:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    return text
