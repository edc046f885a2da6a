/* Stories: guided tours of the map, written in routes.yaml (stories:).
 *
 * A "Stories" button lists them; playing one shows a step at a time in the story panel under
 * the map: the map moves to the step's date and view, its events are ringed on the map and
 * marked in the list, its routes get a halo.  Previous/next by the buttons, the arrow keys
 * while the panel has focus, or a swipe on the panel.  Each step has its own address,
 * #story=ID&step=N (1-based, written by permalink.js); "Back to the free map" leaves the map
 * at the step's date.  Text from the data is only ever set with textContent. */
(function (G) {
  "use strict";

  /** This file's interface string *key* in the page's language: strings.js's "story_" + key
   * (stories, storiesHeading, storiesIntro, steps, storyRegion, previous, next, exit,
   * progress, progressLabel, keys, close). */
  function str(key, vars) { return G.t("story_" + key, vars); }

  var FIT_MAX_ZOOM = 8;
  var SWIPE_MIN_PX = 50;
  var RING_STYLE = { radius: 14, color: "#111111", weight: 3, opacity: 1, fill: false, interactive: false };
  var HALO_STYLE = { color: "#f2c200", weight: 12, opacity: 0.45, lineCap: "round", lineJoin: "round", interactive: false };

  var u = G.util;
  var player = null;  // the Player once the app has started

  function Player(app) {
    this.app = app;
    this.data = app.data;
    this.stories = (this.data.stories || []).filter(function (s) { return s.steps && s.steps.length; });
    this.current = null;  // {story, index}
    this.highlighted = [];
    this.layer = L.layerGroup();
    this.halos = L.layerGroup();
    this._build();
  }

  Player.prototype._build = function () {
    var self = this, el = u.el;
    var column = document.querySelector(".map-column");
    var timebar = column.querySelector(".timebar");
    this.button = el("button", {
      className: "site-action stories-button", text: str("stories"),
      attrs: { type: "button", id: "stories-button", "aria-expanded": "false", "aria-controls": "story-chooser" },
      on: { click: function () { self.toggleChooser(); } }
    });
    actions().appendChild(this.button);
    this.chooser = el("section", { className: "story-chooser", attrs: { id: "story-chooser", "aria-labelledby": "story-chooser-heading" } }, [
      el("h2", { text: str("storiesHeading"), attrs: { id: "story-chooser-heading" } }),
      el("p", { className: "story-intro", text: str("storiesIntro") }),
      el("ul", { className: "story-choices" }, this.stories.map(function (story, k) {
        return el("li", {}, [el("button", {
          className: "story-choice", attrs: { type: "button", "data-story": story.id },
          on: { click: function () { self.open(k, 0, true); } }
        }, [
          el("span", { className: "story-choice-title", text: story.title }),
          el("span", { className: "story-choice-steps", text: str("steps", { n: story.steps.length }) })
        ])]);
      })),
      el("button", { className: "story-close", text: str("close"), attrs: { type: "button" }, on: { click: function () { self.toggleChooser(false); } } })
    ]);
    this.chooser.hidden = true;
    this.progress = el("p", { className: "story-progress", attrs: { "aria-live": "polite" } });
    this.titleEl = el("h2", { className: "story-title", attrs: { id: "story-title" } });
    this.stepTitle = el("h3", { className: "story-step-title" });
    this.text = el("p", { className: "story-text" });
    this.sources = el("div", { className: "story-sources" });
    this.prev = el("button", { className: "story-prev", text: str("previous"), attrs: { type: "button" }, on: { click: function () { self.go(-1); } } });
    this.next = el("button", { className: "story-next", text: str("next"), attrs: { type: "button" }, on: { click: function () { self.go(1); } } });
    this.exitButton = el("button", { className: "story-exit", text: str("exit"), attrs: { type: "button" }, on: { click: function () { self.exit(); } } });
    this.panel = el("section", {
      className: "story-player",
      attrs: { id: "story-player", tabindex: "-1", "aria-labelledby": "story-title", "aria-describedby": "story-keys", "aria-keyshortcuts": "ArrowLeft ArrowRight Escape" }
    }, [
      el("div", { className: "story-head" }, [this.titleEl, this.progress]),
      this.stepTitle, this.text, this.sources,
      el("div", { className: "story-controls" }, [this.prev, this.next, this.exitButton]),
      el("p", { className: "visually-hidden", text: str("keys"), attrs: { id: "story-keys" } })
    ]);
    this.panel.hidden = true;
    this.panel.addEventListener("keydown", function (e) { self._key(e); });
    this._swipe(this.panel);
    column.insertBefore(this.chooser, timebar);
    column.insertBefore(this.panel, timebar);
    if (!this.stories.length) this.button.hidden = true;
  };

  Player.prototype._key = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight" || e.key === "ArrowDown" || e.key === "PageDown") this.go(1);
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp" || e.key === "PageUp") this.go(-1);
    else if (e.key === "Escape") this.exit();
    else return;
    e.preventDefault();
  };

  /** A horizontal swipe on the panel: to the left for the next step, to the right for the previous. */
  Player.prototype._swipe = function (node) {
    var self = this, start = null;
    node.addEventListener("touchstart", function (e) {
      var t = e.changedTouches[0];
      start = { x: t.clientX, y: t.clientY };
    }, { passive: true });
    node.addEventListener("touchend", function (e) {
      if (!start) return;
      var t = e.changedTouches[0], dx = t.clientX - start.x, dy = t.clientY - start.y;
      start = null;
      if (Math.abs(dx) >= SWIPE_MIN_PX && Math.abs(dx) > 2 * Math.abs(dy)) self.go(dx < 0 ? 1 : -1);
    }, { passive: true });
  };

  Player.prototype.toggleChooser = function (show) {
    show = show === undefined ? this.chooser.hidden : show;
    this.chooser.hidden = !show;
    this.button.setAttribute("aria-expanded", String(show));
    if (show) {
      var first = this.chooser.querySelector(".story-choice");
      if (first) first.focus();
    }
  };

  Player.prototype.indexOf = function (id) {
    for (var k = 0; k < this.stories.length; k++) if (this.stories[k].id === id) return k;
    return -1;
  };

  /** Play story *k* from step *index* (0-based); *commit*: a history entry for it. */
  Player.prototype.open = function (k, index, commit) {
    var story = this.stories[k];
    if (!story) return false;
    index = Math.max(0, Math.min(story.steps.length - 1, index));
    this.current = { story: story, index: index };
    this.chooser.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
    this.panel.hidden = false;
    this._show();
    if (commit) {
      this.panel.focus({ preventScroll: true });
      this.app._writeUrl(true);
    }
    return true;
  };

  Player.prototype.go = function (delta) {
    if (!this.current) return;
    var index = this.current.index + delta;
    if (index < 0 || index >= this.current.story.steps.length) return;
    this.current.index = index;
    this._show();
    this.app._writeUrl(true);
  };

  /** Leave the story: the map stays at the step's date and view, free to explore. */
  Player.prototype.exit = function () {
    if (!this.current) return;
    this._clear();
    this.current = null;
    this.panel.hidden = true;
    this.app.map.invalidateSize({ animate: false });
    this.app._writeUrl(true);
    this.button.focus();
  };

  Player.prototype._show = function () {
    var story = this.current.story, index = this.current.index, step = story.steps[index];
    var total = story.steps.length, app = this.app;
    this.titleEl.textContent = story.title;
    this.progress.textContent = str("progress", { n: index + 1, total: total });
    this.progress.setAttribute("aria-label", str("progressLabel", { n: index + 1, total: total }));
    this.stepTitle.textContent = step.label + (step.title ? ": " + step.title : "");
    this.text.textContent = step.text;
    var list = G.describe.sourceList(step.sources, this.data.sources);
    this.sources.replaceChildren.apply(this.sources, list ? [list] : []);
    this.prev.disabled = index === 0;
    this.next.disabled = index === total - 1;
    app.map.invalidateSize({ animate: false });  // the panel took room from the map
    app.timeline.pause(false);
    var day = u.dayNumber(step.day);
    app.update(Math.max(app.startDay, Math.min(app.endDay, day)));
    this._highlight(step);
    this._frame(step);
  };

  /** Indices of the step's events, in the data's order. */
  Player.prototype._events = function (step) {
    var wanted = new Set(step.events), out = [];
    this.data.events.forEach(function (ev, i) { if (wanted.has(ev.id)) out.push(i); });
    return out;
  };

  Player.prototype._clear = function () {
    var list = this.app.list;
    this.highlighted.forEach(function (i) { list.item(i).classList.remove("story-highlight"); });
    this.highlighted = [];
    this.layer.clearLayers();
    this.halos.clearLayers();
    this.layer.remove();
    this.halos.remove();
  };

  Player.prototype._highlight = function (step) {
    var app = this.app, data = this.data, self = this;
    this._clear();
    step.routes.forEach(function (id) {
      var r = data.routeById[id];
      if (r && r.lines.length) self.halos.addLayer(L.polyline(r.lines, HALO_STYLE));
    });
    this.highlighted = this._events(step);
    this.highlighted.forEach(function (i) {
      var ev = data.events[i];
      if (ev.lat !== null) self.layer.addLayer(L.circleMarker([ev.lat, ev.lon], RING_STYLE));
      app._ensureListed(i);
      app.list.item(i).classList.add("story-highlight");
    });
    this.halos.addTo(app.map);
    this.halos.eachLayer(function (line) { line.bringToBack(); });
    this.layer.addTo(app.map);
    var first = this.highlighted.length ? app.list.item(this.highlighted[this.highlighted.length - 1]) : null;
    if (first && first.isConnected) scrollWithinPanel(first);
  };

  /** The step's view, or the frame of its events (else of its routes). */
  Player.prototype._frame = function (step) {
    var map = this.app.map, data = this.data;
    if (step.view) {
      map.setView([step.view.lat, step.view.lon], step.view.zoom, { animate: false });
      return;
    }
    var points = [];
    this.highlighted.forEach(function (i) {
      var ev = data.events[i];
      if (ev.lat !== null) points.push([ev.lat, ev.lon]);
    });
    if (!points.length) {
      step.routes.forEach(function (id) {
        var r = data.routeById[id];
        if (r) r.lines.forEach(function (part) { points = points.concat(part); });
      });
    }
    if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [48, 48], maxZoom: FIT_MAX_ZOOM, animate: false });
  };

  /** The list item in view inside the side panel, when the panel scrolls on its own. */
  function scrollWithinPanel(li) {
    var panel = li.closest(".panel");
    if (!panel || panel.scrollHeight <= panel.clientHeight || getComputedStyle(panel).overflowY === "visible") return;
    var top = li.getBoundingClientRect().top - panel.getBoundingClientRect().top;
    if (top < 0 || top + li.offsetHeight > panel.clientHeight) panel.scrollTop += top - 8;
  }

  /** The row of page actions in the header (Stories, Share), made by whichever comes first. */
  function actions() {
    var row = document.getElementById("site-actions");
    if (!row) {
      row = u.el("div", { className: "site-actions", attrs: { id: "site-actions" } });
      document.querySelector(".site-header").appendChild(row);
    }
    return row;
  }

  /** Apply a parsed address: its story step, or leave a story the address no longer names. */
  function restore(state) {
    if (!player) return;
    var k = state.story ? player.indexOf(state.story) : -1;
    if (k >= 0) player.open(k, (state.step || 1) - 1, false);
    else if (player.current) {
      player._clear();
      player.current = null;
      player.panel.hidden = true;
    }
  }

  G.story = {
    t: str,
    actions: actions,
    /** Called by app.js once the app exists: builds the UI and opens the story the address names. */
    attach: function (app) {
      player = new Player(app);
      app._navigating = true;
      try { restore(app.permalink.current()); } finally { app._navigating = false; }
      if (window.geoApp) {
        window.geoApp.story = {
          open: function (id, step) { return player.open(player.indexOf(id), (step || 1) - 1, true); },
          next: function () { player.go(1); },
          previous: function () { player.go(-1); },
          exit: function () { player.exit(); },
          state: function () {
            var c = player.current;
            return c ? { story: c.story.id, step: c.index + 1, steps: c.story.steps.length,
              highlighted: player.highlighted.map(function (i) { return player.data.events[i].id; }) } : null;
          }
        };
      }
    },
    restore: restore,
    /** The address part of the story being played ("story=ID&step=N"), or "". */
    urlPart: function () {
      var c = player && player.current;
      return c ? "story=" + encodeURIComponent(c.story.id) + "&step=" + (c.index + 1) : "";
    }
  };
}(window.GeoMap = window.GeoMap || {}));
