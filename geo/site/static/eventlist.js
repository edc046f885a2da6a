/* The list of events beside the map: the accessible view of the map.
 *
 * Newest first, only the first `limit` events (a "Show more" button extends it).  Items are
 * cloned from one template, filled with textContent, built once per event and reused, so a
 * slider step touches few DOM nodes. */
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
    button.firstChild.textContent = ev.label;
    button.lastChild.textContent = ev.title;
    var people = d.peopleText(ev);
    u.append(li.childNodes[1], [
      d.confidenceBadge(ev.confidence),
      people ? el("span", { className: "ev-people", text: people }) : null,
      ev.where ? el("span", { className: "ev-where", text: ev.where }) : null
    ]);
    li.childNodes[2].textContent = ev.summary;
    var sources = d.sourceList(ev.sources, this.data.sources);
    if (sources) li.appendChild(sources);
    if (ev.lat === null) li.classList.add("no-location");
    this._items.set(i, li);
    return li;
  };

  /** Show the events *indices* (newest first, cut to the limit) out of *total* up to *day*. */
  EventList.prototype.render = function (indices, total, day, recentFrom) {
    var root = this.root, wanted = new Set(indices);
    // Both the old and the new list run newest first, so removing what goes and inserting what
    // comes keeps the rest in place: a one-day step touches a couple of items, and focus stays.
    for (var child = root.firstElementChild; child;) {
      var next = child.nextElementSibling;
      if (!wanted.has(Number(child.getAttribute("data-index")))) root.removeChild(child);
      child = next;
    }
    var cursor = root.firstElementChild;
    for (var k = 0; k < indices.length; k++) {
      var li = this.item(indices[k]);
      li.classList.toggle("recent", indices[k] >= recentFrom);
      if (li === cursor) cursor = cursor.nextElementSibling;
      else root.insertBefore(li, cursor);
    }
    this._shown = wanted;
    this.more.hidden = total <= indices.length;
    var when = " up to " + u.formatDay(day);
    this.status.textContent = total === 0
      ? "No events" + when + " with these filters."
      : (total > indices.length ? "Showing the newest " + indices.length + " of " + total : String(total)) +
        " event" + (total === 1 ? "" : "s") + when + ", newest first.";
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
