"""One change to routes.yaml's text, made by ruamel.yaml in the file's own style.

A change is an operation: append an item to a list, insert one before an item, add a key
to a mapping, or replace an item.  ruamel.yaml writes the new entry: it loads the few
entries next to it (round-trip mode) and copies their style onto the new one (flow or block
lists, quote characters, folded text, key order), with the indentation the file uses,
configured once per file.  The entry's lines then go in next to those entries, so every
other byte of the file stays as it was.  A layout that has no such neighbours to follow
(a flow-style list, a value on its own line) is edited by a ruamel.yaml round trip of the
whole document instead.  docs/architecture.md says why not always the round trip.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

import yaml

SECTION_ORDER = ("version", "sources", "places", "routes", "events", "stories")
DATE_KEYS = frozenset({"since", "date", "end_date", "published"})
TEXT_WIDTH = 78  # fold long text at this column, where the file folds text
NEIGHBOURS = 3  # entries next to the change whose style the new one copies
_STR_TAG = "tag:yaml.org,2002:str"
_KEY_LINE = re.compile(r"^( *)[^\s#\-\[{][^#]*?:[ \t]*(#.*)?$")
_YAML12_SPECIAL = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$"
)
_EMPTY_VALUE = re.compile(  # `key:`, `key: []`, `key: ~`..., and a comment after it
    r"^( *\S[^#]*?:)[ \t]*(?:\[[ \t]*\]|\{[ \t]*\}|~|null|Null|NULL)?([ \t]*#.*)?$"
)


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


@dataclass(frozen=True)
class Layout:
    """The file's indentation, in ruamel.yaml's terms (defaults: the bundled routes.yaml)."""

    mapping: int = 2  # a mapping nested in a mapping, from its key
    sequence: int = 4  # a list item's content, from its parent key
    offset: int = 2  # a list item's dash, from its parent key


def detect_layout(lines: list[str]) -> Layout:
    """The indentation of the first nested block mapping and block list in *lines*."""
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        key = _KEY_LINE.match(line)
        below = next((ln for ln in lines[i + 1 :] if ln.strip() and not _comment(ln)), None)
        if key is None or below is None:
            continue
        col, indent = len(key.group(1)), _indent(below)
        if below.lstrip().startswith("- ") and "offset" not in found and indent >= col:
            found["offset"] = indent - col
            found["sequence"] = indent + 1 + _indent(below[indent + 1 :]) - col
        elif not below.lstrip().startswith("-") and indent > col and "mapping" not in found:
            found["mapping"] = indent - col
        if len(found) == 3:
            break
    return Layout(**found)


# ---------------------------------------------------------------- where the entry goes

Patch = tuple[int, int, list[str]]  # lines [start, end) of the text are replaced by these


def patched(text: str, patches: list[Patch]) -> str | None:
    """*text* with *patches* (made against it) applied; None if two of them overlap."""
    lines = text.split("\n")
    last = len(lines) + 1
    for start, end, new in sorted(patches, key=lambda p: (p[0], p[1]), reverse=True):
        if end > last or (end == last and start == end):
            return None
        lines[start:end] = new
        last = start
    return "\n".join(lines)


def splice(text: str, doc, op: Op, layout: Layout) -> Patch | None:
    """Where and what *op* changes in *text*, next to the entries it follows; None if the
    layout has no such entries."""
    lines = text.split("\n")
    container = value_at(doc.data, op.path)
    if isinstance(op, (Insert, Replace)) and 0 <= op.index < len(container or ()):
        return _at_item(lines, doc, op, layout)
    if isinstance(container, (list, dict)) and container:
        return _after_last(lines, doc, op, layout)
    if container is None and len(op.path) == 1 and op.path[0] not in doc.data:
        return _new_section(lines, doc, op, layout)
    if not container:
        return _fill_empty(lines, doc, op, layout)
    return None


def _after_last(lines: list[str], doc, op: Op, layout: Layout) -> Patch | None:
    container = value_at(doc.data, op.path)
    if isinstance(op, AddKey) != isinstance(container, dict):
        return None
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    near = [_span(lines, doc, op.path + (k,), isinstance(op, AddKey)) for k in keys[-NEIGHBOURS:]]
    if None in near:
        return None
    start, col, end = near[-1]
    block = _block(lines, near, op, layout, col)
    if block is None:
        return None
    gap = [""] if len(near) > 1 and not lines[start - 1].strip() else []
    return end, end, gap + block


def _at_item(lines: list[str], doc, op: Insert | Replace, layout: Layout) -> Patch | None:
    container = value_at(doc.data, op.path)
    if not isinstance(container, list):
        return None
    spans = [_span(lines, doc, op.path + (i,), False) for i in range(len(container))]
    near = spans[max(0, op.index - 1) : op.index + NEIGHBOURS - 1]
    if None in near or spans[-1] is None:
        return None
    start, col, end = spans[op.index]
    block = _block(lines, near, op, layout, col)
    if block is None:
        return None
    if isinstance(op, Replace):
        while end > start + 1 and (_comment(lines[end - 1]) or not lines[end - 1].strip()):
            end -= 1  # the comments below the entry stay
        return start, end, block
    while start > 0 and _comment(lines[start - 1]) and _indent(lines[start - 1]) <= col:
        start -= 1  # comments right above an item introduce it: the new one goes above them
    last_start = spans[-1][0]
    gap = [""] if len(spans) > 1 and not lines[last_start - 1].strip() else []
    return start, start, block + gap


def _fill_empty(lines: list[str], doc, op: Op, layout: Layout) -> Patch | None:
    """`events:`, `events: ~` or `events: []`: the empty value goes, the entry goes under it."""
    if len(doc.data) == 0 or op.path[-1] not in (value_at(doc.data, op.path[:-1]) or {}):
        return None
    at = doc.where(op.path, key=True)[0] - 1
    empty = _EMPTY_VALUE.match(lines[at])
    if empty is None:
        return None
    col = _indent(lines[at])
    inner = col + (layout.mapping if isinstance(op, AddKey) else layout.offset)
    block = _block(lines, [], op, layout, inner)
    if block is None:
        return None
    head = empty.group(1) + (empty.group(2) or "")
    return at, at + 1, [head] + block


def _new_section(lines: list[str], doc, op: Op, layout: Layout) -> Patch | None:
    """A missing top-level list or mapping, before the section that follows it in the file."""
    name = op.path[0]
    inner = layout.mapping if isinstance(op, AddKey) else layout.offset
    block = _block(lines, [], op, layout, inner)
    if block is None:
        return None
    block = [f"{name}:"] + block
    later = SECTION_ORDER[SECTION_ORDER.index(name) + 1 :] if name in SECTION_ORDER else ()
    following = next((k for k in later if k in doc.data), None)
    blank = any(
        not lines[doc.where((k,), key=True)[0] - 2].strip() for k in list(doc.data)[1:]
    )
    if following is None:
        body = lines[:-1] if lines and lines[-1] == "" else lines
        return len(body), len(lines), ([""] if blank else []) + block + [""]
    at = doc.where((following,), key=True)[0] - 1
    while at > 0 and _comment(lines[at - 1]) and _indent(lines[at - 1]) == 0:
        at -= 1
    return at, at, block + ([""] if blank else [])


def _span(lines: list[str], doc, path: tuple, key: bool) -> tuple[int, int, int] | None:
    """(first line, column of its dash or key, line after its last) of the block entry at
    *path*, with the comment lines below it indented deeper (they belong to it)."""
    line, col = doc.where(path, key=key)
    start, col = line - 1, col - 1
    if not key:
        text = lines[start]
        dash = text.rfind("-", 0, col)
        if dash < 0 or text[:dash].strip() or text[dash + 1 : col].strip():
            return None
        col = dash
    elif _KEY_LINE.match(lines[start]) is None:
        return None  # not `key:` with its value below it
    end = start + 1
    for i in range(start + 1, len(lines)):
        if lines[i].strip() and _indent(lines[i]) <= col:
            break
        if lines[i].strip():
            end = i + 1
    return start, col, end


# ---------------------------------------------------------------- what the entry looks like


def _block(lines, spans, op: Op, layout: Layout, col: int) -> list[str] | None:
    """The lines of *op*'s new entry, written by ruamel.yaml at column *col*, in the style of
    the entries whose spans are given."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    neighbours = _load_neighbours(lines, spans)
    if isinstance(op, AddKey):
        refs = list(neighbours.values()) if isinstance(neighbours, dict) else []
        entry = styled(op.value, refs, col + layout.mapping)
        wrapper, inner = CommentedMap([(op.key, entry)]), layout.mapping
    else:
        refs = list(neighbours) if isinstance(neighbours, list) else []
        entry = styled(op.value, refs, col + layout.sequence - layout.offset)
        wrapper, inner = CommentedSeq([entry]), layout.offset
    out = dump(CommentedMap(w=wrapper), layout).split("\n")[1:-1]
    shift = col - inner
    if any(ln.strip() and _indent(ln) < -shift for ln in out):
        return None
    return [(" " * shift + ln if shift >= 0 else ln[-shift:]) if ln.strip() else ln for ln in out]


def _load_neighbours(lines: list[str], spans) -> object:
    """The entries of *spans* (consecutive, at one column) as ruamel.yaml loads them."""
    if not spans:
        return None
    col = spans[0][1]
    text = "\n".join(ln[col:] for ln in lines[spans[0][0] : spans[-1][2]])
    try:
        return rt_yaml(Layout()).load(text)
    except Exception:  # ruamel's errors have no common base; a neighbour is only a style hint
        return None


def styled(value, refs: list, col: int = 0):
    """*value* as ruamel.yaml objects written like *refs* (the same field of the neighbours),
    its keys or items at column *col* (where long text is folded)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        maps = [r for r in refs if isinstance(r, dict)]
        order = list(maps[-1]) if maps else []
        out = CommentedMap()
        for k in _ordered(list(value), order):
            out[k] = _styled_field(value[k], [m[k] for m in maps if k in m], k, col)
        if _vote([isinstance(r, CommentedMap) and r.fa.flow_style() for r in maps], False):
            out.fa.set_flow_style()
        return out
    items = [i for r in refs if isinstance(r, list) for i in r]
    out = CommentedSeq(_styled_field(v, items, None, col + 2) for v in value)
    flat = not any(isinstance(v, (dict, list)) for v in value)
    flows = [isinstance(r, CommentedSeq) and r.fa.flow_style() for r in refs if isinstance(r, list)]
    if flat and _vote(flows, True):
        out.fa.set_flow_style()
    return out


def _styled_field(value, refs: list, key: str | None, col: int):
    if isinstance(value, (dict, list)):
        return styled(value, refs, col + 2)
    if not isinstance(value, str):
        return value
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        SingleQuotedScalarString,
    )

    kinds = [type(r) for r in refs if isinstance(r, str)]
    if FoldedScalarString in kinds and col + len(key or "") + 2 + len(value) > TEXT_WIDTH:
        folds = _fold_positions(value, TEXT_WIDTH - col - 2)
        if folds and key not in DATE_KEYS:
            folded = FoldedScalarString(value)
            folded.fold_pos = folds
            return folded
    quotes = [k for k in kinds if k in (DoubleQuotedScalarString, SingleQuotedScalarString, str)]
    quote = _vote(quotes, DoubleQuotedScalarString if key in DATE_KEYS else str)
    if quote is str and not plain_ok(value):
        quote = _vote([q for q in quotes if q is not str], DoubleQuotedScalarString)
    return quote(value) if quote is not str else value


def _vote(seen: list, default):
    """The most common of *seen* (the first one seen on a tie), or *default*."""
    return Counter(seen).most_common(1)[0][0] if seen else default


def _ordered(keys: list[str], template: list[str]) -> list[str]:
    """*keys* (in canonical order) rearranged to follow the order the file already uses."""
    pos = {k: i for i, k in enumerate(template)}
    rank, last = {}, -1
    for n, k in enumerate(keys):
        last = pos.get(k, last)
        rank[k] = (last, k not in pos, n)
    return sorted(keys, key=rank.__getitem__)


def _fold_positions(text: str, width: int) -> list[int]:
    """Indexes of the single spaces to break *text* at, so lines stay within *width*."""
    if text != text.strip() or not text.isprintable() or width < 20 or not plain_ok(text[0]):
        return []
    folds, line_start, last_space = [], 0, None
    for i, c in enumerate(text):
        if c == " " and text[i - 1] != " " and i + 1 < len(text) and text[i + 1] != " ":
            if i - line_start > width and last_space is not None:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(text) - line_start > width and last_space is not None and last_space > line_start:
        folds.append(last_space)
    return folds


def plain_ok(text: str) -> bool:
    """Whether *text* reads back as the same text without quotes by YAML 1.1 (PyYAML) and
    YAML 1.2 (ruamel.yaml) readers alike; ruamel.yaml itself only knows YAML 1.2."""
    if not text or text != text.strip() or not text.isprintable():
        return False
    if text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text or text.endswith(":"):
        return False
    if _YAML12_SPECIAL.match(text):
        return False
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


# ---------------------------------------------------------------- ruamel.yaml


def rt_yaml(layout: Layout):
    """ruamel.yaml in round-trip mode, with the output style of routes.yaml."""
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never wrap a line that the file does not wrap
    y.allow_unicode = True
    y.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    return y


def dump(data, layout: Layout) -> str:
    out = io.StringIO()
    rt_yaml(layout).dump(data, out)
    return out.getvalue()


def round_trip(text: str, op: Op, layout: Layout) -> str:
    """*op* applied by a ruamel.yaml round trip of the whole document (comments kept)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = rt_yaml(layout).load(text)
    parent = value_at(data, op.path[:-1])
    key = op.path[-1]
    container = parent.get(key) if isinstance(parent, dict) else parent[key]
    if not container:
        container = CommentedMap() if isinstance(op, AddKey) else CommentedSeq()
        container.fa.set_block_style()
        parent[key] = container
    siblings = list(container.values()) if isinstance(container, dict) else list(container)
    value = styled(op.value, siblings[-NEIGHBOURS:])
    if isinstance(op, Append):
        container.append(value)
    elif isinstance(op, Insert):
        container.insert(op.index, value)
    elif isinstance(op, AddKey):
        container[op.key] = value
    else:
        container[op.index] = value
    return dump(data, layout)


def value_at(data, path: tuple):
    """The value at *path* in nested mappings and lists, or None."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _comment(line: str) -> bool:
    return line.lstrip().startswith("#")
