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


# ---------------------------------------------------------------- generated source
#
# The predicates above call one closure per keyword and per nested node: about 15 µs per
# event.  generate() writes the same checks out as the source of one Python function per
# node compiled (references inlined, each keyword a plain statement, the type tests that an
# earlier type keyword made redundant left out) and compiles that with exec: a few µs per
# event.  Same meaning as Compiler (tests/test_fastpath.py compares the two, and both with
# jsonschema); a node it has no special code for is checked by Compiler's predicate.

_TYPE_TESTS = {
    "string": "isinstance({v}, str)",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
    "integer": (
        "((isinstance({v}, int) and not isinstance({v}, bool))"
        " or (isinstance({v}, float) and {v}.is_integer()))"
    ),
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
}
# what a value that passed a single-type keyword is known to be
_KNOWN = {"string": "str", "object": "dict", "array": "list", "number": "number", "integer": "number"}
_OBJECT_KEYWORDS = ("properties", "additionalProperties", "required", "propertyNames")
_BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
# an integer of more bits than this has over 4,300 digits (see geo.fastpath._ordinary)
ORDINARY_INT_BITS = 14280


class _Generator:
    def __init__(self, root: dict, ordinary_numbers: bool):
        self.root = root
        self.ordinary_numbers = ordinary_numbers
        self.reference = Compiler(root)
        self.namespace: dict[str, object] = {"math": math, "_isfinite": math.isfinite}
        self.lines: list[str] = []
        self._names = 0

    def name(self, prefix: str) -> str:
        self._names += 1
        return f"{prefix}{self._names}"

    def constant(self, value, prefix: str = "_c") -> str:
        name = self.name(prefix)
        self.namespace[name] = value
        return name

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def function(self, node) -> str:
        fname = self.name("check_")
        start = len(self.lines)
        self.emit(0, f"def {fname}(v0):")
        self.emit(1, "try:")
        body = len(self.lines)
        self.node(node, "v0", 2, ())
        if len(self.lines) == body:
            self.emit(2, "pass")
        self.emit(1, "except KeyError:  # a required property is missing")
        self.emit(2, "return False")
        self.emit(1, "return True")
        self.source = "\n".join(self.lines[start:])
        return fname

    def resolve(self, ref: str):
        if not ref.startswith("#/"):
            raise NotImplementedError(f"only local references are compiled: {ref}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    # -- statements that return False when the value in *var* fails *node* --------------
    def node(self, node, var: str, depth: int, refs: tuple) -> None:
        if node is True or node == {}:
            return
        if node is False:
            self.emit(depth, "return False")
            return
        if not isinstance(node, dict):
            raise ValueError(f"not a schema: {node!r}")
        unknown = set(node) - _ANNOTATIONS - _KEYWORDS
        if unknown:
            raise NotImplementedError(f"schema keywords not compiled: {sorted(unknown)}")
        if "$ref" in node:
            ref = node["$ref"]
            if ref in refs:  # recursive: call the reference predicate
                check = self.constant(self.reference._ref(ref), "_ref")
                self.emit(depth, f"if not {check}({var}): return False")
            else:
                self.node(self.resolve(ref), var, depth, refs + (ref,))
            node = {k: v for k, v in node.items() if k != "$ref"}
        keywords = [k for k in node if k not in _ANNOTATIONS]
        known = None
        if "type" in node:
            types = [node["type"]] if isinstance(node["type"], str) else list(node["type"])
            test = " or ".join(_TYPE_TESTS[t].format(v=var) for t in types)
            self.emit(depth, f"if not ({test}): return False")
            if len(types) == 1:
                known = _KNOWN.get(types[0])
        if "enum" in node:
            values = node["enum"]
            if all(isinstance(x, str) for x in values):
                allowed = self.constant(frozenset(values), "_enum")
                self.emit(depth, f"if not (isinstance({var}, str) and {var} in {allowed}): return False")
            else:
                self.fallback({"enum": values}, var, depth)
        if "const" in node:
            self.fallback({"const": node["const"]}, var, depth)
        self.strings(node, var, depth, known)
        self.numbers(node, var, depth, known, "type" in node)
        self.arrays(node, var, depth, known, refs)
        if any(k in node for k in _OBJECT_KEYWORDS):
            self.objects(node, var, depth, known, refs)
        handled = {"type", "enum", "const", "minLength", "maxLength", "pattern", "minItems", "items",
                   *_BOUNDS, *_OBJECT_KEYWORDS}
        rest = {k: node[k] for k in keywords if k not in handled}
        if rest:  # nothing in routes.schema.json; kept for any keyword added to Compiler
            self.fallback(rest, var, depth)

    def fallback(self, node, var: str, depth: int) -> None:
        check = self.constant(self.reference.compile(node), "_pred")
        self.emit(depth, f"if not {check}({var}): return False")

    def guard(self, var: str, depth: int, known, kind: str, test: str) -> int:
        """Open an "if the value is a <kind>:" block unless it is known to be one."""
        if known == kind:
            return depth
        self.emit(depth, f"if {test}:")
        return depth + 1

    def strings(self, node, var, depth, known) -> None:
        if not any(k in node for k in ("minLength", "maxLength", "pattern")):
            return
        depth = self.guard(var, depth, known, "str", f"isinstance({var}, str)")
        low, high = node.get("minLength"), node.get("maxLength")
        if low is not None and high is not None:
            self.emit(depth, f"if not {low!r} <= len({var}) <= {high!r}: return False")
        elif low is not None:
            self.emit(depth, f"if len({var}) < {low!r}: return False")
        elif high is not None:
            self.emit(depth, f"if len({var}) > {high!r}: return False")
        if "pattern" in node:
            search = self.constant(re.compile(node["pattern"]).search, "_search")
            self.emit(depth, f"if {search}({var}) is None: return False")

    def numbers(self, node, var, depth, known, typed) -> None:
        bounds = [(k, node[k]) for k in _BOUNDS if k in node]
        ordinary = self.ordinary_numbers and known == "number"
        if not bounds and not ordinary:
            return
        depth = self.guard(var, depth, known, "number",
                          f"isinstance({var}, (int, float)) and not isinstance({var}, bool)")
        if bounds or ordinary:
            self.emit(depth, f"if isinstance({var}, float):")
            self.emit(depth + 1, f"if not _isfinite({var}): return False")
            if ordinary:
                self.emit(depth, f"elif {var}.bit_length() >= {ORDINARY_INT_BITS}: return False")
        for keyword, bound in bounds:
            self.emit(depth, f"if not {var} {_BOUNDS[keyword]} {bound!r}: return False")

    def arrays(self, node, var, depth, known, refs) -> None:
        if "minItems" not in node and "items" not in node:
            return
        depth = self.guard(var, depth, known, "list", f"isinstance({var}, list)")
        if "minItems" in node:
            self.emit(depth, f"if len({var}) < {node['minItems']!r}: return False")
        items = node.get("items", True)
        if items is True or items == {}:
            return
        item = self.name("v")
        self.emit(depth, f"for {item} in {var}:")
        start = len(self.lines)
        self.node(items, item, depth + 1, refs)
        if len(self.lines) == start:
            self.emit(depth + 1, "pass")

    def objects(self, node, var, depth, known, refs) -> None:
        depth = self.guard(var, depth, known, "dict", f"isinstance({var}, dict)")
        props = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        required = list(dict.fromkeys(node.get("required", ())))
        names = node.get("propertyNames")
        if extra is False and names is None:
            self.closed_object(props, required, var, depth, refs)
            return
        if required:
            needed = self.constant(frozenset(required), "_required")
            self.emit(depth, f"if not {needed} <= {var}.keys(): return False")
        key_var, item = self.name("k"), self.name("v")
        self.emit(depth, f"for {key_var}, {item} in {var}.items():")
        start = len(self.lines)
        first = True
        for key, sub in props.items():
            self.emit(depth + 1, f"{'if' if first else 'elif'} {key_var} == {key!r}:")
            first = False
            body = len(self.lines)
            self.node(sub, item, depth + 2, refs)
            if len(self.lines) == body:
                self.emit(depth + 2, "pass")
        if extra is not True and extra != {}:
            if first:
                self.node(extra, item, depth + 1, refs)
            else:
                self.emit(depth + 1, "else:")
                body = len(self.lines)
                self.node(extra, item, depth + 2, refs)
                if len(self.lines) == body:
                    self.emit(depth + 2, "pass")
        if names is not None:
            self.node(names, key_var, depth + 1, refs)
        if len(self.lines) == start:
            self.emit(depth + 1, "pass")

    def closed_object(self, props, required, var, depth, refs) -> None:
        """additionalProperties false: each required property is read directly (a missing
        one raises KeyError, which the function answers with False); the optional ones are
        looked up only when there are more keys than required ones, and counted: any key
        left over is not a property."""
        if any(key not in props for key in required):
            self.emit(depth, "return False")  # a required key no property allows
            return
        for key in required:
            item = self.name("v")
            self.emit(depth, f"{item} = {var}[{key!r}]")
            self.node(props[key], item, depth, refs)
        optional = [k for k in props if k not in required]
        if not optional:
            self.emit(depth, f"if len({var}) != {len(required)}: return False")
            return
        count, missing = self.name("n"), self.constant(_MISSING, "_missing")
        self.emit(depth, f"if len({var}) > {len(required)}:")
        self.emit(depth + 1, f"{count} = {len(required)}")
        for key in optional:
            item = self.name("v")
            self.emit(depth + 1, f"{item} = {var}.get({key!r}, {missing})")
            self.emit(depth + 1, f"if {item} is not {missing}:")
            self.emit(depth + 2, f"{count} += 1")
            self.node(props[key], item, depth + 2, refs)
        self.emit(depth + 1, f"if len({var}) != {count}: return False")

_MISSING = object()


def generate(root: dict, node=None, *, ordinary_numbers: bool = False) -> Predicate:
    """A predicate for *node* (default: the whole *root* schema), as Compiler(root).compile
    would give, written out as Python source.  With *ordinary_numbers*, a value that a
    type keyword accepts as a number must also be finite and have at most 4,300 digits
    (geo.fastpath's condition for reading a number the way geo.load does)."""
    gen = _Generator(root, ordinary_numbers)
    name = gen.function(root if node is None else node)
    code = compile(gen.source, f"<schema check {name}>", "exec")
    exec(code, gen.namespace)
    check = gen.namespace[name]
    check.source = gen.source
    return check
