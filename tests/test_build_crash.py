"""Crash safety of `geo build` (issue 7, part 4).

A build is killed (SIGKILL) at random moments and before every step of its swap; the disk
fills up; the folder is read-only or not ours.  After each, layers/ and site/ must each hold a
complete old or complete new build (compared file by file, byte for byte, through a hash of
each tree), and the next `geo build` must succeed and leave nothing else beside them.

The two outputs are swapped one after the other, so one mixed state exists: the new site with
the old layers.  It must be the only one, and `geo build --check` must call it stale.

GEO_CRASH_KILLS (default 30) sets how many random kills run; GEO_CRASH_SEED picks them.
Each kill's delay and outcome are written to tests/artifacts/build_crash_kills.tsv.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from summary import add

from geo.cli import main as geo_main

DATA = Path(__file__).parent / "data"
KILLS = int(os.environ.get("GEO_CRASH_KILLS", "30"))
SEED = int(os.environ.get("GEO_CRASH_SEED", "20240"))
OUTPUTS = ("layers", "site")
OLD_TITLE = "title: A policy event\n"
NEW_TITLE = "title: A policy event, rebuilt\n"
ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
KILL_LOG = Path(__file__).parent / "artifacts" / "build_crash_kills.tsv"

OLD, NEW, MIXED = "old outputs", "new outputs", "new site with old layers"


# ---------------------------------------------------------------- helpers


Tree = tuple[tuple[str, str], ...]  # (relative path, sha256 of the bytes or "folder"), sorted


def tree(folder: Path) -> Tree:
    if not folder.is_dir():
        return (("", "absent"),)
    return tuple(
        (
            path.relative_to(folder).as_posix(),
            "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        for path in sorted(folder.rglob("*"))
    )


def differences(now: Tree, then: Tree) -> list[str]:
    return sorted({name for name, _ in set(now) ^ set(then)})


def run_geo_here(folder: Path, *args: str) -> tuple[int, str, str]:
    """`geo ARGS` run in this process (imports are warm, so it is quick): exit code, out, err."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            geo_main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@dataclass(frozen=True)
class Trees:
    layers: Tree
    site: Tree


class Project:
    """A folder with routes.yaml in two versions, "A" and "B", and the outputs each gives."""

    def __init__(self, path: Path):
        self.path = path
        self.routes = path / "routes.yaml"
        text = (DATA / "small.yaml").read_text(encoding="utf-8")
        assert text.count(OLD_TITLE) == 1
        self.texts = {"A": text, "B": text.replace(OLD_TITLE, NEW_TITLE)}
        self.trees: dict[str, Trees] = {}
        self.on_disk = ""  # the version whose outputs layers/ and site/ hold
        for version in ("A", "B", "A"):
            self.build(version)
        assert self.trees["A"].layers != self.trees["B"].layers
        assert self.trees["A"].site != self.trees["B"].site

    def use(self, version: str) -> None:
        self.routes.write_text(self.texts[version], encoding="utf-8")

    def build(self, version: str) -> None:
        """Write routes.yaml *version* and run `geo build`: it must succeed, give the same
        outputs as every other build of *version*, and leave nothing beside them."""
        self.use(version)
        code, out, err = run_geo_here(self.path, "build")
        assert code == 0, out + err
        assert self.stray() == [], "geo build left these beside its outputs"
        now = self.now()
        assert self.trees.setdefault(version, now) == now, f"this build of {version} differs"
        self.on_disk = version

    def now(self) -> Trees:
        return Trees(tree(self.path / "layers"), tree(self.path / "site"))

    def stray(self) -> list[str]:
        return sorted(set(os.listdir(self.path)) - {"routes.yaml", *OUTPUTS})

    def outcome(self, old: str, new: str) -> str:
        """Which complete build each output holds; fails on anything else."""
        now, found = self.now(), {}
        for output in OUTPUTS:
            holds = getattr(now, output)
            builds = {getattr(self.trees[v], output): v for v in (old, new)}
            found[output] = builds.get(holds)
            assert found[output], (
                f"{output}/ is neither the complete old nor the complete new build. Files that "
                f"differ from the old: {differences(holds, getattr(self.trees[old], output))}; "
                f"from the new: {differences(holds, getattr(self.trees[new], output))}"
            )
        assert (found["layers"], found["site"]) != (new, old), (
            "the new layers were swapped in before the new site: --check cannot see that"
        )
        if found["layers"] != found["site"]:
            code, out, _ = run_geo_here(self.path, "build", "--check")
            assert code == 1 and "stale: layers/" in out, "--check passed with a stale layers/"
            return MIXED
        return OLD if found["layers"] == old else NEW


@pytest.fixture()
def project(tmp_path) -> Project:
    return Project(tmp_path)


def other(version: str) -> str:
    return "B" if version == "A" else "A"


# ---------------------------------------------------------------- killing builds

# A process that imports what `geo build` needs once, then, for each line "DELAY STEP" read
# from stdin, forks a child that runs `geo build` (geo.cli.main, as `python -m geo` does) in
# the current folder, and prints the child's exit status and how long it ran.  The child is
# SIGKILLed DELAY seconds after it starts, or just before its STEP-th change to the folders
# (create, rename, exchange, delete; 0: never).  A child that finishes writes the list of
# those changes to argv[2].  Forking skips Python's start-up (a second or more, touching
# nothing on disk), so the kills land where the build does its work.
BUILD_FORKER = r"""
import os, shutil, signal, sys, time, traceback
import geo.build, geo.layers, geo.site.build, geo.validate
from geo.cli import main

log, steps_file = sys.argv[1], sys.argv[2]

def run_child(kill_before):
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1), os.dup2(fd, 2)
    steps = []

    def step(name, call):
        def counted(*args, **kwargs):
            steps.append(name + " " + " ".join(os.path.basename(str(a)) for a in args[:2]))
            if len(steps) == kill_before:
                os.kill(os.getpid(), signal.SIGKILL)
            return call(*args, **kwargs)
        return counted

    os.rename = step("rename", os.rename)
    os.replace = step("replace", os.replace)
    shutil.rmtree = step("delete", shutil.rmtree)
    geo.build._exchange = step("exchange", geo.build._exchange)
    geo.build._fresh_dir_beside = step("stage", geo.build._fresh_dir_beside)
    code = 3
    try:
        main(["build"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    with open(steps_file, "w") as f:
        f.write("\n".join(steps))
    sys.stdout.flush(), sys.stderr.flush()
    os._exit(code)

while line := sys.stdin.readline():
    delay, kill_before = float(line.split()[0]), int(line.split()[1])
    sys.stdout.flush()
    began = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        run_child(kill_before)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() - began >= delay:
            os.kill(pid, signal.SIGKILL)  # not reaped yet, so the pid is still our child's
            status = os.waitpid(pid, 0)[1]
            break
        time.sleep(0.0005)
    print(os.waitstatus_to_exitcode(status), time.perf_counter() - began, flush=True)
"""


class BuildForker:
    def __init__(self, project: Project, scratch: Path):
        self.log, self.steps_file = scratch / "build.log", scratch / "steps.txt"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", BUILD_FORKER, str(self.log), str(self.steps_file)],
            cwd=project.path,
            env={**ENV, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def build(self, delay: float = float("inf"), kill_before_step: int = 0) -> tuple[int, float]:
        """Run one `geo build`; its exit status (-9 if killed) and how long it ran."""
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{delay} {kill_before_step}\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().split()
        assert answer, f"the build forker died with status {self.proc.wait()}"
        code, seconds = int(answer[0]), float(answer[1])
        assert code in (0, -signal.SIGKILL), f"geo build exited {code}: {self.log.read_text()}"
        return code, seconds

    def steps(self) -> list[str]:
        return self.steps_file.read_text().splitlines()

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


@pytest.fixture()
def forker(project, tmp_path_factory):
    forker = BuildForker(project, tmp_path_factory.mktemp("forker"))
    yield forker
    forker.close()


def kill_and_check(project: Project, forker: BuildForker, where: str, **kill) -> str:
    """Build the other version, killed as *kill* says; check both outputs; build again."""
    old, new = project.on_disk, other(project.on_disk)
    project.use(new)
    code, _ = forker.build(**kill)
    try:
        outcome = project.outcome(old, new)
        if code == 0:
            assert outcome == NEW
            outcome = "finished before the kill"
        project.build(new)
    except AssertionError as exc:
        raise AssertionError(f"{where}: {exc}") from exc
    return outcome


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_a_complete_build_and_the_next_one_tidies_up(
    project, forker
):
    durations = []
    for _ in range(3):
        new = other(project.on_disk)
        project.use(new)
        code, seconds = forker.build()
        assert code == 0 and project.now() == project.trees[new]
        project.on_disk = new
        durations.append(seconds)
    duration = min(durations)  # under load a build takes longer, never shorter
    rng = random.Random(SEED)
    # one kill in each of KILLS equal slices of 1.1 x a build's duration, so they cover it all
    delays = [duration * 1.1 * (i + rng.random()) / KILLS for i in range(KILLS)]
    rng.shuffle(delays)
    outcomes: Counter[str] = Counter()
    KILL_LOG.parent.mkdir(exist_ok=True)
    with open(KILL_LOG, "w", encoding="utf-8") as log:
        log.write(f"# GEO_CRASH_SEED={SEED}, a build took {duration * 1000:.0f} ms\n")
        log.write("kill\tdelay_ms\toutcome\n")
        for number, delay in enumerate(delays, 1):
            where = (
                f"kill {number}/{KILLS}, {delay * 1000:.0f} ms into a build of about "
                f"{duration * 1000:.0f} ms (GEO_CRASH_SEED={SEED}; all kills: {KILL_LOG})"
            )
            log.write(f"{number}\t{delay * 1000:.1f}\t")
            log.flush()
            outcome = kill_and_check(project, forker, where, delay=delay)
            log.write(f"{outcome}\n")
            outcomes[outcome] += 1
    add("build crash: SIGKILLs at random moments", KILLS)
    for outcome, count in outcomes.items():
        add(f"build crash: random SIGKILL -> {outcome}", count)
    assert outcomes[OLD] > 0, f"no kill landed before the swap: {dict(outcomes)}"


@pytest.mark.slow
def test_sigkill_before_each_step_of_the_swap(project, forker):
    new = other(project.on_disk)
    project.use(new)
    assert forker.build()[0] == 0
    assert project.now() == project.trees[new] and project.stray() == []
    project.on_disk = new
    steps = forker.steps()
    exchanges = [i for i, s in enumerate(steps) if s.startswith("exchange")]
    assert len(exchanges) == 2, steps

    seen = []
    for number, name in enumerate(steps, 1):
        where = f"killed before step {number}/{len(steps)} ({re.sub(r'[0-9a-f]{8}', '…', name)})"
        seen.append(kill_and_check(project, forker, where, kill_before_step=number))
    add("build crash: SIGKILLs before each step of the swap", len(steps))
    # up to the second exchange the old outputs stay; between the two exchanges the site
    # alone is new; from then on both are
    assert seen == [OLD] * exchanges[1] + [MIXED] + [NEW] * (len(steps) - exchanges[1] - 1), list(
        zip(steps, seen, strict=True)
    )


# ---------------------------------------------------------------- a full disk (any machine)


FSYNC_TARGETS = {
    "a layer file": (r"/\.layers\.build-[^/]+/[^/]+$", "layers"),
    "a site file": (r"\.site\.build-[^/]+/.+$", "site"),
    "the site folder, last before the swap": (r"/\.site\.build-[^/]+$", "site"),
}


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name an fd")
@pytest.mark.parametrize("where", FSYNC_TARGETS)
def test_disk_full_when_saving_keeps_both_outputs(project, monkeypatch, where):
    """The disk fills up as a file is flushed: delayed allocation reports it at fsync."""
    pattern, target = FSYNC_TARGETS[where]
    before = project.now()
    project.use(other(project.on_disk))
    real_fsync, failed = os.fsync, []

    def fsync(fd):
        if not failed and re.search(pattern, os.readlink(f"/proc/self/fd/{fd}")):
            failed.append(fd)
            raise OSError(28, os.strerror(28))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    code, out, err = run_geo_here(project.path, "build")
    assert failed, f"the build never flushed {where}"
    assert (code, out) == (2, "")
    assert err == (
        f"error: cannot write {target}: No space left on device; "
        "the previous outputs are unchanged\n"
    )
    assert project.now() == before
    assert project.stray() == []
    add("build crash: disk-full and read-only cases")


# ---------------------------------------------------------------- real mounts (root)


class Mount:
    """A tmpfs of our own, so that a test can fill it up or make it read-only."""

    def __init__(self, path: Path):
        self.path = path
        self.mounted = False

    def mount(self, size_kib: int) -> None:
        path = self.path
        if os.geteuid() != 0:
            pytest.skip("mounting a tmpfs needs root (CI runs as root)")
        path.mkdir(exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            message = f"cannot mount a tmpfs: {done.stderr.strip()}"
            if os.environ.get("CI"):
                pytest.fail(f"{message}; CI must run as root with mount permitted")
            pytest.skip(message)
        self.mounted = True

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True)

    def used_kib(self) -> int:
        st = os.statvfs(self.path)
        return (st.f_blocks - st.f_bfree) * st.f_frsize // 1024

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=True)


@pytest.fixture()
def disk(tmp_path):
    mount = Mount(tmp_path / "disk")
    yield mount
    mount.unmount()


def project_on(disk: Mount) -> Project:
    disk.mount(64 * 1024)
    return Project(disk.path)


def assert_refused(result: subprocess.CompletedProcess, target: str, cause: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"error: cannot write {target}: {cause}"), result.stderr
    assert result.stderr.endswith("; the previous outputs are unchanged\n"), result.stderr


@pytest.mark.parametrize("room", [0.0, 0.5, 0.97], ids=lambda r: f"room for {r:.0%} of a site")
def test_a_real_full_disk_gives_one_line_and_keeps_both_outputs(disk, geo, room):
    project = project_on(disk)
    before, new = project.now(), other(project.on_disk)
    site_bytes = sum(p.stat().st_size for p in (disk.path / "site").rglob("*") if p.is_file())
    disk.remount(f"size={disk.used_kib() + int(site_bytes * room) // 1024}k")
    project.use(new)
    result = geo("build", cwd=disk.path)
    assert_refused(result, "layers" if room == 0 else "site", "No space left on device")
    assert project.now() == before
    assert project.stray() == []

    disk.remount("size=64m")
    project.build(new)
    add("build crash: disk-full and read-only cases")


def test_a_read_only_file_system_gives_one_line_and_keeps_both_outputs(disk, geo):
    project = project_on(disk)
    before = project.now()
    project.use(other(project.on_disk))
    disk.remount("ro")
    result = geo("build", cwd=disk.path)
    assert_refused(result, "layers", "Read-only file system")
    assert project.now() == before
    assert project.stray() == []
    add("build crash: disk-full and read-only cases")


# Root ignores permission bits through these capabilities; without them, root is held to
# the owner's bits like anyone else (and keeps access to the venv, wherever it is).
AS_ROOT_WITHOUT_OVERRIDE = [
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner",
    "--inh-caps=-dac_override,-dac_read_search,-fowner",
]


def test_a_folder_we_may_not_write_gives_one_line_and_keeps_both_outputs(project):
    before = project.now()
    project.use(other(project.on_disk))
    command = [sys.executable, "-m", "geo", "build"]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("needs setpriv (util-linux) to make root respect permission bits")
        command = AS_ROOT_WITHOUT_OVERRIDE + command
    project.path.chmod(0o555)
    try:
        result = subprocess.run(
            command, cwd=project.path, env=ENV, capture_output=True, text=True, timeout=120
        )
    finally:
        project.path.chmod(0o755)
    assert_refused(result, "layers", "Permission denied")
    assert project.now() == before
    assert project.stray() == []
    add("build crash: disk-full and read-only cases")


def test_stray_staging_folders_of_a_killed_site_writer_are_removed(project):
    """geo.site stages the site beside the folder it is given (``..site.build-PID-….tmp-PID``);
    those of a dead build are removed too, and only those."""
    dead = 2**22 + 1  # above Linux's pid_max default, so no process has it
    for name in (
        f"..site.build-{dead}-0badf00d.tmp-{dead}",
        f"..site.build-{dead}-0badf00d.old-{dead}",
        f".site.build-{dead}-0badf00d",
    ):
        (project.path / name).mkdir()
        (project.path / name / "index.html").write_text("half")
    (project.path / f".mysite.build-{dead}-0badf00d").mkdir()  # another output's, kept
    code, out, err = run_geo_here(project.path, "build")
    assert code == 0, out + err
    assert project.stray() == [f".mysite.build-{dead}-0badf00d"]
