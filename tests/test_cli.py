"""The `geo` command as a whole: help texts, start-up cost, published schema."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.cli import COMMANDS


def test_help_lists_every_command(geo):
    r = geo("--help")
    assert r.returncode == 0
    for name in COMMANDS:
        assert name in r.stdout, f"{name} missing from geo --help"
    assert "routes.yaml" in r.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_explains_itself(geo, name):
    r = geo(name, "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Usage: geo {name}")
    body = r.stdout.split("\n", 2)[2].strip()
    assert len(body) > 60, f"geo {name} --help says too little: {body!r}"


def test_python_dash_m_geo_works():
    r = subprocess.run([sys.executable, "-m", "geo", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "geo" in r.stdout


def test_validate_and_resolve_do_not_import_heavy_libraries(small_routes):
    """Start-up stays fast: geopandas, folium, shapely and pyproj are for build only."""
    script = (
        "import sys\n"
        "from geo.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(small_routes)!r}, '-q'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "try:\n"
        "    main(['resolve', 'Rason'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "heavy = sorted(m for m in ('geopandas', 'folium', 'shapely', 'pyproj', 'pandas', 'numpy')"
        " if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "HEAVY=", f"heavy imports on the validate path: {r.stdout}"


def test_published_schema_matches_the_one_we_validate_with(repo_root):
    published = json.loads((repo_root / "docs" / "routes.schema.json").read_text(encoding="utf-8"))
    packaged_path = repo_root / "geo" / "data" / "routes.schema.json"
    packaged = json.loads(packaged_path.read_text(encoding="utf-8"))
    assert published == packaged


def test_unknown_command_is_a_usage_error(geo):
    r = geo("frobnicate")
    assert r.returncode == 2 and "No such command" in r.stderr and "Traceback" not in r.stderr


def test_the_command_leaves_with_mains_exit_code_and_all_its_output(small_routes, tmp_path):
    """geo.cli.entry ends the process with os._exit: nothing printed may be lost, through a
    pipe as to a file, and each exit status is main()'s."""
    ok = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--data", str(small_routes),
         "--layers", str(tmp_path / "layers"), "--site", str(tmp_path / "site")],
        capture_output=True, text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("\n") == 2 and ok.stdout.startswith(f"wrote {tmp_path / 'layers'}/")
    out = tmp_path / "out.txt"
    with out.open("w") as f:  # a file is block-buffered: the flush must happen
        listed = subprocess.run([sys.executable, "-m", "geo", "validate", str(small_routes)],
                                stdout=f, stderr=subprocess.PIPE, text=True)
    assert listed.returncode == 0 and out.read_text().startswith(f"{small_routes}: OK:")
    bad = subprocess.run([sys.executable, "-m", "geo", "validate", str(tmp_path / "none.yaml")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "not found" in bad.stderr and "Traceback" not in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "geo", "validate", "--no-such-option"],
                           capture_output=True, text=True)
    assert usage.returncode == 2 and "No such option" in usage.stderr
    closed = subprocess.run(f"'{sys.executable}' -m geo --help | head -c 1",
                            shell=True, capture_output=True, text=True)
    assert "Traceback" not in closed.stderr
