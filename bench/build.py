"""Wall time and peak memory of ``geo validate`` and ``geo build`` at 1k / 10k / 100k events,
against the obvious GeoDataFrame + TimestampedGeoJson pipeline (bench/baseline.py).

Each command runs in its own process, as a user runs it; a first run (not counted) warms
the file cache and the GeoNames index cache.  The 100k-event file is about 48 MB, over
geo's default size limit (GEO_MAX_FILE_MB, 16 MB), so the benchmark raises the limit.

    python -m bench.build [--quick]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from bench import generate
from bench.measure import RESULTS, ROOT, Sample, geo_command, run, stats

SCALES = (1_000, 10_000, 100_000)
RUNS = {1_000: 5, 10_000: 5, 100_000: 3}
BASELINE_RUNS = {1_000: 3, 10_000: 3, 100_000: 1}
ENV = {"GEO_MAX_FILE_MB": "128"}
PY_ENV = {**ENV, "PYTHONPATH": str(ROOT)}  # bench.* modules run from a work directory


def data_file(events: int) -> Path:
    """The synthetic routes.yaml for *events* (written once; generation is deterministic)."""
    path = RESULTS / "data" / f"routes-{events}.yaml"
    text = generate.generate(generate.Scale(events))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def _samples(cmd: list[str], runs: int, work: Path, fresh: list[Path] = ()) -> list[Sample]:
    out = []
    for i in range(runs + 1):
        for path in fresh:
            shutil.rmtree(path, ignore_errors=True)
        sample = run(cmd, env=ENV, cwd=work)
        if i:  # the first run warms caches
            out.append(sample)
    return out


def _summary(samples: list[Sample]) -> dict:
    return {
        "wall_s": stats([s.wall_s for s in samples]).to_dict(),
        "cpu_s": stats([s.cpu_s for s in samples]).to_dict(),
        "peak_mb": stats([s.peak_mb for s in samples]).to_dict(),
    }


def bench_scale(events: int, quick: bool = False) -> dict:
    data = data_file(events)
    work = RESULTS / "work" / str(events)
    work.mkdir(parents=True, exist_ok=True)
    runs = 1 if quick else RUNS[events]
    geo = geo_command()
    validate = _samples([*geo, "validate", "-q", str(data)], runs, work)
    ours_out = [work / "layers", work / "site"]
    build = _samples(
        [*geo, "build", "--data", str(data), "--layers", "layers", "--site", "site"],
        runs,
        work,
        ours_out,
    )
    phases = run(
        [sys.executable, "-m", "bench.phases", str(data), str(work / "phases")],
        env=PY_ENV,
        cwd=work,
    )
    base_out = work / "baseline"
    baseline_runs = 1 if quick else BASELINE_RUNS[events]
    baseline = []
    for _ in range(baseline_runs):  # no warm-up run: the baseline is slow and has no cache to warm
        shutil.rmtree(base_out, ignore_errors=True)
        baseline.append(
            run(
                [sys.executable, "-m", "bench.baseline", str(data), str(base_out)],
                env=PY_ENV,
                cwd=work,
            )
        )
    result = {
        "events": events,
        "file_mb": round(data.stat().st_size / 1048576, 1),
        "validate": _summary(validate),
        "build": _summary(build),
        "build_phases": json.loads(phases.stdout),
        "baseline": _summary(baseline),
        "baseline_phases": [json.loads(s.stdout) for s in baseline],
        "layers_mb": _size_mb(work / "layers"),
        "site_mb": _size_mb(work / "site"),
        "baseline_layers_mb": _size_mb(base_out / "layers"),
        "baseline_site_mb": _size_mb(base_out / "site"),
    }
    result["ratio"] = round(
        result["baseline"]["wall_s"]["median"] / result["build"]["wall_s"]["median"], 1
    )
    return result


def _size_mb(directory: Path) -> float:
    return round(sum(p.stat().st_size for p in directory.rglob("*") if p.is_file()) / 1048576, 1)


def bench(scales=SCALES, quick: bool = False, log=print) -> list[dict]:
    results = []
    for events in scales:
        log(f"build: {events} events ...")
        r = bench_scale(events, quick)
        med = {k: r[k]["wall_s"]["median"] for k in ("validate", "build", "baseline")}
        mb = {k: r[k]["peak_mb"]["median"] for k in ("build", "baseline")}
        log(
            f"  validate {med['validate']:.2f} s, "
            f"build {med['build']:.2f} s ({mb['build']:.0f} MB), "
            f"baseline {med['baseline']:.2f} s ({mb['baseline']:.0f} MB): {r['ratio']}x"
        )
        results.append(r)
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", type=int, action="append", help="scale(s) to run (default: 1k, 10k, 100k)"
    )
    parser.add_argument("--quick", action="store_true", help="one run per command (a smoke test)")
    args = parser.parse_args(argv)
    results = bench(tuple(args.events or SCALES), args.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "build.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
