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

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.errors import DataError, GeoError, Problem
from geo.yamlerrors import LineIndex, character_problem, line_col, syntax_problem

Path_ = tuple  # a path into the document: ("events", 3, "date")

NUMERIC_KEYS = frozenset(
    {"lat", "lon", "min", "max", "km", "value", "geonames_id", "version", "zoom"}
)
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
    """A loaded YAML document: plain values, and the position of every node, found when first
    asked for (by reading the text again: a valid file is read once)."""

    file: str
    data: object
    text: str = ""
    line_index: LineIndex | None = field(default=None, repr=False, compare=False)
    _located: _Reader | None = field(default=None, repr=False, compare=False)

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        return self._reading().positions

    @property
    def key_positions(self) -> dict[Path_, tuple[int, int]]:
        return self._reading().key_positions

    def _reading(self) -> _Reader:
        if self._located is None:
            self._located = _read(self.text, self.file, self.line_index, located=True)
        return self._located

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at *path*, or of its nearest parent."""
        positions = self.positions
        p = tuple(path)
        if key and p in self.key_positions:
            return self.key_positions[p]
        while p:
            if p in positions:
                return positions[p]
            p = p[:-1]
        return positions.get((), (1, 1))

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
        message = "binary data (NUL byte): not a YAML text file"
        raise DataError([Problem(name, line, 1, "", message)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = "not UTF-8 text; save the file as UTF-8"
        raise DataError([Problem(name, line, col, "", message)]) from None


_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


def load_document(path: str | os.PathLike, display: str | None = None) -> Document:
    name = display or str(path)
    return parse_document(read_text(path, name), name)


def parse_document(text: str, name: str = "routes.yaml") -> Document:
    """Parse YAML text into a Document; raise DataError on syntax or unsafe content.

    The text is read once without positions (the usual case: a valid file, whose positions
    nobody asks for); a problem found on the way, or a later Document.where(), reads it again
    with them, by the same reader."""
    text = text.lstrip("\ufeff")
    lines = LineIndex.needed(text)
    try:
        reading = _read(text, name, lines, located=False)
    except _Located:
        reading = _read(text, name, lines, located=True)
    if reading.problems:
        raise DataError(_one_alias_problem(reading.problems))
    located = reading if reading.located else None
    return Document(file=name, data=reading.root, text=text, line_index=lines, _located=located)


def _read(text: str, name: str, lines: LineIndex | None, located: bool) -> _Reader:
    reader = _Reader(name, lines, located)
    try:
        reader.run(text)
    except yaml.MarkedYAMLError as exc:
        raise DataError([syntax_problem(name, exc, text, lines)]) from None
    except yaml.reader.ReaderError as exc:
        raise DataError([character_problem(name, exc, text)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, 1, 1, "", f"YAML error: {exc}")]) from None
    if reader.root is _NOTHING:
        message = "file is empty; expected sources:, places:, routes: and events:"
        raise DataError([Problem(name, 1, 1, "", message)])
    return reader


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


class _Located(Exception):
    """A reading without positions met a problem: read again with them, to locate it."""


_NOTHING = object()  # no document at all (an empty file), unlike a document that is null
_KEY = object()  # a mapping's next node is a key
_SKIP = object()  # a mapping's next node is the value of a refused key: read and dropped


class _Reader:
    """Plain values straight from libyaml's event stream, in one loop (no node tree).

    A frame of the stack is [container, pending, dropped, role]: for a mapping, *pending* is
    _KEY, the key whose value comes next, or _SKIP; *dropped* marks a subtree that is read but
    not kept (under a refused key, or with a refused tag), whose problems are not reported;
    *role* is "key" for a collection used as a key, "refused" for one with a refused tag.
    With *located*, the position of every kept node and key is recorded and every problem
    collected; without, the first problem raises _Located."""

    def __init__(self, name: str, lines: LineIndex | None, located: bool):
        self.name, self.lines, self.located = name, lines, located
        self.stack: list[list] = []
        self.root: object = _NOTHING
        self.documents = 0
        self.problems: list[Problem] = []
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}

    def run(self, text: str) -> None:
        handlers = {
            yaml.ScalarEvent: self.scalar, yaml.AliasEvent: self.alias,
            yaml.MappingStartEvent: self.start, yaml.SequenceStartEvent: self.start,
            yaml.MappingEndEvent: self.end, yaml.SequenceEndEvent: self.end,
            yaml.DocumentStartEvent: self.document,
        }
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)

    def path(self, depth: int | None = None) -> Path_:
        """The path of the node read next (of the mapping whose key comes next, with depth -1)."""
        return tuple(f[1] if type(f[0]) is dict else len(f[0]) for f in self.stack[:depth])

    def report(self, mark, path: Path_, message: str) -> None:
        if not self.located:
            raise _Located
        line, col = line_col(mark, self.lines)
        self.problems.append(Problem(self.name, line, col, format_path(path), message))

    def awaits_key(self) -> bool:
        return bool(self.stack) and self.stack[-1][1] is _KEY

    def dropping(self) -> bool:
        """Whether the node read next is dropped (see the class docstring)."""
        if not self.stack:
            return False
        frame = self.stack[-1]
        return frame[2] or frame[1] is _SKIP

    def deliver(self, value) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container = frame[0]
        if type(container) is list:
            if not frame[2]:
                container.append(value)
        else:
            if frame[1] is not _SKIP and not frame[2]:
                container[frame[1]] = value
            frame[1] = _KEY

    def scalar(self, event) -> None:
        stack = self.stack
        frame = stack[-1] if stack else None
        if frame is not None and frame[1] is _KEY:
            self.key(frame, event)
            return
        if frame is not None and (frame[2] or frame[1] is _SKIP):
            self.deliver(None)
            return
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            self.value_refused(event)
            return
        if self.located:
            self.positions[self.path()] = line_col(event.start_mark, self.lines)
        if frame is None:
            self.root = _scalar(event.value, event.style, None)
        elif type(frame[0]) is list:
            frame[0].append(_scalar(event.value, event.style, None))
        else:
            key = frame[1]
            frame[0][key] = _scalar(event.value, event.style, key)
            frame[1] = _KEY

    def value_refused(self, event) -> None:
        path = self.path()
        if self.located:
            self.positions[path] = line_col(event.start_mark, self.lines)
        self.report(event.start_mark, path, (
            f"tag {event.tag.replace(_STD, '!!')} is not allowed; "
            "routes.yaml holds plain text, numbers, lists and mappings"))
        self.deliver(None)

    def key(self, frame: list, event) -> None:
        k, tag = event.value, event.tag
        if frame[2]:
            frame[1] = _SKIP
        elif tag is None and k != "<<" and k not in frame[0]:  # the usual key
            if self.located:
                self.key_positions[self.path(-1) + (k,)] = line_col(event.start_mark, self.lines)
            frame[1] = k
        else:
            self.odd_key(frame, event)

    def odd_key(self, frame: list, event) -> None:
        """A key with a tag, a merge key or a duplicate: refused, unless a harmless tag."""
        k, tag = event.value, event.tag
        where = self.path(-1)
        frame[1] = _SKIP
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            self.report(event.start_mark, where, f"tag {tag.replace(_STD, '!!')} is not allowed")
        elif k == "<<" and not event.style:
            self.report(event.start_mark, where,
                        "merge keys (<<) are not supported; write the fields out")
        elif k in frame[0]:
            first = self.key_positions.get(where + (k,), (0, 0))[0]
            self.report(event.start_mark, where + (k,),
                        f"duplicate key '{k}' (first given on line {first})")
        else:
            if self.located:
                self.key_positions[where + (k,)] = line_col(event.start_mark, self.lines)
            frame[1] = k

    def alias(self, event) -> None:
        if self.awaits_key():
            self.stack[-1][1] = _SKIP
            if not self.stack[-1][2]:
                self.report(event.start_mark, self.path(-1), "a key must be plain text")
            return
        if not self.dropping():
            path = self.path()
            if self.located:
                self.positions[path] = line_col(event.start_mark, self.lines)
            self.report(event.start_mark, path, f"*{event.anchor} is an alias; {_ALIAS_MESSAGE}")
        self.deliver(None)

    def start(self, event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise DataError([Problem(self.name, *line_col(event.start_mark, self.lines), "", (
                f"nesting deeper than {MAX_DEPTH} levels; a routes.yaml needs no more than 6"))])
        container: dict | list = {} if type(event) is yaml.MappingStartEvent else []
        pending = _KEY if type(container) is dict else None
        if self.awaits_key():
            if not self.stack[-1][2]:
                self.report(event.start_mark, self.path(-1), "a key must be plain text")
            self.stack.append([container, pending, True, "key"])
            return
        if self.dropping():
            self.stack.append([container, pending, True, None])
            return
        path = self.path()
        if self.located:
            self.positions[path] = line_col(event.start_mark, self.lines)
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
            self.report(event.start_mark, path, (
                f"tag {tag.replace(_STD, '!!')} is not allowed; "
                "routes.yaml holds plain text, numbers, lists and mappings"))
            self.stack.append([container, pending, True, "refused"])
            return
        self.stack.append([container, pending, False, None])

    def end(self, event) -> None:
        container, _, _, role = self.stack.pop()
        if role == "key":
            self.stack[-1][1] = _SKIP
        else:
            self.deliver(None if role == "refused" else container)

    def document(self, event) -> None:
        self.documents += 1
        if self.documents > 1:
            raise DataError([Problem(self.name, *line_col(event.start_mark, self.lines), "", (
                "a second YAML document starts here; routes.yaml must be one document "
                "(remove this '---' line)"))])


def _scalar(text: str, style, key):
    if style:  # quoted or block scalar: always text (libyaml uses "" for plain, PyYAML None)
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
