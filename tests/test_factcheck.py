"""`geo check`'s fact rules: each one fires on a small bad file, at the entry's file:line:col,
with what to do; the fixed file, and the bundled routes.yaml, give no warning."""

from __future__ import annotations

import pytest
from conftest import DATA

from geo.errors import DataError
from geo.factcheck import check_facts
from geo.validate import load_dataset

SMALL = (DATA / "small.yaml").read_text(encoding="utf-8")
# small.yaml with its one source typed: the base every variant starts from
PUBLISHED = '    published: "2026-11"\n'
TYPED = SMALL.replace(PUBLISHED, PUBLISHED + "    type: official\n", 1)


def source(sid: str, outlet: str, published: str, kind: str, extra: str = "") -> str:
    return (f"  {sid}:\n    outlet: {outlet}\n    title: Test report {sid}\n"
            f'    published: "{published}"\n    type: {kind}\n{extra}')


def event(eid: str, date: str, sources: str, *, confidence: str = "reported", extra: str = "",
          where: str = "place: t-khasan") -> str:
    return (f"  - id: {eid}\n    date: \"{date}\"\n    title: Test {eid}\n"
            f"    summary: A test event.\n    kind: movement\n    {where}\n{extra}"
            f"    confidence: {confidence}\n    sources: [{sources}]\n")


def write(tmp_path, sources: str = "", events: str = "", base: str = TYPED):
    text = base.replace("\nplaces:\n", f"\n{sources}\nplaces:\n", 1) + events
    path = tmp_path / "routes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def warnings(path) -> list[str]:
    return [str(w) for w in check_facts(load_dataset(path))]


def position(path, line_text: str, value: str | None = None, after: str = "") -> str:
    """'FILE:LINE:COL' of the first line *line_text* (stripped) after the line *after*, at
    *value* or at its first text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, t in enumerate(lines) if t.strip() == after) if after else 0
    number, text = next((i, t) for i, t in enumerate(lines[start:], start + 1)
                        if t.strip() == line_text)
    if value is None:
        col = len(text) - len(text.lstrip(" -")) + 1
    else:
        col = text.index(value) + 1
    return f"{path}:{number}:{col}"


def only(out: list[str]) -> str:
    assert len(out) == 1, out
    return out[0]


def test_the_typed_fixture_gives_no_warning(tmp_path):
    assert warnings(write(tmp_path)) == []


def test_a_source_without_type_is_reported_at_its_id(tmp_path):
    path = write(tmp_path, base=SMALL)
    untyped, confirmed = warnings(path)
    assert untyped.startswith(f"{position(path, 'ref-facts:')}: sources.ref-facts: no type; ")
    assert "add type: one of official, wire, press, republisher, research, reference" in untyped
    assert "t-2017-12-22-policy" in confirmed, "an untyped source is not taken as official"


def test_confirmed_on_one_press_report_is_reported_with_the_fix(tmp_path):
    path = write(tmp_path, source("paper", "Daily Test", "2024-02-06", "press"),
                 event("e-confirmed", "2024-02-05", "paper", confidence="confirmed"))
    message = only(warnings(path))
    at = position(path, "confidence: confirmed", "confirmed", after="- id: e-confirmed")
    assert message.startswith(f"{at}: events[e-confirmed].confidence: \"confirmed\" rests on one "
                              "source (Daily Test); ")
    assert message.endswith("cite the official text or a second independent source, or set "
                            "confidence: reported")


@pytest.mark.parametrize(("second", "independent"), [
    (source("copy", "Copy Site", "2024-02-07", "republisher", "    original: paper\n"), False),
    (source("relay", "Gulf Test", "2024-02-07", "wire", "    carries: Daily Test\n"), False),
    (source("other", "Other Paper", "2024-02-07", "press"), True),
])
def test_copies_and_carried_wires_are_not_a_second_source(tmp_path, second, independent):
    sid = second.split(":")[0].strip()
    path = write(tmp_path, source("paper", "Daily Test", "2024-02-06", "press") + second,
                 event("e-two", "2024-02-05", f"paper, {sid}", confidence="confirmed"))
    out = warnings(path)
    if independent:
        assert out == []
    else:
        assert "rests on one source (Daily Test)" in only(out)


def test_an_announcement_does_not_count_towards_confirmed(tmp_path):
    """The official notice came out before the day: it announces, it does not confirm."""
    path = write(tmp_path, source("notice", "Railways", "2024-02-01", "official")
                 + source("paper", "Daily Test", "2024-02-06", "press"),
                 event("e-after", "2024-02-05", "notice, paper", confidence="confirmed"))
    assert "rests on one source (Daily Test)" in only(warnings(path))


def test_an_announced_event_is_never_confirmed(tmp_path):
    path = write(tmp_path, source("notice", "Railways", "2024-02-01", "official"),
                 event("e-plan", "2024-02-05", "notice", confidence="confirmed",
                       extra="    reported_as: announced\n"))
    message = only(warnings(path))
    at = position(path, "confidence: confirmed", "confirmed", after="- id: e-plan")
    assert message.startswith(f"{at}: "
                              "events[e-plan].confidence: \"confirmed\" but reported as announced;")
    assert "set confidence: reported" in message


def test_a_happened_event_citing_only_earlier_sources_is_an_announcement(tmp_path):
    path = write(tmp_path, source("schedule", "Airport Test", "2024-02-01", "press"),
                 event("e-flight", "2024-02-05", "schedule"))
    message = only(warnings(path))
    assert message.startswith(f"{position(path, 'sources: [schedule]', '[')}: "
                              "events[e-flight].sources: reported as happened on 2024-02-05, but "
                              "every source was published before it (latest: schedule, "
                              "2024-02-01)")
    assert message.endswith("cite a report from on or after that date, or set reported_as: "
                            "announced")
    fixed = write(tmp_path, source("schedule", "Airport Test", "2024-02-01", "press"),
                  event("e-flight", "2024-02-05", "schedule",
                        extra="    reported_as: announced\n"))
    assert warnings(fixed) == []


def test_an_end_date_after_the_sources_is_more_precise_than_they_allow(tmp_path):
    """A timetable's arrival, a plan's last day: the source cannot have seen the end."""
    path = write(tmp_path, source("paper", "Daily Test", "2015-04-27", "press"),
                 event("e-coal", "2015-04", "paper", extra='    end_date: "2015-05"\n'))
    message = only(warnings(path))
    at = position(path, 'end_date: "2015-05"', '"')
    assert message.startswith(f"{at}: "
                              "events[e-coal].end_date: ends on 2015-05, after its latest source "
                              "was published (paper, 2015-04-27)")
    assert message.endswith("end it no later than the source's date, drop end_date, or cite a "
                            "report of the end")


def test_a_month_source_may_report_a_day_in_that_month(tmp_path):
    path = write(tmp_path, source("monthly", "Monthly Test", "2017-07", "press"),
                 event("e-held", "2017-07-14", "monthly"))
    assert warnings(path) == []


def test_a_republisher_cited_without_its_original(tmp_path):
    copy = source("copy", "Copy Site", "2024-02-07", "republisher", "    original: paper\n")
    path = write(tmp_path, source("paper", "Daily Test", "2024-02-06", "press") + copy,
                 event("e-copy", "2024-02-05", "copy"))
    message = only(warnings(path))
    assert message.startswith(f"{position(path, 'sources: [copy]', '[')}: events[e-copy].sources: "
                              "cites the republisher 'copy' without its original 'paper'; ")
    assert "add 'paper' to these sources" in message


def test_a_route_status_citing_a_copy_without_its_original(tmp_path):
    copy = source("copy", "Copy Site", "2024-02-07", "republisher", "    original: ref-facts\n")
    text = TYPED.replace('      - since: "2013-09-22"\n        status: operating\n'
                         '        sources: [ref-facts]',
                         '      - since: "2013-09-22"\n        status: operating\n'
                         '        sources: [copy]')
    path = write(tmp_path, copy, base=text)
    message = only(warnings(path))
    assert message.startswith(f"{position(path, 'sources: [copy]', '[')}: "
                              "routes[t-rail].status[1].sources: cites the republisher 'copy' "
                              "without its original 'ref-facts'")


def test_two_movements_counting_the_same_people(tmp_path):
    people = "    people: {min: 100, text: \"about 100\"}\n    group: tourists\n" \
             "    direction: to_north_korea\n"
    span = '    end_date: "2024-02-12"\n'
    first = event("e-tour", "2024-02-09", "ref-facts", extra=people + span, where="place: t-rajin")
    second = event("e-masikryong", "2024-02-10", "ref-facts", extra=people,
                   where="place: t-rajin")
    path = write(tmp_path, events=first + second)
    message = only(warnings(path))
    first_line = position(path, "- id: e-tour").split(":")[1]
    assert message.startswith(f"{position(path, '- id: e-masikryong')}: events[e-masikryong]: "
                              f"counts the same tourists as 'e-tour' (line {first_line})")
    assert message.endswith("fold one into the other, or link them with same_people_as: [e-tour]")
    linked = second.replace("    confidence:", "    same_people_as: [e-tour]\n    confidence:")
    assert warnings(write(tmp_path, events=first + linked)) == []
    elsewhere = second.replace("place: t-rajin", "place: t-khasan")
    assert warnings(write(tmp_path, events=first + elsewhere)) == []


def test_an_estimate_is_never_counted_as_a_movement(tmp_path):
    people = "    people: {min: 10000, text: \"about 10,000\"}\n    group: workers\n"
    stock = event("e-stock", "2019-05", "ref-facts", extra=people, where="place: t-rajin")
    again = event("e-stock-later", "2019-05-20", "ref-facts", extra=people,
                  where="place: t-rajin").replace("kind: movement", "kind: estimate")
    assert warnings(write(tmp_path, events=stock.replace("kind: movement", "kind: estimate")
                          + again)) == []
    drawn = event("e-drawn", "2019-05", "ref-facts", where="from: t-rajin\n    to: t-khasan")
    with pytest.raises(DataError, match="an estimate is a figure, not a movement"):
        load_dataset(write(tmp_path, events=drawn.replace("kind: movement", "kind: estimate")))


@pytest.mark.parametrize(("sources", "events", "message"), [
    (source("copy", "Copy Site", "2024-02-07", "republisher", "    original: papr\n"), "",
     "sources.copy.original: unknown source 'papr'"),
    (source("copy", "Copy Site", "2024-02-07", "republisher"), "",
     "sources.copy.type: a republisher needs original: the id of the source it copies"),
    ("", event("e-one", "2024-02-05", "ref-facts", extra="    same_people_as: [e-too]\n"),
     "events[3].same_people_as[0]: unknown event 'e-too'"),
])
def test_links_must_name_existing_entries(tmp_path, geo, sources, events, message):
    path = write(tmp_path, sources, events)
    r = geo("validate", path)
    assert r.returncode == 2, r.stdout
    assert f"{path}:" in r.stderr and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_geo_check_prints_each_fact_warning_and_exits_1(tmp_path, geo):
    path = write(tmp_path, source("schedule", "Airport Test", "2024-02-01", "press"),
                 event("e-flight", "2024-02-05", "schedule"))
    r = geo("check", "--data", path)
    assert r.returncode == 1, r.stderr
    facts = [line for line in r.stdout.splitlines() if "events[" in line]
    assert only(facts).startswith(f"{position(path, 'sources: [schedule]', '[')}: "
                                  "events[e-flight].sources: reported as happened")
    assert "Traceback" not in r.stderr


def test_the_bundled_data_gives_no_fact_warning(bundled_routes):
    dataset = load_dataset(bundled_routes)
    assert check_facts(dataset) == []
    assert all(s.type for s in dataset.sources.values())
    assert any(e.reported_as == "announced" for e in dataset.events)
    assert sum(e.kind == "estimate" for e in dataset.events) == 13


@pytest.mark.parametrize(("kind", "entry_id", "user"), [
    ("source", "tass-2023-09-13-putin-kim-vostochny", "source 'pledgetimes-2023-09-putin-met-kim'"),
    ("event", "2018-12-ambassador-11000-workers-in-russia",
     "event '2019-03-26-russia-says-two-thirds-sent-home'"),
])
def test_remove_refuses_an_original_or_a_linked_event(tmp_path, geo, bundled_routes, kind,
                                                      entry_id, user):
    path = tmp_path / "routes.yaml"
    path.write_bytes(bundled_routes.read_bytes())
    r = geo("remove", kind, entry_id, "--data", path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "is still used by " in r.stderr and f"{user} (line " in r.stderr, r.stderr
    assert path.read_bytes() == bundled_routes.read_bytes()
