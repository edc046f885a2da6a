"""Safe edits of routes.yaml: new entries go in, nothing else in the file changes.

An edit is a list of operations (geo.yamledit: append, insert, add a key, replace), applied
to the text by ruamel.yaml in the file's own style.  The result is read again by geo.load
and must (1) hold exactly the old data plus the change and (2) pass the whole validator
(geo.validate.check_document) and the text rule (geo.textrules), before anything is
written.  The write holds the file's lock from reading to replacing, and is atomic
(geo.lockfile).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from geo.errors import DataError, GeoError, printable
from geo.journal import record
from geo.load import Document, decode, format_path, max_bytes, parse_document
from geo.lockfile import LOCK_TIMEOUT, lock_path, locked, remove_stale_temp_files, write_atomic
from geo.model import Dataset, Place
from geo.textrules import text_problems
from geo.validate import check_document, validate_text
from geo.yamledit import (
    AddKey,
    Append,
    Insert,
    Layout,
    Op,
    Replace,
    detect_layout,
    patched,
    value_at,
)
from geo.yamlupdate import Delete, Update, round_trip, splice

__all__ = [
    "AddKey", "Append", "Delete", "Insert", "Op", "Replace", "Update", "RoutesFile", "Edit",
    "plan", "edit_file", "apply_op", "lock_path", "locked", "remove_stale_temp_files",
    "write_atomic", "with_op",
]  # fmt: skip

T = TypeVar("T")
_BOM = "\ufeff"


@dataclass
class RoutesFile:
    """routes.yaml as read from disk: its text (line feeds only) and data, before any change.

    It is not validated on reading: the result of an edit is validated as a whole, and only
    if that fails is the original checked, to tell a broken file from a bad change.
    """

    path: Path  # real path (symlinks resolved): the file that gets replaced
    display: str  # the name the user gave, for messages
    text: str  # without BOM, with \n line ends
    bom: bool
    newline: str  # the file's own line end, written back
    doc: Document
    raw: bytes = b""  # the file's bytes, kept by geo undo's journal

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
        text = text.replace("\r\n", "\n")
        doc = parse_document(text, name)
        if not isinstance(doc.data, dict):
            check_document(doc)  # raises the validator's own message
        return cls(real, name, text, raw.startswith(b"\xef\xbb\xbf"), newline, doc, raw)

    @property
    def data(self) -> dict:
        return self.doc.data  # type: ignore[return-value]

    def items(self, section: str) -> list[dict]:
        """The well-formed entries of a list section (places, routes or events)."""
        value = self.data.get(section)
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    def index_of(self, section: str, item_id: str) -> int | None:
        value = self.data.get(section)
        items = value if isinstance(value, list) else []
        found = (i for i, e in enumerate(items) if isinstance(e, dict) and e.get("id") == item_id)
        return next(found, None)

    def ids(self, section: str) -> list[str]:
        return [item["id"] for item in self.items(section) if isinstance(item.get("id"), str)]

    def sources(self) -> dict[str, dict]:
        value = self.data.get("sources")
        if not isinstance(value, dict):
            return {}
        return {k: v for k, v in value.items() if isinstance(v, dict)}

    def line_of(self, section: str, item_id: str) -> int | None:
        index = self.index_of(section, item_id)
        return None if index is None else self.doc.where((section, index))[0]

    def local_places(self) -> tuple[Place, ...]:
        """The places: entries as gazetteer places (malformed ones are left to the validator)."""
        out = []
        for p in self.items("places"):
            try:
                alt = tuple(str(a) for a in p.get("alt_names") or ())
                out.append(Place(
                    id=p["id"], name=p["name"], lat=float(p["lat"]), lon=float(p["lon"]),
                    kind=p["kind"], country=p["country"], alt_names=alt,
                    iata=p.get("iata"), icao=p.get("icao"), origin="local",
                ))  # fmt: skip
            except (KeyError, TypeError, ValueError):
                continue
        return tuple(out)

    def encode(self, text: str) -> bytes:
        return ((_BOM if self.bom else "") + text.replace("\n", self.newline)).encode("utf-8")


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

        return "".join(difflib.unified_diff(
            self.old_text.splitlines(keepends=True), self.new_text.splitlines(keepends=True),
            fromfile=f"a/{self.file}", tofile=f"b/{self.file}",
        ))  # fmt: skip


def plan(file: RoutesFile, ops: list[Op]) -> Edit:
    """Apply *ops* to *file*'s text and validate the whole result.

    Raises the original file's DataError if the file was already invalid, else a one-line
    GeoError naming what the change would break.
    """
    if not ops:
        raise GeoError("nothing to change")
    text, doc = _applied(file, ops)
    targets, data = [], file.data
    for op in ops:
        targets.append(_target_path(op, data))
        data = _expected(data, op)
    try:
        _check_texts(doc, ops, targets)
        dataset = validate_text(text, file.display)
    except DataError as exc:
        check_document(file.doc)  # an already broken file: report its own problems, with its lines
        first = exc.problems[0]
        where = f"{first.field}: " if first.field else ""
        message = printable(f"{where}{first.message}")
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        raise GeoError(
            f"the change would make {file.display} invalid: {message}{more}; nothing was written"
        ) from None
    lines = tuple(doc.where(t)[0] if t else file.doc.where(op.path + (op.key,))[0]
                  for op, t in zip(ops, targets, strict=True))
    return Edit(file.display, file.text, text, dataset, lines)


def _applied(file: RoutesFile, ops: list[Op]) -> tuple[str, Document]:
    """The text with every op applied, and its document: all spliced at once and read once
    when they can be, else one after another."""
    layout = detect_layout(file.text.split("\n"))
    patches = [splice(file.text, file.doc, op, layout) for op in ops]
    text = patched(file.text, patches) if None not in patches else None
    if text is not None:
        expected = file.data
        for op in ops:
            expected = _expected(expected, op)
        doc = _parsed(text, file.display)
        if doc is not None and doc.data == expected:
            return text, doc
    text, doc = file.text, file.doc
    for op in ops:
        text, doc = apply_op(text, doc, op, layout=layout)
    return text, doc


def _check_texts(doc: Document, ops: list[Op], targets: list[tuple]) -> None:
    """Every text the change writes meets geo.textrules' rule."""
    problems = [
        doc.problem(target + path, message)
        for op, target in zip(ops, targets, strict=True)
        if target is not None
        for path, message in text_problems(op.value)
    ]
    if problems:
        raise DataError(problems)


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
    The bytes replaced go to the file's journal (geo.journal), for geo undo.
    """
    real = Path(os.path.realpath(path))
    with nullcontext() if dry_run else locked(real, timeout=timeout):
        current = RoutesFile.read(path, display)
        ops, info = build(current)
        result = plan(current, ops)
        if not dry_run:
            remove_stale_temp_files(real)
            new = current.encode(result.new_text)
            write_atomic(real, new)
            record(real, current.raw, new)
            result = replace(result, written=True)
    return result, info


def apply_op(
    text: str, doc: Document, op: Op, newline: str = "\n", layout: Layout | None = None
) -> tuple[str, Document]:
    """*text* (parsed as *doc*) with *op* applied, next to the entries it follows or else by
    a round trip; the result is read again and must hold exactly the old data plus the change."""
    lf = text.replace("\r\n", "\n")
    layout = layout or detect_layout(lf.split("\n"))
    expected = _expected(doc.data, op)
    patch = splice(lf, doc, op, layout)
    spliced = [patched(lf, [patch])] if patch else []
    for result in (*spliced, None):
        result = result or _round_trip(lf, doc, op, layout)
        new_doc = _parsed(result, doc.file)
        if new_doc is not None and new_doc.data == expected:
            return result.replace("\n", newline), new_doc
    raise GeoError(
        f"{doc.file}: could not write the change without altering other entries; "
        "please add it by hand"
    )


def _round_trip(text: str, doc: Document, op: Op, layout: Layout) -> str:
    return round_trip(text, op, layout)


def _parsed(text: str, name: str) -> Document | None:
    try:
        return parse_document(text, name)
    except DataError:
        return None


def _target_path(op: Op, data) -> tuple | None:
    """Path of the entry *op* writes, in the document after the edit."""
    if isinstance(op, Append):
        existing = value_at(data, op.path)
        return op.path + (len(existing) if isinstance(existing, list) else 0,)
    if isinstance(op, Delete):
        return None
    if isinstance(op, (AddKey, Update)):
        return op.path + (op.key,)
    return op.path + (op.index,)  # Insert, Replace


def with_op(file: RoutesFile, op: Op) -> RoutesFile:
    """*file* as its data would read after *op* (its text and lines stay): for building
    several operations in a row, each seeing the ones before it."""
    return replace(file, doc=replace(file.doc, data=_expected(file.data, op)))


def _expected(data, op: Op):
    """*data* with *op* applied, as a new value: the mappings and lists on the way to the
    change are copied, the rest is shared with *data* (which is left as it was)."""
    out = parent = _copied(data)
    for part in op.path[:-1]:
        child = _copied(value_at(parent, (part,)))
        if child is not None:
            parent[part] = child
        parent = child
    key = op.path[-1]
    if not isinstance(parent, (dict, list)):
        raise GeoError(f"cannot edit {format_path(op.path)}: its parent is not a mapping or list")
    container = _copied(parent[key] if isinstance(parent, list) else parent.get(key))
    if container is None:
        container = {} if isinstance(op, AddKey) else []
    parent[key] = container
    if isinstance(op, Replace):
        container[op.index] = op.value
    elif isinstance(op, Update):
        container[op.key] = op.value
    elif isinstance(op, Delete):
        del container[op.key]
    elif isinstance(op, Append):
        container.append(op.value)
    elif isinstance(op, Insert):
        container.insert(op.index, op.value)
    else:
        container[op.key] = op.value
    return out


def _copied(value):
    """A shallow copy of a mapping or list; anything else as it is."""
    return value.copy() if isinstance(value, (dict, list)) else value

