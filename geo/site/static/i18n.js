/* The page's languages: English, Korean, Russian and Chinese.
 *
 * Every interface string comes from STRINGS (one table per language, the same keys in each),
 * through G.t(key, vars): "{name}" is replaced by vars.name, and a key with a count (vars.n)
 * picks its plural form by Intl.PluralRules ("key_one", "key_few", "key_many", else "key").
 * Dates go through Intl.DateTimeFormat in the reader's locale.  Texts from routes.yaml that have
 * no version in the page's language stay English and are marked lang="en" (G.i18n.mark).
 *
 * The language is chosen, in order, by the URL (#lang=ko), the reader's last choice
 * (localStorage) and the browser's languages; English otherwise.  The switch in the header
 * writes the choice and reloads the page in it (every part of the page is then built once in
 * one language). */
(function (G) {
  "use strict";

  var LANGS = ["en", "ko", "ru", "zh"];
  var NATIVE = { en: "English", ko: "한국어", ru: "Русский", zh: "中文" };
  var LOCALES = { en: "en-GB", ko: "ko-KR", ru: "ru-RU", zh: "zh-CN" };
  var STORE_KEY = "geo-map-lang";
  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];

  var STRINGS = G.I18N_STRINGS;

  function fromHash(hash) {
    var m = /(?:^#|&)lang=([a-z]{2})(?:&|$)/.exec(String(hash || ""));
    return m && LANGS.indexOf(m[1]) >= 0 ? m[1] : null;
  }

  function stored() {
    try {
      var v = window.localStorage.getItem(STORE_KEY);
      return LANGS.indexOf(v) >= 0 ? v : null;
    } catch (e) {
      return null;
    }
  }

  function remember(lang) {
    try { window.localStorage.setItem(STORE_KEY, lang); } catch (e) { /* private mode: not kept */ }
  }

  function fromBrowser() {
    var wanted = navigator.languages || [navigator.language || ""];
    for (var k = 0; k < wanted.length; k++) {
      var code = String(wanted[k] || "").slice(0, 2).toLowerCase();
      if (LANGS.indexOf(code) >= 0) return code;
    }
    return null;
  }

  var lang = fromHash(location.hash) || stored() || fromBrowser() || "en";
  var locale = LOCALES[lang];
  var table = STRINGS[lang];
  var plurals = new Intl.PluralRules(locale);
  var dayFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  var monthFormat = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" });
  var yearFormat = new Intl.DateTimeFormat(locale, { year: "numeric", timeZone: "UTC" });
  var numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

  /** The interface string *key* in the page's language, with {placeholders} filled. */
  function t(key, vars) {
    var text = null;
    if (vars && typeof vars.n === "number") text = table[key + "_" + plurals.select(vars.n)];
    if (text == null) text = table[key];
    if (text == null) text = STRINGS.en[key];
    if (text == null) throw new Error("no string " + key);
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      var v = vars[name];
      if (v == null) return all;
      return typeof v === "number" ? numberFormat.format(v) : String(v);
    });
  }

  function formatDay(n) { return dayFormat.format(new Date(n * 86400000)); }

  var labels = new Map();  // English date label -> the same date in the page's language

  /** One date at a precision, as the payload writes it ("about September 2019",
   * "5 February 2024 (uncertain)", "2019"), in the page's language. */
  function onePart(text) {
    var m = /^(about )?(?:(\d{1,2}) )?(?:([A-Z][a-z]+) )?(\d{4})( \(uncertain\))?$/.exec(text);
    var month = m && m[3] ? MONTH_NAMES.indexOf(m[3]) : -1;
    if (!m || (m[3] && month < 0)) return text;
    var when = new Date(Date.UTC(+m[4], Math.max(month, 0), m[2] ? +m[2] : 1));
    var out = (m[2] ? dayFormat : (m[3] ? monthFormat : yearFormat)).format(when);
    if (m[1]) out = t("date_about", { date: out });
    if (m[5]) out = t("date_uncertain", { date: out });
    return out;
  }

  /** A date label of the payload (a date or "A to B") in the page's language. */
  function dateLabel(label) {
    if (lang === "en" || !label) return label;
    var found = labels.get(label);
    if (found === undefined) {
      var parts = String(label).split(" to ");
      found = parts.length === 2
        ? t("date_range", { from: onePart(parts[0]), to: onePart(parts[1]) })
        : onePart(label);
      labels.set(label, found);
    }
    return found;
  }

  /** Mark *node* as English when the page is not (a text from the data with no translation). */
  function mark(node) {
    if (lang !== "en" && node && node.setAttribute) node.setAttribute("lang", "en");
    return node;
  }

  // ------------------------------------------------------------------ data texts

  var names = null, byEnglish = null;

  function placeNames() {
    if (names) return;
    var data = window.GEO_DATA || {};
    names = data.names || {};
    byEnglish = new Map();
    (data.places || []).forEach(function (p) {
      var local = names[p.id] && names[p.id][lang];
      if (local) byEnglish.set(p.name, local);
    });
  }

  /** A place's name in the page's language: {text, lang} (lang "en" when it has none). */
  function placeName(place) {
    placeNames();
    var local = lang !== "en" && names[place.id] && names[place.id][lang];
    return local ? { text: local, lang: lang } : { text: place.name, lang: "en" };
  }

  /** A name given in English (an event's "where", a route's stops) in the page's language. */
  function localName(english) {
    if (lang === "en") return english;
    placeNames();
    return byEnglish.get(english) || null;
  }

  /** A span with a place's name in the page's language, marked with its language. */
  function nameNode(text, className) {
    if (lang === "en") return G.util.named(text, className);
    var local = localName(text);
    var span = G.util.el("span", { className: className || null, text: local || text });
    span.setAttribute("lang", local ? lang : (G.util.langOf(text) || "en"));
    return span;
  }

  /** "A → B" (or one name) with each name in the page's language, as nodes. */
  function whereNodes(where) {
    return String(where).split(" → ").reduce(function (out, name, k) {
      if (k) out.push(" → ");
      out.push(nameNode(name));
      return out;
    }, []);
  }

  /** An event's title or summary in the page's language: {text, lang}. */
  function eventText(ev, field) {
    var all = lang !== "en" && window.GEO_DATA && window.GEO_DATA.translations;
    var own = all && all[ev.id] && all[ev.id][lang] && all[ev.id][lang][field];
    return own ? { text: own, lang: lang } : { text: ev[field], lang: "en" };
  }

  /** Set *node*'s text to an event's field, marked English where it has no translation. */
  function setEventText(node, ev, field) {
    var v = eventText(ev, field);
    node.textContent = v.text;
    if (lang !== "en") node.setAttribute("lang", v.lang);
    return node;
  }

  // ------------------------------------------------------------------ the static page

  /** Fill every [data-i18n] element of the page with its string, and [data-i18n-attrs]
   * ("aria-label:key;title:key") attributes. */
  function translatePage(root) {
    document.documentElement.setAttribute("lang", lang);
    if (lang === "en") return;
    Array.prototype.forEach.call(root.querySelectorAll("[data-i18n]"), function (node) {
      var vars = node.getAttribute("data-i18n-vars");
      vars = vars ? JSON.parse(vars) : null;
      if (vars && vars.date) vars.date = dateLabel(vars.date);
      node.textContent = t(node.getAttribute("data-i18n"), vars);
    });
    Array.prototype.forEach.call(root.querySelectorAll("[data-i18n-attrs]"), function (node) {
      node.getAttribute("data-i18n-attrs").split(";").forEach(function (pair) {
        var bits = pair.split(":");
        node.setAttribute(bits[0], t(bits[1]));
      });
    });
    document.title = t("title");
    var description = document.querySelector('meta[name="description"]');
    if (description) description.setAttribute("content", t("description"));
  }

  /** Choose *code*: remember it and load the page again in it, at the same state. */
  function choose(code) {
    if (LANGS.indexOf(code) < 0 || code === lang) return;
    remember(code);
    var hash = String(location.hash || "").replace(/^#/, "").split("&").filter(function (p) {
      return p && p.indexOf("lang=") !== 0;
    });
    if (code !== "en") hash.push("lang=" + code);
    location.hash = hash.length ? "#" + hash.join("&") : "";
    location.reload();
  }

  /** The language switch in the page header. */
  function buildSwitch() {
    var header = document.querySelector(".site-header");
    if (!header) return;
    var select = G.util.el("select", { attrs: { id: "lang-switch", name: "lang" } }, LANGS.map(function (code) {
      return G.util.el("option", { text: NATIVE[code], attrs: { value: code, lang: code } });
    }));
    select.value = lang;
    select.addEventListener("change", function () { choose(select.value); });
    header.appendChild(G.util.el("div", { className: "lang-switch" }, [
      G.util.el("label", { text: t("language"), attrs: { "for": "lang-switch" } }), select
    ]));
  }

  /** The parts of the map Leaflet and folium write: zoom buttons and the attribution (a
   * credit, kept as written). */
  function translateMap(map) {
    var container = map.getContainer();
    var zoomIn = container.querySelector(".leaflet-control-zoom-in");
    var zoomOut = container.querySelector(".leaflet-control-zoom-out");
    if (zoomIn) { zoomIn.title = t("zoom_in"); zoomIn.setAttribute("aria-label", t("zoom_in")); }
    if (zoomOut) { zoomOut.title = t("zoom_out"); zoomOut.setAttribute("aria-label", t("zoom_out")); }
    mark(container.querySelector(".leaflet-control-attribution"));
  }

  window.addEventListener("hashchange", function () {
    var wanted = fromHash(location.hash) || "en";
    if (wanted !== lang && /(?:^#|&)lang=/.test(location.hash)) {
      remember(wanted);
      location.reload();
    }
  });

  G.t = t;
  G.i18n = {
    LANGS: LANGS, lang: lang, locale: locale, t: t, formatDay: formatDay, dateLabel: dateLabel,
    number: function (n) { return numberFormat.format(Math.round(n)); },
    mark: mark, placeName: placeName, localName: localName, nameNode: nameNode, whereNodes: whereNodes,
    eventText: eventText, setEventText: setEventText, translatePage: translatePage,
    buildSwitch: buildSwitch, translateMap: translateMap, choose: choose, fromHash: fromHash,
    strings: STRINGS
  };
}(window.GeoMap = window.GeoMap || {}));
