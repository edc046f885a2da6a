"""Stories (issue 16, item 1): routes.yaml's stories:, their validation, geo add-story and
geo add-step, and each bundled story played in Chromium by keyboard, by permalink and by
swipe, the map, the date and the list moving together."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from geo.validate import load_dataset

DATA = Path(__file__).resolve().parent / "data"

_STORIES = """
stories:
  - id: rail
    title: Rail
    steps:
      - date: "2024-02"
        events: [t-2024-02-05-rail, t-2019-09-flight]
        routes: [t-rail]
        text: Workers came by rail.
        sources: [ref-facts]
"""

_BAD = """
stories:
  - id: empty
    title: No steps
    steps: []
  - id: bad
    title: Bad references
    steps:
      - date: "2019-01"
        events: [t-2019-09-flight, t-no-such-event]
        routes: [t-no-such-route]
        text: Too early, and unknown ids.
        sources: [no-such-source]
      - date: "2019-02-30"
        view: {lat: 42.4, lon: 130.6, zoom: 40}
        text: A day that does not exist, a zoom out of range.
        sources: [ref-facts]
      - date: "2020"
        text: Nothing to fit.
        sources: [ref-facts]
  - id: bad
    title: The same id
    steps:
      - {date: "2020", view: fit, routes: [t-rail], text: x, sources: [ref-facts], speed: 2}
"""


@pytest.fixture()
def storied(tmp_path) -> Path:
    dst = tmp_path / "routes.yaml"
    dst.write_text((DATA / "small.yaml").read_text("utf-8") + _STORIES, "utf-8")
    return dst


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_story_is_read_into_the_dataset(storied):
    story = load_dataset(storied).stories[0]
    assert (story.id, story.title, len(story.steps)) == ("rail", "Rail", 1)
    step = story.steps[0]
    assert step.date.text == "2024-02" and step.view is None
    assert step.events == ("t-2024-02-05-rail", "t-2019-09-flight")
    assert step.routes == ("t-rail",) and step.sources == ("ref-facts",)


def test_every_story_problem_is_reported_with_its_line(geo, tmp_path):
    text = (DATA / "small.yaml").read_text("utf-8") + _BAD
    path = tmp_path / "routes.yaml"
    path.write_text(text, "utf-8")
    result = geo("validate", path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    expected = {
        "stories[0].steps: needs at least 1 item": _line_of(text, "steps: []"),
        "stories[1].steps[0].events[0]: event 't-2019-09-flight' is dated 2019-09~, after this "
        "step's date 2019-01": _line_of(text, "t-no-such-event"),
        "stories[1].steps[0].events[1]: unknown event 't-no-such-event'": _line_of(text, "t-no-such-event"),
        "stories[1].steps[0].routes[0]: unknown route 't-no-such-route'": _line_of(text, "t-no-such-route"),
        "stories[1].steps[0].sources[0]: unknown source 'no-such-source'": _line_of(text, "no-such-source"),
        "stories[1].steps[1].date: ": _line_of(text, "2019-02-30"),
        "stories[1].steps[1].view.zoom: 40 is out of range": _line_of(text, "zoom: 40"),
        "stories[1].steps[2]: nothing to fit the map to": _line_of(text, 'date: "2020"'),
        "stories[2].id: duplicate id 'bad'": _line_of(text, "The same id") - 1,
        "stories[2].steps[0].speed: unknown field 'speed'": _line_of(text, "speed: 2"),
    }
    for message, line in expected.items():
        found = [m for m in lines if message in m]
        assert found, f"no {message!r} in:\n{result.stderr}"
        assert found[0].startswith(f"{path}:{line}:"), found[0]


def test_add_story_then_add_step_write_a_valid_story(geo, tmp_path):
    path = tmp_path / "routes.yaml"
    shutil.copyfile(DATA / "small.yaml", path)
    before = path.read_text("utf-8")
    result = geo("add-story", "--file", path, "--title", "Workers on the move",
                 "--summary", "Two trips.", "--date", "2019-09",
                 "--event", "t-2019-09-flight", "--route", "t-air",
                 "--text", "Workers flew home.")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "sources: those of the events (ref-facts)" in result.stdout
    result = geo("add-step", "workers-on-the-move", "--file", path, "--date", "2024-02-05",
                 "--event", "t-2024-02-05-rail", "--view", "42.8,131.2,7",
                 "--step-title", "By rail", "--text", "Then by rail.", "--source", "ref-facts")  # fmt: skip
    assert result.returncode == 0, result.stderr
    result = geo("add-step", "workers-on-the-move", "--file", path, "--at", "1",
                 "--date", "2017-12-22", "--event", "t-2017-12-22-policy",
                 "--text", "It began with a policy.")  # fmt: skip
    assert result.returncode == 0, result.stderr
    after = path.read_text("utf-8")
    assert after.startswith(before)  # nothing else in the file changed
    story = load_dataset(path).stories[0]
    assert story.id == "workers-on-the-move" and story.summary == "Two trips."
    assert [s.date.text for s in story.steps] == ["2017-12-22", "2019-09", "2024-02-05"]
    assert story.steps[1].routes == ("t-air",) and story.steps[2].title == "By rail"
    assert (story.steps[2].view.lat, story.steps[2].view.zoom) == (42.8, 7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2017-12", "--event", "t-2019-09-flight", "--text", "x"],
         "--event: event 't-2019-09-flight' is dated 2019-09~, after --date 2017-12"),
        (["--date", "2020", "--event", "t-2019-09-fligth", "--text", "x"],
         "--event: unknown event 't-2019-09-fligth'; did you mean 't-2019-09-flight'?"),
        (["--date", "2020", "--route", "t-boat", "--text", "x"], "--route: unknown route 't-boat'"),
        (["--date", "2020", "--view", "42,131,30", "--text", "x", "--source", "ref-facts"],
         "--view: zoom 30 is out of range (2 to 12)"),
        (["--date", "2020", "--text", "x", "--source", "ref-facts"],
         "--view: give LAT,LON,ZOOM, or --event/--route for the map to frame"),
        (["--date", "2020", "--view", "42,131,5", "--text", "x"], "Missing option '--source'"),
        (["--date", "2020", "--view", "42,131,5"], "Missing option '--text'"),
    ],
)  # fmt: skip
def test_add_step_refuses_bad_steps_in_one_line_and_writes_nothing(geo, storied, args, message):
    before = storied.read_bytes()
    result = geo("add-step", "rail", "--file", storied, *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert storied.read_bytes() == before


def test_add_step_to_an_unknown_story_suggests_the_nearest(geo, storied):
    result = geo("add-step", "rial", "--file", storied, "--date", "2020", "--route", "t-rail",
                 "--text", "x")  # fmt: skip
    assert result.returncode == 2
    assert "STORY: unknown story 'rial'; did you mean 'rail'?" in result.stderr


def test_removing_an_event_a_story_highlights_is_refused(geo, storied):
    before = storied.read_bytes()
    result = geo("remove", "event", "t-2019-09-flight", "--file", storied)
    assert result.returncode == 2 and "t-2019-09-flight" in result.stderr
    assert storied.read_bytes() == before


# ---------------------------------------------------------------- the bundled stories, played


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory, bundled_routes):
    from test_site_browser import _served

    yield from _served(tmp_path_factory, "stories-bundled", bundled_routes)


def _expected_day(site, step) -> str:
    end = dt.date.fromisoformat(site.dataset and _period_end(site))
    return min(step.date.end, end).isoformat()


def _period_end(site) -> str:
    from geo.site.payload import period

    return period(site.dataset)[1].isoformat()


def _open(browser, url, **context):
    from browser_util import PageWatch, wait_ready

    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce", **context)
    page = ctx.new_page()
    watch = PageWatch(page, tiles="block")
    page.goto(url)
    wait_ready(page)
    return ctx, page, watch


def _check_step(page, site, story, k):
    """The map, the date, the highlighted events and the list at step *k* (1-based)."""
    step = story.steps[k - 1]
    got = page.evaluate("geoApp.story.state()")
    assert got["story"] == story.id and got["step"] == k and got["steps"] == len(story.steps)
    assert sorted(got["highlighted"]) == sorted(step.events)
    state = page.evaluate("geoApp.state()")
    assert state["date"] == _expected_day(site, step)
    assert page.text_content(".story-progress") == f"{k} / {len(story.steps)}"
    assert page.text_content(".story-text").strip() == " ".join(step.text.split())
    marked = page.eval_on_selector_all("#event-list > li.story-highlight", "els => els.map(e => e.dataset.id)")
    assert sorted(marked) == sorted(step.events)  # each highlighted event is in the list
    located = [e for e in step.events if site.dataset and _located(site, e)]
    if step.view:
        view = state["view"]
        near = 3 * 360 / (256 * 2 ** step.view.zoom)  # 3 pixels at that zoom
        assert abs(view["lat"] - step.view.lat) < near and abs(view["lon"] - step.view.lon) < near
        assert view["zoom"] == step.view.zoom
    elif located:
        inside = page.evaluate(
            "ids => ids.every(id => { const ev = GeoMap.app.data.events.find(e => e.id === id);"
            " return geoApp.map.getBounds().contains([ev.lat, ev.lon]); })", located)
        assert inside, f"step {k}: {located} not all in view"


def _located(site, event_id) -> bool:
    return next(e for e in site.dataset.events if e.id == event_id).location is not None


def test_bundled_data_has_the_two_stories(bundled_site):
    titles = {s.id: s.title for s in bundled_site.dataset.stories}
    assert titles == {
        "workers-rail-khasan": "Workers by rail through Khasan, 2019–2024",
        "sanctions-deadline-2019": "Sanctions deadline of December 2019: who went home, how",
    }


@pytest.mark.browser
@pytest.mark.parametrize("story_id", ["workers-rail-khasan", "sanctions-deadline-2019"])
def test_each_bundled_story_plays_end_to_end_by_keyboard(browser, bundled_site, story_id):
    story = next(s for s in bundled_site.dataset.stories if s.id == story_id)
    ctx, page, watch = _open(browser, bundled_site.url)
    page.click("#stories-button")
    page.click(f'.story-choice[data-story="{story_id}"]')
    _check_step(page, bundled_site, story, 1)
    assert page.evaluate("document.activeElement.id") == "story-player"
    for k in range(2, len(story.steps) + 1):
        page.keyboard.press("ArrowRight")
        _check_step(page, bundled_site, story, k)
    page.keyboard.press("ArrowRight")  # past the last step: stays
    _check_step(page, bundled_site, story, len(story.steps))
    assert page.is_disabled(".story-next")
    page.keyboard.press("ArrowLeft")
    _check_step(page, bundled_site, story, len(story.steps) - 1)
    page.wait_for_function("h => location.hash === h", arg=f"#story={story_id}&step={len(story.steps) - 1}")
    day = page.evaluate("geoApp.state().date")
    page.keyboard.press("Escape")  # back to the free map, at that date
    assert page.evaluate("geoApp.story.state()") is None
    assert page.is_hidden("#story-player")
    assert page.evaluate("document.querySelectorAll('.story-highlight').length") == 0
    page.wait_for_function("h => location.hash.startsWith(h)", arg=f"#date={day}")
    assert page.evaluate("geoApp.state().date") == day
    page.go_back()  # Back returns to the step
    page.wait_for_function("() => geoApp.story.state() !== null")
    _check_step(page, bundled_site, story, len(story.steps) - 1)
    assert not watch.page_errors and not watch.console_errors
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("story_id", ["workers-rail-khasan", "sanctions-deadline-2019"])
def test_each_step_of_each_bundled_story_opens_from_its_permalink(browser, bundled_site, story_id):
    story = next(s for s in bundled_site.dataset.stories if s.id == story_id)
    for k in range(1, len(story.steps) + 1):
        ctx, page, watch = _open(browser, f"{bundled_site.url}#story={story_id}&step={k}")
        _check_step(page, bundled_site, story, k)
        assert not watch.page_errors and not watch.console_errors
        ctx.close()


@pytest.mark.browser
def test_a_swipe_on_the_story_panel_turns_the_step(browser, bundled_site):
    story = next(s for s in bundled_site.dataset.stories if s.id == "workers-rail-khasan")
    ctx, page, _ = _open(browser, f"{bundled_site.url}#story=workers-rail-khasan&step=2", has_touch=True)
    swipe = """dx => {
        const node = document.getElementById('story-player');
        const box = node.getBoundingClientRect(), y = box.top + 20, x = box.left + box.width / 2;
        const touch = (cx) => new Touch({identifier: 1, target: node, clientX: cx, clientY: y});
        node.dispatchEvent(new TouchEvent('touchstart', {changedTouches: [touch(x)], touches: [touch(x)], bubbles: true}));
        node.dispatchEvent(new TouchEvent('touchend', {changedTouches: [touch(x + dx)], bubbles: true}));
    }"""
    page.evaluate(swipe, -120)  # to the left: next
    _check_step(page, bundled_site, story, 3)
    page.evaluate(swipe, 120)
    page.evaluate(swipe, 120)
    _check_step(page, bundled_site, story, 1)
    ctx.close()
