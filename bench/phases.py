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
    from geo.build import PARALLEL_FROM
    from geo.forked import Forked
    from geo.layers import render_layers
    from geo.site.payload import events_json

    # as geo.build.run does it
    site_events = Forked(lambda: events_json(dataset), len(dataset.events) >= PARALLEL_FROM)
    from geo.site.page import warm
    from geo.site.payload import movements_part

    layers = render_layers(dataset, movements_extra=movements_part, while_waiting=warm)
    lap("layers")
    shutil.rmtree(out, ignore_errors=True)
    (out / "layers").mkdir(parents=True)
    for name, data in layers.encoded.items():
        (out / "layers" / name).write_bytes(data)
    lap("write_layers")
    from geo.site import write_site

    write_site(
        dataset,
        layers.texts,
        out / "site",
        built=layers,
        layer_files={name: out / "layers" / name for name in layers.texts},
        events=site_events.result,
    )
    lap("site")
    return laps.times


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m bench.phases ROUTES_YAML OUT_DIR")
    print(json.dumps(phases(Path(sys.argv[1]), Path(sys.argv[2]))))


if __name__ == "__main__":
    main()
