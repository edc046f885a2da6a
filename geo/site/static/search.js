/* Search over the page's own data: events (title, summary, people, place, translations),
 * places (every name in every script) and routes (name, stops).
 *
 * The index is built once, on first use: one normalised string per entry (NFKD, combining
 * marks removed, recomposed, lower case), so "Khasan", "Хасан" and "하산" each find the place
 * and its events, and "Tumen" finds "Tümen".  A query is split into words; an entry matches when
 * it holds every word.  A query that extends the last one only looks again at the last
 * matches, so typing a word costs a fraction of the first letter.
 *
 * The box follows the ARIA combobox pattern: the input owns a listbox of results, arrow keys
 * move the active option (aria-activedescendant), Enter opens it, Escape closes the list.
 * Choosing a result moves the map, the date and the selection. */
(function (G) {
  "use strict";

  var u = G.util, el = u.el, t = G.t;
  var SHOWN = 30;  // results listed at once
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

  var KIND_WORDS = / (railway station|station|sea terminal|port|airport|international airport)$/;
  var ASCII = /^[\x00-\x7f]*$/;

  function normalise(text) {
    var s = String(text || "");
    if (ASCII.test(s)) return s.toLowerCase();  // most of the data: no Unicode pass needed
    return s.normalize("NFKD").replace(MARKS, "").normalize("NFC").toLowerCase();
  }

  /** The searchable entries: {type, k, text, label}. */
  function buildIndex(data) {
    var names = data.names || {}, translations = data.translations || {};
    var entries = [];
    data.places.forEach(function (p, k) {
      var local = names[p.id] ? Object.keys(names[p.id]).map(function (l) { return names[p.id][l]; }) : [];
      entries.push({ type: "place", k: k, text: normalise([p.name].concat(p.alt_names || [], local).join("\n")) });
    });
    data.routes.forEach(function (r, k) {
      entries.push({ type: "route", k: k, text: normalise([r.name].concat(r.stops || []).join("\n")) });
    });
    // Each place's names in every script, for the queries (see alternatives()).
    entries.aliases = data.places.map(function (p) {
      var all = [p.name].concat(p.alt_names || []);
      if (names[p.id]) Object.keys(names[p.id]).forEach(function (l) { all.push(names[p.id][l]); });
      // "Khasan station" is also written "Khasan" in event texts: its stem is searched too
      return { key: normalise(p.name).replace(KIND_WORDS, ""), text: normalise(all.join("\n")) };
    }).filter(function (a) { return a.key.length >= 4; });
    var wheres = new Map();  // many events share a "where": normalise each once
    function whereText(where) {
      if (!where) return "";
      var found = wheres.get(where);
      if (found === undefined) wheres.set(where, found = normalise(where));
      return found;
    }
    for (var i = data.events.length - 1; i >= 0; i--) {
      var ev = data.events[i];
      var bits = [normalise(ev.title), normalise(ev.summary), ev.people ? normalise(ev.people.text) : "",
        normalise(ev.amount), whereText(ev.where)];
      var own = translations[ev.id];
      if (own) Object.keys(own).forEach(function (l) { bits.push(normalise(own[l].title), normalise(own[l].summary)); });
      var text = bits.join("\n");
      entries.push({ type: "event", k: i, text: text });
    }
    return entries;
  }

  /** What a query word may be found as in an event: itself, or the English name of a place
   * one of whose names holds it (하산 -> "khasan station", whose aliases hold 하산역), so an
   * event at or about Khasan is found by 하산 and Хасан.  A longer word has fewer
   * alternatives, so narrowing the last matches stays right. */
  function alternatives(word, aliases) {
    var out = [word];
    for (var k = 0; k < aliases.length; k++) {
      if (aliases[k].text.indexOf(word) >= 0 && out.indexOf(aliases[k].key) < 0) out.push(aliases[k].key);
    }
    return out;
  }

  /** Entries of *pool* holding every word of the normalised query *q* (places and routes:
   * the word itself; events: the word or one of its alternatives). */
  function match(pool, q, aliases) {
    var words = q.split(/\s+/).filter(Boolean);
    var alts = words.map(function (w) { return alternatives(w, aliases || []); });
    var out = [];
    for (var j = 0; j < pool.length; j++) {
      var entry = pool[j], text = entry.text, ok = true;
      for (var w = 0; w < words.length && ok; w++) {
        var options = entry.type === "event" ? alts[w] : [words[w]];
        ok = false;
        for (var a = 0; a < options.length && !ok; a++) ok = text.indexOf(options[a]) >= 0;
      }
      if (ok) out.push(entry);
    }
    return out;
  }

  function Search(app) {
    this.app = app;
    this.data = app.data;
    this.entries = null;
    this.lastQuery = "";
    this.lastMatches = null;
    this.results = [];
    this.active = -1;
    this.timings = [];
    this._build();
  }

  Search.prototype._build = function () {
    var self = this;
    this.input = el("input", { className: "search-input", attrs: {
      id: "search-input", type: "search", role: "combobox", "aria-expanded": "false", "aria-autocomplete": "list",
      "aria-controls": "search-results", "aria-describedby": "search-help", autocomplete: "off",
      spellcheck: "false", placeholder: t("search_placeholder")
    } });
    this.list = el("ul", { className: "search-results", attrs: { id: "search-results", role: "listbox", "aria-label": t("search") } });
    this.list.hidden = true;
    this.status = el("p", { className: "visually-hidden", attrs: { id: "search-status", role: "status", "aria-live": "polite" } });
    var box = el("section", { className: "search", attrs: { role: "search", "aria-labelledby": "search-label" } }, [
      el("label", { className: "search-label", text: t("search"), attrs: { "for": "search-input", id: "search-label" } }),
      this.input,
      el("p", { className: "visually-hidden", text: t("search_help"), attrs: { id: "search-help" } }),
      this.list, this.status
    ]);
    var events = document.querySelector(".panel .events");  // after the filters, which come first
    events.parentNode.insertBefore(box, events);
    this.input.addEventListener("focus", function () { self.index(); });
    this.input.addEventListener("input", function () { self.query(self.input.value); });
    this.input.addEventListener("keydown", function (e) { self._key(e); });
    this.input.addEventListener("blur", function () {
      setTimeout(function () { if (!box.contains(document.activeElement)) self._close(); }, 150);
    });
    this.list.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep focus in the box
    this.list.addEventListener("click", function (e) {
      var option = e.target.closest("[role=option]");
      if (option) self.choose(Number(option.getAttribute("data-k")));
    });
  };

  /** Build the index, once (when the box gets focus, before the first key). */
  Search.prototype.index = function () {
    if (!this.entries) {
      var t0 = window.performance.now();
      this.entries = buildIndex(this.data);
      this.indexMs = window.performance.now() - t0;
    }
    return this.entries;
  };

  /** Results for *text*: the matching entries, places and routes first, events newest first. */
  Search.prototype.find = function (text) {
    var q = normalise(text).trim();
    if (!q) { this.lastQuery = ""; this.lastMatches = null; return []; }
    this.index();
    var pool = this.lastMatches && this.lastQuery && q.indexOf(this.lastQuery) === 0 ? this.lastMatches : this.entries;
    var found = match(pool, q, this.entries.aliases);
    this.lastQuery = q;
    this.lastMatches = found;
    return found;
  };

  /** Run a query (as typing does) and show its results; returns the milliseconds it took. */
  Search.prototype.query = function (text) {
    var t0 = window.performance.now();
    this.results = this.find(text);
    this._render(String(text).trim() !== "");
    var ms = window.performance.now() - t0;
    this.timings.push(ms);
    return ms;
  };

  Search.prototype._label = function (entry) {
    var data = this.data;
    if (entry.type === "place") {
      var name = G.i18n.placeName(data.places[entry.k]);
      return { kind: t("search_place"), text: name.text, lang: name.lang, extra: data.places[entry.k].country };
    }
    if (entry.type === "route") return { kind: t("search_route"), text: data.routes[entry.k].name, lang: "en" };
    var ev = data.events[entry.k], title = G.i18n.eventText(ev, "title");
    return { kind: t("search_event"), text: title.text, lang: title.lang, extra: G.i18n.dateLabel(ev.label) };
  };

  Search.prototype._render = function (open) {
    var self = this, shown = this.results.slice(0, SHOWN);
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.replaceChildren.apply(this.list, shown.map(function (entry, k) {
      var label = self._label(entry);
      return el("li", { className: "search-result search-" + entry.type, attrs: {
        id: "search-option-" + k, role: "option", "aria-selected": "false", "data-k": k
      } }, [
        el("span", { className: "search-kind", text: label.kind }),
        el("span", { className: "search-text", text: label.text,
          attrs: { lang: G.i18n.lang === "en" && label.lang === "en" ? null : label.lang } }),
        label.extra ? el("span", { className: "search-extra", text: label.extra }) : null
      ]);
    }));
    this.list.hidden = !open || !shown.length;
    this.input.setAttribute("aria-expanded", String(!this.list.hidden));
    var n = this.results.length;
    this.status.textContent = !open ? "" : (n === 0 ? t("search_none")
      : t("search_results", { n: n }) + (n > SHOWN ? " " + t("search_more", { n: SHOWN }) : ""));
  };

  Search.prototype._key = function (e) {
    var count = this.list.hidden ? 0 : this.list.children.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (this.list.hidden && this.results.length) this._render(true);
      count = this.list.children.length;
      if (!count) return;
      var step = e.key === "ArrowDown" ? 1 : -1;
      this._activate((this.active + step + count) % count);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (count) this.choose(this.active >= 0 ? this.active : 0);
    } else if (e.key === "Escape") {
      if (!this.list.hidden) { e.preventDefault(); this._close(); } else { this.input.value = ""; this.query(""); }
    }
  };

  Search.prototype._activate = function (k) {
    var old = this.list.children[this.active];
    if (old) old.setAttribute("aria-selected", "false");
    this.active = k;
    var option = this.list.children[k];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Search.prototype._close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  /** Open result *k*: an event at its date, selected; a place or a route on the map. */
  Search.prototype.choose = function (k) {
    var entry = this.results[k], app = this.app;
    if (!entry) return;
    this._close();
    app.timeline.pause(false);
    if (entry.type === "event") {
      var ev = this.data.events[entry.k];
      app.update(Math.max(app.startDay, Math.min(app.endDay, ev.startDay)));
      app.select(entry.k, { popup: true, zoom: true, scroll: true, commit: true });
    } else if (entry.type === "route") {
      var route = this.data.routes[entry.k];
      if (G.describe.statusAt(route, app.day) === null && route.sinceDays.length) app.update(route.sinceDays[0]);
      app.select(-1, {});
      app.layers.openRoute(entry.k);
      app._writeUrl(true);
    } else {
      var place = this.data.places[entry.k];
      app.select(-1, {});
      app.map.setView([place.lat, place.lon], Math.max(app.map.getZoom(), 8), { animate: false });
      app.layers.placeMarkers[entry.k].openPopup();
      app._writeUrl(true);
    }
  };

  G.Search = Search;
  G.search = { normalise: normalise, buildIndex: buildIndex, match: match };
}(window.GeoMap = window.GeoMap || {}));
