"""routes.yaml fixtures for the site tests, derived from tests/data/small.yaml."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_SUMMARY = "<script>window.__pwned = 1</script> </script><script>alert(2)</script> & \u2028 done"
XSS_SOURCE_TITLE = '"><svg onload=alert(3)>'
XSS_PLACE_ALT = "<script>alert(4)</script>"
_SUMMARY_YAML = XSS_SUMMARY.replace("\u2028", "\\u2028")  # a YAML double-quoted escape

_HOSTILE = f"""
  - id: t-2024-03-01-hostile
    date: "2024-03-01"
    title: '{XSS_TITLE}'
    summary: "{_SUMMARY_YAML}"
    kind: movement
    from: t-khasan
    to: t-hostile
    people: {{min: 5, text: "<b>five</b>"}}
    group: workers
    direction: to_russia
    confidence: rumoured
    sources: [hostile-source]
"""

_HOSTILE_SOURCE = f"""  hostile-source:
    outlet: "<b>Outlet</b>"
    title: '{XSS_SOURCE_TITLE}'
    published: "2024-03"
    url: https://example.org/a?b=<c>&d="e"
"""

_HOSTILE_PLACE = f"""  - id: t-hostile
    name: "<i>Evil</i> station"
    alt_names: ["{XSS_PLACE_ALT}"]
    kind: station
    country: RU
    lat: 43.1
    lon: 131.9
"""


def hostile_routes(dest: Path) -> Path:
    """small.yaml plus an event, a source and a place whose texts are HTML/script payloads."""
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    text = text.replace("\nplaces:\n", "\n" + _HOSTILE_SOURCE + "\nplaces:\n", 1)
    text = text.replace("\nroutes:\n", "\n" + _HOSTILE_PLACE + "\nroutes:\n", 1)
    text = text.rstrip("\n") + "\n" + _HOSTILE
    dest.write_text(text, encoding="utf-8")
    return dest
