"""Start-up latency of the ``geo`` command, against the floor of ``python -c pass``.

Each command runs as a fresh process, as typed in a shell, on the bundled routes.yaml (or a
copy of it, for the edit).  The first runs of each command are not counted: they fill the
operating system's file cache and geo's GeoNames index cache (~/.cache/geo).

    python -m bench.cli [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from bench.measure import RESULTS, ROOT, geo_command, run, stats

RUNS = 20
WARMUP = 2


def commands(work: Path) -> dict[str, list[str]]:
    """Command name -> argv, with arguments taken from the bundled data (whatever it holds)."""
    from geo.gazetteer import curated_places
    from geo.validate import load_dataset

    routes = ROOT / "routes.yaml"
    copy = work / "routes.yaml"
    shutil.copyfile(routes, copy)
    dataset = load_dataset(routes)
    source = sorted(dataset.sources)[0]
    route = dataset.routes[0]
    geo = geo_command()
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "geo --help": [*geo, "--help"],
        "geo validate": [*geo, "validate", "-q", str(routes)],
        "geo resolve (gazetteer)": [*geo, "resolve", curated_places()[0].name],
        "geo resolve (GeoNames)": [*geo, "resolve", "Khabarovsk"],
        "geo add-route --dry-run": [
            *geo,
            "add-route",
            "--dry-run",
            "--data",
            str(copy),
            "--name",
            "Benchmark shuttle",
            "--mode",
            route.mode,
            "--via",
            route.stops[0].id,
            "--via",
            route.stops[-1].id,
            "--since",
            "2024-01-01",
            "--source",
            source,
        ],
    }


def bench(runs: int = RUNS, log=print) -> dict:
    work = RESULTS / "work" / "cli"
    work.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, cmd in commands(work).items():
        samples = [run(cmd, cwd=work) for _ in range(WARMUP + runs)][WARMUP:]
        out[name] = {
            "wall_ms": {
                k: round(v * 1000, 1) if k != "n" else v
                for k, v in stats([s.wall_s for s in samples]).to_dict().items()
            },
            "peak_mb": round(stats([s.peak_mb for s in samples]).median, 1),
            "cpu_ms": round(stats([s.cpu_s for s in samples]).median * 1000, 1),
        }
        log(f"  {name}: median {out[name]['wall_ms']['median']:.0f} ms")
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    result = bench(args.runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cli.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
