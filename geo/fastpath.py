"""A fast first reading of routes.yaml, used only when it must give what geo.load gives.

geo.load composes libyaml's event stream in Python so that every value keeps its line and
no YAML feature can surprise us; that costs about 0.4 s per MB (40 s for a 100,000-event
file).  Most files are plain and valid, and for those the positions are never shown.  So
the file is first read by yaml-rs (a Rust YAML 1.2 parser, about 20 times faster) and its
schema checked by predicates compiled from the same JSON Schema (geo.schemacheck);
geo.validate falls back to the careful path -- and so to the same messages, with lines --
as soon as anything is unusual or wrong.

yaml-rs types scalars by YAML 1.2's core schema where geo.load keeps text: ``date: 2019``
is the number 2019 here and the text "2019" there.  The schema check catches every such
difference (each text field must be a string), so the result is only used when all of
them agree.  What the schema cannot catch is refused before or after parsing:

* tags (yaml-rs drops them), directives and document markers, aliases (replaying one is
  an error here), duplicate keys (an error here);
* characters libyaml reads differently or refuses: tabs, lone CRs, control characters,
  NEL, U+2028/2029 and byte-order marks inside the text;
* numbers geo.load reads as text but yaml-rs as numbers (0x1F, 0o17, 1_000) and numbers that
  overflow to infinity or are NaN.

yaml-rs is optional: without it every file takes the careful path.
"""

from __future__ import annotations

import marshal
import math
import re
from functools import cache
from typing import NamedTuple

from geo.load import Document, parse_document
from geo.schemacheck import ORDINARY_INT_BITS

# bytes that may appear in a file the fast path reads (after UTF-8 encoding): printable
# ASCII, LF and CR; every other byte below 0x80 (tab, controls, DEL) sends it the careful way
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n\r"
_HIGH = bytes(range(0x80, 0x100))
# U+0080-U+009F (NEL among them), U+2028/U+2029, U+FEFF, U+FFFE/U+FFFF in UTF-8
_ODD_UNICODE = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbb\xbf|\xef\xbf[\xbe\xbf]")
_LONE_CR = re.compile(rb"\r(?!\n)")
# a token yaml-rs reads as a number that geo.load would keep as text (or read differently)
_ODD_NUMBER = re.compile(
    rb"(?<![^\s\[{,])[-+]?(?:0[xXoObB]|[0-9a-fA-FxXoObB.eE+-]*_)[0-9a-fA-FxXoObB._eE+-]*(?![^\s,\]}])"
)
_NUMBER_BYTES = frozenset(b"0123456789abcdefABCDEFxXoObB._+-")
# a tag, anchor or alias where a value may start: yaml-rs drops tags and takes anchor names
# libyaml refuses ("&:").  (Both refuse the reserved @ and ` and a stray %.)
_NODE_INDICATOR = re.compile(rb"(?m)(?:^[ \t]*|[:?-][ \t]+|[\[{,][ \t]*)(?:!|[&*][^ \t\r\n])")
_INDICATORS = (b"!", b"&", b"*")
_MARKER = re.compile(
    rb"\n(?:%|---|\.\.\.)"
)  # a directive or a document start/end (lone CRs are refused)
_BASE_PREFIX = re.compile(rb"0[xXoObB]")
_SECTIONS = ("places", "routes", "events")
_SECTION_HEAD = re.compile(r"[ \t]*(?:#[^\n]*)?(?=\r?\n|$)")  # the rest of a "events:" line
_FIRST_ITEM = re.compile(r"\n( *)(?=[^ \r\n#])")


class FastReading(NamedTuple):
    data: dict
    sections: dict[str, list[tuple[int, int]]] | None  # section_lines
    invisible_free: bool  # invisible_free(text)


def read_valid(text: str) -> FastReading | None:
    """What *text* holds, if yaml-rs reads it as geo.load would and it meets the schema
    (with the items' positions, section_lines, and whether it is invisible_free); else None,
    and the careful path reads the file.

    A large file is read by two processes (geo.forked's conditions): the events are cut in
    two at an item's dash (_split_point), and a forked child checks the characters of the
    whole text, finds the items' dashes, and reads the second part of the events and checks
    their schema, on the second core; it hands all that back marshalled (a fraction of what
    reading the events costs) while this process reads and checks the rest."""
    text = text.lstrip("\ufeff")
    cut = _split_point(text) if len(text) >= SPLIT_FROM else None
    if cut is None:
        scan = _scan(text)
        if scan is None:
            return None
        data = _loads(text)
        if not isinstance(data, dict) or not schema_valid(data, ordinary_numbers=True):
            return None
        return FastReading(data, _matching(scan[1], data), scan[0])
    from geo.forked import Forked

    child = Forked(lambda: _child_work(text, cut))
    try:
        data = _loads(text[: cut + 1])
        if not isinstance(data, dict) or not schema_valid(data, ordinary_numbers=True):
            return None
        answer = _child_answer(child.result())
        if answer is None or not isinstance(data.get("events"), list):
            return None
        invisible_free_, dashes, events = answer
        data["events"].extend(events)
        found = dashes.get("events")
        if found is None or len(found) != len(data["events"]):
            return None  # not the layout _split_point expects: read it the careful way
        return FastReading(data, _matching(dashes, data), invisible_free_)
    finally:
        child.cancel()  # the text was refused before the child's part was needed


def _child_answer(answer: bytes) -> tuple | None:
    return marshal.loads(memoryview(answer)[1:]) if answer[:1] == b"V" else None


def _scan(text: str) -> tuple[bool, dict[str, list | None]] | None:
    """What the text alone tells: None if it is not _plain_text, else whether it is
    invisible_free and the dashes of each section's items (_dash_lines)."""
    if not _plain_text(text):
        return None
    return invisible_free(text), {section: _dash_lines(text, section) for section in _SECTIONS}


def _loads(text: str):
    """yaml-rs's reading of *text*, None if it refuses it (or is not installed)."""
    try:
        import yaml_rs
    except ImportError:
        return None
    try:
        return yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=0),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except Exception:  # any error: the careful path explains it, with its line
        return None


# Files from this many characters (about 8,000 events) have their events read in two parts
SPLIT_FROM = 4_000_000
_CHILD_SHARE = 0.3  # of the events' text, read by the child (it also scans the whole text)


def _split_point(text: str) -> int | None:
    """Where the events can be cut in two: the newline before an item's dash, about
    _CHILD_SHARE from the end, when events: is the last section and a block sequence whose
    items start on their dash's line.  Reading "events:" and what follows the cut gives the
    items after it, and the text up to the cut the rest, just as reading the whole does:
    the cut is not inside a quoted scalar or a flow collection (the first part would end
    inside it, an error), a block scalar or a plain one (it would end at a line this little
    indented); the section runs to the end of the text, so no other key follows; and
    read_valid refuses the text unless the first part ends in the events section and the
    count of items matches the count of dashes (section_lines)."""
    key = "\nevents:"
    at = text.find(key) + 1
    if at <= 0 or text.find(key, at) >= 0:
        return None
    head = _SECTION_HEAD.match(text, at + len(key) - 1)
    first = _FIRST_ITEM.search(text, head.end()) if head else None
    if first is None or not text.startswith("- ", first.end()):
        return None
    indent = first.group(1)
    stop = re.compile(r"\n(?:[^\s#-]|-\S)" if indent else r"\n[^\s#-]").search(text, first.start())
    if stop is not None:
        return None
    middle = len(text) - int((len(text) - first.end()) * _CHILD_SHARE)
    cut = text.find("\n" + indent + "- ", middle)
    return cut if cut > first.start() else None


def _matching(dashes: dict[str, list | None], data: dict) -> dict[str, list] | None:
    """section_lines's answer from the dashes found in the text, for *data*."""
    out = {}
    for section in _SECTIONS:
        items = data.get(section)
        if not isinstance(items, list) or not items:
            continue
        found = dashes.get(section)
        if found is None or len(found) != len(items):
            return None
        out[section] = found
    return out


def _child_work(text: str, cut: int) -> bytes:
    """The child's part, marshalled: b"V" and (invisible_free, dashes, events after the cut)
    if the text is plain and yaml-rs reads those events, which meet the schema; b"N" if not
    (the file is not plain and valid: the careful path reads it)."""
    scan = _scan(text)
    if scan is None:
        return b"N"
    data = _loads("events:\n" + text[cut + 1 :])
    if not isinstance(data, dict) or len(data) != 1 or not isinstance(data.get("events"), list):
        return b"N"
    if not schema_valid({"sources": {}, "events": data["events"]}, ordinary_numbers=True):
        return b"N"
    return b"V" + marshal.dumps((scan[0], scan[1], data["events"]))


def read_yaml(text: str, check_numbers: bool = True) -> dict | None:
    """The mapping *text* holds, if yaml-rs reads it as geo.load would; else None.

    With check_numbers=False the numbers are not checked here (_finite_numbers): the caller
    then asks schema_valid(data, ordinary_numbers=True), which checks the same values as it
    goes (each place _finite_numbers looks at is a number there, in a valid file)."""
    try:
        import yaml_rs
    except ImportError:
        return None
    text = text.lstrip("\ufeff")
    if not _plain_text(text):
        return None
    try:
        data = yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=0),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except Exception:  # any error: the careful path explains it, with its line
        return None
    if not isinstance(data, dict) or (check_numbers and not _finite_numbers(data)):
        return None
    return data


def _plain_text(text: str) -> bool:
    """No character, marker or token on which yaml-rs and geo.load could disagree."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    rest = raw.translate(None, _PLAIN_ASCII)  # what is not plain ASCII: usually little
    if rest.translate(None, _HIGH) or _ODD_UNICODE.search(rest):
        return False
    if _LONE_CR.search(raw):
        return False
    if raw.startswith((b"%", b"---", b"...")) or _MARKER.search(raw):
        return False
    for char in _INDICATORS:
        if char in raw and _any_line(raw, _occurrences(raw, char), _NODE_INDICATOR):
            return False
    if _any_line(raw, (m.start() for m in _BASE_PREFIX.finditer(raw)), _ODD_NUMBER):
        return False
    # underscores are common in words and links ("to_russia", "Rajin_railway"): only one
    # between two characters that can be part of a number needs a closer look
    underscores = (at for at in _occurrences(raw, b"_") if _numberish(raw, at))
    return not _any_line(raw, underscores, _ODD_NUMBER)


# the characters geo.validate reports as invisible (U+200B-U+200F, U+202A-U+202E,
# U+2060-U+2064, U+2066-U+2069) in UTF-8; read_yaml already refused controls and U+FEFF
_INVISIBLE_UTF8 = re.compile(rb"\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]")


def invisible_free(text: str) -> bool:
    """True if no value read from *text* (one read_yaml accepted) can hold an invisible
    character: none is written in it, and no backslash escape can make one."""
    raw = text.encode("utf-8", "replace")
    if b"\\" in raw:
        return False
    return not _INVISIBLE_UTF8.search(raw.translate(None, _PLAIN_ASCII))


def _numberish(raw: bytes, at: int) -> bool:
    before = raw[at - 1] if at else 32
    after = raw[at + 1] if at + 1 < len(raw) else 32
    return (before in _NUMBER_BYTES or before in b" \n\r[{,") and (
        after in _NUMBER_BYTES or after in b" \n\r,]}"
    )


def _occurrences(raw: bytes, needle: bytes):
    at = raw.find(needle)
    while at >= 0:
        yield at
        at = raw.find(needle, at + 1)


def _any_line(raw: bytes, positions, pattern: re.Pattern) -> bool:
    """Whether *pattern* matches one of the lines that hold the given *positions* (ascending)."""
    checked_to = -1
    for at in positions:
        if at <= checked_to:
            continue
        start = raw.rfind(b"\n", 0, at) + 1
        end = raw.find(b"\n", at)
        checked_to = end = len(raw) if end < 0 else end
        if pattern.search(raw, start, end):
            return True
    return False


def _finite_numbers(data: dict) -> bool:
    """No NaN, infinity or integer of over 4,300 digits where the schema takes a number:
    geo.load keeps such text as text (Python's int() refuses more digits), yaml-rs does not."""

    def finite(mapping, *keys) -> bool:
        return not isinstance(mapping, dict) or all(_ordinary(mapping.get(k)) for k in keys)

    if not _ordinary(data.get("version")):
        return False
    for item in _items(data, "places"):
        if not finite(item, "lat", "lon", "geonames_id"):
            return False
    for route in _items(data, "routes"):
        if not isinstance(route, dict):
            continue
        if not finite(route.get("reported_length"), "km"):
            return False
        for w in route.get("waypoints") or () if isinstance(route.get("waypoints"), list) else ():
            if not finite(w, "lat", "lon"):
                return False
    for event in _items(data, "events"):
        if isinstance(event, dict) and not (
            finite(event.get("amount"), "value") and finite(event.get("people"), "min", "max")
        ):
            return False
    return True


def _ordinary(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):
        return value.bit_length() < _BITS_OF_4300_DIGITS
    return True


_BITS_OF_4300_DIGITS = ORDINARY_INT_BITS  # 10**4300 needs 14,285 bits; refuse a little earlier


def _items(data: dict, section: str) -> list:
    items = data.get(section)
    return items if isinstance(items, list) else []


# ---------------------------------------------------------------- schema


@cache
def _compiled(definition: str | None, ordinary_numbers: bool = False):
    """A predicate for the whole schema (None) or one of its $defs, generated as Python
    source (geo.schemacheck.generate)."""
    from geo.schemacheck import generate
    from geo.validate import schema

    root = schema()
    node = None if definition is None else {"$ref": f"#/$defs/{definition}"}
    return generate(root, node, ordinary_numbers=ordinary_numbers)


def schema_valid(data, ordinary_numbers: bool = False) -> bool:
    """Whether *data* meets the schema (geo.schemacheck: as strict as jsonschema, or more).
    With *ordinary_numbers*, also whether every number the schema takes is one geo.load reads
    as a number too (what _finite_numbers checks, for a file read with check_numbers=False)."""
    return _compiled(None, ordinary_numbers)(data)


SECTION_DEFINITIONS = {"sources": "source", "places": "place", "routes": "route", "events": "event"}


def failing_items(data: dict) -> list[tuple[str, object, str]]:
    """(section, index or key, $defs name) of each item that does not meet the schema: only
    those go through jsonschema, the slow pass that explains each error."""
    out = []
    for section, definition in SECTION_DEFINITIONS.items():
        valid = _compiled(definition)
        items = data.get(section)
        if section == "sources":
            pairs = items.items() if isinstance(items, dict) else ()
        else:
            pairs = enumerate(items) if isinstance(items, list) else ()
        out.extend((section, where, definition) for where, item in pairs if not valid(item))
    return out


# ---------------------------------------------------------------- positions


class FastDocument(Document):
    """A Document the fast path read: the items' positions come from a scan of the text
    (section_lines); any other position is found by reading the text the careful way, once."""

    def __init__(self, file: str, data, text: str, positions: dict | None,
                 sections: dict[str, list[tuple[int, int]]] | None = None):
        super().__init__(file=file, data=data, positions=dict(positions or {}), text=text)
        self._careful = False
        self.invisible_free = False  # set by the caller when invisible_free(text) holds
        self.sections = sections  # section -> position of each item (section_lines)
        self._expanded = not sections

    def where(self, path, key: bool = False) -> tuple[int, int]:
        path = tuple(path)
        if not self._expanded:  # the items' positions, by path, when first asked for
            self._expanded = True
            for section, found in (self.sections or {}).items():
                self.positions.update(((section, i), at) for i, at in enumerate(found))
        if not key and path in self.positions:
            return self.positions[path]
        if not self._careful:
            careful = parse_document(self.text, self.file)
            self.positions, self.key_positions = careful.positions, careful.key_positions
            self._careful = True
        return super().where(path, key)


def item_lines(text: str, data: dict) -> dict[tuple, tuple[int, int]] | None:
    """Line and column of each item of places/routes/events, as geo.load would place them,
    by path: section_lines, as a Document's positions."""
    sections = section_lines(text, data)
    if sections is None:
        return None
    return {(section, i): at for section, found in sections.items() for i, at in enumerate(found)}


def section_lines(text: str, data: dict) -> dict[str, list[tuple[int, int]]] | None:
    """Line and column of each item of places/routes/events, as geo.load would place them.

    Found by scanning for the items' dashes, which is exact for block sequences whose items
    start on their dash's line; None when a section is laid out any other way (flow style,
    a dash alone on its line, a count that does not match), and the caller asks geo.load.
    """
    text = text.lstrip("\ufeff")
    dashes = {
        section: _dash_lines(text, section)
        for section in _SECTIONS
        if isinstance(data.get(section), list) and data[section]
    }
    return _matching(dashes, data)


def _dash_lines(text: str, section: str) -> list[tuple[int, int]] | None:
    key = f"{section}:"
    at = 0 if text.startswith(key) else text.find("\n" + key) + 1
    if at <= 0 and not text.startswith(key):
        return None
    head = _SECTION_HEAD.match(text, at + len(key))
    if head is None:
        return None
    first = _FIRST_ITEM.search(text, head.end())
    if first is None or not text.startswith("- ", first.end()):
        return None
    indent = first.group(1)
    # the section ends at the next line that starts at column 0 (a key, not a dash of ours)
    stop = re.compile(r"\n(?:[^\s#-]|-\S)" if indent else r"\n[^\s#-]").search(text, first.start())
    end = stop.start() if stop else len(text)
    # each dash at the items' indent, the spaces after it and the item's first character
    dashes = re.compile(re.escape("\n" + indent + "-") + "( *)(.?)", re.DOTALL)
    out = []
    line = text.count("\n", 0, first.start()) + 1
    previous = first.start()
    count = text.count
    for m in dashes.finditer(text, first.start()):
        at = m.start()
        if at >= end:
            break
        if not m.group(1) or m.group(2) in ("", "\r", "\n", "#"):
            return None  # "-x", or the item starts on a later line
        line += count("\n", previous, at)
        previous = at
        out.append((line + 1, m.end(1) - at))  # at is the newline before the dash's line
    return out
