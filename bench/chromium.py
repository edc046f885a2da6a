"""How headless Chromium is started, by the browser tests (tests/browser_util.py) and by
bench/browser.py alike: the same flags, so the benchmark measures the page the tests check."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
