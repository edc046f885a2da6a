"""Changes to an entry already in routes.yaml: update it in place, or delete it.

An update loads only the entry's own lines with ruamel.yaml (round-trip mode), changes the
fields that differ and dumps it back in the same place, so its comments, quoting and the
layout of every untouched field stay; the rest of the file is not touched at all.  A delete
takes the entry's lines out, with the blank line that separated it from its neighbour.
Anything these cannot do in place (an emptied list) falls back to a ruamel.yaml round trip
of the whole document, like geo.yamledit's operations.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.yamledit import (
    _KEY_LINE,
    NEIGHBOURS,
    Layout,
    Patch,
    _indent,
    _span,
    _styled_field,
    dump,
    rt_yaml,
    value_at,
)
from geo.yamledit import round_trip as _round_trip_new
from geo.yamledit import (
    splice as _splice_new,
)


@dataclass(frozen=True)
class Update:
    """Make the entry at *key* (list index or mapping key) of *path* equal to *value*,
    changing only the fields that differ."""

    path: tuple
    key: int | str
    value: dict


@dataclass(frozen=True)
class Delete:
    """Remove the entry at *key* (list index or mapping key) of *path*."""

    path: tuple
    key: int | str
    value: None = None


def splice(text: str, doc, op, layout: Layout) -> Patch | None:
    """Where and what *op* changes in *text* (any operation), or None if not in place."""
    if isinstance(op, Update):
        return _splice_update(text.split("\n"), doc, op, layout)
    if isinstance(op, Delete):
        return _splice_delete(text.split("\n"), doc, op)
    return _splice_new(text, doc, op, layout)


def round_trip(text: str, op, layout: Layout) -> str:
    """*op* applied by a ruamel.yaml round trip of the whole document (comments kept)."""
    if not isinstance(op, (Update, Delete)):
        return _round_trip_new(text, op, layout)
    data = rt_yaml(layout).load(text)
    container = value_at(data, op.path)
    if isinstance(op, Delete):
        del container[op.key]
    else:
        merge(container[op.key], op.value, 0)
    return dump(data, layout)


def _splice_update(lines: list[str], doc, op: Update, layout: Layout) -> Patch | None:
    is_key = isinstance(op.key, str)
    span = _span(lines, doc, op.path + (op.key,), is_key)
    if span is None:
        return None
    start, col, end = span
    if any(ln.strip() and _indent(ln) < col for ln in lines[start:end]):
        return None
    inner = layout.mapping if is_key else layout.offset
    shift = col - inner  # the entry is loaded and dumped at the columns it will have
    if shift < 0:
        return None
    text = "\n".join(["w:", *(ln[shift:] for ln in lines[start:end])])
    try:
        loaded = rt_yaml(Layout()).load(text)
    except Exception:  # ruamel's errors have no common base: fall back to the round trip
        return None
    entry = loaded["w"][op.key] if is_key else loaded["w"][0]
    merge(entry, op.value, col + (layout.mapping if is_key else layout.sequence - layout.offset))
    out = dump(loaded, layout).split("\n")[1:-1]
    return start, end, [" " * shift + ln if ln.strip() else ln for ln in out]


def merge(target, new: dict, col: int) -> None:
    """Make the ruamel.yaml mapping *target* equal to *new*, keeping what is already equal
    (with its style and comments); new keys go where *new* has them."""
    for key in [k for k in target if k not in new]:
        del target[key]
    for key, value in new.items():
        old = target.get(key)
        if key in target and old == value:
            continue
        if isinstance(old, dict) and isinstance(value, dict):
            merge(old, value, col + 2)
        elif isinstance(old, list) and isinstance(value, list):
            _merge_list(old, value, col + 2)
        elif key in target:
            target[key] = _styled_field(value, [old], key, col)
        else:
            position = sum(1 for k in list(new)[: list(new).index(key)] if k in target)
            target.insert(position, key, _styled_field(value, [], key, col))


def _merge_list(old, new: list, col: int) -> None:
    """Make the ruamel.yaml list *old* equal to *new*, item by item."""
    del old[len(new) :]
    for i, value in enumerate(new):
        if i >= len(old):
            old.append(_styled_field(value, list(old)[-NEIGHBOURS:], None, col))
        elif isinstance(old[i], dict) and isinstance(value, dict):
            merge(old[i], value, col + 2)
        elif old[i] != value:
            old[i] = _styled_field(value, [old[i]], None, col)


def _splice_delete(lines: list[str], doc, op: Delete) -> Patch | None:
    container = value_at(doc.data, op.path)
    if not isinstance(container, (list, dict)) or not container:
        return None
    span = _span(lines, doc, op.path + (op.key,), isinstance(op.key, str))
    if span is None:
        return None
    start, _, end = span
    if len(container) == 1:  # `places:` and its one entry become `places: []`
        at = doc.where(op.path, key=True)[0] - 1
        key = _KEY_LINE.match(lines[at])
        if key is None or at >= start:
            return None
        head = lines[at][: len(lines[at]) - len(key.group(2) or "")].rstrip()
        empty = " []" if isinstance(container, list) else " {}"
        return at, end, [head + empty + (f"  {key.group(2)}" if key.group(2) else "")]
    first = op.key == (0 if isinstance(container, list) else next(iter(container)))
    if first and end < len(lines) and not lines[end].strip():
        end += 1
    elif not first and start > 0 and not lines[start - 1].strip():
        start -= 1
    return start, end, []
