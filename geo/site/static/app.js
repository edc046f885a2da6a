/* The app: state (date, filters, selection), the update on each slider step, the wiring of
 * map, timeline, list and URL, and a small test hook (window.geoApp).
 *
 * Events are sorted by their first possible day.  For a date D and a period of W months,
 * indices [0, lo) are earlier events, [lo, hi) recent ones and [hi, n) not yet happened,
 * with lo and hi found by binary search; a step only revisits the indices between the old
 * and new lo and hi.  Routes are few: each step recomputes their status and flow. */
(function (G) {
  "use strict";

  var u = G.util, s = G.symbols, d = G.describe;
  var MOVEMENT_LIMIT = 12;  // movement lines drawn at once: the newest recent ones, plus the selected
  var URL_DELAY_MS = 250;
  // The legend starts open on a map at least this large (a laptop screen and up): a first-time
  // reader needs it to read the map.  Folded (phones), it is one "Legend" button.
  var LEGEND_OPEN_MIN = { width: 760, height: 520 };
  var FIRST_VIEW_MAX_ZOOM = 8;  // when the data has a single place

  function prepare(data) {
    // Tables looked up by ids from the data inherit nothing: "constructor" is a valid id, and
    // with Object.prototype behind them it would find a function where no movement exists.
    Object.setPrototypeOf(data.movements, null);
    Object.setPrototypeOf(data.sources, null);
    data.routeById = Object.create(null);
    data.routes.forEach(function (r, k) {
      r.index = k;
      r.sinceDays = r.history.map(function (h) { return u.dayNumber(h.since); });
      r.eventIndices = [];
      data.routeById[r.id] = r;
    });
    var n = data.events.length;
    data.starts = new Int32Array(n);
    // Events at the same coordinates share a location number (their dot shows how many).
    var locations = new Map(), of = new Int32Array(n);
    data.eventsAtLocation = [];
    data.events.forEach(function (ev, i) {
      ev.startDay = u.dayNumber(ev.start);
      data.starts[i] = ev.startDay;
      var route = ev.route ? data.routeById[ev.route] : null;
      // Every event passes or fails the mode filter: by its route's mode, else its own, else "other".
      ev.mode = route ? route.mode : (s.MODES[ev.mode] ? ev.mode : s.OTHER_MODE.value);
      ev.hasMovement = !!data.movements[ev.id];
      if (route) route.eventIndices.push(i);
      var key = ev.lat === null ? "" : ev.lat + "," + ev.lon;
      var at = locations.get(key);
      if (at === undefined) {
        locations.set(key, at = locations.size);
        data.eventsAtLocation.push([]);
      }
      of[i] = at;
      data.eventsAtLocation[at].push(i);
    });
    data.locations = { of: of, count: locations.size, byKey: locations };
    data.routeOf = new Int32Array(n).fill(-1);  // event index -> its route's index
    var changes = [];  // [day, route index] of every status change, by day
    data.routes.forEach(function (r) {
      r.eventStarts = new Int32Array(r.eventIndices.map(function (i) { return data.starts[i]; }));
      r.peopleCum = new Float64Array(r.eventIndices.length + 1);
      r.eventIndices.forEach(function (i) { data.routeOf[i] = r.index; });
      r.sinceDays.forEach(function (day) { changes.push([day, r.index]); });
    });
    changes.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    data.changeDays = new Int32Array(changes.map(function (c) { return c[0]; }));
    data.changeRoutes = new Int32Array(changes.map(function (c) { return c[1]; }));
    return data;
  }

  // ------------------------------------------------------------------ filter controls

  var FILTER_NAMES = ["group", "mode", "confidence"];

  /** The filter checkboxes (group, mode, confidence): an "other" mode for events tied to no
   * route, a reset button, and a place early in the keyboard order (first in the panel, with
   * a skip link to it).  chosen(): the checked values; narrowed(): only the unchecked-somewhere
   * names, as the URL carries them; apply(narrowed): set the boxes from a URL. */
  function Filters(form, data, handlers) {
    this.form = form;
    var modeSet = form.querySelector('input[name="mode"]');
    var hasOther = data.events.some(function (ev) { return ev.mode === s.OTHER_MODE.value; });
    if (modeSet && hasOther && !form.querySelector('input[name="mode"][value="other"]')) {
      var box = u.el("input", { attrs: { type: "checkbox", name: "mode", value: s.OTHER_MODE.value, checked: "checked" } });
      modeSet.closest("fieldset").appendChild(u.el("label", { className: "check" }, [box, " " + G.t("mode_other")]));
    }
    var self = this;
    var reset = u.el("button", {
      className: "reset-filters", text: G.t("reset_filters"), attrs: { type: "button", id: "reset-filters" },
      on: { click: function () { self.apply({}); handlers.onReset(); } }
    });
    form.insertBefore(u.el("div", { className: "filter-actions" }, [reset]), form.firstChild);
    form.addEventListener("change", function (e) {
      if (FILTER_NAMES.indexOf(e.target.name) >= 0) handlers.onChange();
    });
    this._placeEarly(form.closest("details"));
  }

  /** The filters first in the panel, and a skip link to them second in the page. */
  Filters.prototype._placeEarly = function (details) {
    if (!details) return;
    var panel = details.parentNode;
    panel.insertBefore(details, panel.firstElementChild);
    var summary = details.querySelector("summary");
    var skip = document.querySelector(".skip-link");
    var link = u.el("a", { className: "skip-link", text: G.t("skip_filters"), attrs: { id: "skip-filters" } });
    link.href = "#filters";
    link.addEventListener("click", function (e) {
      e.preventDefault();  // the URL fragment holds the map state, not an anchor
      details.open = true;
      summary.focus();
    });
    if (skip) skip.parentNode.insertBefore(link, skip.nextSibling);
  };

  Filters.prototype._boxes = function (name) {
    return Array.prototype.slice.call(this.form.querySelectorAll('input[name="' + name + '"]'));
  };

  Filters.prototype.chosen = function () {
    var out = {}, self = this;
    FILTER_NAMES.forEach(function (name) {
      out[name] = new Set(self._boxes(name).filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
    });
    return out;
  };

  Filters.prototype.narrowed = function () {
    var out = {}, self = this;
    FILTER_NAMES.forEach(function (name) {
      var boxes = self._boxes(name);
      if (boxes.every(function (b) { return b.checked; })) return;
      out[name] = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    });
    return out;
  };

  /** Check the boxes *narrowed* names (all of a name it does not mention); true if any changed. */
  Filters.prototype.apply = function (narrowed) {
    var changed = false, self = this;
    FILTER_NAMES.forEach(function (name) {
      var values = narrowed[name];
      self._boxes(name).forEach(function (b) {
        var on = !values || values.indexOf(b.value) >= 0;
        if (b.checked !== on) { b.checked = on; changed = true; }
      });
    });
    return changed;
  };

  // ------------------------------------------------------------------ print

  /** Printing: the map at the chosen date, sized for the page, and every event up to that
   * date in the list (the screen shows them fifty at a time). */
  function preparePrint(app) {
    var limit = null;
    function before() {
      if (limit !== null) return;
      limit = app.list.limit;
      app.list.limit = Math.max(limit, app.passCount[app.hi]);
      app._flushList(true);
      app.map.invalidateSize({ animate: false });
    }
    function after() {
      if (limit === null) return;
      app.list.limit = limit;
      limit = null;
      app._flushList(true);
      app.map.invalidateSize({ animate: false });
    }
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    var print = window.matchMedia && window.matchMedia("print");
    if (print && print.addEventListener) print.addEventListener("change", function (e) { if (e.matches) before(); else after(); });
  }

  function App(map, tiles, data) {
    this.map = map;
    this.data = prepare(data);
    var n = data.events.length;
    this.pass = new Uint8Array(n);
    this.cls = new Int8Array(n);
    this.passCount = new Int32Array(n + 1);
    this.lo = 0;
    this.hi = 0;
    this.selected = -1;
    this.periodMonths = 12;
    this.startDay = u.dayNumber(data.meta.period.start);
    this.endDay = u.dayNumber(data.meta.period.end);
    this.day = this.endDay;
    this.routeKeys = data.routes.map(function () { return null; });
    this.routeStatus = data.routes.map(function () { return null; });
    this.routePeople = data.routes.map(function () { return 0; });
    this._listKey = null;
    this.steps = 0;  // updates applied (a dragged slider asks for many, one per frame is applied)
    this._navigating = false;
    this._quiet = false;
    this._ready = false;

    var self = this;
    var legend = document.getElementById("legend-box"), size = map.getSize();
    legend.open = size.x >= LEGEND_OPEN_MIN.width && size.y >= LEGEND_OPEN_MIN.height;
    G.legend.build(document.getElementById("legend"), data.routes.map(function (r) { return r.mode; }));
    // The first view before any layer is on the map: each layer then projects its points for
    // this view only, not for folium's default view first (restore() below finds it in place).
    this._setView(G.permalink.parse(location.hash), true);
    this.layers = new G.MapLayers(map, tiles, data, this.cls, {
      routePopup: function (k) { return self._routePopup(k); },
      eventPopupOpened: function (i) { self._popupOpened(i); },
      eventPopupClosed: function (i) { self._popupClosed(i); },
      openEvent: function (i) { self.select(i, { popup: true, zoom: false, scroll: true, commit: true }); },
      eventsAt: function (i) { return self._shownAt(data.locations.of[i]); },
      eventsAtPlace: function (place) {
        var at = data.locations.byKey.get(place.lat + "," + place.lon);
        return at === undefined ? [] : self._shownAt(at);
      }
    });
    this.list = new G.EventList({
      root: document.getElementById("event-list"),
      status: document.getElementById("events-status"),
      more: document.getElementById("more-events"),
      data: data,
      onOpen: function (i) {
        self.select(i, { popup: true, zoom: true, scroll: false, commit: true });
        self._bringMapIntoView();
      },
      onMore: function () { self._flushList(true); }
    });
    this.timeline = new G.Timeline({
      nextEventDay: function (day, direction) { return self._nextEventDay(day, direction); },
      slider: document.getElementById("date-slider"),
      output: document.getElementById("date-output"),
      play: document.getElementById("play"),
      histogramEl: document.getElementById("histogram"),
      axisEl: document.getElementById("axis"),
      histogram: data.meta.histogram,
      startDay: this.startDay,
      endDay: this.endDay,
      onInput: function (day) { self.update(day); },
      onCommit: function () { self._writeUrl(true); }
    });
    this._buildRouteList();
    this.filters = new Filters(document.getElementById("filter-form"), data, {
      onChange: function () { self._readFilters(); self._writeUrl(false); },
      onReset: function () { self._resetFilters(); }
    });
    this._bindForm();
    this._readFilters();
    this.permalink = new G.permalink.Permalink(function (state) { self.restore(state); });

    function reserve() {
      self.layers.layoutOverlays();
      self.layers.reserveRight(legend.open ? legend.offsetWidth : 0);
    }
    legend.addEventListener("toggle", reserve);
    window.addEventListener("resize", reserve);
    reserve();
    preparePrint(this);
    var initial = this.permalink.current();
    this.restore(initial, true);
    this._flushList(false);
    this.layers.declutter();
    map.on("moveend", function () { if (!self._quiet) self._writeUrl(false); });
    document.getElementById("event-list").addEventListener("keydown", function (e) {
      if (e.key === "Escape") map.closePopup();
    });
    this._ready = true;
  }

  // ------------------------------------------------------------------ filters

  App.prototype._bindForm = function () {
    var self = this;
    var form = document.getElementById("filter-form");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function (e) {
      if (e.target.name === "layer") {
        self.layers.toggle(e.target.value, e.target.checked);
        if (e.target.value === "places") self.layers.declutter();
      } else if (e.target.name === "window") {
        self.periodMonths = Number(e.target.value);
        self.update(self.day);
        self._writeUrl(false);
      }
    });
  };

  App.prototype._resetFilters = function () {
    var select = document.getElementById("window");
    select.value = "12";
    this.periodMonths = 12;
    this._readFilters();
    this._writeUrl(false);
  };

  /** Re-read the filter checkboxes and recompute which events pass, then redraw everything. */
  App.prototype._readFilters = function () {
    var chosen = this.filters.chosen();
    var groups = chosen.group, modes = chosen.mode, conf = chosen.confidence;
    this.modes = modes;
    var data = this.data, pass = this.pass, passCount = this.passCount;
    for (var i = 0; i < data.events.length; i++) {
      var ev = data.events[i];
      pass[i] = groups.has(ev.group || "") && conf.has(ev.confidence) && modes.has(ev.mode) ? 1 : 0;
      passCount[i + 1] = passCount[i] + pass[i];
    }
    data.routes.forEach(function (r) {
      for (var k = 0; k < r.eventIndices.length; k++) {
        var e = data.events[r.eventIndices[k]];
        r.peopleCum[k + 1] = r.peopleCum[k] + (pass[r.eventIndices[k]] && e.people && e.people.min ? e.people.min : 0);
      }
    });
    this._filterVersion = (this._filterVersion || 0) + 1;
    this._refreshAll();
  };

  // ------------------------------------------------------------------ time

  App.prototype._periodStart = function (day) {
    return this.periodMonths > 0 ? u.addMonths(day, -this.periodMonths) : -Infinity;
  };

  /** Move the map to *day*: only the events whose state changes are touched, and only the
   * routes with one of those events or with a status change between the two days. */
  App.prototype.update = function (day) {
    var before = this.day, data = this.data;
    this.day = day;
    this.steps++;
    var starts = data.starts;
    var hi = u.upperBound(starts, day);
    var from = this._periodStart(day);
    var lo = from === -Infinity ? 0 : u.upperBound(starts, from);
    var routes = this._routesShown ? new Set() : null;  // null: every route (the first time)
    this._dirtyRoutes = routes;
    this._refreshRange(Math.min(this.lo, lo), Math.max(this.lo, lo));
    this._refreshRange(Math.min(this.hi, hi), Math.max(this.hi, hi));
    this._dirtyRoutes = null;
    this.lo = lo;
    this.hi = hi;
    if (routes) {
      var days = data.changeDays;
      for (var k = u.upperBound(days, Math.min(before, day)); k < u.upperBound(days, Math.max(before, day)); k++) {
        routes.add(data.changeRoutes[k]);
      }
    }
    this._refreshRoutes(routes);
    this._routesShown = true;
    this._refreshMovements();
    this.layers.redrawEvents(this.selected);
    this._scheduleList();
    if (this.timeline.day !== day) this.timeline.set(day);
    this.list.setStatus(this.passCount[hi], this.day);
  };

  /** The first day after (*direction* 1) or the last day before (-1) *day* with an event that
   * passes the filters; null when there is none. */
  App.prototype._nextEventDay = function (day, direction) {
    var starts = this.data.starts, pass = this.pass, i;
    if (direction > 0) {
      for (i = u.upperBound(starts, day); i < starts.length; i++) if (pass[i]) return starts[i];
    } else {
      for (i = u.lowerBound(starts, day) - 1; i >= 0; i--) if (pass[i]) return starts[i];
    }
    return null;
  };

  /** Indices of the events drawn at location *at* on the map date, oldest first. */
  App.prototype._shownAt = function (at) {
    var cls = this.cls;
    return this.data.eventsAtLocation[at].filter(function (i) { return cls[i] > 0; });
  };

  /** On a phone the list is under the map: after choosing an event there, scroll the map
   * (with the event's popup) back into view. */
  App.prototype._bringMapIntoView = function () {
    var wrap = this.map.getContainer().closest(".map-wrap") || this.map.getContainer();
    var box = wrap.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) wrap.scrollIntoView({ block: "start" });
  };

  App.prototype._refreshAll = function () {
    var starts = this.data.starts;
    this.hi = u.upperBound(starts, this.day);
    var from = this._periodStart(this.day);
    this.lo = from === -Infinity ? 0 : u.upperBound(starts, from);
    this._refreshRange(0, this.data.events.length);
    this._refreshRoutes();
    this._refreshMovements();
    this.layers.redrawEvents(this.selected);
    this._scheduleList();
  };

  App.prototype._refreshRange = function (a, b) {
    var from = this._periodStart(this.day);
    for (var i = a; i < b; i++) this._refreshEvent(i, from);
  };

  /** Class of event *i* on the map date; *from*: the first day of the recent period. */
  App.prototype._refreshEvent = function (i, from) {
    var starts = this.data.starts;
    var c = !this.pass[i] || starts[i] > this.day ? 0 : (starts[i] > from ? 2 : 1);
    if (c === this.cls[i]) return;
    this.cls[i] = c;
    if (this._dirtyRoutes && this.data.routeOf[i] >= 0) this._dirtyRoutes.add(this.data.routeOf[i]);
    this.list.setRecent(i, c === 2);
  };

  /** Movement lines: the newest recent movements (up to MOVEMENT_LIMIT) and the selected one. */
  App.prototype._refreshMovements = function () {
    var wanted = [], events = this.data.events;
    for (var i = this.hi - 1; i >= this.lo && wanted.length < MOVEMENT_LIMIT; i--) {
      if (this.cls[i] === 2 && events[i].hasMovement) wanted.push(i);
    }
    var sel = this.selected;
    if (sel >= 0 && this.cls[sel] > 0 && events[sel].hasMovement && wanted.indexOf(sel) < 0) wanted.push(sel);
    this.layers.showMovements(wanted, sel);
  };

  /** Status and flow of the routes whose indices are in *only* (a Set; all when null). */
  App.prototype._refreshRoutes = function (only) {
    var day = this.day, from = this._periodStart(day), data = this.data;
    var indices = only ? Array.from(only) : null;
    var count = indices ? indices.length : data.routes.length;
    for (var j = 0; j < count; j++) {
      var k = indices ? indices[j] : j;
      var r = data.routes[k];
      var status = d.statusAt(r, day);
      var people = 0;
      if (r.eventIndices.length) {
        var b = u.upperBound(r.eventStarts, day);
        var a = from === -Infinity ? 0 : u.upperBound(r.eventStarts, from);
        people = r.peopleCum[b] - r.peopleCum[Math.min(a, b)];
      }
      var visible = status !== null && this.modes.has(r.mode);
      // routeStyle(...).weight, without building the style of every route at every step
      var key = visible ? status + "|" + (s.STATUSES[status].weight + s.flowWidth(people)) : "hidden";
      this.routeStatus[k] = status;
      this.routePeople[k] = people;
      if (key === this.routeKeys[k]) continue;
      this.routeKeys[k] = key;
      this.layers.setRoute(k, visible ? s.routeStyle(r.mode, status, people) : null, visible);
      this._updateRouteItem(k, status, visible);
    }
  };

  // ------------------------------------------------------------------ list

  /** Render the list at most once per animation frame (a dragged slider moves many times a frame). */
  App.prototype._scheduleList = function () {
    if (this._listFrame) return;
    var self = this;
    this._listFrame = window.requestAnimationFrame(function () {
      self._listFrame = 0;
      self._renderList(false);
    });
  };

  App.prototype._flushList = function (force) {
    if (this._listFrame) {
      window.cancelAnimationFrame(this._listFrame);
      this._listFrame = 0;
    }
    this._renderList(force);
    this.list.finish();
  };

  App.prototype._renderList = function (force) {
    var key = this.hi + ":" + this.list.limit + ":" + this._filterVersion;
    if (!force && key === this._listKey) return;
    this._listKey = key;
    var indices = [];
    for (var i = this.hi - 1; i >= 0 && indices.length < this.list.limit; i--) {
      if (this.pass[i]) indices.push(i);
    }
    this.list.render(indices, this.passCount[this.hi], this.day, this.lo);
    if (this.selected >= 0) this.list.highlight(this.selected, false);
  };

  App.prototype._ensureListed = function (i) {
    this._flushList(false);
    if (this.list.shows(i) || !this.pass[i] || i >= this.hi) return;
    var shown = this.passCount[this.hi] - this.passCount[i];  // events at or after i, newest first
    this.list.limit = Math.ceil(shown / this.list.page) * this.list.page;
    this._flushList(true);
  };

  // ------------------------------------------------------------------ routes panel

  /** The routes panel: one button per route on the map, and under "Not on the map on this
   * date" the others (no status yet, or filtered out), whose popups say why. */
  App.prototype._buildRouteList = function () {
    var self = this;
    var root = document.getElementById("route-list");
    var hiddenList = u.el("ul", { className: "route-list route-list-hidden", attrs: { id: "route-list-hidden", "aria-labelledby": "routes-hidden-heading" } });
    var heading = u.el("h3", { className: "routes-hidden-heading", text: G.t("routes_hidden"), attrs: { id: "routes-hidden-heading" } });
    root.parentNode.appendChild(heading);
    root.parentNode.appendChild(hiddenList);
    this._routesHiddenHeading = heading;
    function item(r, k, hidden) {
      var status = u.el("span", { className: "route-status" });
      var swatch = u.el("span", { className: "route-mode mode-" + r.mode, text: s.MODES[r.mode] ? G.t("mode_" + r.mode + "_short") : r.mode });
      var li = u.el("li", { attrs: { "data-id": r.id } }, [
        u.el("button", { className: "route-open", attrs: { type: "button" }, on: { click: function () { self.layers.openRoute(k); } } },
          [swatch, G.i18n.mark(u.el("span", { className: "route-name", text: r.name })), status])
      ]);
      li.hidden = !hidden;
      li.statusEl = status;
      (hidden ? hiddenList : root).appendChild(li);
      return li;
    }
    this.routeItems = this.data.routes.map(function (r, k) { return item(r, k, false); });
    this.hiddenRouteItems = this.data.routes.map(function (r, k) { return item(r, k, true); });
    this._routesOff = this.hiddenRouteItems.length;  // how many of those are listed
  };

  App.prototype._updateRouteItem = function (k, status, visible) {
    var li = this.routeItems[k], off = this.hiddenRouteItems[k];
    if (li.shown === status && li.hidden === !visible) return;  // only its width changed
    li.shown = status;
    li.hidden = !visible;
    li.statusEl.textContent = status ? G.t("status_" + status) : "";
    li.className = status ? "status-" + status : "";
    if (off.hidden !== visible) this._routesOff += visible ? -1 : 1;
    off.hidden = visible;
    off.statusEl.textContent = status ? G.t("filtered_out", { status: G.t("status_" + status) }) : G.t("not_yet_recorded");
    this._routesHiddenHeading.hidden = this._routesOff === 0;
  };

  // ------------------------------------------------------------------ selection

  /** Select event *i* (-1: none).  opts: popup (open it), zoom (centre the map on it), scroll
   * (the list to it), commit (a history entry), closing (its popup is already closing). */
  App.prototype.select = function (i, opts) {
    opts = opts || {};
    var prev = this.selected;
    this.selected = i;
    if (i >= 0) this._ensureListed(i);
    this.layers.redrawEvents(i);
    this._refreshMovements();
    this.list.highlight(i, opts.scroll);
    var quiet = this._quiet;
    this._quiet = true;  // the map moves below belong to this selection's history entry, not the last one
    try {
      if (i >= 0 && opts.popup) this.layers.openEvent(i, opts.zoom);
      if (i < 0 && prev >= 0 && !opts.closing) this.map.closePopup();
    } finally {
      this._quiet = quiet;
    }
    if (opts.commit) this._writeUrl(true);
  };

  App.prototype._popupOpened = function (i) {
    if (this.selected !== i) this.select(i, { popup: false, scroll: true, commit: !this._navigating });
  };

  App.prototype._popupClosed = function (i) {
    if (this.selected === i) this.select(-1, { commit: !this._navigating, closing: true });
  };

  App.prototype._routePopup = function (k) {
    var r = this.data.routes[k], from = this._periodStart(this.day), self = this;
    var events = r.eventIndices.filter(function (i) {
      var ev = self.data.events[i];
      return self.pass[i] && ev.startDay <= self.day && ev.startDay > from && ev.people && ev.people.min;
    }).map(function (i) { return self.data.events[i]; }).reverse();
    var periodText = this.periodMonths > 0
      ? G.t("period_months", { n: this.periodMonths, date: u.formatDay(this.day) })
      : G.t("period_whole", { date: u.formatDay(this.day) });
    return d.routePopup(r, this.data, { day: this.day, people: this.routePeople[k], events: events }, periodText);
  };

  // ------------------------------------------------------------------ URL

  App.prototype._urlState = function () {
    var c = this.map.getCenter();
    return {
      date: u.isoDay(this.day),
      event: this.selected >= 0 ? this.data.events[this.selected].id : null,
      view: { lat: c.lat, lon: c.lng, zoom: this.map.getZoom() },
      period: this.periodMonths,
      filters: this.filters.narrowed()
    };
  };

  /** Update the URL a moment after the state settles: history updates cost milliseconds, and a
   * dragged slider or a playing timeline would otherwise write one per step.  *push* (a new
   * history entry) wins over replace within one settling period. */
  App.prototype._writeUrl = function (push) {
    if (!this._ready || this._navigating) return;
    var self = this;
    this._urlPush = this._urlPush || !!push;
    clearTimeout(this._urlTimer);
    this._urlTimer = setTimeout(function () { self._flushUrl(); }, URL_DELAY_MS);
  };

  App.prototype._flushUrl = function () {
    clearTimeout(this._urlTimer);
    this._urlTimer = null;
    var push = this._urlPush;
    this._urlPush = false;
    this.permalink.write(this._urlState(), push);
  };

  App.prototype._cancelUrl = function () {
    clearTimeout(this._urlTimer);
    this._urlTimer = null;
    this._urlPush = false;
  };

  App.prototype._indexOf = function (id) {
    for (var i = 0; i < this.data.events.length; i++) if (this.data.events[i].id === id) return i;
    return -1;
  };

  /** Apply a parsed URL fragment (on load, Back/Forward or a pasted link). */
  /** The view a URL fragment asks for, or on the first load the data's first view. */
  App.prototype._setView = function (state, initial) {
    if (state.view) {
      this.map.setView([state.view.lat, state.view.lon], state.view.zoom, { animate: false });
    } else if (initial && this.data.meta.bounds) {
      var legend = document.getElementById("legend-box");
      var right = legend.open ? legend.offsetWidth + 24 : 24;
      this.map.fitBounds(this.data.meta.bounds, {
        paddingTopLeft: [24, 24], paddingBottomRight: [right, 24], maxZoom: FIRST_VIEW_MAX_ZOOM, animate: false
      });
    }
  };

  App.prototype.restore = function (state, initial) {
    this._cancelUrl();
    this._navigating = true;
    try {
      var select = document.getElementById("window");
      if (state.period !== null && select.querySelector('option[value="' + state.period + '"]')) {
        this.periodMonths = state.period;
        select.value = String(state.period);
      }
      if (this.filters.apply(state.filters || {})) this._readFilters();
      var day = state.date ? u.dayNumber(state.date) : this.endDay;
      day = Math.max(this.startDay, Math.min(this.endDay, day));
      this.timeline.pause(false);
      this.update(day);
      this._setView(state, initial);
      var i = state.event ? this._indexOf(state.event) : -1;
      if (i >= 0 && this.cls[i] === 0) i = -1;
      if (i !== this.selected || i >= 0) this.select(i, { popup: true, zoom: !state.view, scroll: true, commit: false });
      if (G.story) G.story.restore(state);  // story.js: the step the address names
    } finally {
      this._navigating = false;
    }
  };

  // ------------------------------------------------------------------ test hook

  App.prototype.api = function () {
    var self = this, data = this.data;
    function ids(pred) {
      var out = [];
      for (var i = data.events.length - 1; i >= 0; i--) if (pred(i)) out.push(data.events[i].id);
      return out;
    }
    return {
      ready: true,
      map: this.map,
      setDate: function (iso) {
        var day = u.dayNumber(iso);
        if (day === null) throw new Error("not a date: " + iso);
        self.timeline.pause(false);
        self.update(Math.max(self.startDay, Math.min(self.endDay, day)));
        self._writeUrl(true);
        return u.isoDay(self.day);
      },
      select: function (id) {
        var i = self._indexOf(id);
        if (i < 0) throw new Error("no event " + id);
        self.select(i, { popup: true, zoom: true, scroll: true, commit: true });
      },
      routeStyle: function (id) {
        var r = data.routeById[id];
        var line = self.layers.routeLines[r.index];
        var o = line.options;
        return { color: o.color, weight: o.weight, opacity: o.opacity, dashArray: o.dashArray || null,
          onMap: self.layers.groups.routes.hasLayer(line) };
      },
      expectedRouteStyle: function (mode, status, people) { return s.routeStyle(mode, status, people || 0); },
      state: function () {
        var c = self.map.getCenter();
        var statuses = {}, widths = {}, people = {};
        data.routes.forEach(function (r, k) {
          statuses[r.id] = self.routeStatus[k];
          people[r.id] = self.routePeople[k];
          widths[r.id] = self.layers.groups.routes.hasLayer(self.layers.routeLines[k]) ? self.layers.routeLines[k].options.weight : 0;
        });
        self._flushList(false);
        var popup = self.layers.popupEvent();
        return {
          date: u.isoDay(self.day),
          period: { start: data.meta.period.start, end: data.meta.period.end, months: self.periodMonths },
          visibleEvents: ids(function (i) { return self.cls[i] > 0; }),
          recentEvents: ids(function (i) { return self.cls[i] === 2; }),
          listed: Array.prototype.map.call(document.querySelectorAll("#event-list > li"), function (li) { return li.getAttribute("data-id"); }),
          routeStatuses: statuses,
          routeWidths: widths,
          routePeople: people,
          selected: self.selected >= 0 ? data.events[self.selected].id : null,
          popup: popup === null ? null : (popup >= 0 ? data.events[popup].id : "other"),
          view: { lat: c.lat, lon: c.lng, zoom: self.map.getZoom() },
          drawn: self.layers.counts(),
          created: {
            routes: self.layers.routeLines.length,
            places: self.layers.placeMarkers.length,
            events: data.events.filter(function (ev) { return ev.lat !== null; }).length
          },
          tiles: { errors: self.layers.tileErrors, loads: self.layers.tileLoads },
          playing: self.timeline.playing(),
          steps: self.steps,
          stacks: self.layers.dots._stacks.filter(function (at) { return self.layers.dots._locCount[at] > 1; }).map(function (at) {
            return { event: data.events[self.layers.dots._locTop[at]].id, count: self.layers.dots._locCount[at] };
          }),
          filters: self.filters.narrowed()
        };
      }
    };
  };

  /** Called by the folium-generated map.js once the Leaflet map and tile layer exist. */
  G.start = function (map, tiles) {
    G.i18n.translatePage(document);
    G.i18n.buildSwitch();
    G.i18n.translateMap(map);
    var app = new App(map, tiles, window.GEO_DATA);
    G.app = app;
    window.geoApp = app.api();
    if (G.story) G.story.attach(app);  // story.js, share.js
    if (G.share) G.share.attach(app);
    if (G.Search) app.search = new G.Search(app);
    window.geoApp.readyMs = Math.round(window.performance.now());
    document.documentElement.classList.add("map-ready");
  };
}(window.GeoMap = window.GeoMap || {}));
