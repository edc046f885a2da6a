"""geo edit, geo remove, geo undo and --replace as a reporter uses them on the bundled
routes.yaml: one field changes and nothing else, removals never leave a dangling reference
or an unused source, and undo gives the file back byte for byte."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.load import parse_document
from geo.references import unused_sources

ROOT = Path(__file__).resolve().parent.parent
NEW_SOURCE = (
    "--source-url https://example.org/news/bridge --source-outlet 'Example News' "
    "--source-title 'Bridge news' --source-date 2025-05-02"
)


@pytest.fixture()
def routes(tmp_path) -> Path:
    dst = tmp_path / "routes.yaml"
    shutil.copyfile(ROOT / "routes.yaml", dst)
    return dst


def run(geo, file: Path, command: str, **kwargs) -> subprocess.CompletedProcess:
    return geo(*shlex.split(command), "--data", file, **kwargs)


def data(file: Path) -> dict:
    return parse_document(file.read_text(encoding="utf-8"), str(file)).data


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    minus = [ln[1:] for ln in diff if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:] for ln in diff if ln.startswith("+") and not ln.startswith("+++")]
    return minus, plus


def route(file: Path, rid: str) -> dict:
    return next(r for r in data(file)["routes"] if r["id"] == rid)


# ---------------------------------------------------------------- geo edit


def test_edit_sets_one_field_and_keeps_every_other_line(geo, routes):
    before = routes.read_text(encoding="utf-8")
    old = route(routes, "tumen-road-bridge")
    r = run(geo, routes, "edit route tumen-road-bridge --set 'operator=Russian Railways'")
    assert r.returncode == 0, r.stderr
    minus, plus = changed_lines(before, routes.read_text(encoding="utf-8"))
    assert minus == [] and plus == ["    operator: Russian Railways"]
    assert route(routes, "tumen-road-bridge") == {**old, "operator": "Russian Railways"}


def test_edit_adds_a_source_to_the_latest_status_in_its_block_list(geo, routes):
    before = routes.read_text(encoding="utf-8")
    source = "rfa-2019-06-17-nk-sailors-vladivostok"
    r = run(geo, routes, f"edit route tumen-road-bridge --add-source {source}")
    assert r.returncode == 0, r.stderr
    minus, plus = changed_lines(before, routes.read_text(encoding="utf-8"))
    assert minus == [] and plus == ["          - rfa-2019-06-17-nk-sailors-vladivostok"]
    status = route(routes, "tumen-road-bridge")["status"]
    assert len(status) == 2 and status[-1]["sources"][-1] == "rfa-2019-06-17-nk-sailors-vladivostok"


def test_edit_nested_field_and_unset_keep_comments_and_quotes(geo, routes):
    text = routes.read_text(encoding="utf-8")
    eid = "2012-08-28-workers-photographed-vladivostok"
    commented = text.replace("      min: 5\n", "      min: 5  # from the photo\n", 1)
    routes.write_text(commented, encoding="utf-8")
    r = run(geo, routes, f"edit event {eid} --set people.max=6 --unset notes")
    assert r.returncode == 0, r.stderr
    minus, plus = changed_lines(commented, routes.read_text(encoding="utf-8"))
    assert minus == ["      max: 5", '    notes: "Archive photo used by the 2024 article and '
                     'captioned as not directly related to it."']
    assert plus == ["      max: 6"]
    assert "      min: 5  # from the photo\n" in routes.read_text(encoding="utf-8")


def test_edit_resolves_place_fields_and_refuses_bad_values_with_the_format(geo, routes):
    eid = "2012-08-28-workers-photographed-vladivostok"
    r = run(geo, routes, f"edit event {eid} --set place=Rason")
    assert r.returncode == 0, r.stderr
    assert next(e for e in data(routes)["events"] if e["id"] == eid)["place"] == "rajin"
    before = routes.read_bytes()
    r = run(geo, routes, f"edit event {eid} --set people.min=about")
    assert r.returncode == 2 and "'about' is not a whole number: give digits only" in r.stderr
    r = run(geo, routes, f"edit event {eid} --set confidence=sure")
    assert "is not one of: confirmed, reported, rumoured" in r.stderr
    r = run(geo, routes, f"edit event {eid} --set colour=red")
    assert "an event has no field 'colour'" in r.stderr
    r = run(geo, routes, f"edit event {eid} --set id=new-id")
    assert "ids are never changed" in r.stderr
    assert routes.read_bytes() == before


# ---------------------------------------------------------------- --replace merges


def test_replace_merges_and_keeps_history_sources_and_notes(geo, routes):
    """The reported friction: --replace on tumen-road-bridge wiped 2 of 3 statuses, 5 source
    references and the notes."""
    old = route(routes, "tumen-road-bridge")
    r = run(geo, routes, "add-route --id tumen-road-bridge --replace --name 'Tumen road bridge' "
                         "--mode road --via Khasan --via Tumangang "
                         "--source tass-2025-04-road-bridge-economy")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Updated route 'tumen-road-bridge'" in r.stdout
    assert route(routes, "tumen-road-bridge") == {**old, "name": "Tumen road bridge"}


def test_replace_all_rewrites_from_the_options(geo, routes):
    r = run(geo, routes, "add-route --id tumen-road-bridge --replace-all --name 'Tumen bridge' "
                         "--mode road --via Khasan --via Tumangang --status planned "
                         "--since 2024-06-19 --source tass-2025-04-road-bridge-economy")
    assert r.returncode == 0, r.stderr
    new = route(routes, "tumen-road-bridge")
    assert "notes" not in new and len(new["status"]) == 1


# ---------------------------------------------------------------- geo remove


def test_remove_refuses_while_referred_to_and_says_by_what(geo, routes):
    before = routes.read_bytes()
    r = run(geo, routes, "remove route tumen-road-bridge")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "is still used by event '2024-06-19-road-bridge-agreement' (line " in r.stderr
    r = run(geo, routes, "remove source tass-2025-04-road-bridge-economy")
    assert "route 'tumen-road-bridge'" in r.stderr
    assert routes.read_bytes() == before


def test_remove_takes_the_sources_only_it_cited(geo, routes):
    r = run(geo, routes, "remove event 2018-01-31-ferry-stranded-off-vladivostok")
    assert r.returncode == 0, r.stderr
    assert "also removed source 'asiatimes-2018-02-ferry-sent-packing'" in r.stdout
    after = data(routes)
    assert "asiatimes-2018-02-ferry-sent-packing" not in after["sources"]
    assert "interfax-2018-02-09-ferry-leaves" not in after["sources"]
    assert unused_sources(after) == []
    assert geo("validate", "--data", routes).returncode == 0


# ---------------------------------------------------------------- geo undo

EDITS = {
    "add-route": "add-route --name 'Khasan Tumangang test line' --mode rail --via Khasan "
                 "--via Tumangang --status planned --since 2024-06-19 "
                 "--source tass-2025-04-road-bridge-economy",
    "add-event": "add-event --date 2025-05-01 --title 'Test event at the bridge' "
                 "--summary 'In our own words.' --route tumen-road-bridge " + NEW_SOURCE,
    "add-place": "add-place --name 'Test crossing' --lat 42.41 --lon 130.64 --country RU "
                 "--kind border_crossing --precision approximate",
    "set-status": "set-status tumen-road-bridge suspended --since 2025-06-01 "
                  "--source tass-2025-04-road-bridge-economy",
    "edit": "edit route tumen-road-bridge --set 'operator=Russian Railways' --unset notes",
    "remove": "remove event 2018-01-31-ferry-stranded-off-vladivostok",
    "add-source": "add-source --url https://example.org/a --outlet Example --title Headline "
                  "--date 2025-01-02",
    "replace": "add-route --id tumen-road-bridge --replace --name 'Tumen road bridge' "
               "--mode road --via Khasan --via Tumangang --source tass-2025-04-road-bridge-economy",
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_undo_gives_the_file_back_byte_for_byte(geo, routes, kind):
    before = routes.read_bytes()
    r = run(geo, routes, EDITS[kind])
    assert r.returncode == 0, r.stderr
    assert routes.read_bytes() != before
    r = geo("undo", "--data", routes)
    assert r.returncode == 0, r.stderr
    assert routes.read_bytes() == before
    r = geo("undo", "--data", routes)
    assert r.returncode == 2 and "no edit made by geo to undo" in r.stderr


def test_undo_goes_back_edit_by_edit_and_keeps_a_crlf_file(geo, routes):
    routes.write_bytes(routes.read_bytes().replace(b"\n", b"\r\n"))
    states = [routes.read_bytes()]
    for kind in ("edit", "set-status", "remove"):
        assert run(geo, routes, EDITS[kind]).returncode == 0
        states.append(routes.read_bytes())
    for state in reversed(states[:-1]):
        assert geo("undo", "--data", routes).returncode == 0
        assert routes.read_bytes() == state


def test_undo_never_throws_away_a_later_hand_edit(geo, routes):
    assert run(geo, routes, EDITS["edit"]).returncode == 0
    edited = routes.read_text(encoding="utf-8") + "# a note typed by hand\n"
    routes.write_text(edited, encoding="utf-8")
    r = geo("undo", "--data", routes)
    assert r.returncode == 2 and "was changed after geo's last edit" in r.stderr
    assert routes.read_text(encoding="utf-8") == edited


def test_the_journal_is_next_to_the_file_and_out_of_git(geo, routes):
    assert run(geo, routes, EDITS["edit"]).returncode == 0
    journal = routes.parent / ".routes.yaml.journal"
    assert sorted(p.suffix for p in journal.iterdir()) == [".after", ".before"]
    r = subprocess.run(["git", "check-ignore", "-q", ".routes.yaml.journal/000001.before"],
                       cwd=ROOT, check=False)  # fmt: skip
    assert r.returncode == 0


def test_removing_the_only_place_gives_back_the_empty_list_and_the_banner_below(geo, routes):
    before = routes.read_bytes()
    assert run(geo, routes, EDITS["add-place"]).returncode == 0
    r = run(geo, routes, "remove place test-crossing")
    assert r.returncode == 0, r.stderr
    assert routes.read_bytes() == before  # `places: []` and the ROUTES banner, as they were


def test_a_curated_place_is_not_removable_and_the_message_says_why(geo, routes):
    r = run(geo, routes, "remove place khasan")
    assert r.returncode == 2 and "it is in the curated gazetteer" in r.stderr


def test_a_bad_coordinate_option_says_the_expected_format(geo, routes):
    r = run(geo, routes, "add-place --name X --lat 42.73N --lon 130.64 --country RU")
    assert r.returncode == 2
    assert "--lat: '42.73N' is not a number: give decimal degrees, e.g. 42.73" in r.stderr
