/* Share and embed.
 *
 * "Share" (a button in the header) opens a panel with the address of the current view and an
 * <iframe> snippet of it, each with a Copy button.  An address with #…&embed=1 is the page
 * for a frame: the map, the slider and a compact list only, sized to the frame, with a link to
 * the full page; embed=map leaves out the list too (what `geo snapshot` photographs).  The
 * class is set as this script runs, before the map is made, so the map is sized for it. */
(function (G) {
  "use strict";

  /** This file's interface string *key* in the page's language: strings.js's "share_" + key
   * (share, shareHeading, link, snippet, copy, copied, copyFailed, close, fullMap,
   * frameTitle). */
  function str(key) { return G.t("share_" + key); }

  var FRAME = { width: 600, height: 400 };

  var u = G.util;
  var embed = G.permalink.parse(location.hash).embed;
  if (embed) {
    document.documentElement.classList.add("embed");
    if (embed === "map") document.documentElement.classList.add("embed-map");
  }

  /** The page's address with *hash* (a fragment, "#…"). */
  function addressWith(hash) {
    return location.href.replace(/#.*$/, "") + hash;
  }

  /** The current fragment without its embed part: the full page's view of the same state. */
  function fullHash() {
    var hash = location.hash.replace(/&?embed=[^&]*/, "").replace(/^#&/, "#");
    return hash === "#" ? "" : hash;
  }

  function attr(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function snippet(url) {
    return '<iframe src="' + attr(url) + '" width="' + FRAME.width + '" height="' + FRAME.height +
      '" style="border:0" loading="lazy" title="' + attr(str("frameTitle")) + '"></iframe>';
  }

  /** Put *text* on the clipboard; *done(ok)* says whether it worked. */
  function copyText(text, field, done) {
    function fallback() {
      field.focus();
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function SharePanel(app) {
    var self = this, el = u.el;
    this.app = app;
    this.button = el("button", {
      className: "site-action share-button", text: str("share"),
      attrs: { type: "button", id: "share-button", "aria-expanded": "false", "aria-controls": "share-panel" },
      on: { click: function () { self.toggle(); } }
    });
    G.story.actions().appendChild(this.button);
    this.linkField = el("input", { className: "share-field", attrs: { id: "share-link", type: "text", readonly: "readonly" } });
    this.snippetField = el("textarea", { className: "share-field", attrs: { id: "share-snippet", rows: "3", readonly: "readonly" } });
    this.status = el("p", { className: "share-status", attrs: { role: "status", "aria-live": "polite" } });
    function row(id, label, field) {
      var copy = el("button", { className: "share-copy", text: str("copy"), attrs: { type: "button", "data-copies": id },
        on: { click: function () { self.refresh(); copyText(field.value, field, function (ok) { self.status.textContent = ok ? str("copied") : str("copyFailed"); }); } } });
      return el("div", { className: "share-row" }, [el("label", { text: label, attrs: { for: id } }), field, copy]);
    }
    this.panel = el("section", { className: "share-panel", attrs: { id: "share-panel", "aria-labelledby": "share-heading" } }, [
      el("h2", { text: str("shareHeading"), attrs: { id: "share-heading" } }),
      row("share-link", str("link"), this.linkField),
      row("share-snippet", str("snippet"), this.snippetField),
      this.status,
      el("button", { className: "share-close", text: str("close"), attrs: { type: "button" }, on: { click: function () { self.toggle(false); } } })
    ]);
    this.panel.hidden = true;
    var column = document.querySelector(".map-column");
    column.insertBefore(this.panel, column.querySelector(".timebar"));
  }

  SharePanel.prototype.refresh = function () {
    this.app._flushUrl();
    var hash = fullHash();
    this.linkField.value = addressWith(hash);
    this.snippetField.value = snippet(addressWith((hash || "#") + (hash ? "&" : "") + "embed=1"));
  };

  SharePanel.prototype.toggle = function (show) {
    show = show === undefined ? this.panel.hidden : show;
    this.panel.hidden = !show;
    this.button.setAttribute("aria-expanded", String(show));
    this.status.textContent = "";
    if (show) {
      this.refresh();
      this.linkField.focus();
      this.linkField.select();
    }
    this.app.map.invalidateSize({ animate: false });
  };

  /** In a frame: a link to the full page at the same state, above the compact list. */
  function embedLink() {
    var link = u.el("a", { className: "embed-full", text: str("fullMap") + " ↗", attrs: { id: "embed-full", target: "_blank", rel: "noopener" } });
    function update() { link.href = addressWith(fullHash()); }
    update();
    link.addEventListener("mousedown", update);
    link.addEventListener("focus", update);
    link.addEventListener("click", update);
    var events = document.querySelector(".events");
    events.insertBefore(link, events.firstChild);
  }

  G.share = {
    t: str,
    embed: embed,
    snippet: snippet,
    attach: function (app) {
      if (embed) embedLink();
      else G.share.panel = new SharePanel(app);
    },
    /** The address part that keeps a framed page framed ("&embed=1"), or "". */
    urlPart: function () { return embed ? "&embed=" + embed : ""; }
  };
}(window.GeoMap = window.GeoMap || {}));
