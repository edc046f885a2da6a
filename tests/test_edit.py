"""geo.edit: splicing new entries into routes.yaml without touching anything else, in the
file's own style, validated, atomic and locked."""

from __future__ import annotations

import os
import re
import stat
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.edit import (
    AddKey,
    Append,
    Insert,
    Replace,
    RoutesFile,
    apply_op,
    edit_file,
    lock_path,
    locked,
    plan,
    remove_stale_temp_files,
    write_atomic,
)
from geo.errors import DataError, GeoError
from geo.load import parse_document
from geo.validate import validate_text

DATA = Path(__file__).resolve().parent / "data"
COMMENTED = (DATA / "edit_commented.yaml").read_text(encoding="utf-8")
SMALL = (DATA / "small.yaml").read_text(encoding="utf-8")

ROUTE = {
    "id": "t-new",
    "name": "New test route",
    "mode": "rail",
    "via": ["t-rajin", "t-khasan"],
    "status": [{"since": "2024-02-05", "status": "operating", "sources": ["ref-facts"]}],
}


def apply(text: str, op) -> str:
    return apply_op(text, parse_document(text), op)[0]


def added_lines(old: str, new: str) -> list[str]:
    """The lines *new* adds to *old*, asserting it adds one contiguous block and removes nothing."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    assert len(b) - end - start == len(b) - len(a), "lines were changed, not only added"
    assert a[:start] + a[len(a) - end :] == a
    return b[start : len(b) - end]


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line]


# ---------------------------------------------------------------- splicing


@pytest.mark.parametrize("source", [SMALL, COMMENTED], ids=["small", "commented"])
def test_append_route_adds_one_block_and_keeps_every_other_byte(source):
    new = apply(source, Append(("routes",), ROUTE))
    block = added_lines(source, new)
    assert block[0] == "  - id: t-new\n"
    assert comments(new) == comments(source)
    data = parse_document(new).data
    assert data["routes"][-1] == ROUTE
    validate_text(new)


def test_new_block_follows_the_file_style():
    new = apply(COMMENTED, Append(("routes",), ROUTE))
    block = "".join(added_lines(COMMENTED, new))
    assert block == (
        "  - id: t-new\n"
        "    name: New test route\n"
        "    mode: rail\n"
        "    via: [t-rajin, t-khasan]\n"
        "    status:\n"
        '      - since: "2024-02-05"\n'
        "        status: operating\n"
        "        sources: [ref-facts]\n"
    )


def test_a_comment_under_the_last_entry_stays_with_it():
    new = apply(COMMENTED, Append(("routes",), ROUTE))
    lines = new.splitlines()
    comment = lines.index("    # a comment that belongs to the last route, after its last field")
    assert lines[comment + 1] == "  - id: t-new"
    assert lines[comment - 1].endswith("sources: [ref-facts, ref-krogh]")


def test_blank_lines_between_entries_are_kept_up():
    event = {
        "id": "t-2025-new",
        "date": "2025",
        "title": "T",
        "summary": "S",
        "kind": "policy",
        "place": "t-rajin",
        "confidence": "reported",
        "sources": ["ref-facts"],
    }
    new = apply(COMMENTED, Append(("events",), event))
    added_lines(COMMENTED, new)
    assert '    sources: [ref-facts]\n\n  - id: t-2025-new\n    date: "2025"\n' in new
    assert new.endswith("    sources: [ref-facts]\n\n# end of file\n")


def test_insert_before_an_item_keeps_date_order_and_blank_lines():
    event = {
        "id": "t-2020-02",
        "date": "2020-02",
        "title": "Suspended",
        "summary": "S",
        "kind": "policy",
        "place": "t-rajin",
        "confidence": "reported",
        "sources": ["ref-facts"],
    }
    new = apply(COMMENTED, Insert(("events",), 1, event))
    added_lines(COMMENTED, new)
    ids = [e["id"] for e in parse_document(new).data["events"]]
    assert ids == ["t-2013-09-22-opening", "t-2020-02", "t-2024-02-05-rail"]
    assert "    sources: [ref-facts]\n\n  - id: t-2020-02\n" in new
    assert (
        "  - id: t-2020-02\n" in new and "sources: [ref-facts]\n\n  - id: t-2024-02-05-rail" in new
    )


def test_new_source_key_in_the_sources_mapping():
    source = {
        "outlet": "Example News",
        "title": "Yes: a headline",
        "published": "2024-02-05",
        "url": "https://example.org/a",
    }
    new = apply(COMMENTED, AddKey(("sources",), "example-2024-02-05", source))
    added_lines(COMMENTED, new)
    assert (
        '    url: "http://geosite.jankrogh.com/borders/cnkpru/friendship_bridge.htm"\n'
        "\n"
        "  example-2024-02-05:\n"
        "    outlet: Example News\n"
        '    title: "Yes: a headline"\n'
        '    published: "2024-02-05"\n'
        '    url: "https://example.org/a"\n'
        "\n"
        "# ---------------------------------------------------------------- places\n"
    ) in new


def test_status_appended_to_a_nested_history():
    change = {"since": "2020-02", "status": "suspended", "sources": ["ref-facts"]}
    new = apply(COMMENTED, Append(("routes", 0, "status"), change))
    block = "".join(added_lines(COMMENTED, new))
    assert (
        block
        == '      - since: "2020-02"\n        status: suspended\n        sources: [ref-facts]\n'
    )
    assert parse_document(new).data["routes"][0]["status"][-1] == change


def test_replace_rewrites_only_that_entry():
    replaced = dict(ROUTE, id="t-rail", via=["t-khasan", "t-rajin"])
    new = apply(COMMENTED, Replace(("routes",), 0, replaced))
    data = parse_document(new).data
    assert data["routes"] == [replaced]
    assert new.split("routes:\n")[0] == COMMENTED.split("routes:\n")[0]
    assert (
        new.split("\n# ---------------------------------------------------------------- events")[1]
        == COMMENTED.split(
            "\n# ---------------------------------------------------------------- events"
        )[1]
    )


def test_replace_keeps_the_comments_below_the_entry():
    new = apply(COMMENTED, Replace(("routes",), 0, dict(ROUTE, id="t-rail")))
    assert "        sources: [ref-facts]\n    # a comment that belongs to the last route" in new
    assert comments(new) == [c for c in comments(COMMENTED) if "opening ceremony" not in c]


def test_an_inserted_event_is_written_like_the_events_around_it():
    event = {"id": "t-2010", "date": "2010", "title": "T", "summary": "S", "kind": "policy",
             "place": "t-rajin", "people": {"min": 1, "text": "one"}, "confidence": "reported",
             "sources": ["ref-facts"]}  # fmt: skip
    new = apply(COMMENTED, Insert(("events",), 0, event))
    block = "".join(added_lines(COMMENTED, new))
    assert '    summary: "S"\n' in block and '    people: {min: 1, text: "one"}\n' in block


def test_empty_flow_list_becomes_a_block():
    text = (
        SMALL.split("places:\n")[0]
        + "places: []   # none yet\n\n"
        + "routes:"
        + SMALL.split("routes:")[1]
    )
    place = {
        "id": "t-new-place",
        "name": "New place",
        "kind": "site",
        "country": "RU",
        "lat": 42.5,
        "lon": 130.5,
    }
    new = apply(text, Append(("places",), place))
    assert "places:   # none yet\n  - id: t-new-place\n    name: New place\n" in new
    assert parse_document(new).data["places"] == [place]


def test_missing_section_goes_before_the_next_one():
    text = re.sub(r"places:\n(?:  .*\n)+\n", "", SMALL)
    assert "places:" not in text
    place = {
        "id": "t-new-place",
        "name": "New place",
        "kind": "site",
        "country": "RU",
        "lat": 42.5,
        "lon": 130.5,
    }
    new = apply(text, Append(("places",), place))
    assert added_lines(text, new)[0] == "places:\n"
    assert new.index("places:") < new.index("routes:")
    assert "    lon: 130.5\n\nroutes:" in new


def test_flow_style_list_falls_back_to_a_round_trip_and_keeps_comments():
    text = (
        "# top comment\n"
        "sources:\n"
        "  ref-facts: {outlet: Notes, title: T, published: '2026-11'}   # a source\n"
        "places: [{id: t-a, name: A, kind: site, country: RU, lat: 42.0, lon: 130.0},\n"
        "         {id: t-b, name: B, kind: site, country: RU, lat: 43.0, lon: 131.0}]\n"
        "# routes come next\n"
        "routes: []\n"
    )
    place = {"id": "t-c", "name": "C", "kind": "site", "country": "KP", "lat": 41.0, "lon": 129.0}
    new = apply(text, Append(("places",), place))
    assert parse_document(new).data["places"][-1] == place
    assert "# top comment" in new and "# a source" in new and "# routes come next" in new
    validate_text(new)


@pytest.mark.parametrize("mapping,sequence,offset", [(2, 2, 0), (4, 4, 2), (2, 4, 2), (3, 5, 3)])
def test_indentation_is_detected(mapping, sequence, offset):
    def seq_item(col, first, rest):
        return [" " * (col + offset) + "- " + " " * (sequence - offset - 2) + first] + [
            " " * (col + sequence) + r for r in rest
        ]

    m = " " * mapping
    lines = [
        "sources:",
        f"{m}ref-facts:",
        f"{m}{m}outlet: O",
        f"{m}{m}title: T",
        f'{m}{m}published: "2026"',
        "routes:",
    ]
    lines += seq_item(0, "id: t-r", ["name: R", "mode: air", "via: [pyongyang, khasan]", "status:"])
    lines += seq_item(sequence, 'since: "2020"', ["status: operating", "sources: [ref-facts]"])
    text = "\n".join(lines) + "\n"
    validate_text(text)
    new = apply(text, Append(("routes",), dict(ROUTE, via=["pyongyang", "khasan"])))
    block = added_lines(text, new)
    assert block[0] == " " * offset + "- " + " " * (sequence - offset - 2) + "id: t-new\n"
    assert block[4] == " " * sequence + "status:\n"
    assert (
        block[5]
        == " " * (sequence + offset)
        + "- "
        + " " * (sequence - offset - 2)
        + 'since: "2024-02-05"\n'
    )
    assert parse_document(new).data["routes"][-1]["status"] == ROUTE["status"]


def test_text_a_yaml_1_1_reader_would_misread_is_quoted():
    place = {
        "id": "t-no",
        "name": "NO",
        "alt_names": ["yes", "1:20", "2024", "null", "plain words"],
        "kind": "site",
        "country": "NO",
        "lat": 60.0,
        "lon": 10.0,
    }
    new = apply(SMALL, Append(("places",), place))
    block = "".join(added_lines(SMALL, new))
    assert 'name: "NO"' in block and 'country: "NO"' in block
    assert '["yes", "1:20", "2024", "null", plain words]' in block
    assert parse_document(new).data["places"][-1] == place


def test_long_text_is_folded_where_the_file_folds_it():
    long_note = "A long note " + "that goes on and on " * 8 + "until the end."
    new = apply(COMMENTED, Append(("routes",), dict(ROUTE, notes=long_note)))
    block = added_lines(COMMENTED, new)
    assert "    notes: >-\n" in block
    assert all(len(line.rstrip("\n")) <= 78 for line in block)
    assert parse_document(new).data["routes"][-1]["notes"] == long_note


def test_crlf_and_bom_are_kept(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode("utf-8"))
    edit, _ = edit_file(path, lambda current: ([Append(("routes",), ROUTE)], None))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"  - id: t-new\r\n" in raw
    assert edit.written


def test_unicode_text_is_written_as_is():
    new = apply(SMALL, Append(("routes",), dict(ROUTE, name="평양–Хабаровск")))
    assert "    name: 평양–Хабаровск\n" in new


# ---------------------------------------------------------------- validation


def routes_file(tmp_path, text: str) -> RoutesFile:
    path = tmp_path / "routes.yaml"
    path.write_text(text, encoding="utf-8")
    return RoutesFile.read(path)


def test_plan_validates_the_whole_result(tmp_path):
    current = routes_file(tmp_path, SMALL)
    bad_route = dict(
        ROUTE, status=[{"since": "2024-02-05", "status": "operating", "sources": ["nope"]}]
    )
    with pytest.raises(GeoError) as info:
        plan(current, [Append(("routes",), bad_route)])
    message = str(info.value)
    assert "\n" not in message
    assert "unknown source 'nope'" in message and "nothing was written" in message


def test_plan_reports_an_already_broken_file_with_its_own_lines(tmp_path):
    broken = SMALL.replace('since: "2018"', 'since: "2018-02-30"')
    current = routes_file(tmp_path, broken)
    with pytest.raises(DataError) as info:
        plan(current, [Append(("routes",), ROUTE)])
    line = broken.splitlines().index('      - since: "2018-02-30"') + 1
    assert [p.line for p in info.value.problems] == [line]


def test_edit_file_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text(SMALL, encoding="utf-8")
    edit, info = edit_file(
        path, lambda current: ([Append(("routes",), ROUTE)], "info"), dry_run=True
    )
    assert info == "info" and not edit.written
    assert path.read_text(encoding="utf-8") == SMALL
    assert "+  - id: t-new\n" in edit.diff()
    assert not lock_path(path).exists()


def test_edit_file_writes_and_reports_the_line(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text(SMALL, encoding="utf-8")
    edit, _ = edit_file(path, lambda current: ([Append(("routes",), ROUTE)], None))
    text = path.read_text(encoding="utf-8")
    assert text == edit.new_text
    assert text.splitlines()[edit.lines[0] - 1] == "  - id: t-new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".routes.yaml.journal", "routes.yaml"]


def test_edit_through_a_symlink_replaces_the_target(tmp_path):
    real = tmp_path / "data" / "routes.yaml"
    real.parent.mkdir()
    real.write_text(SMALL, encoding="utf-8")
    link = tmp_path / "routes.yaml"
    link.symlink_to(real)
    edit_file(link, lambda current: ([Append(("routes",), ROUTE)], None))
    assert link.is_symlink()
    assert "t-new" in real.read_text(encoding="utf-8")


# ---------------------------------------------------------------- lock and atomic write


def test_lock_excludes_a_second_holder_and_leaves_no_file(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text(SMALL, encoding="utf-8")
    with locked(path):
        assert lock_path(path).exists()
        started = time.monotonic()
        with pytest.raises(GeoError, match="being edited by another geo command"):
            with locked(path, timeout=0.3):
                pass
        assert time.monotonic() - started >= 0.3
    assert not lock_path(path).exists()


def test_lock_is_handed_over_in_turn(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text("", encoding="utf-8")
    inside, overlaps = [0], []

    def worker():
        for _ in range(20):
            with locked(path):
                inside[0] += 1
                overlaps.append(inside[0])
                time.sleep(0.001)
                inside[0] -= 1

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(overlaps) == 80 and max(overlaps) == 1
    assert not lock_path(path).exists()


def test_a_stale_lock_file_is_taken_over(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text(SMALL, encoding="utf-8")
    lock_path(path).write_text("")  # left by a process that was killed
    with locked(path, timeout=1):
        pass
    assert not lock_path(path).exists()


def test_the_lock_file_is_opened_without_following_a_symlink(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text(SMALL, encoding="utf-8")
    target = tmp_path / "not-a-lock"
    lock_path(path).symlink_to(target)
    with pytest.raises(GeoError, match="is a symbolic link"):
        with locked(path, timeout=0.1):
            pass
    assert not target.exists() and lock_path(path).is_symlink()


def test_write_atomic_keeps_the_mode_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["routes.yaml"]


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "routes.yaml"
    path.write_text("old\n", encoding="utf-8")

    def broken_write(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", broken_write)
    with pytest.raises(OSError):
        write_atomic(path, b"new\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["routes.yaml"]


def test_stale_temp_files_are_removed(tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text("x", encoding="utf-8")
    (tmp_path / ".routes.yaml.abc123.tmp").write_text("half a file")
    (tmp_path / "other.tmp").write_text("not ours")
    remove_stale_temp_files(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.tmp", "routes.yaml"]


# ---------------------------------------------------------------- any text, written directly

TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=120)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=TEXT, note=TEXT, alt=st.lists(TEXT, min_size=1, max_size=3))
def test_any_text_is_written_directly_and_reads_back_the_same(monkeypatch, name, note, alt):
    """The block writer handles every string itself (quoting, escaping, folding): the ruamel
    round trip is never needed for a plain append, and the data reads back exactly."""
    import geo.edit

    def no_round_trip(*args):
        raise AssertionError("fell back to the round trip")

    monkeypatch.setattr(geo.edit, "_round_trip", no_round_trip)
    place = {
        "id": "t-any",
        "name": name,
        "alt_names": alt,
        "kind": "site",
        "country": "RU",
        "lat": 42.123456,
        "lon": -0.000001,
        "notes": note,
    }
    for text in (SMALL, COMMENTED):
        new = apply(text, Append(("places",), place))
        assert parse_document(new).data["places"][-1] == place
        added_lines(text, new)


# ---------------------------------------------------------------- lines and expected data


def test_the_line_of_a_new_source_is_the_careful_one(tmp_path):
    """A position the dash scan does not give (a key in sources:) comes from geo.load."""
    current = routes_file(tmp_path, SMALL)
    source = {"outlet": "O", "title": "T", "published": "2024-01-01", "url": "https://e.org/a"}
    edit = plan(current, [AddKey(("sources",), "t-new-source", source), Append(("routes",), ROUTE)])
    careful = parse_document(edit.new_text)
    last_route = len(careful.data["routes"]) - 1
    assert edit.lines == (
        careful.where(("sources", "t-new-source"))[0],
        careful.where(("routes", last_route))[0],
    )
    assert edit.new_text.splitlines()[edit.lines[1] - 1] == "  - id: t-new"


def test_the_expected_data_is_a_new_value(tmp_path):
    """apply_op compares the edited text's data with the old data plus the change, built
    without touching the old data (the containers on the way to the change are copied)."""
    import copy

    from geo.edit import _expected

    data = parse_document(SMALL).data
    before = copy.deepcopy(data)
    ops = [
        Append(("routes",), ROUTE),
        Insert(("routes",), 0, ROUTE),
        Replace(("routes",), 0, ROUTE),
        AddKey(("sources",), "t-x", {"outlet": "O"}),
        Append(("routes", 0, "status"), {"since": "2025", "status": "closed", "sources": []}),
        Append(("newsection",), {"id": "x"}),
    ]
    for op in ops:
        expected = _expected(data, op)
        assert data == before
        reference = copy.deepcopy(before)
        parent = reference
        for part in op.path[:-1]:
            parent = parent[part]
        key = op.path[-1]
        if isinstance(op, Replace):
            parent[key][op.index] = op.value
        elif isinstance(op, Insert):
            parent[key].insert(op.index, op.value)
        elif isinstance(op, AddKey):
            parent[key][op.key] = op.value
        else:
            parent.setdefault(key, []).append(op.value)
        assert expected == reference
    with pytest.raises(GeoError):
        _expected(data, Append(("version", "x"), {}))
