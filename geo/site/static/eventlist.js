/* The list of events beside the map: the accessible view of the map.
 *
 * Newest first, only the first `limit` events (a "Show more" button extends it).  Items are
 * cloned from one template, filled with textContent, built once per event and reused, so a
 * slider step touches few DOM nodes; those below the fold are placed in the next frame. */
(function (G) {
  "use strict";

  var u = G.util, d = G.describe, el = u.el;
  var PAGE = 50;

  var TEMPLATE = el("li", { className: "ev" }, [
    el("button", { className: "ev-open", attrs: { type: "button" } }, [
      el("span", { className: "ev-date" }), el("span", { className: "ev-title" })
    ]),
    el("p", { className: "ev-meta" }),
    el("p", { className: "ev-summary" })
  ]);

  var FIRST = 10;  // items placed in a step's own frame: more than the panel shows at once
  var BADGES = Object.create(null);  // confidence -> its badge, cloned for every item
  var ANNOUNCED = d.announcedBadge();

  function badge(confidence) {
    if (!BADGES[confidence]) BADGES[confidence] = d.confidenceBadge(confidence);
    return BADGES[confidence].cloneNode(true);
  }

  function span(className, text) {
    var node = document.createElement("span");
    node.className = className;
    node.textContent = text;
    return node;
  }

  function EventList(opts) {
    this.root = opts.root;
    this.status = opts.status;
    this.more = opts.more;
    this.data = opts.data;
    this.page = PAGE;
    this.limit = PAGE;
    this._items = new Map();
    this._shown = new Set();
    this._selected = -1;
    var self = this;
    this.more.addEventListener("click", function () {
      self.limit += PAGE;
      opts.onMore();
    });
    this.root.addEventListener("click", function (e) {
      var button = e.target.closest(".ev-open");
      if (button) opts.onOpen(Number(button.parentNode.getAttribute("data-index")));
    });
  }

  EventList.prototype.item = function (i) {
    var li = this._items.get(i);
    if (li) return li;
    var ev = this.data.events[i];
    li = TEMPLATE.cloneNode(true);
    li.id = "ev-" + ev.id;
    li.setAttribute("data-id", ev.id);
    li.setAttribute("data-index", String(i));
    var button = li.firstChild;
    button.firstChild.textContent = G.i18n.dateLabel(ev.label);
    G.i18n.setEventText(button.lastChild, ev, "title");
    var people = d.peopleNode(ev, "ev-people"), meta = li.childNodes[1];
    meta.appendChild(badge(ev.confidence));
    if (ev.announced) {
      li.classList.add("ev-announced");
      meta.appendChild(ANNOUNCED.cloneNode(true));
    }
    if (people) meta.appendChild(people);
    if (ev.where) meta.appendChild(G.i18n.lang === "en" ? span("ev-where", ev.where) : u.el("span", { className: "ev-where" }, G.i18n.whereNodes(ev.where)));
    G.i18n.setEventText(li.childNodes[2], ev, "summary");
    var sources = d.sourceList(ev.sources, this.data.sources);
    if (sources) li.appendChild(sources);
    if (ev.lat === null) li.classList.add("no-location");
    this._items.set(i, li);
    return li;
  };

  /** Show the events *indices* (newest first, cut to the limit) out of *total* up to *day*.
   *
   * The first FIRST items are placed at once; the others, below the fold, in the next frame
   * (or at once when finish() is called), so that a slider step does not wait for fifty new
   * items nobody sees yet. */
  EventList.prototype.render = function (indices, total, day, recentFrom) {
    var root = this.root, wanted = new Set(indices);
    this._cancelPending();
    // Both the old and the new list run newest first, so removing what goes and inserting what
    // comes keeps the rest in place: a one-day step touches a couple of items, and focus stays.
    for (var child = root.firstElementChild; child;) {
      var next = child.nextElementSibling;
      if (!wanted.has(Number(child.getAttribute("data-index")))) root.removeChild(child);
      child = next;
    }
    var job = { indices: indices, recentFrom: recentFrom, k: 0, cursor: root.firstElementChild };
    this._place(job, root.contains(document.activeElement) ? indices.length : FIRST);
    if (job.k < indices.length) {
      var self = this;
      this._pending = job;
      this._pendingFrame = window.requestAnimationFrame(function () { self.finish(); });
    }
    this._shown = wanted;
    this.more.hidden = total <= indices.length;
    this._listed = indices.length;
    this._statusKey = null;
    this.setStatus(total, day);
  };

  /** The "N events up to DATE" line, kept in step with every date change (a slider step that
   * adds no event changes only this line, not the list). */
  EventList.prototype.setStatus = function (total, day) {
    var key = total + ":" + day;
    if (key === this._statusKey) return;
    this._statusKey = key;
    var listed = Math.min(this._listed || 0, total);
    var date = u.formatDay(day);
    this.status.textContent = total === 0
      ? G.t("events_none", { date: date })
      : G.t(total > listed ? "events_newest" : "events_some", { n: total, listed: listed, date: date });
  };

  /** Place the items of *job* up to position *upTo*, keeping those already in place. */
  EventList.prototype._place = function (job, upTo) {
    var root = this.root, indices = job.indices, cursor = job.cursor, end = Math.min(upTo, indices.length);
    for (var k = job.k; k < end; k++) {
      var li = this.item(indices[k]);
      li.classList.toggle("recent", indices[k] >= job.recentFrom);
      if (li === cursor) cursor = cursor.nextElementSibling;
      else root.insertBefore(li, cursor);
    }
    job.k = Math.max(job.k, end);
    job.cursor = cursor;
  };

  /** Place now the items the last render left for the next frame. */
  EventList.prototype.finish = function () {
    var job = this._pending;
    if (!job) return;
    this._cancelPending();
    this._place(job, job.indices.length);
  };

  EventList.prototype._cancelPending = function () {
    if (this._pending) window.cancelAnimationFrame(this._pendingFrame);
    this._pending = null;
  };

  /** Mark event *i* as recent or not (only if its item was ever built). */
  EventList.prototype.setRecent = function (i, recent) {
    var li = this._items.get(i);
    if (li) li.classList.toggle("recent", recent);
  };

  EventList.prototype.shows = function (i) { return this._shown.has(i); };

  EventList.prototype.highlight = function (i, scroll) {
    if (this._selected >= 0 && this._items.has(this._selected)) {
      var old = this._items.get(this._selected);
      old.classList.remove("selected");
      old.removeAttribute("aria-current");
    }
    this._selected = i;
    if (i < 0) return;
    if (scroll) this.finish();  // the item may be one still waiting to be placed
    var li = this.item(i);
    li.classList.add("selected");
    li.setAttribute("aria-current", "true");
    if (scroll && li.isConnected) scrollWithinPanel(li);
  };

  /** Bring *li* into view inside the side panel, when the panel scrolls on its own (wide
   * screens).  On phones the panel is part of the page: scrolling it would move the map away. */
  function scrollWithinPanel(li) {
    var panel = li.closest(".panel");
    if (!panel || panel.scrollHeight <= panel.clientHeight || getComputedStyle(panel).overflowY === "visible") return;
    var top = li.getBoundingClientRect().top - panel.getBoundingClientRect().top;
    if (top < 0 || top + li.offsetHeight > panel.clientHeight) panel.scrollTop += top - 8;
  }

  G.EventList = EventList;
}(window.GeoMap = window.GeoMap || {}));
