/* Text and popup contents for events, routes and places, built as DOM nodes (never HTML strings). */
(function (G) {
  "use strict";

  var u = G.util;
  var el = u.el;

  var DIRECTIONS = {
    to_russia: "to Russia", to_north_korea: "to North Korea", to_china: "to China",
    within_russia: "within Russia", within_north_korea: "within North Korea",
    within_china: "within China"
  };
  var KINDS = {
    movement: "Movement", policy: "Policy", seizure: "Seizure", agreement: "Agreement",
    observation: "Observation", service: "Service", summit: "Summit",
    construction: "Construction", statement: "Statement"
  };

  function capitalise(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : ""; }

  /** "more than 300 workers, to Russia" (or null when the event says nothing about people). */
  function peopleText(ev) {
    var bits = [];
    if (ev.people) bits.push(ev.people.text + (ev.group && ev.group !== "general" ? " (" + ev.group + ")" : ""));
    else if (ev.group) bits.push(capitalise(ev.group));
    if (ev.amount) bits.push(ev.amount);
    if (ev.direction && DIRECTIONS[ev.direction]) bits.push(DIRECTIONS[ev.direction]);
    return bits.length ? bits.join(", ") : null;
  }

  function confidenceBadge(confidence) {
    var c = G.symbols.CONFIDENCE[confidence];
    return el("span", { className: "conf conf-" + (c ? confidence : "reported"), text: c ? c.label : String(confidence) });
  }

  function sourceItem(source) {
    if (!source) return null;
    var label = source.outlet + ": " + source.title;
    return el("li", null, [u.link(source.url, label), " ", el("span", { className: "muted", text: "(" + source.published + ")" })]);
  }

  var sourceItems = new Map();  // source object -> its built <li>, cloned for every citation

  function sourceList(ids, sources) {
    var list = null;
    for (var k = 0; ids && k < ids.length; k++) {
      var source = sources[ids[k]];
      if (!source) continue;
      var item = sourceItems.get(source);
      if (!item) sourceItems.set(source, item = sourceItem(source));
      if (!list) list = el("ul", { className: "sources", attrs: { "aria-label": "Sources" } });
      list.appendChild(item.cloneNode(true));
    }
    return list;
  }

  /** A click handler that opens event *i*.  The click stops here: the popup's content is
   * replaced, and Leaflet would take a click from a detached button for one on the map. */
  function openFrom(open, i) {
    return function (e) {
      e.stopPropagation();
      open(i);
    };
  }

  /** The events at one place as a list of buttons, newest first; *open(i)* shows event i.
   * *here*: their indices, oldest first; *current*: the one the popup shows (or -1). */
  function eventsHere(here, data, open, current, heading) {
    var items = [];
    for (var k = here.length - 1; k >= 0; k--) {
      var i = here[k], ev = data.events[i];
      var label = ev.label + ": " + ev.title;
      items.push(el("li", null, [i === current
        ? el("span", { className: "here-current", text: label, attrs: { "aria-current": "true" } })
        : el("button", { className: "here-open", text: label, attrs: { type: "button" }, on: { click: openFrom(open, i) } })]));
    }
    return [el("h3", { className: "here-heading", text: heading }), el("ul", { className: "here-list" }, items)];
  }

  /** An event's popup; *here* (indices of the events shown at the same place, two or more)
   * adds the list of them. */
  function eventPopup(ev, data, here, open, current) {
    var route = ev.route ? data.routeById[ev.route] : null;
    var stack = here && here.length > 1
      ? eventsHere(here, data, open, current, here.length + " events here up to the map date")
      : [];
    return el("div", { className: "popup popup-event" }, [
      el("p", { className: "popup-kicker", text: (KINDS[ev.kind] || capitalise(ev.kind)) + " · " + ev.label }),
      el("h2", { text: ev.title }),
      ev.where ? el("p", { className: "muted", text: ev.where + (route ? " · " + route.name : "") }) : null,
      peopleText(ev) ? el("p", { className: "people", text: peopleText(ev) }) : null,
      el("p", null, [confidenceBadge(ev.confidence)]),
      el("p", { className: "summary", text: ev.summary }),
      sourceList(ev.sources, data.sources)
    ].concat(stack));
  }

  function statusAt(route, day) {
    var i = u.upperBound(route.sinceDays, day) - 1;
    return i >= 0 ? route.history[i].status : null;
  }

  /** Route popup: status on the map date, history, and the flow behind the line width. */
  function routePopup(route, data, flow, periodText) {
    var status = statusAt(route, flow.day);
    var facts = [G.symbols.MODES[route.mode] ? G.symbols.MODES[route.mode].short : route.mode];
    if (route.operator) facts.push(route.operator);
    if (route.service) facts.push(route.service);
    var km = route.reported_length_km || route.length_km;
    if (km) facts.push(u.formatNumber(km) + " km" + (route.reported_length_km ? " (reported)" : ""));
    var history = el("ol", { className: "history" }, route.history.map(function (h) {
      return el("li", null, [
        el("span", { className: "history-date", text: h.label + ": " }),
        G.symbols.STATUSES[h.status].label,
        h.notes ? el("span", { className: "muted", text: " — " + h.notes }) : null
      ]);
    }));
    var flowLine = flow.people > 0
      ? "At least " + u.formatNumber(flow.people) + " people reported moving along this route in " + periodText +
        " (" + flow.events.length + " event" + (flow.events.length === 1 ? "" : "s") + ")."
      : "No reported numbers of people moving along this route in " + periodText + ".";
    var behind = flow.events.slice(0, 8).map(function (ev) {
      return el("li", null, [ev.label + ": " + ev.title + (ev.people ? " (" + ev.people.text + ")" : "")]);
    });
    if (flow.events.length > 8) behind.push(el("li", { className: "muted", text: "and " + (flow.events.length - 8) + " more" }));
    var historySources = [];
    route.history.forEach(function (h) { h.sources.forEach(function (s) { if (historySources.indexOf(s) < 0) historySources.push(s); }); });
    return el("div", { className: "popup popup-route" }, [
      el("p", { className: "popup-kicker", text: facts.join(" · ") }),
      el("h2", { text: route.name }),
      el("p", null, ["Status on " + u.formatDay(flow.day) + ": ",
        el("strong", { text: status ? G.symbols.STATUSES[status].label : "not yet recorded" })]),
      route.stops && route.stops.length ? el("p", { className: "muted", text: "Via " + route.stops.join(" – ") }) : null,
      el("p", { className: "flow", text: flowLine }),
      behind.length ? el("ul", { className: "flow-events" }, behind) : null,
      el("h3", { text: "Status history" }),
      history,
      route.notes ? el("p", { className: "muted", text: route.notes }) : null,
      sourceList(historySources, data.sources)
    ]);
  }

  /** Alternative names, each marked with its language when its script tells it. */
  function altNames(names) {
    var out = el("span", { className: "alt-names" });
    names.forEach(function (name, k) {
      if (k) out.appendChild(document.createTextNode(", "));
      out.appendChild(u.named(name));
    });
    return out;
  }

  /** A place's popup; *here*: indices of the events shown there on the map date. */
  function placePopup(place, data, here, open) {
    return el("div", { className: "popup popup-place" }, [
      el("p", { className: "popup-kicker", text: capitalise(String(place.kind || "place").replace(/_/g, " ")) + " · " + (place.country || "") }),
      el("h2", { text: place.name }),
      place.alt_names && place.alt_names.length ? el("p", null, ["Also: ", altNames(place.alt_names)]) : null,
      place.precision === "approximate" ? el("p", { className: "muted", text: "Approximate location." }) : null
    ].concat(here && here.length
      ? eventsHere(here, data, open, -1, here.length === 1 ? "1 event here up to the map date" : here.length + " events here up to the map date")
      : [el("p", { className: "muted", text: "No events here up to the map date." })]));
  }

  G.describe = {
    DIRECTIONS: DIRECTIONS, peopleText: peopleText, confidenceBadge: confidenceBadge,
    sourceList: sourceList, eventPopup: eventPopup, altNames: altNames, routePopup: routePopup, placePopup: placePopup,
    statusAt: statusAt, capitalise: capitalise
  };
}(window.GeoMap = window.GeoMap || {}));
