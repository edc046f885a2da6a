"""geo.fastpath must never change what validation answers: for any text, the fast reading is
either refused (and the careful path answers) or gives exactly the careful path's Dataset."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import fastpath
from geo.errors import DataError
from geo.load import parse_document
from geo.validate import (
    _dedupe,
    _explain,
    _fast_dataset,
    _item_validator,
    _validator,
    check_document,
    schema_problems,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "bad_inputs"
SMALL = (ROOT / "tests" / "data" / "small.yaml").read_text(encoding="utf-8")
FILES = sorted(CORPUS.glob("[0-9][0-9][0-9]-*.yaml")) + sorted(
    (ROOT / "tests" / "data").glob("*.yaml")
)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def careful(text: str, name: str = "t.yaml"):
    """The careful path's answer: a Dataset, or the list of problems."""
    try:
        return check_document(parse_document(text, name))
    except DataError as exc:
        return exc.problems


def assert_same_answer(text: str, name: str = "t.yaml") -> bool:
    """The fast answer, when there is one, is the careful one; True if the fast path answered."""
    fast = _fast_dataset(text, name)
    if fast is None:
        return False
    expected = careful(text, name)
    assert not isinstance(expected, list), (
        f"fast path accepted a file the careful path refuses: {expected}"
    )
    assert fast == expected
    assert dict(fast.lines) == dict(expected.lines)
    return True


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("GEO_TODAY", "2026-11-23")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_corpus_file_gets_the_careful_answer(path):
    text = path.read_bytes().decode("utf-8", "replace")
    assert_same_answer(text, path.name)


def test_plain_valid_files_take_the_fast_path():
    assert assert_same_answer(SMALL)
    bullets = SMALL.replace(
        "summary: A test policy event at one place.",
        "summary: |\n      * a bullet, `code`, @someone, 100% & more\n      * and another",
    )
    assert assert_same_answer(bullets)
    assert assert_same_answer((CORPUS / "093-unicode-names.yaml").read_text(encoding="utf-8"))


def test_bundled_file_takes_the_fast_path(bundled_routes):
    if not bundled_routes.exists():
        pytest.skip("no bundled routes.yaml")
    assert assert_same_answer(bundled_routes.read_text(encoding="utf-8"), "routes.yaml")


def test_synthetic_archive_takes_the_fast_path():
    from bench.generate import Scale, generate

    assert assert_same_answer(generate(Scale(events=300, places=40, routes=30)))


@pytest.mark.parametrize(
    "old, new",
    [
        ("lat: 42.42806", "lat: 0x2A"),  # hex: a number to yaml-rs, text to geo.load
        ("lat: 42.42806", "lat: 4_2"),
        ("lat: 42.42806", "lat: .nan"),
        ("lat: 42.42806", "lat: 1e400"),
        ("lat: 42.42806", "lat: !!float 42"),
        ('published: "2026-11"', "published: 2026"),  # a number to yaml-rs: the schema refuses it
        ("version: 1", "version: true"),
        ("kind: station", "kind: !!str station"),
        ("country: RU", "country: &c RU"),  # anchor names: libyaml refuses some yaml-rs takes
        ("title: Workers arrive by rail", "title: Workers arrive by rail\n    title: twice"),
        ("name: Test Khasan station", "name: Test Khasan\tstation"),
        ("name: Test Khasan station", "name: 'Test Khasan\u2028station'"),
        ("version: 1", "---\nversion: 1"),
        ("version: 1", "%YAML 1.1\n---\nversion: 1"),
    ],
)
def test_unusual_spellings_get_the_careful_answer(old, new):
    assert old in SMALL
    assert not assert_same_answer(SMALL.replace(old, new, 1))


def test_crlf_and_bom_files_take_the_fast_path():
    assert assert_same_answer("\ufeff" + SMALL.replace("\n", "\r\n"))
    assert not assert_same_answer(SMALL.replace("\n", "\r"))  # CR alone: the careful path


def test_item_lines_are_the_careful_positions():
    from bench.generate import Scale, generate

    text = generate(Scale(events=200, places=40, routes=30))
    doc = parse_document(text, "t.yaml")
    lines = fastpath.item_lines(text, fastpath.read_yaml(text))
    assert lines and all(doc.positions[path] == position for path, position in lines.items())


def test_item_lines_refuse_layouts_they_cannot_read():
    flow = SMALL.replace("routes:\n", "routes:\n  # a comment\n", 1)
    assert fastpath.item_lines(flow, fastpath.read_yaml(flow))  # comments are fine
    dash_alone = SMALL.replace("  - id: t-2019-09-flight", "  -\n    id: t-2019-09-flight")
    assert fastpath.item_lines(dash_alone, fastpath.read_yaml(dash_alone)) is None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_schema_problems_are_those_of_jsonschema_on_the_whole_file(path):
    """Only the failing items go through jsonschema, with the same problems as before."""
    text = path.read_bytes().decode("utf-8", "replace")
    try:
        doc = parse_document(text, path.name)
    except DataError:
        return
    if not isinstance(doc.data, dict):
        return
    whole = _dedupe([p for err in _validator().iter_errors(doc.data) for p in _explain(doc, err)])
    assert sorted(schema_problems(doc)) == sorted(whole)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_compiled_schema_agrees_with_jsonschema(path):
    text = path.read_bytes().decode("utf-8", "replace")
    try:
        data = parse_document(text, path.name).data
    except DataError:
        return
    expected = not any(True for _ in _validator().iter_errors(data))
    assert fastpath.schema_valid(data) == expected
    for section, definition in fastpath.SECTION_DEFINITIONS.items():
        items = data.get(section) if isinstance(data, dict) else None
        values = (
            items.values() if isinstance(items, dict) else items if isinstance(items, list) else []
        )
        for item in values:
            one = not any(True for _ in _item_validator(definition).iter_errors(item))
            assert fastpath._compiled(definition)(item) == one, item


def test_compiled_schema_refuses_keywords_it_does_not_know():
    from geo.schemacheck import Compiler

    with pytest.raises(NotImplementedError, match="uniqueItems"):
        Compiler({}).compile({"type": "array", "uniqueItems": True})


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 300)
    | st.floats(allow_nan=True)
    | st.text(max_size=5)
    | st.sampled_from(
        ["t-khasan", "2024-02-05", "RU", "air", "operating", "reported", "https://x.org/a"]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "lat",
                    "lon",
                    "kind",
                    "country",
                    "via",
                    "mode",
                    "status",
                    "since",
                    "sources",
                    "date",
                    "title",
                    "summary",
                    "confidence",
                    "min",
                    "max",
                    "text",
                    "x",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=12,
)


@FUZZ
@given(
    st.sampled_from(sorted(fastpath.SECTION_DEFINITIONS.values()) + ["people", "waypoint"]), JSON
)
def test_compiled_schema_never_accepts_what_jsonschema_refuses(definition, value):
    if fastpath._compiled(definition)(value):
        assert not any(True for _ in _item_validator(definition).iter_errors(value))


BASE_ITEMS = {
    "event": parse_document(SMALL).data["events"],
    "route": parse_document(SMALL).data["routes"],
    "place": parse_document(SMALL).data["places"],
    "source": list(parse_document(SMALL).data["sources"].values()),
}


@FUZZ
@given(st.sampled_from(sorted(BASE_ITEMS)), st.data())
def test_compiled_schema_agrees_on_mutated_items(definition, data):
    import copy

    item = copy.deepcopy(data.draw(st.sampled_from(BASE_ITEMS[definition])))
    node = item
    while True:  # walk down to a random mapping or list and change one entry
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        key, child = data.draw(st.sampled_from(children))
        if isinstance(child, (dict, list)) and child and data.draw(st.booleans()):
            node = child
            continue
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            node[key] = data.draw(JSON)
        elif action == "delete":
            del node[key]
        elif isinstance(node, dict):
            node[data.draw(st.sampled_from(["notes", "extra", "min", "url", "end_date"]))] = (
                data.draw(JSON)
            )
        else:
            node.append(data.draw(JSON))
        break
    expected = not any(True for _ in _item_validator(definition).iter_errors(item))
    got = fastpath._compiled(definition)(item)
    assert got == expected or (expected and _has_nan(item)), item


def _has_nan(value) -> bool:
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf"))
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nan(v) for v in value)
    return False


# --------------------------------------------------------------- random texts

LINES = SMALL.splitlines(keepends=True)
JUNK = st.text(
    alphabet=st.sampled_from(list("-:?[]{},&*!|>'\"%@`# \t~.0123456789_xoeE+abc\r\u2028é")),
    max_size=12,
)


@FUZZ
@given(st.integers(0, len(LINES) - 1), JUNK)
def test_a_spliced_line_never_changes_the_answer(line, junk):
    assert_same_answer("".join(LINES[:line]) + junk + "\n" + "".join(LINES[line:]))


@FUZZ
@given(st.integers(0, len(LINES) - 1), st.integers(0, 60), JUNK)
def test_an_edited_line_never_changes_the_answer(line, col, junk):
    edited = LINES[line][:col] + junk + LINES[line][col:]
    assert_same_answer("".join(LINES[:line]) + edited + "".join(LINES[line + 1 :]))


def test_bundled_gazetteer_reads_the_same_with_yaml_rs_and_pyyaml():
    from importlib import resources

    import yaml

    from geo.gazetteer import _read_gazetteer

    text = resources.files("geo").joinpath("data/gazetteer.yaml").read_text(encoding="utf-8")
    assert _read_gazetteer(text) == yaml.load(text, Loader=yaml.CSafeLoader)


# --------------------------------------------------------------- generated schema source


def _interpreted(definition: str):
    from geo.schemacheck import Compiler
    from geo.validate import schema

    return Compiler(schema()).definition(definition)


DEFINITIONS = sorted(fastpath.SECTION_DEFINITIONS.values()) + ["people", "waypoint", "length"]


@FUZZ
@given(st.sampled_from(DEFINITIONS), JSON)
def test_generated_schema_source_agrees_with_the_interpreted_predicates(definition, value):
    assert fastpath._compiled(definition)(value) == _interpreted(definition)(value)


NUMBERS = st.sampled_from(
    [0, 1, -1, 2.5, 10**4299, 10**4400, -(10**4400), float("nan"), float("inf"), 1e308, True]
)


@FUZZ
@given(st.sampled_from(sorted(BASE_ITEMS)), st.data())
def test_generated_schema_agrees_on_mutated_items_and_numbers(definition, data):
    """Generated and interpreted predicates, and jsonschema, agree on items with one entry
    changed; with ordinary_numbers, the whole-document check is schema_valid and
    _finite_numbers (what read_yaml checks)."""
    import copy

    item = copy.deepcopy(data.draw(st.sampled_from(BASE_ITEMS[definition])))
    node = item
    while True:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        key, child = data.draw(st.sampled_from(children))
        if isinstance(child, (dict, list)) and child and data.draw(st.booleans()):
            node = child
            continue
        node[key] = data.draw(NUMBERS | JSON)
        break
    got = fastpath._compiled(definition)(item)
    assert got == _interpreted(definition)(item)
    try:
        expected = not any(True for _ in _item_validator(definition).iter_errors(item))
    except ValueError:  # jsonschema cannot write an integer of over 4,300 digits in a message
        expected = got
    assert got == expected or (expected and _has_nan(item)), item
    section = {v: k for k, v in fastpath.SECTION_DEFINITIONS.items()}[definition]
    document = {"version": 1, "sources": {}, section: {"s-1": item} if section == "sources" else [item]}
    strict = fastpath.schema_valid(document, ordinary_numbers=True)
    assert strict == (fastpath.schema_valid(document) and fastpath._finite_numbers(document))


def test_generated_schema_source_is_plain_python():
    from geo.schemacheck import generate
    from geo.validate import schema

    check = generate(schema())
    assert "def check_" in check.source and "return True" in check.source
    assert check({"sources": {}}) and not check({"sources": {}, "extra": 1}) and not check({})


# --------------------------------------------------------------- reading in two processes


def _archive(events: int = 400) -> str:
    from bench.generate import Scale, generate

    return generate(Scale(events=events, places=40, routes=30))


@pytest.mark.parametrize("fork", [True, False])
def test_a_file_read_in_two_parts_reads_as_a_whole(monkeypatch, fork):
    text = _archive()
    whole = fastpath.read_valid(text)
    assert whole is not None
    monkeypatch.setattr(fastpath, "SPLIT_FROM", 0)
    if not fork:
        monkeypatch.setenv("GEO_NO_FORK", "1")
    for share in (0.05, 0.3, 0.5, 0.95):
        monkeypatch.setattr(fastpath, "_CHILD_SHARE", share)
        assert fastpath._split_point(text) is not None
        split = fastpath.read_valid(text)
        assert split == whole
        assert list(split.data) == list(whole.data)
        assert assert_same_answer(text)


@FUZZ
@given(st.integers(-60, 60), JUNK)
def test_an_edit_near_the_cut_never_changes_the_answer(offset, junk):
    """Junk spliced at the line of the cut, or just before or after it: the split reading
    is refused or is the whole reading, and the careful path's answer."""
    at = _ARCHIVE_CUT + 1 + offset
    edited = _ARCHIVE[:at] + junk + _ARCHIVE[at:]
    saved = fastpath.SPLIT_FROM, fastpath._CHILD_SHARE
    fastpath.SPLIT_FROM, fastpath._CHILD_SHARE = 0, 0.5
    try:
        split = fastpath.read_valid(edited)
        assert_same_answer(edited)
    finally:
        fastpath.SPLIT_FROM, fastpath._CHILD_SHARE = saved
    if split is not None:
        assert split == fastpath.read_valid(edited)  # read whole


_ARCHIVE = _archive(60)
_saved_share = fastpath._CHILD_SHARE
fastpath._CHILD_SHARE = 0.5
_ARCHIVE_CUT = fastpath._split_point(_ARCHIVE)
fastpath._CHILD_SHARE = _saved_share


def test_the_split_needs_events_to_be_the_last_section():
    text = _archive(60)
    assert fastpath._split_point(text) is not None
    assert fastpath._split_point(text + "extra: 1\n") is None
    assert fastpath._split_point(text.replace("\nevents:", "\nevents: # the events", 1)) is not None
    assert fastpath._split_point(text.replace("\nevents:\n", "\nevents: []\nlater:\n", 1)) is None
