"""geo add-route / add-event / add-place / set-status as a user runs them: real processes,
exit codes, one-line errors, an untouched file after every refusal, concurrency and crashes."""

from __future__ import annotations

import difflib
import json
import math
import os
import pty
import random
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer
from geo.load import parse_document
from geo.validate import load_dataset

DATA = Path(__file__).resolve().parent / "data"
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
NEW_SOURCE = (
    "--source-url https://example.org/news/ferry-suspended --source-outlet 'Example News' "
    "--source-title 'Ferry service suspended' --source-date 2017-09-05"
)


@pytest.fixture()
def commented(tmp_path) -> Path:
    """tests/data/edit_commented.yaml (comments, blank lines, folded text) as routes.yaml."""
    dst = tmp_path / "routes.yaml"
    shutil.copyfile(DATA / "edit_commented.yaml", dst)
    return dst


def run(geo, file: Path, command: str, **kwargs) -> subprocess.CompletedProcess:
    """`geo COMMAND --file FILE`, COMMAND written as on a shell command line."""
    return geo(*shlex.split(command), "--file", file, **kwargs)


def one_error_line(r: subprocess.CompletedProcess) -> str:
    """The single line a refused command prints (exit 2, nothing on stdout, no traceback)."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].lower().startswith("error:"), lines[0]
    assert r.stdout == ""
    return lines[0]


def only_dir_entry(path: Path) -> list[str]:
    """The directory's entries but the undo journal (geo undo's, kept on purpose)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name != f".{path.name}.journal")


def km(a, b) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# ---------------------------------------------------------------- what gets written


def test_route_through_gazetteer_places_changes_only_its_block_and_builds(geo, commented, tmp_path):
    before = commented.read_text(encoding="utf-8")
    names = ["Pyongyang", "Tumangang", "Khasan", "Khabarovsk"]
    stops = [Gazetteer().resolve(n).place for n in names]
    local_ids = {p["id"] for p in parse_document(before).data["places"]}
    assert not {p.id for p in stops} & local_ids, "the stops must come from the gazetteer"

    r = run(
        geo,
        commented,
        "add-route --name 'Pyongyang - Khabarovsk by rail' --mode rail "
        "--via Pyongyang --via Tumangang --via Khasan --via Khabarovsk "
        "--since 2025-06-19 --source ref-facts",
    )
    assert r.returncode == 0, r.stderr
    assert "Added route 'pyongyang-khabarovsk-by-rail'" in r.stdout
    for name, place in zip(names, stops, strict=True):
        assert f"{name} -> {place.id}" in r.stdout
    assert "geo build" in r.stdout

    after = commented.read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    assert not [d for d in diff[2:] if d.startswith("-")], "a line of the file was changed"
    added = [d[1:] for d in diff[2:] if d.startswith("+")]
    assert added[0] == "  - id: pyongyang-khabarovsk-by-rail"
    assert f"    via: [{', '.join(p.id for p in stops)}]" in added
    assert after.replace("\n".join(added) + "\n", "", 1) == before
    assert [ln for ln in before.splitlines() if "#" in ln] == [
        ln for ln in after.splitlines() if "#" in ln
    ]

    assert geo("validate", commented).returncode == 0
    r = geo("build", "--data", commented, "--layers", tmp_path / "layers", "--no-site")
    assert r.returncode == 0, r.stderr
    layer = json.loads((tmp_path / "layers" / "routes.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in layer["features"] if f["id"] == "pyongyang-khabarovsk-by-rail")
    assert feature["properties"]["via"] == [p.id for p in stops]
    expected = sum(km(a, b) for a, b in zip(stops, stops[1:], strict=False))
    assert 900 < expected < 1600
    assert feature["properties"]["length_km"] == pytest.approx(expected, rel=0.02)


def test_a_geonames_city_is_written_as_its_geonames_id(geo, small_routes):
    r = run(
        geo,
        small_routes,
        "add-route --name 'Pyongyang-Yakutsk charter' --mode air "
        "--via Pyongyang --via Yakutsk --source ref-facts --json",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    yakutsk = Gazetteer().resolve("Yakutsk").place
    assert yakutsk.origin == "geonames"
    assert out["entry"]["via"][1] == f"geonames-{yakutsk.geonames_id}"
    assert out["resolved"][1]["origin"] == "geonames" and out["written"] is True
    assert load_dataset(small_routes).route("pyongyang-yakutsk-charter").stops[1].name == "Yakutsk"


def test_a_new_source_by_url_gets_its_own_entry_once(geo, small_routes):
    r = run(
        geo,
        small_routes,
        "add-route --name 'Rajin-Vladivostok ferry' --mode sea "
        f"--via t-rajin --via Vladivostok --status suspended --since 2017-08 {NEW_SOURCE} --json",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["new_sources"] == {
        "example-news-2017-09-05": {
            "outlet": "Example News",
            "title": "Ferry service suspended",
            "published": "2017-09-05",
            "url": "https://example.org/news/ferry-suspended",
        }
    }
    assert out["entry"]["status"] == [
        {"since": "2017-08", "status": "suspended", "sources": ["example-news-2017-09-05"]}
    ]
    assert load_dataset(small_routes).sources["example-news-2017-09-05"].outlet == "Example News"

    again = run(
        geo,
        small_routes,
        "add-event --date 2017-09-05 --title 'Ferry stops' "
        f"--summary 'The ferry stopped carrying passengers.' --place t-rajin {NEW_SOURCE} --json",
    )
    assert again.returncode == 0, again.stderr
    out = json.loads(again.stdout)
    assert out["new_sources"] == {} and out["entry"]["sources"] == ["example-news-2017-09-05"]


def test_dry_run_prints_the_diff_and_writes_nothing(geo, small_routes):
    before = small_routes.read_bytes()
    r = run(
        geo,
        small_routes,
        "add-route --name 'Dry run' --mode rail --via t-khasan --via t-rajin "
        "--source ref-facts --dry-run",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"--- a/{small_routes}\n+++ b/{small_routes}\n@@ ")
    assert "+  - id: dry-run\n" in r.stdout
    assert "not changed" in r.stderr
    assert small_routes.read_bytes() == before
    assert only_dir_entry(small_routes) == ["routes.yaml"]


def test_set_status_appends_to_the_history(geo, commented):
    r = run(
        geo,
        commented,
        "set-status t-rail suspended --since 2020-02 --source ref-facts --note COVID",
    )
    assert r.returncode == 0, r.stderr
    history = load_dataset(commented).route("t-rail").status
    assert (history[-1].since.text, history[-1].status, history[-1].notes) == (
        "2020-02",
        "suspended",
        "COVID",
    )


def test_add_event_goes_in_date_order(geo, commented):
    r = run(
        geo,
        commented,
        "add-event --date 2020-02~ --title 'Border closes' "
        "--summary 'All passenger traffic stops.' --kind policy --from t-rajin --to t-khasan "
        "--people nobody --group general --direction none --confidence confirmed "
        "--source ref-facts",
    )
    assert r.returncode == 0, r.stderr
    events = load_dataset(commented).events
    assert [e.id for e in events] == [
        "t-2013-09-22-opening",
        "2020-02-border-closes",
        "t-2024-02-05-rail",
    ]
    assert events[1].date.approximate and events[1].people.text == "nobody"


def test_add_place_then_route_by_its_name(geo, small_routes):
    r = run(
        geo,
        small_routes,
        "add-place --name 'Test Tumen road bridge' --kind bridge "
        "--country ru --lat 42.4120 --lon 130.6380 --precision approximate "
        "--alt-name 'Tumen road bridge' --source ref-facts",
    )
    assert r.returncode == 0, r.stderr
    place = load_dataset(small_routes).places["test-tumen-road-bridge"]
    assert (place.country, place.lat, place.lon, place.precision) == (
        "RU",
        42.412,
        130.638,
        "approximate",
    )
    r = run(
        geo,
        small_routes,
        "add-route --name 'Tumen road bridge' --mode road --via t-khasan "
        "--via 'Tumen road bridge' --via t-tumangang --status under_construction "
        "--since 2025-04-30 --source ref-facts",
    )
    assert r.returncode == 0, r.stderr
    route = load_dataset(small_routes).route("tumen-road-bridge")
    assert route.stops[1].id == "test-tumen-road-bridge"


def test_replace_swaps_an_existing_route(geo, small_routes):
    r = run(
        geo,
        small_routes,
        "add-route --id t-rail --name 'Test railway, rebuilt' --mode rail "
        "--via t-khasan --via t-rajin --since 2013-09-22 --source ref-facts --replace",
    )
    assert r.returncode == 0, r.stderr
    assert "Updated route 't-rail'" in r.stdout  # merged: what was not given stays
    ds = load_dataset(small_routes)
    assert [r.id for r in ds.routes] == ["t-air", "t-rail"]
    assert ds.route("t-rail").name == "Test railway, rebuilt"


def test_waypoints_go_on_the_leg_they_fit(geo, small_routes):
    r = run(
        geo,
        small_routes,
        "add-route --name 'Bent line' --mode rail --via t-rajin "
        "--via t-tumangang --via t-khasan --waypoint 42.43,130.62 --waypoint 42.30,130.40 "
        "--source ref-facts --json",
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["entry"]["waypoints"] == [
        {"after": "t-rajin", "lat": 42.3, "lon": 130.4, "sources": ["ref-facts"]},
        {"after": "t-tumangang", "lat": 42.43, "lon": 130.62, "sources": ["ref-facts"]},
    ]


def test_build_flag_builds_beside_the_file(geo, small_routes):
    r = run(
        geo,
        small_routes,
        "add-route --name 'Built at once' --mode rail --via t-khasan "
        "--via t-rajin --source ref-facts --build",
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    layer = json.loads((small_routes.parent / "layers" / "routes.geojson").read_text("utf-8"))
    assert "built-at-once" in {f["id"] for f in layer["features"]}
    assert (small_routes.parent / "site" / "index.html").is_file()


# ---------------------------------------------------------------- refusals

ROUTE = "--name 'A new route' --mode rail"
STOPS = "--via t-rajin --via t-khasan"
CITE = "--source ref-facts"

BAD_ROUTES = {  # case: (options, what the error says, and a hint it gives)
    "unknown place": (
        f"{ROUTE} --via Pyongyangg --via t-khasan {CITE}",
        "unknown place 'Pyongyangg'",
        "did you mean Pyongyang",
    ),
    "ambiguous place": (
        f"{ROUTE} --via Springfield --via t-khasan {CITE}",
        "'Springfield' is ambiguous",
        "US-MO",
    ),
    "duplicate id": (
        f"{ROUTE} --id t-rail {STOPS} {CITE}",
        "route 't-rail' already exists",
        "--replace",
    ),
    "bad mode": (f"--name X --mode boat {STOPS} {CITE}", "'boat' is not one of", "--mode"),
    "bad date": (
        f"{ROUTE} {STOPS} {CITE} --since 2024-02-30",
        "'2024-02-30' is not a calendar day",
        "--since",
    ),
    "future date": (f"{ROUTE} {STOPS} {CITE} --since 2999-01-01", "is in the future", "--since"),
    "latitude 95": (
        f"{ROUTE} {STOPS} {CITE} --waypoint 95,130",
        "latitude 95 is out of range",
        "--waypoint",
    ),
    "non-http url": (
        f"{ROUTE} {STOPS} --source-url ftp://example.org/a --source-outlet O "
        "--source-title T --source-date 2024",
        "is not an http(s) URL",
        "--source-url",
    ),
    "javascript url": (
        f"{ROUTE} {STOPS} --source-url javascript:alert(1) --source-outlet O "
        "--source-title T --source-date 2024",
        "is not an http(s) URL",
        "--source-url",
    ),
    "unknown source": (
        f"{ROUTE} {STOPS} --source ref-fact",
        "unknown source 'ref-fact'",
        "did you mean 'ref-facts'",
    ),
    "half a new source": (
        f"{ROUTE} {STOPS} --source-url https://example.org/a",
        "Missing option '--source-outlet'",
        "not a terminal",
    ),
    "one stop": (f"{ROUTE} --via t-rajin {CITE}", "at least 2 stops", "--via"),
    "same stop twice": (f"{ROUTE} --via t-rajin --via 'Test Rajin' {CITE}", "same place", "--via"),
    "missing name": (f"--mode rail {STOPS} {CITE}", "Missing option '--name'", "not a terminal"),
    "missing source": (f"{ROUTE} {STOPS}", "Missing option '--source'", "not a terminal"),
}


@pytest.mark.parametrize("case", list(BAD_ROUTES))
def test_bad_input_is_one_line_exit_2_and_the_file_is_untouched(geo, small_routes, case):
    options, problem, hint = BAD_ROUTES[case]
    before = small_routes.read_bytes()
    line = one_error_line(run(geo, small_routes, f"add-route {options}", input=""))
    assert problem in line and hint in line, line
    assert small_routes.read_bytes() == before
    assert only_dir_entry(small_routes) == ["routes.yaml"]


EVENT = "--date 2024 --title T --summary S"


@pytest.mark.parametrize(
    "command,problem",
    [
        (
            "add-place --name 'North pole-ish' --lat 95 --lon 130 --country RU",
            "--lat: latitude 95 is out of range (-90 to 90)",
        ),
        ("add-place --name X --lat 42 --lon 181 --country RU", "longitude 181 is out of range"),
        (
            "add-place --name X --lat 42 --lon 130 --country Russia",
            "not a two-letter ISO country code",
        ),
        (
            "add-place --name 'Test Rajin' --lat 42 --lon 130 --country KP",
            "'Test Rajin' already means Test Rajin (t-rajin)",
        ),
        (
            "add-place --name Khasan --lat 42 --lon 130 --country RU",
            "pass --replace to override it",
        ),
        ("add-place --lat 42 --lon 130 --country RU", "Missing option '--name'"),
        (f"add-event --date 2024-13 --title T --summary S --place t-rajin {CITE}", "month 13"),
        (f"add-event {EVENT} {CITE}", "Missing option '--place'"),
        (
            f"add-event {EVENT} --from t-rajin --to 'Test Rajin' {CITE}",
            "--from and --to are the same",
        ),
        (
            f"add-event {EVENT} --route t-rial {CITE}",
            "unknown route 't-rial'; did you mean 't-rail'?",
        ),
        (f"add-event {EVENT} --place t-rajin --people-min 5 {CITE}", "--people: give the source's"),
        (f"add-event {EVENT} --place t-rajin --group spies {CITE}", "'spies' is not one of"),
        (
            f"add-event --id t-2024-02-05-rail {EVENT} --place t-rajin {CITE}",
            "event 't-2024-02-05-rail' already exists",
        ),
        (f"set-status t-rail closed --since 2010 {CITE}", "before the route's latest status"),
        (f"set-status t-rail closed --since 2030 {CITE}", "is in the future"),
        (f"set-status t-rail closed {CITE}", "Missing option '--since'"),
        (f"set-status no-such-route closed --since 2024 {CITE}", "unknown route 'no-such-route'"),
    ],
)
def test_other_commands_refuse_bad_input_the_same_way(geo, small_routes, command, problem):
    before = small_routes.read_bytes()
    assert problem in one_error_line(run(geo, small_routes, command, input=""))
    assert small_routes.read_bytes() == before


def test_invisible_characters_are_refused_by_the_validator(geo, small_routes):
    before = small_routes.read_bytes()
    r = geo(
        "add-route",
        "--file",
        small_routes,
        "--name",
        "Zero\u200bwidth",
        "--mode",
        "rail",
        *shlex.split(f"{STOPS} {CITE}"),
    )
    line = one_error_line(r)
    assert "would make" in line and "invisible" in line and "nothing was written" in line
    assert small_routes.read_bytes() == before


@pytest.mark.parametrize(
    "option,text,code",
    [
        ("--title", "line\r\nbreak", "U+000D"),
        ("--title", "line\u2028break", "U+2028"),
        ("--summary", "one\u2029two", "U+2029"),
        ("--people", "about\x85300", "U+0085"),
        ("--source-title", "Head\x1bline", "U+001B"),
    ],
)
def test_every_text_an_edit_takes_is_checked_like_validate(geo, small_routes, option, text, code):
    """Titles, summaries, people and new sources' texts: control characters and line
    separators are refused with the validator's message, and nothing is written."""
    given = {"--date": "2024", "--title": "T", "--summary": "S", "--people": "some",
             "--source-url": "https://example.org/t", "--source-outlet": "O",
             "--source-title": "T", "--source-date": "2024"}  # fmt: skip
    given[option] = text
    argv = [part for pair in given.items() for part in pair]
    before = small_routes.read_bytes()
    line = one_error_line(geo("add-event", "--file", small_routes, "--place", "t-rajin", *argv))
    assert "would make" in line and code in line and "nothing was written" in line, line
    assert small_routes.read_bytes() == before


@pytest.mark.parametrize("existing", [False, True], ids=["dangling", "to-a-file"])
def test_a_symlink_at_the_lock_path_is_not_followed(geo, small_routes, tmp_path, existing):
    """A routes.yaml.lock planted as a symbolic link is refused: the file it points to is
    neither created nor changed, and routes.yaml stays as it was."""
    target = tmp_path / "elsewhere" / "target.txt"
    target.parent.mkdir()
    if existing:
        target.write_text("keep me\n")
    lock = small_routes.with_name("routes.yaml.lock")
    lock.symlink_to(target)
    before = small_routes.read_bytes()
    line = one_error_line(run(geo, small_routes, f"add-route {ROUTE} {STOPS} {CITE}"))
    assert "routes.yaml.lock is a symbolic link" in line
    assert target.exists() == existing and (not existing or target.read_text() == "keep me\n")
    assert small_routes.read_bytes() == before and lock.is_symlink()


def test_a_broken_file_is_reported_with_its_own_lines(geo, small_routes):
    text = small_routes.read_text(encoding="utf-8")
    broken = text.replace('since: "2018"', 'since: "2018-02-30"')
    small_routes.write_text(broken, encoding="utf-8")
    r = run(geo, small_routes, f"add-route {ROUTE} {STOPS} {CITE}")
    assert r.returncode == 2
    line = broken.splitlines().index('      - since: "2018-02-30"') + 1
    assert f"{small_routes}:{line}:" in r.stderr and "not a calendar day" in r.stderr
    assert small_routes.read_text(encoding="utf-8") == broken


def test_missing_file_is_one_line(geo, tmp_path):
    r = run(geo, tmp_path / "nope.yaml", f"add-route {ROUTE} --via Pyongyang --via Khasan {CITE}")
    assert "file not found" in one_error_line(r)


# ---------------------------------------------------------------- help and start-up cost


def test_add_route_help_shows_a_worked_example(geo):
    r = geo("add-route", "--help")
    assert r.returncode == 0
    example = r.stdout[r.stdout.index("Example") :]
    for part in ("geo add-route --name", "--via Beijing", "--source-url"):
        assert part in example
    for option in (
        "--via",
        "--waypoint",
        "--since",
        "--source",
        "--dry-run",
        "--json",
        "--build",
        "--replace",
    ):
        assert option in r.stdout


@pytest.mark.parametrize("command", ["add-event", "add-place", "set-status"])
def test_every_edit_command_has_an_example(geo, command):
    r = geo(command, "--help")
    assert r.returncode == 0
    assert f"geo {command} " in r.stdout[r.stdout.index("Example") :]


HEAVY = ("geopandas", "folium", "shapely", "pyproj", "pandas", "numpy", "branca", "jinja2")


def heavy_modules_after(argv: list[str]) -> list[str]:
    """The map libraries loaded by running `geo ARGV` in a fresh interpreter."""
    script = (
        "import sys\n"
        "from geo.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        f"print('heavy:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return [m for m in r.stdout.strip().splitlines()[-1].removeprefix("heavy:").split(",") if m]


def test_add_route_does_not_import_the_map_libraries(small_routes):
    argv = [
        "add-route",
        "--file",
        str(small_routes),
        *shlex.split("--name Light --mode air --via Pyongyang --via Khabarovsk --source ref-facts"),
    ]
    assert heavy_modules_after(argv) == []
    assert "id: light" in small_routes.read_text(encoding="utf-8")


def test_add_route_on_the_bundled_data_stays_light(bundled_routes, tmp_path):
    copy = tmp_path / "routes.yaml"
    shutil.copyfile(bundled_routes, copy)
    argv = [
        "add-route",
        "--file",
        str(copy),
        *shlex.split(
            "--name 'Zz light check route' --mode air --via Pyongyang --via Khabarovsk "
            "--source-url https://example.org/zz --source-outlet Example --source-title Zz "
            "--source-date 2024-01-01"
        ),
    ]
    assert heavy_modules_after(argv) == []
    assert load_dataset(copy).route("zz-light-check-route")


# ---------------------------------------------------------------- interactive use


def expect(fd: int, pattern: str, seen: list[str], timeout: float = 60) -> str:
    """Read from *fd* until *pattern* shows up; keep what follows it for the next call."""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, seen[0]):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"waited for {pattern!r}; got {seen[0]!r}"
        if select.select([fd], [], [], remaining)[0]:
            try:
                chunk = os.read(fd, 4096).decode("utf-8", "replace")
            except OSError:
                chunk = ""
            assert chunk, f"process ended while waiting for {pattern!r}; got {seen[0]!r}"
            seen[0] += chunk
    match = re.search(pattern, seen[0])
    found, seen[0] = seen[0][: match.end()], seen[0][match.end() :]
    return found


def test_missing_options_are_asked_for_on_a_terminal(small_routes):
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geo",
            "add-route",
            "--file",
            str(small_routes),
            "--source",
            "ref-facts",
            "--since",
            "2025-06-19",
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
        env={**ENV, "COLUMNS": "200"},
    )
    os.close(slave)
    seen = [""]
    dialogue = [
        ("Route name", "Asked for route"),
        ("Mode", "rail"),
        ("Stop 1", "Pyongyangg"),
        ("did you mean Pyongyang", None),
        ("Stop 1", "Pyongyang"),
        ("Stop 2", "Khasan"),
        ("Stop 3", ""),
        ("Status", "operating"),  # asked, never assumed
    ]
    try:
        for prompt, answer in dialogue:
            expect(master, prompt, seen)
            if answer is not None:
                os.write(master, answer.encode() + b"\r")
        out = expect(master, r"Run `geo build`", seen)
        assert proc.wait(timeout=60) == 0, out
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    route = load_dataset(small_routes).route("asked-for-route")
    assert [s.id for s in route.stops] == ["pyongyang", "khasan"] and route.mode == "rail"


# ---------------------------------------------------------------- concurrency and crashes


def add_route_argv(file: Path, name: str) -> list[str]:
    return [
        "add-route",
        "--file",
        str(file),
        "--name",
        name,
        *shlex.split("--mode rail --via t-khasan --via t-rajin --source ref-facts"),
    ]


@pytest.mark.slow
def test_twenty_concurrent_add_routes_all_land(small_routes):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "geo", *add_route_argv(small_routes, f"Route {i}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for i in range(20)
    ]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    assert [code for code, _ in results] == [0] * 20, results
    ids = {r.id for r in load_dataset(small_routes).routes}
    assert {f"route-{i}" for i in range(20)} <= ids
    assert only_dir_entry(small_routes) == ["routes.yaml"]


# Runs `geo add-route` with its write slowed down (written in small pieces, with pauses
# around fsync and rename), announcing on stderr when the write begins, so that a kill
# lands inside the write rather than only in Python's start-up.
SLOW_WRITER = """
import os, sys, tempfile, time
real_write, real_fsync, real_replace = os.write, os.fsync, os.replace
real_mkstemp = tempfile.mkstemp
def mkstemp(*a, **k):
    sys.stderr.write("WRITE-BEGINS\\n"); sys.stderr.flush()
    return real_mkstemp(*a, **k)
def write(fd, data):
    time.sleep(0.002)
    return real_write(fd, bytes(data[:256]))
def fsync(fd):
    time.sleep(0.005); real_fsync(fd); time.sleep(0.005)
def replace(a, b):
    time.sleep(0.005); real_replace(a, b); time.sleep(0.005)
tempfile.mkstemp, os.write, os.fsync, os.replace = mkstemp, write, fsync, replace
from geo.cli import main
main(sys.argv[1:])
"""


@pytest.mark.slow
def test_a_killed_write_leaves_the_old_or_the_new_file(small_routes, tmp_path, capsys):
    from geo.cli import main

    rng = random.Random(20240205)
    outcomes = {"old": 0, "new": 0}
    for i in range(50):
        old = small_routes.read_bytes()
        scratch = tmp_path / f"scratch-{i}" / "routes.yaml"  # where the complete edit is made
        scratch.parent.mkdir()
        scratch.write_bytes(old)
        with pytest.raises(SystemExit) as done:
            main(add_route_argv(scratch, f"Crash route {i}"))
        assert done.value.code == 0
        new = scratch.read_bytes()
        capsys.readouterr()

        proc = subprocess.Popen(
            [sys.executable, "-c", SLOW_WRITER, *add_route_argv(small_routes, f"Crash route {i}")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=ENV,
        )
        if i % 5 == 4:  # now and then, anywhere in the run
            time.sleep(rng.uniform(0, 0.6))
        else:
            line = proc.stderr.readline()
            assert line == b"WRITE-BEGINS\n", line + proc.stderr.read()
            time.sleep(rng.uniform(0, 0.06))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stderr.close()

        now = small_routes.read_bytes()
        assert now in (old, new), f"iteration {i}: the file is neither the old nor the new one"
        outcomes["old" if now == old else "new"] += 1
        load_dataset(small_routes)
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes

    r = subprocess.run(
        [sys.executable, "-m", "geo", *add_route_argv(small_routes, "After")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    leftovers = [n for n in only_dir_entry(small_routes) if not n.startswith("scratch-")]
    assert leftovers == ["routes.yaml"], "a lock or temporary file was left behind"
