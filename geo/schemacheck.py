"""The JSON Schema of routes.yaml compiled into plain Python predicates: valid or not, fast.

jsonschema explains every error, and costs about 90 µs per event (9 s for 100,000 events).
Most files are valid, and for them a yes is all that is needed: these predicates answer in
a few microseconds per event.  geo.validate asks them first, and runs jsonschema only on the
items they refuse, so the messages do not change.

Only the keywords routes.schema.json uses are compiled, with jsonschema's (draft 2020-12)
meaning; an unknown keyword is an error here, so a schema change cannot quietly make the
predicates accept what jsonschema refuses.  They are stricter in one place: a number that
is not finite fails minimum/maximum (jsonschema lets NaN through).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

Predicate = Callable[[object], bool]

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "$comment", "examples"}
)
_TYPES: dict[str, Callable[[object], bool]] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _always(value) -> bool:
    return True


def _never(value) -> bool:
    return False


class Compiler:
    """Compiles schema nodes of one root document (its "#/$defs/..." references resolve)."""

    def __init__(self, root: dict):
        self.root = root
        self._refs: dict[str, Predicate] = {}

    def definition(self, name: str) -> Predicate:
        return self._ref(f"#/$defs/{name}")

    def compile(self, node) -> Predicate:
        if node is True or node == {}:
            return _always
        if node is False:
            return _never
        if not isinstance(node, dict):
            raise ValueError(f"not a schema: {node!r}")
        unknown = set(node) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise NotImplementedError(f"schema keywords not compiled: {sorted(unknown)}")
        if "$ref" in node:
            target = self._ref(node["$ref"])
            rest = {k: v for k, v in node.items() if k != "$ref"}
            if not set(rest) - _ANNOTATIONS:
                return target
            other = self.compile(rest)
            return lambda v: target(v) and other(v)
        if node.get("type") == "object" or "properties" in node:
            return self._object(node)
        keywords = set(node) - _ANNOTATIONS
        if node.get("type") == "string" and keywords <= {
            "type",
            "minLength",
            "maxLength",
            "pattern",
        }:
            return self._string(node)
        if node.get("type") == "array" and keywords <= {"type", "minItems", "items"}:
            return self._array(node)
        return self._generic(node)

    def _ref(self, ref: str) -> Predicate:
        if ref not in self._refs:
            if not ref.startswith("#/"):
                raise NotImplementedError(f"only local references are compiled: {ref}")
            self._refs[ref] = _never  # a placeholder while compiling a recursive definition
            node = self.root
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            compiled = self.compile(node)
            self._refs[ref] = compiled
        resolved = self._refs[ref]
        if resolved is _never:  # recursion: look it up at call time
            return lambda v: self._refs[ref](v)
        return resolved

    def _string(self, node) -> Predicate:
        low, high = node.get("minLength", 0), node.get("maxLength", math.inf)
        pattern = re.compile(node["pattern"]).search if "pattern" in node else None

        def check(v) -> bool:
            if not isinstance(v, str) or not low <= len(v) <= high:
                return False
            return pattern is None or pattern(v) is not None

        return check

    def _array(self, node) -> Predicate:
        low = node.get("minItems", 0)
        each = self.compile(node.get("items", True))

        def check(v) -> bool:
            if not isinstance(v, list) or len(v) < low:
                return False
            for item in v:
                if not each(item):
                    return False
            return True

        return check

    def _object(self, node) -> Predicate:
        typed = node.get("type") == "object"
        props = {k: self.compile(s) for k, s in node.get("properties", {}).items()}
        extra = node.get("additionalProperties", True)
        extra_check = None if extra is False else self.compile(extra)
        required = frozenset(node.get("required", ()))
        names = self.compile(node["propertyNames"]) if "propertyNames" in node else None
        others = {
            k: v
            for k, v in node.items()
            if k not in ("type", "properties", "additionalProperties", "required", "propertyNames")
        }
        rest = self._generic(others) if set(others) - _ANNOTATIONS else None

        def check(v) -> bool:
            if not isinstance(v, dict):
                return not typed and (rest is None or rest(v))
            if required and not required <= v.keys():
                return False
            for key, item in v.items():
                one = props.get(key)
                if one is None:
                    if extra_check is None or not extra_check(item):
                        return False
                elif not one(item):
                    return False
                if names is not None and not names(key):
                    return False
            return rest is None or rest(v)

        return check

    def _generic(self, node) -> Predicate:
        checks: list[Predicate] = []
        for key, value in node.items():
            if key in _ANNOTATIONS:
                continue
            checks.append(getattr(self, "_kw_" + key)(value))
        if len(checks) == 1:
            return checks[0]

        def check(v) -> bool:
            for c in checks:
                if not c(v):
                    return False
            return True

        return check

    # -- one keyword each; each applies only to the types it is about ---------------------
    def _kw_type(self, value) -> Predicate:
        tests = [_TYPES[t] for t in ([value] if isinstance(value, str) else value)]
        return lambda v: any(t(v) for t in tests)

    def _kw_enum(self, values) -> Predicate:
        if all(isinstance(x, str) for x in values):
            allowed = frozenset(values)
            return lambda v: isinstance(v, str) and v in allowed
        return lambda v: any(_equal(v, x) for x in values)

    def _kw_const(self, value) -> Predicate:
        return lambda v: _equal(v, value)

    def _kw_pattern(self, pattern) -> Predicate:
        search = re.compile(pattern).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _kw_minLength(self, n) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) >= n

    def _kw_maxLength(self, n) -> Predicate:
        return lambda v: not isinstance(v, str) or len(v) <= n

    def _kw_minItems(self, n) -> Predicate:
        return lambda v: not isinstance(v, list) or len(v) >= n

    def _kw_items(self, schema) -> Predicate:
        each = self.compile(schema)
        return lambda v: not isinstance(v, list) or all(each(x) for x in v)

    def _kw_minimum(self, bound) -> Predicate:
        return _number_test(lambda v: v >= bound)

    def _kw_maximum(self, bound) -> Predicate:
        return _number_test(lambda v: v <= bound)

    def _kw_exclusiveMinimum(self, bound) -> Predicate:
        return _number_test(lambda v: v > bound)

    def _kw_exclusiveMaximum(self, bound) -> Predicate:
        return _number_test(lambda v: v < bound)


_KEYWORDS = frozenset(
    {"$ref", "type", "properties", "additionalProperties", "required", "propertyNames"}
) | {name[4:] for name in vars(Compiler) if name.startswith("_kw_")}


def _number_test(test: Predicate) -> Predicate:
    def check(v) -> bool:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return True
        return (not isinstance(v, float) or math.isfinite(v)) and test(v)

    return check


def _equal(a, b) -> bool:
    """jsonschema's equality: true/false are not the numbers 1/0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) in (int, float) and type(b) in (int, float) and a == b or a is b
