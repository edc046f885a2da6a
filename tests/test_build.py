"""`geo build`: reproducible layers/, --check, atomic swaps, failures that keep old outputs."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import build as pipeline
from geo.build import run, stale_layers
from geo.commands.build import build as build_command
from geo.errors import GeoError
from geo.symbols import MODE_COLORS

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden" / "layers"
LAYERS = ["events", "movements", "places", "route_status", "routes"]
GEOJSON_FILES = [f"{name}.geojson" for name in LAYERS]
LAYER_FILES = sorted(GEOJSON_FILES + [f"{name}.qml" for name in LAYERS])  # and their QGIS styles


@pytest.fixture()
def project(tmp_path) -> Path:
    """A directory holding a routes.yaml (the layer fixture), like a user's checkout."""
    shutil.copyfile(DATA / "layers_golden.yaml", tmp_path / "routes.yaml")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file under *folder*."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".build-" in p.name)


def edit_title(routes: Path, old: str, new: str) -> None:
    text = routes.read_text(encoding="utf-8")
    assert text.count(f"title: {old}\n") == 1
    routes.write_text(text.replace(f"title: {old}\n", f"title: {new}\n"), encoding="utf-8")


# ---------------------------------------------------------------- reproducible output


def test_two_builds_are_byte_identical_and_match_the_golden_files(project, geo):
    first = geo("build", "--no-site", cwd=project)
    assert first.returncode == 0, first.stderr
    assert (
        first.stdout.splitlines()[0]
        == "wrote layers/: 10 places, 6 routes, 9 events, 7 movements, 13 route status"
    )
    once = snapshot(project / "layers")
    second = geo("build", "--no-site", cwd=project)
    assert second.returncode == 0, second.stderr
    assert snapshot(project / "layers") == once
    assert {k: v for k, v in once.items() if k.endswith(".geojson")} == snapshot(GOLDEN)
    assert sorted(once) == LAYER_FILES, "and a QGIS style beside each (tests/test_qgis_styles.py)"
    assert leftovers(project) == []


def test_check_fails_after_a_one_character_title_change_and_passes_after_a_rebuild(project, geo):
    assert geo("build", "--no-site", cwd=project).returncode == 0
    ok = geo("build", "--check", cwd=project)
    assert (ok.returncode, ok.stdout.strip()) == (0, "layers: up to date with routes.yaml"), (
        ok.stderr
    )

    edit_title(project / "routes.yaml", "Workers cross by rail", "Workers cross by raiL")
    before = snapshot(project / "layers")
    stale = geo("build", "--check", cwd=project)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    # the title is in the event and in its movement line
    assert stale.stdout.splitlines() == [
        "stale: layers/events.geojson",
        "stale: layers/movements.geojson",
    ]
    assert "run `geo build`" in stale.stderr and "Traceback" not in stale.stderr
    assert snapshot(project / "layers") == before, "--check writes nothing"

    assert geo("build", "--no-site", cwd=project).returncode == 0
    again = geo("build", "--check", cwd=project)
    assert again.returncode == 0, again.stdout + again.stderr


def test_check_lists_missing_and_extra_files_and_creates_nothing(project):
    assert stale_layers(project / "routes.yaml", project / "nowhere") == [
        f"missing: {project / 'nowhere' / name}" for name in LAYER_FILES
    ]
    assert not (project / "nowhere").exists()
    run(project / "routes.yaml", project / "layers", None)
    (project / "layers" / "places.geojson").unlink()
    (project / "layers" / "old.geojson").write_text("{}")
    assert stale_layers(project / "routes.yaml", project / "layers") == [
        f"missing: {project / 'layers' / 'places.geojson'}",
        f"extra: {project / 'layers' / 'old.geojson'}",
    ]


def test_check_reports_invalid_data_like_validate(project, geo):
    (project / "routes.yaml").write_text(
        "version: 1\nsources: {}\nevents: [{id: x}]\n", encoding="utf-8"
    )
    result = geo("build", "--check", cwd=project)
    assert result.returncode == 2
    assert "routes.yaml:3:" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- failures keep the old outputs


def test_disk_full_while_writing_keeps_old_layers_and_leaves_no_staging_dir(project, monkeypatch):
    run(project / "routes.yaml", project / "layers", None)
    old = snapshot(project / "layers")
    edit_title(project / "routes.yaml", "A policy event", "A changed policy event")
    calls = []

    def full_disk(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        path.write_bytes(data)

    monkeypatch.setattr(pipeline, "_write_file", full_disk)
    with pytest.raises(GeoError) as err:
        run(project / "routes.yaml", project / "layers", None)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"cannot write {project / 'layers'}: No space left on device")
    assert "previous outputs are unchanged" in message
    assert snapshot(project / "layers") == old
    assert leftovers(project) == []


def test_unwritable_target_is_a_one_line_error_with_exit_2(project, geo):
    (project / "afile").write_text("not a directory")
    result = geo("build", "--no-site", "--layers", "afile/layers", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot write afile/layers:")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("target", [".", ".."])
def test_refuses_to_swap_out_the_project_directory(project, geo, target):
    before = sorted(p.name for p in project.iterdir())
    result = geo("build", "--no-site", "--layers", target, cwd=project)
    assert result.returncode == 2
    assert "refusing to replace" in result.stderr
    assert sorted(p.name for p in project.iterdir()) == before


@pytest.mark.parametrize("site", ["out", "out/site"])
def test_layers_and_site_must_not_overlap(project, monkeypatch, site):
    monkeypatch.setattr(pipeline, "site_writer", lambda: fake_site_writer([]))
    with pytest.raises(GeoError, match="overlap"):
        run(project / "routes.yaml", project / "out", project / site)
    assert not (project / "out").exists()


def test_staging_dirs_of_killed_builds_are_removed_but_not_those_of_running_ones(project):
    dead = dead_pid()
    stale = project / f".layers.build-{dead}-0badf00d"
    stale.mkdir()
    (stale / "events.geojson").write_text("half written")
    running = project / f".layers.build-{os.getppid()}-0000beef"
    running.mkdir()
    run(project / "routes.yaml", project / "layers", None)
    assert not stale.exists()
    assert running.exists()


def dead_pid() -> int:
    pid = 999_999
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux-only")
def test_exchange_trades_two_directories_in_one_step(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "new").write_text("n")
    (b / "old").write_text("o")
    assert pipeline._exchange(a, b) is True
    assert [p.name for p in b.iterdir()] == ["new"]
    assert [p.name for p in a.iterdir()] == ["old"]


def test_rename_fallback_swap_when_exchange_is_unavailable(project, monkeypatch):
    run(project / "routes.yaml", project / "layers", None)
    edit_title(project / "routes.yaml", "A policy event", "Another policy event")
    monkeypatch.setattr(pipeline, "_exchange", lambda a, b: False)
    run(project / "routes.yaml", project / "layers", None)
    assert b"Another policy event" in (project / "layers" / "events.geojson").read_bytes()
    assert leftovers(project) == []


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_either_the_old_or_the_new_layers(project):
    run(project / "routes.yaml", project / "layers", None)
    old = snapshot(project / "layers")
    edit_title(project / "routes.yaml", "A policy event", "A policy event, killed")
    rng = random.Random(7)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "geo", "build", "--no-site"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(project / "layers")
        assert sorted(now) == LAYER_FILES
        if now != old:
            assert b"A policy event, killed" in now["events.geojson"]
            assert b"A policy event, killed" not in old["events.geojson"]
            assert all(now[name] != b"" for name in now)
    run(project / "routes.yaml", project / "layers", None)
    assert stale_layers(project / "routes.yaml", project / "layers") == []
    assert leftovers(project) == []


# ---------------------------------------------------------------- the site hand-off


def fake_site_writer(calls: list, fail: bool = False):
    def write_site(dataset, layers, out_dir, **handed_over):
        calls.append((dataset, dict(layers), out_dir, sorted(out_dir.iterdir())))
        (out_dir / "index.html").write_text(f"<p>{len(dataset.events)} events</p>")
        (out_dir / "data").mkdir()
        (out_dir / "data" / "routes.geojson").write_text(layers["routes.geojson"])
        if fail:
            raise RuntimeError("template broke")

    return write_site


def test_site_writer_gets_the_layer_texts_and_a_fresh_dir_that_is_swapped_in(project, monkeypatch):
    calls: list = []
    monkeypatch.setattr(pipeline, "site_writer", lambda: fake_site_writer(calls))
    (project / "site").mkdir()
    (project / "site" / "stale.html").write_text("old")
    result = run(project / "routes.yaml", project / "layers", project / "site")
    assert result.site_dir == project / "site"
    (dataset, layers, out_dir, contents_then) = calls[0]
    assert (
        contents_then == []
        and out_dir.parent == project
        and out_dir.name.startswith(".site.build-")
    )
    assert layers == {
        name: (project / "layers" / name).read_text(encoding="utf-8") for name in GEOJSON_FILES
    }
    assert sorted(p.name for p in (project / "site").iterdir()) == ["data", "index.html"]
    assert (project / "site" / "index.html").read_text() == "<p>9 events</p>"
    assert leftovers(project) == []


def test_a_failing_site_writer_changes_neither_layers_nor_site(project, monkeypatch):
    calls: list = []
    monkeypatch.setattr(pipeline, "site_writer", lambda: fake_site_writer(calls))
    run(project / "routes.yaml", project / "layers", project / "site")
    old_layers, old_site = snapshot(project / "layers"), snapshot(project / "site")
    edit_title(project / "routes.yaml", "A policy event", "A new policy event")
    monkeypatch.setattr(pipeline, "site_writer", lambda: fake_site_writer(calls, fail=True))
    with pytest.raises(RuntimeError):
        run(project / "routes.yaml", project / "layers", project / "site")
    assert snapshot(project / "layers") == old_layers
    assert snapshot(project / "site") == old_site
    assert leftovers(project) == []


def test_cli_says_where_to_open_the_site(project, monkeypatch):
    monkeypatch.setattr(pipeline, "site_writer", lambda: fake_site_writer([]))
    monkeypatch.chdir(project)
    result = CliRunner().invoke(build_command, ["--site", "public"])
    assert result.exit_code == 0, result.output
    index = (project / "public" / "index.html").resolve()
    assert (
        result.output.splitlines()[1] == f"wrote public/: open {index.as_uri()} (or run: geo serve)"
    )


# ---------------------------------------------------------------- the bundled data


def test_committed_layers_are_up_to_date_with_the_bundled_routes(repo_root, bundled_routes, geo):
    if not bundled_routes.exists():
        pytest.skip("routes.yaml is not written yet")
    result = geo("build", "--check", cwd=repo_root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_covers_the_qgis_styles_too(project):
    run(project / "routes.yaml", project / "layers", None)
    assert stale_layers(project / "routes.yaml", project / "layers") == []
    style = project / "layers" / "routes.qml"
    rail = MODE_COLORS["rail"].lstrip("#")
    rail_rgba = ",".join(str(int(rail[i:i + 2], 16)) for i in (0, 2, 4)) + ",255"
    assert rail_rgba.encode() in style.read_bytes()
    style.write_bytes(style.read_bytes().replace(rail_rgba.encode(), b"255,0,0,255"))
    (project / "layers" / "events.qml").unlink()
    assert stale_layers(project / "routes.yaml", project / "layers") == [
        f"missing: {project / 'layers' / 'events.qml'}",
        f"stale: {style}",
    ]
