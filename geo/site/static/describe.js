/* Text and popup contents for events, routes and places, built as DOM nodes (never HTML strings). */
(function (G) {
  "use strict";

  var u = G.util;
  var el = u.el;

  var I = G.i18n, t = G.t;
  var DIRECTIONS = {};
  ["to_russia", "to_north_korea", "to_china", "within_russia", "within_north_korea", "within_china"].forEach(function (k) {
    DIRECTIONS[k] = t("direction_" + k);
  });
  var KINDS = {};
  ["movement", "policy", "seizure", "agreement", "observation", "service", "summit", "construction", "statement", "estimate"].forEach(function (k) {
    KINDS[k] = t("kind_" + k);
  });

  function groupName(group) { return t("group_" + group).toLowerCase(); }

  function capitalise(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : ""; }

  /** "more than 300 workers, to Russia" (or null when the event says nothing about people). */
  function peopleText(ev) {
    var bits = [];
    if (ev.people) bits.push(ev.people.text + (ev.group && ev.group !== "general" ? " (" + groupName(ev.group) + ")" : ""));
    else if (ev.group) bits.push(t("group_" + ev.group));
    if (ev.amount) bits.push(ev.amount);
    if (ev.direction && DIRECTIONS[ev.direction]) bits.push(DIRECTIONS[ev.direction]);
    return bits.length ? bits.join(", ") : null;
  }

  /** peopleText as nodes: the numbers and amounts as the source wrote them (English data)
   * marked so. */
  function peopleNode(ev, className) {
    if (!peopleText(ev)) return null;
    if (I.lang === "en") return el("span", { className: className, text: peopleText(ev) });
    var bits = [];
    if (ev.people) {
      bits.push(el("span", null, [I.mark(el("span", { text: ev.people.text })),
        ev.group && ev.group !== "general" ? " (" + groupName(ev.group) + ")" : null]));
    } else if (ev.group) bits.push(t("group_" + ev.group));
    if (ev.amount) bits.push(I.mark(el("span", { text: ev.amount })));
    if (ev.direction && DIRECTIONS[ev.direction]) bits.push(DIRECTIONS[ev.direction]);
    var out = [];
    bits.forEach(function (bit, k) { if (k) out.push(", "); out.push(bit); });
    return el("span", { className: className }, out);
  }

  function confidenceBadge(confidence) {
    var c = G.symbols.CONFIDENCE[confidence];
    return el("span", { className: "conf conf-" + (c ? confidence : "reported"), text: c ? t("confidence_" + confidence) : String(confidence) });
  }

  /** The "Announced" badge of an event reported in advance and not reported since. */
  function announcedBadge() {
    return el("span", { className: "conf conf-announced", text: t("confidence_announced"),
      attrs: { title: t("announced_title") } });
  }

  function sourceItem(source) {
    if (!source) return null;
    var label = source.outlet + ": " + source.title;
    return el("li", null, [I.mark(u.link(source.url, label)), " ", el("span", { className: "muted", text: "(" + I.dateLabel(source.published) + ")" })]);
  }

  var sourceItems = new Map();  // source object -> its built <li>, cloned for every citation

  function sourceList(ids, sources) {
    var list = null;
    for (var k = 0; ids && k < ids.length; k++) {
      var source = sources[ids[k]];
      if (!source) continue;
      var item = sourceItems.get(source);
      if (!item) sourceItems.set(source, item = sourceItem(source));
      if (!list) list = el("ul", { className: "sources", attrs: { "aria-label": t("sources") } });
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
      var title = I.eventText(ev, "title");
      var label = [I.dateLabel(ev.label) + ": ", el("span", { text: title.text, attrs: { lang: I.lang === "en" ? null : title.lang } })];
      items.push(el("li", null, [i === current
        ? el("span", { className: "here-current", attrs: { "aria-current": "true" } }, label)
        : el("button", { className: "here-open", attrs: { type: "button" }, on: { click: openFrom(open, i) } }, label)]));
    }
    return [el("h3", { className: "here-heading", text: heading }), el("ul", { className: "here-list" }, items)];
  }

  /** An event's popup; *here* (indices of the events shown at the same place, two or more)
   * adds the list of them. */
  function eventPopup(ev, data, here, open, current) {
    var route = ev.route ? data.routeById[ev.route] : null;
    var stack = here && here.length > 1
      ? eventsHere(here, data, open, current, t("here_events", { n: here.length }))
      : [];
    return el("div", { className: "popup popup-event" }, [
      el("p", { className: "popup-kicker", text: (KINDS[ev.kind] || capitalise(ev.kind)) + " · " + I.dateLabel(ev.label) }),
      I.setEventText(el("h2"), ev, "title"),
      ev.where ? el("p", { className: "muted" }, I.whereNodes(ev.where).concat(route ? [" · ", I.mark(el("span", { text: route.name }))] : [])) : null,
      peopleText(ev) ? el("p", null, [peopleNode(ev, "people")]) : null,
      el("p", null, ev.announced ? [confidenceBadge(ev.confidence), " ", announcedBadge()]
        : [confidenceBadge(ev.confidence)]),
      I.setEventText(el("p", { className: "summary" }), ev, "summary"),
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
    var facts = [G.symbols.MODES[route.mode] ? t("mode_" + route.mode + "_short") : route.mode];
    var km = route.reported_length_km || route.length_km;
    if (km) facts.push(t(route.reported_length_km ? "km_reported" : "km", { n: km }));
    var dataFacts = [route.operator, route.service].filter(Boolean).join(" · ");
    var history = el("ol", { className: "history" }, route.history.map(function (h) {
      return el("li", null, [
        el("span", { className: "history-date", text: I.dateLabel(h.label) + ": " }),
        t("status_" + h.status),
        h.notes ? el("span", { className: "muted" }, [" — ", I.mark(el("span", { text: h.notes }))]) : null
      ]);
    }));
    var flowLine = flow.people > 0
      ? t("flow_people", { people: flow.people, period: periodText, n: flow.events.length })
      : t("flow_none", { period: periodText });
    var behind = flow.events.slice(0, 8).map(function (ev) {
      var title = I.eventText(ev, "title");
      return el("li", null, [I.dateLabel(ev.label) + ": ", el("span", { text: title.text, attrs: { lang: I.lang === "en" ? null : title.lang } }),
        ev.people ? el("span", null, [" (", I.mark(el("span", { text: ev.people.text })), ")"]) : null]);
    });
    if (flow.events.length > 8) behind.push(el("li", { className: "muted", text: t("flow_more", { n: flow.events.length - 8 }) }));
    var historySources = [];
    route.history.forEach(function (h) { h.sources.forEach(function (s) { if (historySources.indexOf(s) < 0) historySources.push(s); }); });
    return el("div", { className: "popup popup-route" }, [
      el("p", { className: "popup-kicker" }, [facts.join(" · "), dataFacts ? " · " : null, dataFacts ? I.mark(el("span", { text: dataFacts })) : null]),
      I.mark(el("h2", { text: route.name })),
      el("p", null, [t("status_on", { date: u.formatDay(flow.day) }),
        el("strong", { text: status ? t("status_" + status) : t("not_yet_recorded") })]),
      route.stops && route.stops.length ? el("p", { className: "muted" }, [t("via")].concat(route.stops.reduce(function (out, name, k) {
        if (k) out.push(" – ");
        out.push(I.nameNode(name));
        return out;
      }, []))) : null,
      el("p", { className: "flow", text: flowLine }),
      behind.length ? el("ul", { className: "flow-events" }, behind) : null,
      el("h3", { text: t("status_history") }),
      history,
      route.notes ? I.mark(el("p", { className: "muted", text: route.notes })) : null,
      sourceList(historySources, data.sources)
    ]);
  }

  /** Alternative names, each marked with its language when its script tells it. */
  function altNames(names) {
    var out = el("span", { className: "alt-names" });
    names.forEach(function (name, k) {
      if (k) out.appendChild(document.createTextNode(", "));
      out.appendChild(I.lang !== "en" && !u.langOf(name) ? I.mark(u.named(name)) : u.named(name));
    });
    return out;
  }

  /** A place's popup; *here*: indices of the events shown there on the map date. */
  function placePopup(place, data, here, open) {
    return el("div", { className: "popup popup-place" }, [
      el("p", { className: "popup-kicker", text: t("place_" + (place.kind || "place")) + " · " + (place.country || "") }),
      el("h2", { text: I.placeName(place).text, attrs: { lang: I.lang === "en" ? u.langOf(place.name) : I.placeName(place).lang } }),
      place.alt_names && place.alt_names.length ? el("p", null, [t("also"), altNames(place.alt_names)]) : null,
      place.precision === "approximate" ? el("p", { className: "muted", text: t("approximate") }) : null
    ].concat(here && here.length
      ? eventsHere(here, data, open, -1, t("here_events", { n: here.length }))
      : [el("p", { className: "muted", text: t("here_none") })]));
  }

  G.describe = {
    DIRECTIONS: DIRECTIONS, peopleText: peopleText, peopleNode: peopleNode, confidenceBadge: confidenceBadge, announcedBadge: announcedBadge,
    sourceList: sourceList, eventPopup: eventPopup, altNames: altNames, routePopup: routePopup, placePopup: placePopup,
    statusAt: statusAt, capitalise: capitalise
  };
}(window.GeoMap = window.GeoMap || {}));
