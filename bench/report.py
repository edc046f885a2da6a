"""Write the measured figures into docs/performance.md, between its two bench markers.

Everything outside the markers (how to read the figures, what was optimised and why) is
written by hand and left as it is.
"""

from __future__ import annotations

from pathlib import Path

from bench.measure import ROOT

DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench:begin (written by python -m bench; do not edit by hand) -->"
END = "<!-- bench:end -->"

BUILD_S = 10.0
BUILD_MB = 1536.0
BUILD_RATIO = 3.0
STEP_MS = 16.0
STEP_RATIO = 10.0
FIRST_RENDER_MS = 1000.0
CLI_MS = 300.0
PAGE_KB = 400.0


def _row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _ms(stats: dict) -> str:
    return f"{stats['median']:.0f} ms ({stats['low']:.0f}–{stats['high']:.0f})"


def _s(stats: dict) -> str:
    return f"{stats['median']:.2f} s ({stats['low']:.2f}–{stats['high']:.2f})"


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def render(machine: dict, build, browser, cli, elapsed_s: float) -> str:
    load = ", ".join(f"{x:.2f}" for x in machine["load_average"])
    chromium = f", Chromium {browser['chromium']}" if browser else ""
    out = [
        BEGIN,
        "",
        f"Measured with `python -m bench` in {elapsed_s / 60:.1f} minutes on: {machine['cpu']}, "
        f"{machine['cores']} cores, {machine['memory_gb']:.0f} GB RAM, {machine['system']}, "
        f"Python {machine['python']}{chromium}. Load average when it started: {load}; "
        f"`sum(range(1000))` took {machine.get('python_loop_us', 0):.1f} µs (a speed probe: "
        "the VM's speed drifts from hour to hour).",
        "",
    ]
    targets: list[tuple[str, str, bool]] = []
    if build:
        out += _build_tables(build, targets)
    if browser:
        out += _browser_tables(browser, targets)
    if cli:
        out += _cli_table(cli, targets)
    if targets:
        out += ["### Targets", "", _row("Target", "Measured", "Met"), "|---|---|---|"]
        out += [_row(name, value, _mark(ok)) for name, value, ok in targets]
        out.append("")
    out.append(END)
    return "\n".join(out)


def _build_tables(build: list[dict], targets: list) -> list[str]:
    out = [
        "### geo validate and geo build (synthetic routes.yaml: 100 places, 1,000 routes)",
        "",
        "Wall time: median (min–max) of the runs; memory: peak resident set of the process "
        "(and of its worker, whichever is larger).",
        "",
        _row(
            "Events",
            "File",
            "Runs (ours / baseline)",
            "`geo validate`",
            "`geo build`",
            "Build peak memory",
            "Build per 1,000 events",
            "Baseline",
            "Baseline memory",
            "Baseline ÷ build",
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in build:
        build_s, base_s = r["build"]["wall_s"], r["baseline"]["wall_s"]
        out.append(
            _row(
                f"{r['events']:,}",
                f"{r['file_mb']} MB",
                f"{build_s['n']} / {base_s['n']}",
                _s(r["validate"]["wall_s"]),
                _s(build_s),
                f"{r['build']['peak_mb']['median']:.0f} MB",
                f"{build_s['median'] / (r['events'] / 1000):.3f} s",
                _s(base_s),
                f"{r['baseline']['peak_mb']['median']:.0f} MB",
                f"{r['ratio']:.1f}×",
            )
        )
    out += [
        "",
        "Where the time goes (one in-process run of each; seconds):",
        "",
        _row(
            "Events",
            "ours: load + validate",
            "layers",
            "write layers",
            "site",
            "baseline: YAML load",
            "prepare rows",
            "GeoDataFrame.to_file ×4",
            "TimestampedGeoJson",
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in build:
        p, b = r["build_phases"], r["baseline_phases"][0]
        out.append(
            _row(
                f"{r['events']:,}",
                f"{p['load_validate']:.2f}",
                f"{p['layers']:.2f}",
                f"{p['write_layers']:.2f}",
                f"{p['site']:.2f}",
                f"{b['load']:.2f}",
                f"{b['prepare']:.2f}",
                f"{b['layers']:.2f}",
                f"{b['site']:.2f}",
            )
        )
    out += [
        "",
        "Output sizes:",
        "",
        _row("Events", "layers/", "site/", "baseline layers", "baseline page"),
        "|---:|---:|---:|---:|---:|",
    ]
    for r in build:
        out.append(
            _row(
                f"{r['events']:,}",
                f"{r['layers_mb']} MB",
                f"{r['site_mb']} MB",
                f"{r['baseline_layers_mb']} MB",
                f"{r['baseline_site_mb']} MB",
            )
        )
    out.append("")
    big = max(build, key=lambda r: r["events"])
    label = f"{big['events']:,} events"
    build_s, build_mb = big["build"]["wall_s"], big["build"]["peak_mb"]["median"]
    targets += [
        (f"`geo build` at {label} under {BUILD_S:.0f} s", _s(build_s), build_s["median"] < BUILD_S),
        (
            f"`geo build` at {label} under 1.5 GB peak memory",
            f"{build_mb:.0f} MB",
            build_mb < BUILD_MB,
        ),
        (
            f"`geo build` at {label} at least 3× faster than the baseline",
            f"{big['ratio']:.1f}×",
            big["ratio"] >= BUILD_RATIO,
        ),
    ]
    return out


def _browser_tables(browser: dict, targets: list) -> list[str]:
    out = [
        "### The map in headless Chromium",
        "",
        "First render: navigation start to the data drawn plus two frames (median of the page "
        "loads). Slider step (median and 95th percentile over the steps): main-thread time of a "
        "one-month step, started in a task of its own as an input event is, through the next "
        "frame: the step's script, the frame's callbacks (canvas redraws, list) and style and "
        "layout. *Painted* adds that frame's paint and commit (with `--disable-gpu`, every "
        "changed canvas is copied to the compositor in software); *complete* adds the next "
        "frame, where our list places its items below the fold.",
        "",
        _row(
            "Page",
            "Events",
            "First render",
            "Step median",
            "Step p95",
            "Painted: median",
            "Complete: median",
            "Page weight (gzip)",
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    b = browser["bundled"]
    weight = b["page_weight"]
    out.append(
        _row(
            "ours (bundled routes.yaml)",
            "—",
            _ms(b["first_render_ms"]),
            "—",
            "—",
            "—",
            "—",
            f"{weight['gzip_kb']:.0f} KB ({weight['files']} files)",
        )
    )
    scales = sorted({int(k.split("-")[1]) for k in browser if k.startswith(("ours-", "stock-"))})
    for n in scales:
        for kind, label in (("ours", "ours"), ("stock", "folium TimestampedGeoJson")):
            r = browser.get(f"{kind}-{n}")
            if not r:
                continue
            step, painted = r.get("step_ms", {}), r.get("step_painted_ms", {})
            complete = r.get("step_complete_ms", {})
            out.append(
                _row(
                    label,
                    f"{n:,}",
                    _ms(r["first_render_ms"]),
                    f"{step.get('median', 0):.2f} ms ({step.get('n', 0)} steps)",
                    f"{step.get('p95', 0):.2f} ms",
                    f"{painted.get('median', 0):.2f} ms",
                    f"{complete.get('median', 0):.2f} ms",
                    f"{r['page_weight']['gzip_kb']:.0f} KB",
                )
            )
    out.append("")
    if browser.get("stock_links_left_outside"):
        links = ", ".join(f"`{u}`" for u in browser["stock_links_left_outside"])
        out += [
            f"The stock page's links that no npm package provides (blocked, as offline): {links}.",
            "",
        ]
    big = max(scales)
    ours, stock = browser[f"ours-{big}"], browser[f"stock-{big}"]
    step, painted = ours["step_ms"]["median"], ours["step_painted_ms"]["median"]
    ratio = stock["step_ms"]["median"] / step if step else float("inf")
    ratio_painted = stock["step_painted_ms"]["median"] / painted if painted else float("inf")
    targets += [
        (
            f"Slider step at {big:,} events: median under 16 ms",
            f"{step:.2f} ms (painted: {painted:.2f} ms)",
            step < STEP_MS,
        ),
        (
            f"Slider step at {big:,} events: at least 10× faster than TimestampedGeoJson",
            f"{ratio:.1f}× (painted: {ratio_painted:.1f}×)",
            ratio >= STEP_RATIO,
        ),
        (
            "First render of the bundled map under 1 s",
            _ms(b["first_render_ms"]),
            b["first_render_ms"]["median"] < FIRST_RENDER_MS,
        ),
        (
            "Bundled site's page weight under 400 KB compressed",
            f"{weight['gzip_kb']:.0f} KB",
            weight["gzip_kb"] < PAGE_KB,
        ),
    ]
    return out


def _cli_table(cli: dict, targets: list) -> list[str]:
    out = [
        "### Start-up latency (bundled routes.yaml)",
        "",
        _row("Command", "Median", "p95", "CPU time (median)"),
        "|---|---:|---:|---:|",
    ]
    for name, r in cli.items():
        wall = r["wall_ms"]
        out.append(
            _row(
                f"`{name}`",
                f"{wall['median']:.0f} ms",
                f"{wall['p95']:.0f} ms",
                f"{r['cpu_ms']:.0f} ms" if "cpu_ms" in r else "—",
            )
        )
    out += [
        "",
        "(No memory column: on Linux a child's peak resident set starts from the benchmark "
        "process's own, inherited at the fork, which is larger than any of these commands.)",
        "",
    ]
    for name in ("geo resolve (gazetteer)", "geo resolve (GeoNames)", "geo add-route --dry-run"):
        if name in cli:
            median = cli[name]["wall_ms"]["median"]
            targets.append((f"`{name}` median under 300 ms", f"{median:.0f} ms", median < CLI_MS))
    return out


def write(section: str, doc: Path = DOC) -> None:
    """Replace the text between the markers of *doc* (or append the section)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")
