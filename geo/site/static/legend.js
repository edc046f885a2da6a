/* The legend, drawn from the same styles the map uses (symbols.js). */
(function (G) {
  "use strict";

  var u = G.util, s = G.symbols, el = u.el;

  function lineSwatch(style) {
    var box = u.svg("svg", { width: 36, height: 16, viewBox: "0 0 36 16", "aria-hidden": "true", focusable: "false" });
    box.appendChild(u.svg("line", {
      x1: 2, y1: 8, x2: 34, y2: 8, stroke: style.color, "stroke-width": Math.min(style.weight, 14),
      "stroke-opacity": style.opacity, "stroke-dasharray": style.dashArray || null,
      "stroke-linecap": style.lineCap || "butt"
    }));
    return box;
  }

  function circleSwatch(style) {
    var box = u.svg("svg", { width: 26, height: 26, viewBox: "0 0 26 26", "aria-hidden": "true", focusable: "false" });
    box.appendChild(u.svg("circle", {
      cx: 13, cy: 13, r: style.radius, stroke: style.color, "stroke-width": style.weight,
      "stroke-opacity": style.opacity, fill: style.fillColor, "fill-opacity": style.fillOpacity,
      "stroke-dasharray": style.dashArray || null
    }));
    return box;
  }

  function arrowSwatch() {
    var box = u.svg("svg", { width: 36, height: 16, viewBox: "0 0 36 16", "aria-hidden": "true", focusable: "false" });
    box.appendChild(u.svg("line", { x1: 2, y1: 8, x2: 26, y2: 8, stroke: s.MOVEMENT_STYLE.color, "stroke-width": 2,
      "stroke-dasharray": s.MOVEMENT_STYLE.dashArray }));
    box.appendChild(u.svg("path", { d: "M34 8 L24 3 L24 13 Z", fill: s.MOVEMENT_STYLE.color }));
    return box;
  }

  function placeSwatch() {
    var box = u.svg("svg", { width: 24, height: 24, viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" });
    box.appendChild(u.svg("circle", { cx: 12, cy: 12, r: 4, fill: s.PLACE_STYLE.fillColor, stroke: "#ffffff", "stroke-width": 1.5 }));
    return box;
  }

  function stackSwatch() {
    var box = u.svg("svg", { width: 30, height: 26, viewBox: "0 0 30 26", "aria-hidden": "true", focusable: "false" });
    var dot = s.eventStyle("confirmed", 2, false);
    box.appendChild(u.svg("circle", { cx: 11, cy: 15, r: dot.radius, fill: dot.fillColor, stroke: dot.color, "stroke-width": dot.weight }));
    box.appendChild(u.svg("circle", { cx: 20, cy: 8, r: 7, fill: s.STACK_STYLE.fill, stroke: "#ffffff", "stroke-width": 1.5 }));
    var text = u.svg("text", { x: 20, y: 11.5, "text-anchor": "middle", "font-size": 10, "font-weight": 700, fill: "#ffffff" });
    text.textContent = "3";
    box.appendChild(text);
    return box;
  }

  function item(swatch, label, key, title) {
    return el("li", { attrs: { "data-key": key, title: title || null } }, [swatch, el("span", { text: label })]);
  }

  function section(title, items, className) {
    return el("div", { className: "legend-section" }, [
      el("h2", { text: title }), el("ul", { className: className || "" }, items)
    ]);
  }

  /** Build the legend: every symbol the map can draw, from the styles the map uses. */
  function build(container, modesPresent) {
    var modes = s.MODE_ORDER.filter(function (m) { return modesPresent.indexOf(m) >= 0; });
    container.replaceChildren(
      section(G.t("legend_modes"), modes.map(function (m) {
        return item(lineSwatch(s.routeStyle(m, "operating", 0)), G.t("mode_" + m), "mode-" + m);
      }), "cols"),
      section(G.t("legend_status"), s.STATUS_ORDER.map(function (st) {
        return item(lineSwatch(s.routeStyle("rail", st, 0)), G.t("status_" + st), "status-" + st, G.t("status_" + st + "_help"));
      }), "cols"),
      section(G.t("legend_flow"), s.FLOW_SAMPLES.map(function (n) {
        return item(lineSwatch(s.routeStyle("rail", "operating", n)), u.formatNumber(n), "flow-" + n);
      }), "cols cols-3"),
      section(G.t("legend_recent"), [
        item(circleSwatch(s.eventStyle("confirmed", 2, false)), G.t("confidence_confirmed"), "event-confirmed"),
        item(circleSwatch(s.eventStyle("reported", 2, false)), G.t("confidence_reported"), "event-reported"),
        item(circleSwatch(s.eventStyle("rumoured", 2, false)), G.t("confidence_rumoured"), "event-rumoured"),
        item(circleSwatch(s.eventStyle("announced", 2, false)), G.t("confidence_announced"), "event-announced",
          G.t("announced_help_short"))
      ], "cols"),
      section(G.t("legend_other"), [
        item(circleSwatch(s.eventStyle("confirmed", 1, false)), G.t("legend_earlier"), "event-old", G.t("legend_earlier_help")),
        item(circleSwatch(s.eventStyle("confirmed", 2, true)), G.t("legend_selected"), "event-selected"),
        item(arrowSwatch(), G.t("legend_movement"), "movement"),
        item(stackSwatch(), G.t("legend_stack"), "event-stack"),
        item(placeSwatch(), G.t("legend_place"), "place", G.t("legend_place_help"))
      ], "cols")
    );
  }

  G.legend = { build: build };
}(window.GeoMap = window.GeoMap || {}));
