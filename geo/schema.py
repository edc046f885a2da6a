"""The shape of routes.yaml: the JSON Schema (``geo/data/routes.schema.json``, published as
``docs/routes.schema.json``), and a one-line message with its line for each way a file breaks it.

fastjsonschema (compiled once, when first needed) says whether a file meets the schema;
jsonschema only explains a failure, and only for the items fastjsonschema refused, so a large
archive with one typo is not explained item by item.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import re
import unicodedata
from functools import cache
from importlib import resources

from geo.dates import DateError, parse_date
from geo.errors import GeoError, Problem
from geo.load import Document, format_path

SECTION_DEFINITIONS = {
    "sources": "source",
    "places": "place",
    "routes": "route",
    "events": "event",
    "stories": "story",
}
_TYPE_NAMES = {
    "string": "text", "number": "a number", "integer": "a whole number", "array": "a list",
    "object": "a mapping", "boolean": "true or false", "null": "empty",
}


@cache
def schema() -> dict:
    return json.loads(resources.files("geo").joinpath("data/routes.schema.json").read_text("utf-8"))


@cache
def _compiled(definition: str | None = None):
    """fastjsonschema's check of the whole schema, or of one of its $defs: never filling in
    defaults, never fetching a $ref over the network, and without the detailed exceptions
    (only jsonschema explains a failure; building their messages is most of the compile
    time)."""
    import fastjsonschema

    root = copy.deepcopy(schema())  # fastjsonschema rewrites the $refs it resolves
    if definition is not None:
        root = {key: root[key] for key in ("$schema", "$id", "$defs")}
        root["$ref"] = f"#/$defs/{definition}"
    _const_as_enum(root)
    offline = {"http": _no_fetch, "https": _no_fetch}
    return fastjsonschema.compile(root, handlers=offline, use_default=False,
                                  detailed_exceptions=False)


def _const_as_enum(node) -> None:
    """``const: x`` written as its equivalent ``enum: [x]``, in place: fastjsonschema 2.22.3
    cannot generate a const check without detailed exceptions (a KeyError)."""
    if isinstance(node, dict):
        if "const" in node:
            node["enum"] = [node.pop("const")]
        for value in node.values():
            _const_as_enum(value)
    elif isinstance(node, list):
        for value in node:
            _const_as_enum(value)


def _no_fetch(uri: str):
    raise GeoError(f"the schema refers to {uri}; it must be self-contained")


def _meets(check, value) -> bool:
    import fastjsonschema

    try:
        check(value)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_problems(doc: Document) -> list[Problem]:
    if not isinstance(doc.data, dict):
        return [doc.problem((), "the top level must be a mapping with sources:, places:, routes: "
                                "and events:")]
    if _meets(_compiled(), doc.data):
        return []
    problems: list[Problem] = []
    for err in _schema_errors(doc.data):
        problems.extend(_explain(doc, err))
    return _dedupe(problems)


def _schema_errors(data: dict):
    """jsonschema's errors for *data*: the top level with its items taken as they are, then
    each item that fastjsonschema refuses, as if found in the whole document."""
    yield from _shallow_validator().iter_errors(data)
    for section, definition in SECTION_DEFINITIONS.items():
        check = _compiled(definition)
        items = data.get(section)
        if section == "sources":
            pairs = items.items() if isinstance(items, dict) else ()
        else:
            pairs = enumerate(items) if isinstance(items, list) else ()
        for where, item in pairs:
            if _meets(check, item):
                continue
            for err in _item_validator(definition).iter_errors(item):
                err.path.extendleft((where, section))
                yield err


@cache
def _shallow_validator():
    """jsonschema for the schema with every item of sources/places/routes/events accepted."""
    import jsonschema

    shallow = copy.deepcopy(schema())
    for section in SECTION_DEFINITIONS:
        entry = shallow["properties"][section]
        entry["additionalProperties" if section == "sources" else "items"] = True
    return jsonschema.Draft202012Validator(shallow)


@cache
def _item_validator(definition: str):
    import jsonschema

    item = {"$defs": schema()["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(item)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if (p.line, p.col, p.field, p.message) not in seen:
            seen.add((p.line, p.col, p.field, p.message))
            out.append(p)
    return out


def _explain(doc: Document, err) -> list[Problem]:
    """The problems a user reads for one jsonschema error."""
    if err.validator in ("anyOf", "oneOf") and err.context:
        # the branch the value came closest to: the deepest error, and one about the
        # value's content (a missing field, a bound) before one about its kind
        kinds = ("enum", "type")
        return _explain(doc, min(err.context, key=lambda e: (
            -len(e.absolute_path), kinds.index(e.validator) if e.validator in kinds else -1)))
    path = tuple(err.absolute_path)
    sub = err.schema if isinstance(err.schema, dict) else {}
    explain = _EXPLAIN.get(err.validator)
    if explain is None:
        return [doc.problem(path, err.message)]
    return explain(doc, err, path, err.instance, sub)


def _additional(doc, err, path, value, sub) -> list[Problem]:
    if not isinstance(value, dict):
        return [doc.problem(path, err.message)]
    allowed = list((sub.get("properties") or {}).keys())
    if not allowed and isinstance(sub.get("additionalProperties"), dict):
        return []  # mapping of id -> object: handled by propertyNames
    out = []
    for k in value:
        if k not in allowed:
            close = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(allowed)}"
            out.append(doc.problem(path + (k,), f"unknown field '{k}'{hint}", key=True))
    return out


def _required(doc, err, path, value, sub) -> list[Problem]:
    missing = re.findall(r"'([^']+)' is a required property", err.message)
    name = missing[0] if missing else "?"
    what = "sources (cite at least one source id)" if name == "sources" else name
    return [Problem(doc.file, *doc.where(path), format_path(path + (name,)),
                    f"missing required field: {what}")]


def _type(doc, err, path, value, sub) -> list[Problem]:
    want = sub.get("type")
    if isinstance(want, str):
        want_s = _TYPE_NAMES.get(want, want)
    else:
        want_s = " or ".join(_TYPE_NAMES.get(w, w) for w in want)
    hint = ""
    if want in ("number", "integer") and isinstance(value, str):
        hint = " (write it without quotes, as a decimal number)" if _looks_numeric(value) else ""
        if value.strip().lower().lstrip("+-").lstrip(".") in ("nan", "inf", "infinity"):
            return [doc.problem(path, f"{value} is not a finite number")]
        if hint and not math.isfinite(float(value)):
            return [doc.problem(path, f"{_clip(value)} is too large to be a number")]
    return [doc.problem(path, f"must be {want_s}, not {_describe_value(value)}{hint}")]


def _enum(doc, err, path, value, sub) -> list[Problem]:
    options = [str(o) for o in sub.get("enum", [])]
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return [doc.problem(path, f"'{_clip(value)}' is not one of: {', '.join(options)}{hint}")]


def _const(doc, err, path, value, sub) -> list[Problem]:
    message = f"unsupported value {value!r}; this tool reads version {sub.get('const')}"
    return [doc.problem(path, message)]


def _pattern(doc, err, path, value, sub) -> list[Problem]:
    message = _pattern_message(path, value, sub.get("pattern", ""))
    if "propertyNames" in err.schema_path:  # a mapping key, e.g. a source id
        return [doc.problem(path + (value,), message, key=True)]
    return [doc.problem(path, message)]


def _property_names(doc, err, path, value, sub) -> list[Problem]:
    message = _pattern_message(path, value, r"^[a-z0-9]")
    return [doc.problem(path + (value,), message, key=True)]


def _min_items(doc, err, path, value, sub) -> list[Problem]:
    field = path[-1] if path else ""
    if field == "via":
        return [doc.problem(path, f"a route needs at least 2 stops in via (found {len(value)})")]
    if field == "sources":
        return [doc.problem(path, "cite at least one source id")]
    return [doc.problem(path, f"needs at least {sub.get('minItems')} item(s)")]


def _bound(doc, err, path, value, sub) -> list[Problem]:
    field = path[-1] if path else ""
    if field == "lat":
        return [doc.problem(path, f"latitude {value} is out of range (-90 to 90)")]
    if field == "lon":
        return [doc.problem(path, f"longitude {value} is out of range (-180 to 180)")]
    bound = f"{err.validator} {sub.get(err.validator)}"
    return [doc.problem(path, f"{value} is out of range ({bound})")]


def _length(doc, err, path, value, sub) -> list[Problem]:
    if err.validator == "minLength":
        return [doc.problem(path, "must not be empty")]
    message = f"is too long ({len(value)} characters, at most {sub.get('maxLength')})"
    return [doc.problem(path, message)]


_EXPLAIN = {
    "additionalProperties": _additional, "required": _required, "type": _type, "enum": _enum,
    "const": _const, "pattern": _pattern, "propertyNames": _property_names,
    "minItems": _min_items, "minimum": _bound, "maximum": _bound, "exclusiveMinimum": _bound,
    "exclusiveMaximum": _bound, "minLength": _length, "maxLength": _length,
}


def _pattern_message(path, value, pattern: str) -> str:
    field = path[-1] if path else ""
    v = _clip(value)
    if "[0-9]{4}" in pattern:
        try:
            parse_date(value)
        except DateError as exc:
            return str(exc)
        return f"'{v}' is not a date"
    if pattern.lower().startswith("^[h]") or "[Hh][Tt]" in pattern:
        return f"'{v}' is not an http(s) URL; links must start with http:// or https://"
    if field == "country":
        return f"'{v}' is not a two-letter ISO country code (e.g. RU, KP, CN)"
    if field in ("iata", "icao", "currency", "language"):
        return f"'{v}' is not a valid {field} code"
    return (f"'{v}' is not a valid id{_id_flaw(value)}: use lower-case letters, digits and hyphens "
            "(e.g. 'air-koryo-fnj-vvo')")


def _id_flaw(value) -> str:
    """Why *value* is not an id, for the characters a reader cannot see or tell apart."""
    if not isinstance(value, str):
        return ""
    for c in value:
        if c in "abcdefghijklmnopqrstuvwxyz0123456789-":
            continue
        if c == " ":
            return " (it contains a space)"
        if c.isascii() and c.isprintable():
            return f" (it contains '{c}')"
        return f" (it contains U+{ord(c):04X} {unicodedata.name(c, 'an unnamed character')})"
    if len(value) > 80:
        return f" (it is {len(value)} characters long, at most 80)"
    if value.startswith("-"):
        return " (it starts with a hyphen)"
    return ""


def _looks_numeric(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _describe_value(v) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, str):
        return f"the text '{_clip(v)}'"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def _clip(v, n: int = 50) -> str:
    s = str(v)
    return s if len(s) <= n else s[: n - 1] + "…"
