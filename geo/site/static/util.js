/* Helpers shared by the map scripts: dates as whole day numbers, safe DOM building, search.
 *
 * Text from the data only ever reaches the page through textContent / createTextNode
 * (see el()), and only http(s) URLs become links (see safeUrl()). */
(function (G) {
  "use strict";

  var DAY_MS = 86400000;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var SHORT_MONTHS = MONTHS.map(function (m) { return m.slice(0, 3); });
  var SVG_NS = "http://www.w3.org/2000/svg";

  /** "2024-02-06" -> days since 1970-01-01 (null if not a real calendar day). */
  function dayNumber(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
    if (!m) return null;
    var y = +m[1], mo = +m[2] - 1, d = +m[3];
    var t = Date.UTC(y, mo, d);
    var back = new Date(t);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo || back.getUTCDate() !== d) return null;
    return Math.round(t / DAY_MS);
  }

  function isoDay(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }

  function parts(n) {
    var d = new Date(n * DAY_MS);
    return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  }

  /** The same day *k* months later (or earlier), clamped to the end of a shorter month.
   * *dayOfMonth* (optional) is the day wanted instead of n's own: stepping from 31 January
   * through February (the 29th) lands again on 31 March when it is kept. */
  function addMonths(n, k, dayOfMonth) {
    var p = parts(n);
    var total = p[0] * 12 + p[1] + k;
    var y = Math.floor(total / 12), mo = total - y * 12;
    var last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
    return Math.round(Date.UTC(y, mo, Math.min(dayOfMonth || p[2], last)) / DAY_MS);
  }

  function dayOfMonth(n) { return parts(n)[2]; }

  function formatDay(n) { return G.i18n.formatDay(n); }
  function formatMonth(n) { var p = parts(n); return SHORT_MONTHS[p[1]] + " " + p[0]; }
  function year(n) { return parts(n)[0]; }

  /** Number of items of the sorted array *arr* that are <= x. */
  function upperBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (arr[mid] <= x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Number of items of the sorted array *arr* that are < x. */
  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (arr[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** The language of a name written in Hangul (ko), Cyrillic (ru) or Han (zh); null otherwise,
   * so screen readers read it with the right voice. */
  function langOf(text) {
    var s = String(text || "");
    if (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/.test(s)) return "ko";
    if (/[\u0400-\u04ff]/.test(s)) return "ru";
    if (/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(s)) return "zh";
    return null;
  }

  /** A span of *text*, with a lang attribute when its script says which language it is. */
  function named(text, className) {
    return el("span", { className: className || null, text: text, attrs: { lang: langOf(text) } });
  }

  function formatNumber(n) { return G.i18n.number(n); }

  function safeUrl(url) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return null;
    try {
      var parsed = new URL(url);
      return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  var FORBIDDEN_ATTR = /^(on|style$|href$|src$|srcdoc$|formaction$|xlink:href$)/i;

  /**
   * Create an element.  opts: className, text (set as textContent), attrs (plain
   * attributes; event handlers, style and URLs are refused), on (event listeners).
   * Children may be nodes or strings (added as text nodes).
   */
  function el(tag, opts, children) {
    var node = document.createElement(tag);
    opts = opts || {};
    if (opts.className) node.className = opts.className;
    if (opts.text != null) node.textContent = String(opts.text);
    setAttrs(node, opts.attrs);
    if (opts.on) Object.keys(opts.on).forEach(function (name) { node.addEventListener(name, opts.on[name]); });
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (name) {
      if (FORBIDDEN_ATTR.test(name)) throw new Error("unsafe attribute " + name);
      if (attrs[name] != null && attrs[name] !== false) node.setAttribute(name, String(attrs[name]));
    });
  }

  function append(node, children) {
    (children || []).forEach(function (child) {
      if (child == null || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** An external link (new tab, no referrer, no opener) or plain text when the URL is not http(s). */
  function link(url, text) {
    var safe = safeUrl(url);
    if (!safe) return el("span", { text: text });
    var a = el("a", { text: text, attrs: { target: "_blank", rel: "noopener noreferrer" } });
    a.href = safe;
    return a;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    return node;
  }

  G.util = {
    DAY_MS: DAY_MS, MONTHS: MONTHS, dayNumber: dayNumber, isoDay: isoDay, addMonths: addMonths,
    formatDay: formatDay, formatMonth: formatMonth, year: year, upperBound: upperBound,
    lowerBound: lowerBound, dayOfMonth: dayOfMonth, langOf: langOf, named: named,
    formatNumber: formatNumber, safeUrl: safeUrl, el: el, append: append, link: link, svg: svg
  };
}(window.GeoMap = window.GeoMap || {}));
