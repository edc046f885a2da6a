/* The URL fragment: #date=2024-02-06&event=<id>&view=<lat>,<lon>,<zoom>[&period=<months>].
 *
 * A fragment (not a query string) so links work from file:// and on any static host.
 * Settled changes (a date chosen, an event opened) add a history entry, so Back and Forward
 * walk through them; panning and zooming only update the current entry. */
(function (G) {
  "use strict";

  var ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
  // URL key -> filter name; present only when some value of that filter is unchecked
  // (e.g. #date=2024-02-06&modes=rail,sea).  "groups=" with no value: no group at all.
  var FILTERS = { groups: "group", modes: "mode", confidence: "confidence" };

  function parse(hash) {
    var out = { date: null, event: null, view: null, period: null, filters: {}, story: null, step: null, embed: null };
    String(hash || "").replace(/^#/, "").split("&").forEach(function (pair) {
      var eq = pair.indexOf("=");
      if (eq < 0) return;
      var key = pair.slice(0, eq);
      var value;
      try { value = decodeURIComponent(pair.slice(eq + 1)); } catch (e) { return; }
      if (key === "date" && G.util.dayNumber(value) !== null) out.date = value;
      else if (key === "lang" && G.i18n.LANGS.indexOf(value) >= 0) out.lang = value;
      else if (key === "event" && ID.test(value)) out.event = value;
      else if (key === "period" && /^\d{1,3}$/.test(value)) out.period = Number(value);
      else if (key === "story" && ID.test(value)) out.story = value;  // story.js
      else if (key === "step" && /^\d{1,3}$/.test(value)) out.step = Number(value);
      else if (key === "embed" && /^(1|map)$/.test(value)) out.embed = value;  // share.js
      else if (FILTERS[key] && /^[a-z0-9_,-]{0,400}$/.test(value)) out.filters[FILTERS[key]] = value ? value.split(",") : [];
      else if (key === "view") {
        var v = value.split(",").map(Number);
        if (v.length === 3 && v.every(isFinite) && Math.abs(v[0]) <= 90 && Math.abs(v[1]) <= 360 && v[2] >= 0 && v[2] <= 20) {
          out.view = { lat: v[0], lon: v[1], zoom: v[2] };
        }
      }
    });
    return out;
  }

  function format(state) {
    var story = G.story ? G.story.urlPart() : "", embed = G.share ? G.share.urlPart() : "";
    if (story) return "#" + story + embed;  // a story step stands for its date and view
    var parts = ["date=" + state.date];
    if (state.event) parts.push("event=" + encodeURIComponent(state.event));
    if (state.view) parts.push("view=" + state.view.lat.toFixed(4) + "," + state.view.lon.toFixed(4) + "," + state.view.zoom);
    if (state.period !== null && state.period !== undefined && state.period !== 12) parts.push("period=" + state.period);
    Object.keys(FILTERS).forEach(function (key) {
      var values = state.filters && state.filters[FILTERS[key]];
      if (values) parts.push(key + "=" + values.map(encodeURIComponent).join(","));
    });
    if (G.i18n.lang !== "en") parts.push("lang=" + G.i18n.lang);
    return "#" + parts.join("&") + embed;
  }

  /** Keeps location.hash in step with the app; calls onNavigate(parsed) on Back/Forward or a pasted link. */
  function Permalink(onNavigate) {
    this._written = location.hash;
    var self = this;
    function navigated() {
      if (location.hash === self._written) return;
      self._written = location.hash;
      onNavigate(parse(location.hash));
    }
    window.addEventListener("popstate", navigated);
    window.addEventListener("hashchange", navigated);
  }

  Permalink.prototype.current = function () { return parse(location.hash); };

  /** Write *state* into the URL: a new history entry when *push*, else replace the current one.
   * history.pushState, unlike assigning location.hash, neither scrolls nor forces a layout. */
  Permalink.prototype.write = function (state, push) {
    var hash = format(state);
    if (hash === location.hash) return;
    this._written = hash;
    try {
      if (push) history.pushState(null, "", hash); else history.replaceState(null, "", hash);
    } catch (e) {
      if (push) location.hash = hash; else location.replace(hash);
    }
  };

  G.permalink = { parse: parse, format: format, Permalink: Permalink };
}(window.GeoMap = window.GeoMap || {}));
