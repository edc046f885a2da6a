/* How things are drawn: one place for the colours and line styles, shared by the map and
 * the legend so the legend always explains exactly what is on the map.
 *
 * Routes: colour = mode while operating (or closed, faintly); other statuses have their own
 * colour and dash pattern.  Width grows with the people reported moving along the route. */
(function (G) {
  "use strict";

  // Chosen so that every pair stays apart (CIEDE2000 >= 19) under deuteranopia, protanopia
  // and tritanopia (Machado 2009 simulation, tests/test_reader_map.py), and dark enough for
  // white text (4.5:1) on the route badges.
  var MODES = {
    air: { label: "Air (arc)", short: "Air", color: "#591967" },
    rail: { label: "Rail", short: "Rail", color: "#2b6fea" },
    sea: { label: "Sea", short: "Sea", color: "#0f4937" },
    road: { label: "Road", short: "Road", color: "#936d0c" }
  };
  var MODE_ORDER = ["air", "rail", "sea", "road"];

  var STATUSES = {
    planned: { label: "Planned", help: "announced or agreed; nothing runs yet",
      color: "#6b6b6b", dashArray: "4 6", weight: 2, opacity: 0.85 },
    under_construction: { label: "Under construction", help: "being built",
      color: "#d35400", dashArray: "10 6", weight: 2.5, opacity: 0.95 },
    operating: { label: "Operating", help: "in service (colour shows the mode)",
      color: null, dashArray: null, weight: 3, opacity: 0.9 },
    suspended: { label: "Suspended", help: "service halted for now",
      color: "#8b1a1a", dashArray: "1 7", weight: 3, opacity: 0.8, lineCap: "round" },
    closed: { label: "Closed (faint)", help: "no longer runs (faint, in the mode colour)",
      color: null, dashArray: null, weight: 2, opacity: 0.3 }
  };
  var STATUS_ORDER = ["operating", "under_construction", "planned", "suspended", "closed"];

  var CONFIDENCE = {
    confirmed: { label: "Confirmed", fillOpacity: 0.95, dashArray: null },
    reported: { label: "Reported", fillOpacity: 0.45, dashArray: null },
    rumoured: { label: "Rumoured", fillOpacity: 0, dashArray: "2 3" }
  };
  var EVENT_COLOR = "#c2185b";
  var OLD_EVENT_COLOR = "#8c5a70";
  var SELECTED_COLOR = "#111111";
  var FLOW_SAMPLES = [100, 1000, 10000];

  /** Extra line width for *people* reported moving: 0 for none, ~4 px for 300, capped at 14. */
  function flowWidth(people) {
    if (!(people > 0)) return 0;
    return Math.min(14, Math.round(4 * Math.log2(1 + people / 100)) / 2);
  }

  function routeStyle(mode, status, people) {
    var s = STATUSES[status];
    var color = s.color || (MODES[mode] || MODES.rail).color;
    return {
      color: color, weight: s.weight + flowWidth(people), opacity: s.opacity,
      dashArray: s.dashArray, lineCap: s.lineCap || "butt", lineJoin: "round"
    };
  }

  /** cls: 1 = older than the period, 2 = recent (emphasised); selected draws a dark ring. */
  function eventStyle(confidence, cls, selected) {
    var c = CONFIDENCE[confidence] || CONFIDENCE.reported;
    var recent = cls === 2;
    return {
      radius: selected ? 10 : (recent ? 7 : 4.5),
      color: selected ? SELECTED_COLOR : (recent ? EVENT_COLOR : OLD_EVENT_COLOR),
      weight: selected ? 3 : (recent ? 2 : 1.5),
      opacity: recent || selected ? 1 : 0.7,
      fillColor: recent || selected ? EVENT_COLOR : OLD_EVENT_COLOR,
      fillOpacity: recent || selected ? c.fillOpacity : c.fillOpacity * 0.6,
      dashArray: c.dashArray
    };
  }

  // Dashed, so a movement never reads as a route (an air route is a solid arc).
  var MOVEMENT_STYLE = { color: EVENT_COLOR, weight: 2, opacity: 0.85, dashArray: "7 5", lineCap: "butt" };
  // The filter value of an event tied to no route: it has no mode of its own in the data.
  var OTHER_MODE = { value: "other", label: "No route (policy, summits…)" };
  // The count drawn beside a dot where several events share a place.
  var STACK_STYLE = { fill: "#1a1a1a", text: "#ffffff", radius: 8, font: "700 10px system-ui, sans-serif" };
  var PLACE_STYLE = { radius: 4, color: "#ffffff", weight: 1.5, fillColor: "#2b2b2b", fillOpacity: 1 };
  var BASEMAP_STYLE = { color: "#9c978c", weight: 0.8, opacity: 1, fillColor: "#f4f1ea", fillOpacity: 1 };

  G.symbols = {
    MODES: MODES, MODE_ORDER: MODE_ORDER, STATUSES: STATUSES, STATUS_ORDER: STATUS_ORDER,
    CONFIDENCE: CONFIDENCE, EVENT_COLOR: EVENT_COLOR, FLOW_SAMPLES: FLOW_SAMPLES,
    MOVEMENT_STYLE: MOVEMENT_STYLE, OTHER_MODE: OTHER_MODE, STACK_STYLE: STACK_STYLE, PLACE_STYLE: PLACE_STYLE, BASEMAP_STYLE: BASEMAP_STYLE,
    flowWidth: flowWidth, routeStyle: routeStyle, eventStyle: eventStyle
  };
}(window.GeoMap = window.GeoMap || {}));
