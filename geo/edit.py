"""Safe edits of routes.yaml: new entries go in, nothing else in the file changes.

An edit is a list of operations (append an item to a list, add a key to a mapping, replace
a list item).  Each one is applied by *splicing* a new block of text into the original
file at the end of the collection it extends, so every comment, blank line, quote and key
order of the rest of the file stays byte-for-byte as it was.  The new block is written by
ruamel.yaml in the style the file already uses (indentation, flow or block lists, quote
character, blank lines between items, key order).  When the target cannot be spliced
(a non-empty flow-style list, an odd layout), the edit falls back to a ruamel.yaml
round trip of the whole document.

Either way the result is parsed again and must (1) hold exactly the old data plus the new
entries and (2) pass the full validator, before anything is written.  Writes hold a lock
file next to routes.yaml for the whole read-modify-validate-write, and replace the file
atomically (temporary file in the same directory, fsync, rename), so concurrent edits never
lose each other's additions and a crash leaves either the old or the new file.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from geo.errors import DataError, GeoError, printable
from geo.load import Document, decode, format_path, max_bytes, parse_document
from geo.model import Dataset, Place
from geo.validate import check_document

T = TypeVar("T")

LOCK_TIMEOUT = 60.0  # seconds to wait for another geo command to finish its edit
SECTION_ORDER = ("version", "sources", "places", "routes", "events")
DATE_KEYS = frozenset({"since", "date", "end_date", "published"})
_BOM = "\ufeff"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_ITEM = "[]"  # path component standing for "any item of this list" in style templates
TEXT_WIDTH = 78  # fold long text at this column, where the file folds text
FLOW_WIDTH = 100  # a [flow, list] longer than this is written as a block list


# ---------------------------------------------------------------- operations


@dataclass(frozen=True)
class Append:
    """Append *value* to the list at *path* (created if the top-level key is missing)."""

    path: tuple
    value: dict


@dataclass(frozen=True)
class Insert:
    """Insert *value* into the list at *path* before item *index* (at the end if index == len)."""

    path: tuple
    index: int
    value: dict


@dataclass(frozen=True)
class AddKey:
    """Add *key*: *value* to the mapping at *path*."""

    path: tuple
    key: str
    value: dict


@dataclass(frozen=True)
class Replace:
    """Replace item *index* of the list at *path* with *value*."""

    path: tuple
    index: int
    value: dict


Op = Append | Insert | AddKey | Replace


def _target_path(op: Op, data) -> tuple:
    """Path of the entry *op* writes, in the document after the edit."""
    if isinstance(op, Append):
        existing = _get(data, op.path)
        return op.path + (len(existing) if isinstance(existing, list) else 0,)
    if isinstance(op, AddKey):
        return op.path + (op.key,)
    return op.path + (op.index,)  # Insert, Replace


# ---------------------------------------------------------------- the file


@dataclass
class RoutesFile:
    """routes.yaml as read from disk: its text and plain data, before any change.

    It is not validated on reading: the result of an edit is validated as a whole, and only
    if that fails is the original checked, to tell a broken file from a bad change.  This
    keeps an edit to a single validation.
    """

    path: Path  # real path (symlinks resolved): the file that gets replaced
    display: str  # the name the user gave, for messages
    text: str  # without BOM
    bom: bool
    newline: str
    doc: Document

    @classmethod
    def read(cls, path: str | os.PathLike, display: str | None = None) -> RoutesFile:
        real = Path(os.path.realpath(path))
        name = display or str(path)
        try:
            size = real.stat().st_size
        except FileNotFoundError:
            raise GeoError(f"{name}: file not found (give the routes file with --file)") from None
        if real.is_dir():
            raise GeoError(f"{name}: is a directory, not a routes.yaml file")
        if size > max_bytes():
            raise GeoError(f"{name}: file is {size / 1048576:.1f} MB, too large to edit")
        raw = real.read_bytes()
        text = decode(raw, name)
        newline = "\r\n" if "\r\n" in text else "\n"
        doc = read_document(text, name)
        if not isinstance(doc.data, dict):
            check_document(doc)  # raises the validator's own message
        return cls(real, name, text, raw.startswith(b"\xef\xbb\xbf"), newline, doc)

    @property
    def data(self) -> dict:
        return self.doc.data  # type: ignore[return-value]

    def items(self, section: str) -> list[dict]:
        """The well-formed entries of a list section (places, routes or events)."""
        value = self.data.get(section)
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    def index_of(self, section: str, item_id: str) -> int | None:
        value = self.data.get(section)
        if not isinstance(value, list):
            return None
        return next(
            (
                i
                for i, item in enumerate(value)
                if isinstance(item, dict) and item.get("id") == item_id
            ),
            None,
        )

    def ids(self, section: str) -> list[str]:
        return [item["id"] for item in self.items(section) if isinstance(item.get("id"), str)]

    def sources(self) -> dict[str, dict]:
        value = self.data.get("sources")
        return (
            {k: v for k, v in value.items() if isinstance(v, dict)}
            if isinstance(value, dict)
            else {}
        )

    def line_of(self, section: str, item_id: str) -> int | None:
        index = self.index_of(section, item_id)
        return None if index is None else self.doc.where((section, index))[0]

    def local_places(self) -> tuple[Place, ...]:
        """The places: entries as gazetteer places (malformed ones are left to the validator)."""
        out = []
        for p in self.items("places"):
            try:
                out.append(
                    Place(
                        id=p["id"],
                        name=p["name"],
                        lat=float(p["lat"]),
                        lon=float(p["lon"]),
                        kind=p["kind"],
                        country=p["country"],
                        alt_names=tuple(str(a) for a in p.get("alt_names") or ()),
                        iata=p.get("iata"),
                        icao=p.get("icao"),
                        origin="local",
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
        return tuple(out)

    def encode(self, text: str) -> bytes:
        return ((_BOM if self.bom else "") + text).encode("utf-8")


@dataclass(frozen=True)
class Edit:
    """The outcome of applying operations to a RoutesFile (validated, not yet written)."""

    file: str
    old_text: str
    new_text: str
    dataset: Dataset  # the validated result
    lines: tuple[int, ...]  # first line of each new or replaced entry, in the new text
    written: bool = False

    def diff(self) -> str:
        import difflib

        return "".join(
            difflib.unified_diff(
                self.old_text.splitlines(keepends=True),
                self.new_text.splitlines(keepends=True),
                fromfile=f"a/{self.file}",
                tofile=f"b/{self.file}",
            )
        )


def plan(file: RoutesFile, ops: list[Op]) -> Edit:
    """Apply *ops* to *file*'s text and validate the whole result.

    Raises the original file's DataError if the file was already invalid, else a one-line
    GeoError naming what the change would break.
    """
    if not ops:
        raise GeoError("nothing to change")
    text, doc = file.text, file.doc
    targets = []
    for op in ops:
        targets.append(_target_path(op, doc.data))
        text, doc = apply_op(text, doc, op, file.newline)
    try:
        dataset = check_document(doc)
    except DataError as exc:
        check_document(file.doc)  # an already broken file: report its own problems, with its lines
        first = exc.problems[0]
        where = f"{first.field}: " if first.field else ""
        message = printable(f"{where}{first.message}")
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        raise GeoError(
            f"the change would make {file.display} invalid: {message}{more}; nothing was written"
        ) from None
    lines = tuple(doc.where(t)[0] for t in targets)
    return Edit(file.display, file.text, text, dataset, lines)


def edit_file(
    path: str | os.PathLike,
    build: Callable[[RoutesFile], tuple[list[Op], T]],
    *,
    display: str | None = None,
    dry_run: bool = False,
    timeout: float = LOCK_TIMEOUT,
) -> tuple[Edit, T]:
    """Read, change (via *build*), validate and atomically write routes.yaml under its lock.

    *build* receives the current file and returns the operations plus anything the caller
    wants back (what was resolved, for the report).  With *dry_run* nothing is locked or written.
    """
    real = Path(os.path.realpath(path))
    with nullcontext() if dry_run else locked(real, timeout=timeout):
        current = RoutesFile.read(path, display)
        ops, info = build(current)
        result = plan(current, ops)
        if not dry_run:
            remove_stale_temp_files(real)
            write_atomic(real, current.encode(result.new_text))
            result = Edit(
                result.file, result.old_text, result.new_text, result.dataset, result.lines, True
            )
    return result, info


# ---------------------------------------------------------------- lock and atomic write


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock``, removing the lock file when done.

    Uses flock(2).  A lock file may be unlinked by its holder on release, so after locking,
    the descriptor is checked to still be the file at the path; if not, the lock is retaken.
    A process killed while holding the lock leaves the file behind, and the kernel releases
    the lock: the next edit takes it over and removes it.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: the filelock package does the same job
        import filelock

        try:
            with filelock.FileLock(str(lock_path(path)), timeout=timeout):
                yield
        except filelock.Timeout:
            raise GeoError(_busy(path, timeout)) from None
        return

    target = lock_path(path)
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() > deadline:
                raise GeoError(_busy(path, timeout)) from None
            time.sleep(0.01)
            continue
        try:
            current = os.stat(target)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            break
        os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        os.close(fd)


def _busy(path: Path, timeout: float) -> str:
    return (
        f"{path.name} is being edited by another geo command (lock {lock_path(path).name} held "
        f"for over {timeout:g} s); try again"
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Replace *path* with *data*: temp file in the same directory, fsync, rename, fsync dir."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            try:
                os.fchmod(fd, stat.S_IMODE(path.stat().st_mode))
            except FileNotFoundError:
                pass
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not possible on every platform; the rename is atomic regardless
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(path: Path) -> None:
    """Delete temporary files left by edits killed mid-write (call only under the lock)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


# ---------------------------------------------------------------- applying one operation


def apply_op(text: str, doc: Document, op: Op, newline: str = "\n") -> tuple[str, Document]:
    """*text* (parsed as *doc*) with *op* applied: spliced if possible, else by a ruamel.yaml
    round trip.  The result is parsed and checked to hold exactly the old data plus the change."""
    expected = _expected(doc.data, op)
    spliced = _Splicer(text, newline).apply(op)
    if spliced is not None:
        new_doc = _parsed(spliced, doc.file)
        if new_doc is not None and new_doc.data == expected:
            return spliced, new_doc
        import logging

        logging.getLogger(__name__).debug(
            "splicing %s did not give the expected data; falling back to a round trip", op
        )
    result = _round_trip(text, op)
    if newline != "\n":
        result = result.replace("\n", newline)
    new_doc = _parsed(result, doc.file)
    if new_doc is None or new_doc.data != expected:
        raise GeoError(
            f"{doc.file}: could not write the change without altering other entries; "
            "please add it by hand"
        )
    return result, new_doc


def _parsed(text: str, name: str) -> Document | None:
    try:
        return read_document(text, name)
    except DataError:
        return None


def read_document(text: str, name: str) -> Document:
    return parse_document(text, name)


def _get(data, path: tuple):
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _expected(data, op: Op):
    """*data* with *op* applied, as a new value: the mappings and lists on the way to the
    change are copied, the rest is shared with *data* (which is left as it was)."""
    out = parent = _copied(data)
    for part in op.path[:-1]:
        child = _copied(_get(parent, (part,)))
        if child is not None:
            parent[part] = child
        parent = child
    key = op.path[-1]
    if not isinstance(parent, (dict, list)):
        raise GeoError(f"cannot edit {format_path(op.path)}: its parent is not a mapping or list")
    container = _copied(parent[key] if isinstance(parent, list) else parent.get(key))
    if container is not None:
        parent[key] = container
    if isinstance(op, Replace):
        container[op.index] = op.value
        return out
    if container is None:
        container = {} if isinstance(op, AddKey) else []
        parent[key] = container
    if isinstance(op, Append):
        container.append(op.value)
    elif isinstance(op, Insert):
        container.insert(op.index, op.value)
    else:
        container[op.key] = op.value
    return out


def _copied(value):
    """A shallow copy of a mapping or list; anything else as it is."""
    return value.copy() if isinstance(value, (dict, list)) else value


# ---------------------------------------------------------------- style of the file


@dataclass
class Style:
    """How the file writes YAML, detected from its text (defaults: the bundled routes.yaml)."""

    mapping: int = 2  # indent of a mapping nested in a mapping
    sequence: int = 4  # indent of a list item's content, from its parent key
    offset: int = 2  # indent of a list item's dash, from its parent key
    quote: str = '"'  # quote character of dates
    blank_between_sections: bool = False
    flow: dict = field(default_factory=dict)  # template path -> Counter of flow style (True/False)
    scalar: dict = field(
        default_factory=dict
    )  # template path -> Counter of scalar styles ('"', '>', None…)
    order: dict = field(default_factory=dict)  # template path -> key order


def detect_style(text: str, root: yaml.Node) -> Style:
    style = Style()
    found_seq = found_map = False
    lines = text.split("\n")

    def walk(node: yaml.Node) -> None:
        nonlocal found_seq, found_map
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                if (
                    isinstance(vnode, yaml.SequenceNode)
                    and not vnode.flow_style
                    and vnode.value
                    and not found_seq
                ):
                    item = vnode.value[0]
                    dash = _dash_column(lines, item)
                    if dash is not None and item.start_mark.column - dash >= 2:
                        style.offset = dash - knode.start_mark.column
                        style.sequence = item.start_mark.column - knode.start_mark.column
                        found_seq = style.offset >= 0
                if (
                    isinstance(vnode, yaml.MappingNode)
                    and not vnode.flow_style
                    and vnode.value
                    and not found_map
                    and vnode.start_mark.line > knode.start_mark.line
                ):
                    indent = vnode.value[0][0].start_mark.column - knode.start_mark.column
                    if indent > 0:
                        style.mapping, found_map = indent, True
                if (
                    isinstance(vnode, yaml.ScalarNode)
                    and knode.value in DATE_KEYS
                    and vnode.style in ('"', "'")
                ):
                    style.quote = vnode.style
                walk(vnode)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(root)
    if isinstance(root, yaml.MappingNode):
        for knode, _ in root.value[1:]:
            above = _first_line_of_block(lines, knode.start_mark.line, knode.start_mark.column) - 1
            if above >= 0 and not lines[above].strip():
                style.blank_between_sections = True
    return style


def _learn_template(style: Style, items: list[yaml.Node]) -> None:
    """Record how *items* (the entries next to the new one) write each field: flow or block
    collections, quoted, plain or folded text, and key order."""

    def walk(node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.ScalarNode):
            style.scalar.setdefault(path, Counter())[node.style] += 1
            return
        style.flow.setdefault(path, Counter())[bool(node.flow_style)] += 1
        if isinstance(node, yaml.MappingNode):
            style.order[path] = [k.value for k, _ in node.value]
            for k, v in node.value:
                walk(v, path + (k.value,))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, path + (_ITEM,))

    for item in items:
        walk(item, ())


def _dash_column(lines: list[str], item: yaml.Node) -> int | None:
    """Column of the '-' that introduces *item*, if it is on the item's first line."""
    line = lines[item.start_mark.line] if item.start_mark.line < len(lines) else ""
    col = item.start_mark.column
    dash = line.rfind("-", 0, col)
    if dash < 0 or line[:dash].strip() or line[dash + 1 : col].strip():
        return None
    return dash


def _first_line_of_block(lines: list[str], line: int, max_col: int) -> int:
    """The first of the comment lines directly above *line* that are indented no deeper than
    *max_col* (a deeper one belongs to the entry above), or *line* itself."""
    while (
        line > 0
        and lines[line - 1].lstrip().startswith("#")
        and len(lines[line - 1]) - len(lines[line - 1].lstrip()) <= max_col
    ):
        line -= 1
    return line


# ---------------------------------------------------------------- rendering a new block
#
# New blocks are written here rather than by a YAML library: the shapes are simple (mappings
# of text, numbers and short lists), the style must follow the file's, and it keeps
# ruamel.yaml's import off the fast path.  Whatever is written is parsed back and compared
# with the intended data before it is used (apply_op), so a mistake here cannot reach the file.

# characters a YAML stream may not hold as they are (all but TAB, LF, CR, U+0020-U+007E,
# U+00A0-U+D7FF, U+E000-U+FFFD and U+10000 up), and line breaks only YAML knows; written as
# the few ranges they are, which compiles several times faster than the negated class
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029\ufeff]"
)
_PLAIN_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_YAML12_SPECIAL = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$"
)


def render(value: dict, style: Style, col: int = 0) -> list[str]:
    """Lines of YAML for mapping *value* with its keys at column *col*, in the file's style."""
    return _mapping_lines(value, (), style, col)


def _mapping_lines(value: dict, path: tuple, style: Style, col: int) -> list[str]:
    pad = " " * col
    lines: list[str] = []
    for key in _ordered(list(value), style.order.get(path)):
        item, at = value[key], path + (key,)
        if isinstance(item, dict):
            inline = _flow_mapping(item, at, style)
            if inline is not None and _most_common(style.flow.get(at), False):
                lines.append(f"{pad}{key}: {inline}")
            else:
                lines += [f"{pad}{key}:", *_mapping_lines(item, at, style, col + style.mapping)]
        elif isinstance(item, list):
            lines += _list_lines(key, item, at, style, col)
        else:
            lines += _scalar_lines(key, item, at, style, col)
    return lines


def _list_lines(key: str, items: list, path: tuple, style: Style, col: int) -> list[str]:
    pad, scalars = " " * col, all(not isinstance(v, (dict, list)) for v in items)
    if not items:
        return [f"{pad}{key}: []"]
    if scalars and _most_common(style.flow.get(path), True):
        texts = [_inline(v, path + (_ITEM,), style, None, flow=True) for v in items]
        line = f"{pad}{key}: [{', '.join(texts)}]"
        if len(line) <= FLOW_WIDTH:
            return [line]
    dash, content = col + style.offset, col + style.sequence
    lines = [f"{pad}{key}:"]
    for item in items:
        if isinstance(item, dict):
            body = _mapping_lines(item, path + (_ITEM,), style, content)
        elif isinstance(item, list):
            raise GeoError("lists of lists are not part of routes.yaml")
        else:
            body = [" " * content + _inline(item, path + (_ITEM,), style, None, flow=False)]
        lines += [body[0][:dash] + "-" + body[0][dash + 1 :], *body[1:]]
    return lines


def _flow_mapping(value: dict, path: tuple, style: Style) -> str | None:
    if any(isinstance(v, (dict, list)) for v in value.values()):
        return None
    keys = _ordered(list(value), style.order.get(path))
    parts = [f"{k}: {_inline(value[k], path + (k,), style, k, flow=True)}" for k in keys]
    return "{" + ", ".join(parts) + "}"


def _scalar_lines(key: str, value, path: tuple, style: Style, col: int) -> list[str]:
    pad = " " * col
    if isinstance(value, str):
        folds = _folds(value, style, path, key, col)
        if folds is not None:
            indent = " " * (col + style.mapping)
            starts, ends = [0, *(f + 1 for f in folds)], [*folds, len(value)]
            pieces = [value[a:b] for a, b in zip(starts, ends, strict=True)]
            return [f"{pad}{key}: >-", *(indent + piece for piece in pieces)]
    return [f"{pad}{key}: {_inline(value, path, style, key, flow=False)}"]


def _inline(value, path: tuple, style: Style, key: str | None, *, flow: bool) -> str:
    """A scalar on one line: plain, or quoted as the file quotes that field, or as it must be."""
    if isinstance(value, bool) or value is None:
        raise GeoError(f"cannot write {value!r}: routes.yaml holds text and numbers")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    quote = _quote_for(value, style, path, key)
    if quote is None and not _plain_ok(value, flow):
        quote = style.quote
    if quote == "'" and "\n" not in value and not _UNPRINTABLE.search(value):
        return "'" + value.replace("'", "''") + "'"
    if quote is None:
        return value
    return _UNPRINTABLE.sub(_escape, json.dumps(value, ensure_ascii=False))


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _quote_for(text: str, style: Style, path: tuple, key: str | None) -> str | None:
    """The quote the file uses for this field ('"', "'" or None for plain); dates always quoted."""
    if key in DATE_KEYS:
        return style.quote
    seen = style.scalar.get(path) or Counter()
    return _most_common(Counter({k: n for k, n in seen.items() if k in (None, '"', "'")}), None)


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether *text* reads back as the same text when written without quotes, by YAML 1.1
    (PyYAML) and 1.2 readers alike."""
    if not text or text != text.strip() or not _PLAIN_START.match(text):
        return False
    if _UNPRINTABLE.search(text) or "\t" in text or "\n" in text or "\r" in text:
        return False
    if (
        ": " in text
        or " #" in text
        or text.endswith(":")
        or (flow and any(c in ",[]{}" for c in text))
    ):
        return False
    if _YAML12_SPECIAL.match(text):
        return False
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


def _folds(text: str, style: Style, path: tuple, key: str | None, col: int) -> list[int] | None:
    """Where to fold *text* (>-) if the file folds that field and it is too long for a line."""
    seen = style.scalar.get(path) or Counter()
    if key in DATE_KEYS or not seen[">"] or col + len(key or "") + 2 + len(text) <= TEXT_WIDTH:
        return None
    return _fold_positions(text, TEXT_WIDTH - col - style.mapping)


def _most_common(counts: Counter | None, default):
    return counts.most_common(1)[0][0] if counts else default


def _fold_positions(text: str, width: int) -> list[int] | None:
    """Indexes of the single spaces to break *text* at, so lines stay within *width*."""
    if "\n" in text or text != text.strip() or width < 20 or not _plain_ok(text[:1], False):
        return None
    folds, line_start, last_space = [], 0, None
    for i, c in enumerate(text):
        if c == " " and text[i - 1] != " " and i + 1 < len(text) and text[i + 1] != " ":
            if i - line_start > width and last_space is not None:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(text) - line_start > width and last_space is not None and last_space > line_start:
        folds.append(last_space)
    return folds or None


def _to_ruamel(value: Any, path: tuple, style: Style, key: str | None, col: int):
    """*value* as ruamel.yaml objects for the round-trip fallback, styled like render()."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        SingleQuotedScalarString,
    )

    if isinstance(value, dict):
        m = CommentedMap()
        for k in _ordered(list(value), style.order.get(path)):
            m[k] = _to_ruamel(value[k], path + (k,), style, k, col + style.mapping)
        if _most_common(style.flow.get(path), False):
            m.fa.set_flow_style()
        else:
            m.fa.set_block_style()
        return m
    if isinstance(value, list):
        s = CommentedSeq(_to_ruamel(v, path + (_ITEM,), style, None, col) for v in value)
        scalars = all(not isinstance(v, (dict, list)) for v in value)
        flow = scalars and _most_common(style.flow.get(path), True)
        if flow:
            s.fa.set_flow_style()
        else:
            s.fa.set_block_style()
        return s
    if not isinstance(value, str):
        return value
    folds = _folds(value, style, path, key, col)
    if folds is not None:
        folded = FoldedScalarString(value)
        folded.fold_pos = folds
        return folded
    quote = _quote_for(value, style, path, key)
    if quote is None and not _plain_ok(value, False):
        quote = style.quote
    return {'"': DoubleQuotedScalarString, "'": SingleQuotedScalarString}.get(quote, str)(value)


def _ordered(keys: list[str], template: list[str] | None) -> list[str]:
    """*keys* (in canonical order) rearranged to follow the order the file already uses."""
    if not template:
        return keys
    pos = {k: i for i, k in enumerate(template)}
    rank, last = {}, -1
    for n, k in enumerate(keys):
        if k in pos:
            last = pos[k]
            rank[k] = (last, 0, n)
        else:
            rank[k] = (last, 1, n)
    return sorted(keys, key=rank.__getitem__)


# ---------------------------------------------------------------- splicing


class _Splicer:
    """Inserts a rendered block into the original text; returns None when it cannot."""

    def __init__(self, text: str, newline: str = "\n"):
        self.text = text
        self.nl = newline
        self.lines = text.split("\n")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.root = yaml.compose(text, Loader=loader)
        self.style = detect_style(text, self.root)

    def apply(self, op: Op) -> str | None:
        if not isinstance(self.root, yaml.MappingNode):
            return None
        key_node, node = self._find(op.path)
        if isinstance(op, Replace):
            return self._replace(node, op)
        if isinstance(op, Insert):
            if (
                isinstance(node, yaml.SequenceNode)
                and not node.flow_style
                and op.index < len(node.value)
            ):
                return self._before_item(node, op.index, op.value)
            op = Append(op.path, op.value)  # at the end: the same as appending
        if node is None:
            return self._new_section(op) if len(op.path) == 1 and key_node is None else None
        if (
            isinstance(op, Append)
            and isinstance(node, yaml.SequenceNode)
            and not node.flow_style
            and node.value
        ):
            return self._after_last_item(node, op.value)
        if (
            isinstance(op, AddKey)
            and isinstance(node, yaml.MappingNode)
            and not node.flow_style
            and node.value
        ):
            return self._after_last_entry(node, op.key, op.value)
        if key_node is not None and _is_empty(node):
            return self._fill_empty(key_node, node, op)
        return None

    def _find(self, path: tuple) -> tuple[yaml.Node | None, yaml.Node | None]:
        """(key node, value node) at *path*; key node is None for list items or a missing key."""
        key_node, node = None, self.root
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next(
                    (
                        (k, v)
                        for k, v in node.value
                        if isinstance(k, yaml.ScalarNode) and k.value == part
                    ),
                    None,
                )
                if pair is None:
                    return None, None
                key_node, node = pair
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                key_node, node = None, node.value[part]
            else:
                return None, None
        return key_node, node

    # -- positions ------------------------------------------------------
    def _content_end(self, node: yaml.Node) -> int:
        """Index just after the last character of *node*'s own text (not its trailing comments)."""
        end = _max_end(node)
        while end > 0 and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def _line_end(self, index: int) -> int:
        ends = [i for i in (self.text.find("\r", index), self.text.find("\n", index)) if i >= 0]
        return min(ends) if ends else len(self.text)

    def _offset(self, line: int) -> int:
        """Index of the first character of *line* (0-based)."""
        return sum(len(ln) + 1 for ln in self.lines[:line])

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _blank_before(self, node: yaml.Node, count: int) -> bool:
        line = _first_line_of_block(self.lines, node.start_mark.line, node.start_mark.column)
        return count >= 2 and line > 0 and not self.lines[line - 1].strip()

    # -- the four ways in -------------------------------------------------
    def _item_lines(self, value: dict, dash: int, content: int) -> list[str]:
        body = render(value, self.style, content)
        return [body[0][:dash] + "-" + body[0][dash + 1 :]] + body[1:]

    def _after_last_item(self, seq: yaml.SequenceNode, value: dict) -> str | None:
        last = seq.value[-1]
        dash = _dash_column(self.lines, last)
        if dash is None:
            return None
        _learn_template(self.style, seq.value)
        block = self._item_lines(value, dash, last.start_mark.column)
        return self._insert_after(
            last, block, self._blank_before(last, len(seq.value)), last.start_mark.column
        )

    def _before_item(self, seq: yaml.SequenceNode, index: int, value: dict) -> str | None:
        item = seq.value[index]
        dash = _dash_column(self.lines, item)
        if dash is None:
            return None
        _learn_template(self.style, seq.value)
        block = self._item_lines(value, dash, item.start_mark.column)
        at = self._offset(_first_line_of_block(self.lines, item.start_mark.line, dash))
        gap = self.nl if self._blank_before(seq.value[-1], len(seq.value)) else ""
        return self.text[:at] + self.nl.join(block) + self.nl + gap + self.text[at:]

    def _after_last_entry(self, mapping: yaml.MappingNode, key: str, value: dict) -> str | None:
        last_key, last_value = mapping.value[-1]
        _learn_template(self.style, [v for _, v in mapping.value])
        col = last_key.start_mark.column
        block = [" " * col + f"{_key_text(key)}:"] + render(
            value, self.style, col + self.style.mapping
        )
        return self._insert_after(
            last_value, block, self._blank_before(last_key, len(mapping.value)), col + 1
        )

    def _insert_after(self, node: yaml.Node, block: list[str], blank: bool, min_col: int) -> str:
        """Insert *block* after *node*'s last line and any comment lines right below it that are
        indented at least *min_col* (they belong to that entry, not to what follows)."""
        end = self._content_end(node)
        first = line = self.text.count("\n", 0, end)
        while line + 1 < len(self.lines):
            below = self.lines[line + 1]
            if not below.lstrip().startswith("#") or len(below) - len(below.lstrip()) < min_col:
                break
            line += 1
        at = self._line_end(end if line == first else self._offset(line))
        insertion = self.nl * (2 if blank else 1) + self.nl.join(block)
        return self.text[:at] + insertion + self.text[at:]

    def _fill_empty(self, key_node: yaml.Node, node: yaml.Node, op: Op) -> str:
        """`events:`, `events: ~` or `events: []`: drop the empty value, put the block under it."""
        col = key_node.start_mark.column
        block = self._block_under_key(col, op)
        start, end = node.start_mark.index, node.end_mark.index
        line_end = self._line_end(end)
        head, tail = self.text[:start].rstrip(" \t"), self.text[end:line_end]
        if not tail.strip():
            tail = ""
        return head + tail + self.nl + self.nl.join(block) + self.text[line_end:]

    def _block_under_key(self, col: int, op: Op) -> list[str]:
        if isinstance(op, (Append, Insert)):
            return self._item_lines(op.value, col + self.style.offset, col + self.style.sequence)
        col += self.style.mapping
        return [" " * col + f"{_key_text(op.key)}:"] + render(
            op.value, self.style, col + self.style.mapping
        )

    def _new_section(self, op: Op) -> str:
        name = op.path[0]
        block = [f"{name}:"] + self._block_under_key(0, op)
        keys = {k.value: k for k, _ in self.root.value if isinstance(k, yaml.ScalarNode)}
        later = SECTION_ORDER[SECTION_ORDER.index(name) + 1 :] if name in SECTION_ORDER else ()
        following = next((keys[k] for k in later if k in keys), None)
        nl = self.nl
        gap = nl if self.style.blank_between_sections else ""
        if following is not None and following.start_mark.column == 0:
            at = self._offset(_first_line_of_block(self.lines, following.start_mark.line, 0))
            return self.text[:at] + nl.join(block) + nl + gap + self.text[at:]
        text = self.text if self.text.endswith("\n") else self.text + nl
        return text + gap + nl.join(block) + nl

    def _replace(self, seq: yaml.Node | None, op: Replace) -> str | None:
        if (
            not isinstance(seq, yaml.SequenceNode)
            or seq.flow_style
            or not 0 <= op.index < len(seq.value)
        ):
            return None
        item = seq.value[op.index]
        dash = _dash_column(self.lines, item)
        if dash is None:
            return None
        _learn_template(self.style, [item])
        block = self._item_lines(op.value, dash, item.start_mark.column)
        start = self._line_start(item.start_mark.index)
        end = self._line_end(self._content_end(item))
        return self.text[:start] + self.nl.join(block) + self.text[end:]


def _max_end(node: yaml.Node) -> int:
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return node.end_mark.index
    if isinstance(node, yaml.MappingNode):
        return max(
            (max(_max_end(k), _max_end(v)) for k, v in node.value), default=node.start_mark.index
        )
    return max((_max_end(v) for v in node.value), default=node.start_mark.index)


def _is_empty(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.tag == _NULL_TAG and node.style is None
    return (
        isinstance(node, (yaml.SequenceNode, yaml.MappingNode))
        and bool(node.flow_style)
        and not node.value
    )


def _key_text(key: str) -> str:
    """A mapping key as YAML text (ids are plain; anything else is quoted)."""
    if (
        yaml.resolver.Resolver().resolve(yaml.ScalarNode, key, (True, False)) == _STR_TAG
        and key.replace("-", "").replace("_", "").isalnum()
        and key.isascii()
    ):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- round-trip fallback


def _round_trip(text: str, op: Op) -> str:
    """Apply *op* through ruamel.yaml's round-trip loader and dumper (comments kept)."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    style = detect_style(text, yaml.compose(text, Loader=loader))
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.allow_unicode = True
    y.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    data = y.load(text)
    parent = data
    for part in op.path[:-1]:
        parent = parent[part]
    key = op.path[-1]
    container = parent[key] if isinstance(parent, list) or key in parent else None
    if container is None:
        container = CommentedMap() if isinstance(op, AddKey) else CommentedSeq()
        parent[key] = container
    container.fa.set_block_style()
    value = _to_ruamel(op.value, (), style, None, 0)
    if isinstance(op, Append):
        container.append(value)
    elif isinstance(op, Insert):
        container.insert(op.index, value)
    elif isinstance(op, AddKey):
        container[op.key] = value
    else:
        container[op.index] = value
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()
