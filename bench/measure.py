"""Timing helpers shared by the benchmarks: subprocesses with their own peak memory, statistics.

A command is run with Popen and reaped with ``os.wait4``, which returns the resource usage of
that one child: its peak resident memory (``ru_maxrss``) and CPU time, unaffected by earlier
runs (``RUSAGE_CHILDREN`` would report the largest child so far).
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


class BenchError(RuntimeError):
    """A benchmarked command failed: the benchmark would measure the wrong thing."""


@dataclass(frozen=True)
class Sample:
    wall_s: float
    cpu_s: float  # user + system time of the process
    peak_mb: float  # peak resident set size
    stdout: str = ""


def run(
    cmd: list[str], *, env: dict[str, str] | None = None, cwd: str | Path | None = None
) -> Sample:
    """Run *cmd* to completion and measure it; raise BenchError if it fails."""
    full_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=full_env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = (
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    if proc.returncode != 0:
        raise BenchError(
            f"{' '.join(map(str, cmd))} exited with {proc.returncode}:\n{stderr[-2000:]}"
        )
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, stdout)


@dataclass(frozen=True)
class Stats:
    n: int
    median: float
    low: float
    high: float
    p95: float

    def to_dict(self) -> dict:
        return asdict(self)


def stats(values: list[float]) -> Stats:
    ordered = sorted(values)
    rank = max(0, math.ceil(0.95 * len(ordered)) - 1)  # nearest-rank 95th percentile
    return Stats(len(ordered), statistics.median(ordered), ordered[0], ordered[-1], ordered[rank])


def geo_command() -> list[str]:
    """The installed ``geo`` script of this interpreter's environment (what a user runs)."""
    script = Path(sys.executable).parent / "geo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "geo"]


def machine() -> dict:
    """CPU, cores, memory, Python and load: printed with every result."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    import timeit

    probe = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000
    return {
        "cpu": cpu,
        # a shared VM's speed drifts: the same loop times differ by a quarter from hour to hour
        "python_loop_us": round(probe * 1e6, 1),
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


class Laps:
    """Seconds spent in each named phase: ``laps.lap("load")`` ends the phase begun at the
    previous lap (or at creation); ``laps.times`` maps each name to its duration."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._start = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = round(now - self._start, 4)
        self._start = now
