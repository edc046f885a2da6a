"""(Re)generate the hostile-input corpus: broken, hostile and tricky but legitimate routes.yaml.

Usage::

    .venv/bin/python tests/bad_inputs/make_corpus.py      # rewrite the static cases in this folder

Every case is derived from ``000-valid-base.yaml`` (the seed, kept by hand) by a text or byte
edit, so the same script always writes the same bytes.  ``manifest.tsv`` says what ``geo
validate`` must answer for each case; it is kept by hand, because it is the contract the
code is checked against, not something derived from the code.

Static cases are committed.  The generated ones (50 MB, binary junk, 10,000 levels of
nesting, the alias bomb, ...) are too big or not text, so tests/test_bad_inputs.py writes them
into a temporary folder with :func:`generated_case` when it runs.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED_NAME = "000-valid-base.yaml"
SEED = (HERE / SEED_NAME).read_text(encoding="utf-8")

# A fixed "today" for every case: events and sources may not be later than this.
TODAY = "2026-12-31"

POLICY_TITLE = "    title: A policy event"
RAIL_DATE = '    date: "2024-02-05"'
TUMANGANG_LAT = "    lat: 42.4214"
AIR_VIA = "    via: [t-fnj, t-vvo]"
RAIL_LAST_STATUS = """      - since: "2013-09-22"
        status: operating
        sources: [ref-facts]
"""


def edit(*pairs: tuple[str, str], base: str = SEED) -> str:
    """*base* with each (old, new) replacement applied once, in order; *old* must be present."""
    text = base
    for old, new in pairs:
        if old not in text:
            raise ValueError(f"seed changed: {old!r} not found")
        text = text.replace(old, new, 1)
    return text


def case(*pairs: tuple[str, str]) -> bytes:
    """The seed with *pairs* replaced, as UTF-8."""
    return edit(*pairs).encode("utf-8")


def after(anchor: str, added: str) -> bytes:
    """The seed with *added* inserted after the first *anchor*."""
    return case((anchor, anchor + added))


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


BOM = b"\xef\xbb\xbf"
CYRILLIC_A = "\u0430"  # looks like Latin "a"
PEOPLE_300 = '    people: {min: 300, text: "more than 300"}'
PEOPLE_200 = '    people: {min: 200, text: "hundreds"}'
POLICY_ID = "  - id: t-2017-12-22-policy"
POLICY_SUMMARY = "    summary: A test policy event at one place."
SOURCE_URL = "    url: https://en.wikipedia.org/wiki/Khasan%E2%80%93Rajin_railway"
PWN = "['touch /tmp/pwned']"
RAJIN_NAME = "    name: Test Rajin"


def status_after_rail(status: str) -> bytes:
    return after(RAIL_LAST_STATUS, f'      - since: "2099"\n        status: {status}\n'
                                   "        sources: [ref-facts]\n")


def waypoint(stop: str, lat: str, lon: str) -> bytes:
    return after(AIR_VIA, f"\n    waypoints:\n      - {{after: {stop}, lat: {lat}, lon: {lon}, "
                          "sources: [ref-facts]}")


STATIC: dict[str, bytes] = {
    # -- YAML syntax and document shape ------------------------------------------------
    "001-empty-file.yaml": b"",
    "002-only-comments.yaml": b"# routes.yaml\n\n# nothing here yet\n",
    "003-unclosed-flow-list.yaml": case((AIR_VIA, "    via: [t-fnj, t-vvo")),
    "004-unclosed-quote.yaml": case(('    published: "2026-11"', '    published: "2026-11')),
    "005-tab-indentation.yaml": case((POLICY_TITLE, "\ttitle: A policy event")),
    "006-colon-space-in-plain-value.yaml": case((POLICY_TITLE, "    title: Policy: a new rule")),
    "007-bad-indentation.yaml": case(("    kind: city\n", "      kind: city\n")),
    "008-unknown-escape.yaml": case((POLICY_TITLE, '    title: "Saved in C:\\Users\\data"')),
    "009-two-documents.yaml": utf8(SEED + "---\nversion: 1\n"),
    "010-top-level-list.yaml": b"- version: 1\n- sources: {}\n",
    "011-top-level-text.yaml": b"North Korean workers in Russia\n",
    "012-duplicate-top-level-key.yaml": utf8(SEED + "routes: []\n"),
    "013-duplicate-key-in-event.yaml": after(POLICY_TITLE, "\n    title: Another title"),
    "014-key-is-a-list.yaml": after(POLICY_TITLE, "\n    [title, summary]: both"),
    "015-raw-control-character.yaml": case((POLICY_TITLE, "    title: A policy \x1b[31mevent")),
    # -- tags that would build Python objects, or read files, in an unsafe loader -------
    "016-python-object-apply.yaml": case(
        (POLICY_TITLE, f"    title: !!python/object/apply:os.system {PWN}")),
    "017-python-name.yaml": case((POLICY_TITLE, "    title: !!python/name:os.system")),
    "018-python-object-on-mapping.yaml": case(
        (PEOPLE_300, "    people: !!python/object:subprocess.Popen {args: [touch, /tmp/pwned]}")),
    "019-binary-tag.yaml": case((POLICY_TITLE, "    title: !!binary QSBwb2xpY3kgZXZlbnQ=")),
    "020-include-tag.yaml": case((POLICY_SUMMARY, "    summary: !include /etc/passwd")),
    "021-tag-directive.yaml": utf8("%TAG !py! tag:yaml.org,2002:python/\n---\n" + edit(
        (POLICY_TITLE, f"    title: !py!object/apply:os.system {PWN}"))),
    "022-set-tag.yaml": case((PEOPLE_200, "    people: !!set {200, hundreds}")),
    # -- anchors, aliases, merge keys --------------------------------------------------
    "023-alias-reuse.yaml": case(
        (PEOPLE_300, '    people: &crowd {min: 300, text: "more than 300"}'),
        (PEOPLE_200, "    people: *crowd")),
    "024-merge-key.yaml": case(
        ("  - id: t-2024-02-05-rail\n", "  - &rail-event\n    id: t-2024-02-05-rail\n"),
        ("  - id: t-2019-09-flight\n", "  - <<: *rail-event\n    id: t-2019-09-flight\n")),
    "025-recursive-alias.yaml": after(POLICY_TITLE, "\n    notes: &loop [*loop]"),
    # -- fields, types, shapes ---------------------------------------------------------
    "026-unknown-top-level-field.yaml": case(("version: 1\n", "version: 1\nroutez: []\n")),
    "027-misspelt-field.yaml": case((POLICY_TITLE, "    titel: A policy event")),
    "028-lat-is-text.yaml": case((TUMANGANG_LAT, "    lat: north")),
    "029-lat-quoted.yaml": case((TUMANGANG_LAT, '    lat: "42.4214"')),
    "030-via-is-text.yaml": case((AIR_VIA, "    via: t-fnj")),
    "031-sources-is-a-list.yaml": case(("sources:\n  ref-facts:\n", "sources:\n  - ref-facts:\n")),
    "032-empty-title.yaml": case((POLICY_TITLE, "    title:")),
    "033-missing-title.yaml": case((POLICY_TITLE + "\n", "")),
    "034-unsupported-version.yaml": case(("version: 1\n", "version: 2\n")),
    "035-unknown-mode.yaml": case(("    mode: rail", "    mode: train")),
    "036-negative-people.yaml": case(("{min: 300, text:", "{min: -5, text:")),
    "037-people-in-words.yaml": case(("{min: 300, text:", "{min: many, text:")),
    "038-huge-integer.yaml": case(("{min: 300, text:", "{min: " + "9" * 5000 + ", text:")),
    "039-title-too-long.yaml": case((POLICY_TITLE, "    title: " + "A very long title " * 17)),
    "040-empty-stop.yaml": case((AIR_VIA, "    via: [t-fnj, ~]")),
    # -- dates -------------------------------------------------------------------------
    "041-impossible-date.yaml": case((RAIL_DATE, '    date: "2024-02-30"')),
    "042-not-a-leap-year.yaml": case((RAIL_DATE, '    date: "2023-02-29"')),
    "043-month-13.yaml": case((RAIL_DATE, '    date: "2024-13-05"')),
    "044-day-zero.yaml": case((RAIL_DATE, '    date: "2024-01-00"')),
    "045-year-zero.yaml": case((RAIL_DATE, '    date: "0000"')),
    "046-event-in-the-future.yaml": case((RAIL_DATE, '    date: "2099-01-01"')),
    "047-source-published-in-the-future.yaml": case(
        ('    published: "2026-11"', '    published: "2099"')),
    "048-planned-status-in-the-future.yaml": status_after_rail("planned"),
    "049-operating-status-in-the-future.yaml": status_after_rail("operating"),
    "050-end-before-start.yaml": after(RAIL_DATE, '\n    end_date: "2024-02-01"'),
    "051-date-in-words.yaml": case((RAIL_DATE, "    date: last week")),
    "052-date-with-time.yaml": case((RAIL_DATE, '    date: "2024-02-05T10:00:00"')),
    "053-date-interval.yaml": case((RAIL_DATE, '    date: "2019/2020"')),
    "054-unquoted-date.yaml": case((RAIL_DATE, "    date: 2024-02-05")),
    "055-status-out-of-order.yaml": case(('      - since: "2020-02"', '      - since: "2017-02"')),
    "056-arabic-indic-digits.yaml": case(
        (RAIL_DATE, '    date: "\u0662\u0660\u0662\u0664-\u0660\u0662-\u0660\u0665"')),
    # -- numbers and coordinates -------------------------------------------------------
    "057-lat-nan.yaml": case((TUMANGANG_LAT, "    lat: .nan")),
    "058-lon-inf.yaml": case(("    lon: 130.6081", "    lon: .inf")),
    "059-lat-negative-inf.yaml": case((TUMANGANG_LAT, "    lat: -.inf")),
    "060-lat-overflow.yaml": case((TUMANGANG_LAT, "    lat: 1e400")),
    "061-lat-out-of-range.yaml": case((TUMANGANG_LAT, "    lat: 95")),
    "062-lon-out-of-range.yaml": case(("    lon: 130.6081", "    lon: -190.5")),
    "063-waypoint-nan.yaml": waypoint("t-fnj", ".nan", "128"),
    "064-max-below-min.yaml": case(("{min: 200, text:", "{min: 200, max: 100, text:")),
    # -- ids -----------------------------------------------------------------------------
    "065-id-with-spaces.yaml": case((POLICY_ID, "  - id: t 2017 policy")),
    "066-id-with-html.yaml": case((POLICY_ID, '  - id: "<script>alert(1)</script>"')),
    "067-id-upper-case.yaml": case((POLICY_ID, "  - id: T-2017-12-22-POLICY")),
    "068-id-cyrillic-homoglyph.yaml": case(("  - id: t-rajin", f"  - id: t-r{CYRILLIC_A}jin")),
    "069-id-too-long.yaml": case((POLICY_ID, "  - id: t-" + "x" * 80)),
    "070-id-with-zero-width-space.yaml": case((POLICY_ID, "  - id: t-2017\u200b-policy")),
    "071-source-id-with-space.yaml": case(("  ref-facts:\n", "  ref facts:\n")),
    "072-duplicate-place-id.yaml": case(("  - id: t-tumangang", "  - id: t-khasan")),
    "073-duplicate-route-id.yaml": case(("  - id: t-rail", "  - id: t-air")),
    # -- references: dangling and circular ---------------------------------------------
    "074-unknown-route.yaml": case(("    route: t-rail", "    route: t-rial")),
    "075-unknown-source.yaml": case(
        ("    sources: [ref-facts]\n  - id: t-2019", "    sources: [ref-fact]\n  - id: t-2019")),
    "076-unknown-place.yaml": case((AIR_VIA, "    via: [t-fnj, Qqxzv Wbkjq]")),
    "077-homoglyph-place-name.yaml": case(("    to: t-khasan", f"    to: Test R{CYRILLIC_A}jin")),
    "078-ambiguous-place-name.yaml": case(
        ("  - id: t-fnj\n", "  - id: t-rajin-port\n    name: Test Rajin\n    kind: port\n"
         "    country: KP\n    lat: 42.2436\n    lon: 130.3003\n  - id: t-fnj\n"),
        ("    from: t-rajin", "    from: Test Rajin")),
    "079-stop-repeated.yaml": case((AIR_VIA, "    via: [t-fnj, t-fnj, t-vvo]")),
    "080-from-equals-to.yaml": case(("    to: t-khasan", "    to: t-rajin")),
    "081-waypoint-after-foreign-stop.yaml": waypoint("t-rajin", "41", "129"),
    "082-waypoint-after-last-stop.yaml": waypoint("t-vvo", "41", "129"),
    "083-event-nowhere.yaml": case(("    place: t-fnj\n", "")),
    # -- text: invisible, direction-changing and control characters, links, markup -----
    "084-zero-width-space-in-name.yaml": case((RAJIN_NAME, "    name: Test Ra\u200bjin")),
    "085-rtl-override-in-title.yaml": case((POLICY_TITLE, "    title: A policy \u202etneve")),
    "086-terminal-escape-in-key.yaml": after(POLICY_TITLE, '\n    "\\e[2J\\e[31mred": 1'),
    "087-nul-escape-in-text.yaml": case((POLICY_TITLE, '    title: "A policy\\0event"')),
    "088-bom-inside-name.yaml": case((RAJIN_NAME, "    name: Test \ufeffRajin")),
    "089-javascript-url.yaml": case(
        ("    url: https://en.wikipedia.org", "    url: javascript:alert(1)//en.wikipedia.org")),
    "090-data-url.yaml": case((SOURCE_URL, '    url: "data:text/html,<script>alert(1)</script>"')),
    "091-url-with-space.yaml": case((SOURCE_URL, "    url: https://en.wikipedia.org/wiki/A B")),
    "092-html-in-text-is-data.yaml": case(
        (POLICY_TITLE, "    title: '<img src=x onerror=alert(1)> policy'"),
        (POLICY_SUMMARY, "    summary: \"</script><script>alert('x')</script> {{7*7}} ${7*7}\"")),
    "093-unicode-names.yaml": case(
        ("    name: Test Khasan station\n",
         "    name: Test Khasan station\n    alt_names: [Хасан, 哈桑, 하산, Ḫasan]\n"),
        (POLICY_TITLE, "    title: قرار سياسي — החלטה — 정책 결정")),
    "094-mixed-scripts-in-one-name.yaml": case(
        (RAJIN_NAME, "    name: Test Rajin 라진 羅津 Раджин")),
    "095-crlf-line-endings.yaml": crlf(SEED),
    "096-crlf-with-impossible-date.yaml": crlf(edit((RAIL_DATE, '    date: "2024-02-30"'))),
    "097-bom.yaml": BOM + utf8(SEED),
    "098-bom-and-crlf.yaml": BOM + crlf(SEED),
    "099-bom-with-error.yaml": BOM + case(("version: 1\n", "version: 2\n")),
    "100-cr-only-line-endings.yaml": SEED.replace("\n", "\r").encode("utf-8"),
}


def _binary_junk() -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(4096))


def _nul_in_text() -> bytes:
    return case((POLICY_TITLE, "    title: A policy\x00event"))


def _latin1() -> bytes:
    return edit((POLICY_TITLE, "    title: Une décision")).encode("latin-1")


def _utf16() -> bytes:
    return SEED.encode("utf-16")  # with its BOM, as Windows Notepad saves "Unicode"


def _fifty_megabytes() -> bytes:
    """About 125,000 plausible events: valid-looking YAML, 50 MB."""
    event = (
        "  - id: t-bulk-{i:06d}\n"
        '    date: "2019-09-{day:02d}"\n'
        "    title: Workers cross by rail, report number {i}\n"
        "    summary: A group of workers crossed the border by rail; the source gives the number"
        " in its own words.\n"
        "    kind: movement\n    from: t-rajin\n    to: t-khasan\n    route: t-rail\n"
        '    people: {{min: 300, text: "more than 300"}}\n'
        "    group: workers\n    direction: to_russia\n    confidence: reported\n"
        "    sources: [ref-facts]\n"
    )
    parts = [SEED]
    size, i = len(SEED), 0
    while size < 50 * 1024 * 1024:
        chunk = event.format(i=i, day=i % 28 + 1)
        parts.append(chunk)
        size += len(chunk)
        i += 1
    return utf8("".join(parts))


def _deep_flow(levels: int) -> bytes:
    return utf8("version: 1\nnotes: " + "[" * levels + "]" * levels + "\n")


def _deep_block(levels: int) -> bytes:
    return utf8("version: 1\nnotes:\n  " + "- " * levels + "x\n")


def _alias_bomb() -> bytes:
    """Billion laughs: nine levels of nine aliases would expand to 10^9 strings."""
    lines = ["version: 1", 'a0: &a0 ["lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return utf8("\n".join(lines) + "\n")


def _huge_title() -> bytes:
    return case((POLICY_TITLE, "    title: " + "x" * (1024 * 1024)))


def _long_place_name() -> bytes:
    """A name that made the 'Name, CC' pattern backtrack for minutes (quadratic in its length)."""
    return case(("    place: t-fnj", "    place: 'a" + " " * 100_000 + "b'"))


GENERATED: dict[str, Callable[[], bytes]] = {
    "101-binary-junk.yaml": _binary_junk,
    "102-nul-byte-in-text.yaml": _nul_in_text,
    "103-latin1-text.yaml": _latin1,
    "104-utf16-text.yaml": _utf16,
    "105-fifty-megabytes.yaml": _fifty_megabytes,
    "106-deep-nesting-10000-flow.yaml": lambda: _deep_flow(10_000),
    "107-deep-nesting-10000-block.yaml": lambda: _deep_block(10_000),
    "108-deep-nesting-1000000-flow.yaml": lambda: _deep_flow(1_000_000),
    "109-alias-bomb.yaml": _alias_bomb,
    "110-one-megabyte-title.yaml": _huge_title,
    "111-place-name-of-spaces.yaml": _long_place_name,
}


def generated_case(name: str) -> bytes:
    return GENERATED[name]()


def all_names() -> list[str]:
    return sorted([SEED_NAME, *STATIC, *GENERATED])


def write_static(folder: Path = HERE) -> list[str]:
    """Write every static case into *folder*, remove stale numbered ones; return the names."""
    keep = {SEED_NAME, *STATIC}
    for old in folder.glob("[0-9][0-9][0-9]-*.yaml"):
        if old.name not in keep:
            old.unlink()
    for name, data in STATIC.items():
        (folder / name).write_bytes(data)
    return sorted(STATIC)


if __name__ == "__main__":
    written = write_static()
    sys.stdout.write(
        f"wrote {len(written)} static cases to {HERE}; "
        f"{len(GENERATED)} more are made at test time\n"
    )
