"""Run every benchmark and write the figures into docs/performance.md (``make bench``).

python -m bench            # the full run: about 5 minutes on 2 cores
python -m bench --quick    # one run of each, 10 slider steps: a smoke test, figures not kept
"""

from __future__ import annotations

import argparse
import json
import time

from bench import browser, build, cli, report
from bench.measure import RESULTS, machine


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="one run of each; docs/performance.md is not touched"
    )
    parser.add_argument("--skip", action="append", default=[], choices=("build", "browser", "cli"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine()}
    print(f"machine: {results['machine']}")
    if "build" not in args.skip:
        print("geo validate / geo build against the baseline")
        results["build"] = build.bench(quick=args.quick)
    if "browser" not in args.skip:
        print("the map in Chromium")
        results["browser"] = browser.bench(
            steps=10 if args.quick else browser.STEPS, loads=1 if args.quick else browser.LOADS
        )
    if "cli" not in args.skip:
        print("start-up latency")
        results["cli"] = cli.bench(runs=3 if args.quick else cli.RUNS)
    elapsed = time.perf_counter() - start
    results["elapsed_s"] = round(elapsed, 1)
    (RESULTS / ("quick.json" if args.quick else "all.json")).write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    section = report.render(
        results["machine"],
        results.get("build"),
        results.get("browser"),
        results.get("cli"),
        elapsed,
    )
    if args.quick or args.skip:
        print(section)
    else:
        report.write(section)
        print(f"wrote {report.DOC}")
    print(f"done in {elapsed / 60:.1f} minutes")


if __name__ == "__main__":
    main()
