"""Where ``geo build``'s time goes: the same library calls as geo.build.run, timed one by one.

python -m bench.phases routes.yaml OUT_DIR      # prints {"phase": seconds, ...} as JSON
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from bench.measure import Laps


def phases(data: Path, out: Path) -> dict[str, float]:
    laps = Laps()
    lap = laps.lap

    from geo.validate import load_dataset

    dataset = load_dataset(data)
    lap("load_validate")
    from geo.layers import render_layers

    layers = render_layers(dataset)
    lap("layers")
    shutil.rmtree(out, ignore_errors=True)
    (out / "layers").mkdir(parents=True)
    for name, data in layers.encoded.items():
        (out / "layers" / name).write_bytes(data)
    lap("write_layers")
    from geo.site import write_site

    write_site(dataset, layers, out / "site")
    lap("site")
    return laps.times


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m bench.phases ROUTES_YAML OUT_DIR")
    print(json.dumps(phases(Path(sys.argv[1]), Path(sys.argv[2]))))


if __name__ == "__main__":
    main()
