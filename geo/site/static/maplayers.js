/* Everything drawn on the Leaflet map: the offline outline, routes, places, events, movements.
 *
 * Routes, places and movement lines are ordinary Leaflet layers on one canvas renderer (one
 * canvas, so clicks reach every layer on it).  Events can number in the tens of thousands, so
 * they are not Leaflet layers: EventDots draws them all in one pass on its own canvas from the
 * app's per-event state array, and finds the dot under a click itself.  A slider step then
 * costs one redraw per animation frame, however many events changed.  The offline outline
 * sits under the tiles, so it shows exactly where tiles are missing. */
(function (G) {
  "use strict";

  var u = G.util, s = G.symbols, d = G.describe;
  var LABEL_RANK = { city: 1, region: 1, town: 2, port: 2, airport: 2, station: 2 };
  var HUB_USES = 5;
  var CROSSING_DEG = 0.1;  // about 10 km  // a station, port or airport this used is labelled with the cities
  var POPUP_MAX_WIDTH = 340;
  var POPUP_MARGIN = 10;  // px kept free around a popup inside the map
  var HIT_TOLERANCE = 4;
  var MAX_HIT = 10 + HIT_TOLERANCE;  // the largest dot (selected) plus the tolerance
  var TWO_PI = 2 * Math.PI;
  var MARKER_ORDER = { confirmed: 0, reported: 1, rumoured: 2, announced: 3 };
  var MARKER_KINDS = 4;  // s.MARKERS: three confidences, and announced
  var BUCKETS = 2 * MARKER_KINDS;  // earlier and recent, times each marker
  var STACK_OFFSET = 9;  // the count's centre, up and right of its dot

  /** A polyline with an arrowhead at its last point, drawn on the canvas renderer. */
  var ArrowLine = L.Polyline.extend({
    _updatePath: function () {
      L.Polyline.prototype._updatePath.call(this);
      var ctx = this._renderer && this._renderer._ctx;
      var rings = this._rings;
      if (!ctx || !this._renderer._drawing || !rings || !rings.length) return;
      var ring = rings[rings.length - 1];
      if (ring.length < 2) return;
      var tip = ring[ring.length - 1];
      var k = ring.length - 2;
      while (k > 0 && ring[k].distanceTo(tip) < 10) k--;
      var from = ring[k];
      if (from.distanceTo(tip) < 2) return;
      var angle = Math.atan2(tip.y - from.y, tip.x - from.x);
      var size = 8 + 1.5 * this.options.weight;
      ctx.beginPath();
      ctx.moveTo(tip.x, tip.y);
      ctx.lineTo(tip.x - size * Math.cos(angle - 0.45), tip.y - size * Math.sin(angle - 0.45));
      ctx.lineTo(tip.x - size * Math.cos(angle + 0.45), tip.y - size * Math.sin(angle + 0.45));
      ctx.closePath();
      ctx.globalAlpha = this.options.opacity;
      ctx.fillStyle = this.options.color;
      ctx.fill();
    }
  });

  /**
   * All event dots on one canvas.  cls[i] (shared with the app) says how event i is shown:
   * 0 hidden, 1 earlier, 2 recent; `selected` is drawn last, larger, with a dark ring.
   */
  var EventDots = L.Canvas.extend({
    initialize: function (events, cls, locations, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.events = events;
      this.cls = cls;
      this.selected = -1;
      this._xs = new Float64Array(events.length);
      this._ys = new Float64Array(events.length);
      this._pixel = new Int32Array(events.length);  // which distinct (rounded) pixel each dot is on
      this._marks = new Int32Array(0);  // per bucket and pixel: the last frame that drew a dot there
      this._frame = 0;
      this._marker = Int8Array.from(events, function (ev) { return MARKER_ORDER[s.marker(ev)] || 0; });
      this._projectedFor = null;
      // Events at one place (same coordinates): a count is drawn beside their dot.
      this._loc = locations.of;
      this._locCount = new Int32Array(locations.count);
      this._locTop = new Int32Array(locations.count);  // the newest shown event at the place
      this._locFrame = new Int32Array(locations.count);  // the frame that counted the place
      this._stacks = [];  // places counted in the last frame
      var buckets = [];
      [1, 2].forEach(function (cls) {
        s.MARKERS.forEach(function (kind) {
          buckets.push({ dot: sprite(s.eventStyle(kind, cls, false)), items: [] });
        });
      });
      this._buckets = buckets;
      this._selectedDots = {};
      s.MARKERS.forEach(function (kind) {
        this._selectedDots[kind] = sprite(s.eventStyle(kind, 2, true));
      }, this);
    },

    _initContainer: function () {
      this._container = document.createElement("canvas");
      this._container.className = "geo-event-dots";
      this._ctx = this._container.getContext("2d");
    },

    _updatePaths: function () {
      if (this._postponeUpdatePaths) return;
      this._redrawBounds = null;
      this._redraw();
    },

    _onZoomEnd: function () { this._projectedFor = null; },

    /** Ask for a redraw on the next animation frame (many calls, one redraw). */
    refresh: function () {
      if (!this._map) return;
      this._redrawBounds = null;
      this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
    },

    _project: function () {
      var map = this._map, origin = map.getPixelOrigin(), zoom = map.getZoom();
      var key = zoom + ":" + origin.x + ":" + origin.y;
      if (key === this._projectedFor) return;
      var pixels = new Map();
      for (var i = 0; i < this.events.length; i++) {
        var ev = this.events[i];
        if (ev.lat === null) { this._xs[i] = NaN; this._pixel[i] = 0; continue; }
        var p = map.project([ev.lat, ev.lon], zoom);
        var x = this._xs[i] = p.x - origin.x;
        var y = this._ys[i] = p.y - origin.y;
        var at = Math.round(x) * 1e6 + Math.round(y);
        var id = pixels.get(at);
        if (id === undefined) pixels.set(at, id = pixels.size);
        this._pixel[i] = id;
      }
      this._marks = new Int32Array(BUCKETS * Math.max(1, pixels.size));
      this._frame = 0;
      this._projectedFor = key;
    },

    _draw: function () {
      if (!this._map || !this._bounds) return;
      this._project();
      var b = this._bounds, cls = this.cls, xs = this._xs, ys = this._ys;
      var buckets = this._buckets, markers = this._marker, pixel = this._pixel;
      buckets.forEach(function (bucket) { bucket.items.length = 0; });
      var minX = b.min.x - 12, minY = b.min.y - 12, maxX = b.max.x + 12, maxY = b.max.y + 12;
      var marks = this._marks, pixels = marks.length / BUCKETS, frame = ++this._frame;
      var loc = this._loc, locCount = this._locCount, locTop = this._locTop, locFrame = this._locFrame;
      var stacks = this._stacks;
      stacks.length = 0;
      for (var i = 0; i < cls.length; i++) {
        var c = cls[i];
        if (c === 0) continue;
        var x = xs[i], y = ys[i];
        if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) continue;
        var at = loc[i];
        if (locFrame[at] !== frame) {
          locFrame[at] = frame;
          locCount[at] = 0;
          stacks.push(at);
        }
        locCount[at]++;
        locTop[at] = i;  // events run oldest first: the last one seen is the newest
        if (i === this.selected) continue;
        var k = (c - 1) * MARKER_KINDS + markers[i];
        // many events share a place: one copy per pixel looks the same and costs far less
        var mark = k * pixels + pixel[i];
        if (marks[mark] === frame) continue;
        marks[mark] = frame;
        buckets[k].items.push(i);
      }
      var ctx = this._ctx;
      buckets.forEach(function (bucket) { drawDots(ctx, bucket.items, xs, ys, bucket.dot); });
      if (this.selected >= 0 && cls[this.selected] > 0 && !isNaN(xs[this.selected])) {
        drawDots(ctx, [this.selected], xs, ys, this._selectedDots[s.marker(this.events[this.selected])] || this._selectedDots.reported);
      }
      this._drawCounts(ctx);
    },

    /** The number of events beside each dot that stands for several (one pre-drawn disc per
     * number, copied like the dots: canvas text is slow to draw a hundred times a frame). */
    _drawCounts: function (ctx) {
      var stacks = this._stacks, xs = this._xs, ys = this._ys;
      for (var k = 0; k < stacks.length; k++) {
        var at = stacks[k], n = this._locCount[at];
        if (n < 2) continue;
        var i = this._locTop[at], badge = countSprite(n);
        ctx.drawImage(badge.canvas, Math.round(xs[i] + STACK_OFFSET - badge.half), Math.round(ys[i] - STACK_OFFSET - badge.half),
          2 * badge.half, 2 * badge.half);
      }
    },

    /** How many events the last frame drew at event *i*'s place. */
    countAt: function (i) {
      var at = this._loc[i];
      return this._locFrame[at] === this._frame ? this._locCount[at] : 0;
    },

    /** Index of the dot under *containerPoint* (topmost first), or -1. */
    hit: function (containerPoint) {
      if (!this._map) return -1;
      this._project();
      var p = this._map.containerPointToLayerPoint(containerPoint);
      var cls = this.cls, xs = this._xs, ys = this._ys;
      var best = -1, bestRank = -1, bestDist = Infinity;
      for (var i = 0; i < cls.length; i++) {
        if (cls[i] === 0 || isNaN(xs[i])) continue;
        var dx = xs[i] - p.x, dy = ys[i] - p.y, dist = dx * dx + dy * dy;
        if (this.countAt(i) > 1 && this._locTop[this._loc[i]] === i) {  // the count beside the dot
          var bx = dx + STACK_OFFSET, by = dy - STACK_OFFSET;
          if (bx * bx + by * by <= (s.STACK_STYLE.radius + HIT_TOLERANCE) * (s.STACK_STYLE.radius + HIT_TOLERANCE)) dist = 0;
        }
        if (dist > MAX_HIT * MAX_HIT) continue;
        var selected = i === this.selected;
        var r = s.eventStyle(s.marker(this.events[i]), cls[i], selected).radius + HIT_TOLERANCE;
        if (dist > r * r) continue;
        var rank = selected ? 3 : cls[i];
        if (rank > bestRank || (rank === bestRank && (i > best || dist < bestDist))) {
          best = i; bestRank = rank; bestDist = dist;
        }
      }
      return best;
    },

    count: function () {
      var n = 0;
      for (var i = 0; i < this.cls.length; i++) if (this.cls[i] > 0 && this.events[i].lat !== null) n++;
      return n;
    }
  });

  /** One dot drawn once on a small canvas; each event is then a cheap image copy.  Drawn at the
   * scale Leaflet's canvases use (2 on high-density screens) so dots stay sharp. */
  function sprite(style) {
    var dash = style.dashArray ? style.dashArray.split(" ").map(Number) : [];
    var half = Math.ceil(style.radius + style.weight) + 1;
    var scale = L.Browser.retina ? 2 : 1;
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = 2 * half * scale;
    var ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.beginPath();
    ctx.arc(half, half, style.radius, 0, TWO_PI);
    if (style.fillOpacity > 0) {
      ctx.globalAlpha = style.fillOpacity;
      ctx.fillStyle = style.fillColor;
      ctx.fill();
    }
    ctx.globalAlpha = style.opacity;
    ctx.lineWidth = style.weight;
    ctx.strokeStyle = style.color;
    ctx.setLineDash(dash);
    ctx.stroke();
    return { canvas: canvas, half: half };
  }

  var COUNT_SPRITES = new Map();

  /** The disc with number *n* in it, drawn once. */
  function countSprite(n) {
    var text = n > 999 ? "999+" : String(n);
    var found = COUNT_SPRITES.get(text);
    if (found) return found;
    var st = s.STACK_STYLE, r = Math.max(st.radius, 3 + 3.2 * text.length), half = Math.ceil(r + 1.5);
    var scale = L.Browser.retina ? 2 : 1;
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = 2 * half * scale;
    var ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.beginPath();
    ctx.arc(half, half, r, 0, TWO_PI);
    ctx.fillStyle = st.fill;
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    ctx.font = st.font;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillStyle = st.text;
    ctx.fillText(text, half, half + 0.5);
    found = { canvas: canvas, half: half };
    COUNT_SPRITES.set(text, found);
    return found;
  }

  function drawDots(ctx, items, xs, ys, dot) {
    var img = dot.canvas, half = dot.half, size = 2 * half;
    for (var k = 0; k < items.length; k++) {
      ctx.drawImage(img, Math.round(xs[items[k]] - half), Math.round(ys[items[k]] - half), size, size);
    }
  }

  function MapLayers(map, tiles, data, cls, handlers) {
    this.map = map;
    this.tiles = tiles;
    this.data = data;
    this.handlers = handlers;
    map.createPane("basemap").style.zIndex = "150";
    map.createPane("vectors").style.zIndex = "410";
    map.createPane("events").style.zIndex = "430";
    this.vectors = L.canvas({ pane: "vectors", padding: 0.1, tolerance: 6 });
    this.dots = new EventDots(data.events, cls, data.locations, { pane: "events", padding: 0.1 });
    this.groups = {
      basemap: this._basemap(),
      routes: L.layerGroup(),
      places: L.layerGroup(),
      movements: L.layerGroup(),
      events: this.dots
    };
    // Shared by every popup: clear of the zoom buttons and, while it is open, the legend.
    this.popupPaddingTopLeft = L.point(POPUP_MARGIN, POPUP_MARGIN);
    this.popupPadding = L.point(POPUP_MARGIN, POPUP_MARGIN);
    this._reserved = 0;
    this.routeLines = data.routes.map(this._route, this);
    this.placeMarkers = data.places.map(this._place, this);
    this.movementLines = {};
    this.eventPopup = L.popup(this._popupOptions({ maxWidth: 320, minWidth: 200, offset: [0, -4] }));
    this.tileErrors = 0;
    this.tileLoads = 0;
    this.placeMarkers.forEach(function (m) { this.groups.places.addLayer(m); }, this);
    ["basemap", "routes", "places", "movements", "events"].forEach(function (name) { this.groups[name].addTo(map); }, this);
    this._watchTiles();
    this._watchPointer();
    this.fitPopups();
    map.on("resize", this.fitPopups, this);
    this._labelBands();
    map.on("zoomend", this._labelBands, this);
    map.on("zoomend", this.declutter, this);
    var self = this, wrap = map.getContainer().parentNode;
    map.on("popupopen", function (e) {
      wrap.classList.add("popup-open");
      if (e.popup === self.eventPopup) handlers.eventPopupOpened(e.popup.eventIndex);
    });
    map.on("popupclose", function (e) {
      wrap.classList.remove("popup-open");
      if (e.popup === self.eventPopup) handlers.eventPopupClosed(e.popup.eventIndex);
    });
  }

  MapLayers.prototype._popupOptions = function (options) {
    return L.extend({ autoPanPaddingTopLeft: this.popupPaddingTopLeft, autoPanPaddingBottomRight: this.popupPadding }, options);
  };

  /** Keep popups clear of an overlay on the map's right (the legend) that is *width* px wide,
   * unless that would leave a popup too little room (a phone): it then covers the overlay. */
  MapLayers.prototype.reserveRight = function (width) {
    this._reserved = width;
    this.fitPopups();
  };

  /** Size every popup to the map: no wider or taller than the room left between the zoom
   * buttons (top left), the legend and the edges, so none is cut or hidden behind a control. */
  MapLayers.prototype.fitPopups = function () {
    var size = this.map.getSize(), box = this.map.getContainer().getBoundingClientRect();
    var zoom = this.map.getContainer().querySelector(".leaflet-control-zoom");
    var left = POPUP_MARGIN;
    if (zoom) left = Math.max(left, Math.round(zoom.getBoundingClientRect().right - box.left) + 6);
    var right = POPUP_MARGIN;
    if (this._reserved && size.x - this._reserved - left >= 300) right = this._reserved + POPUP_MARGIN;
    this.popupPaddingTopLeft.x = left;
    this.popupPadding.x = right;
    // content width: the popup adds about 2 x 15 px of margins around it
    var width = Math.max(160, Math.min(POPUP_MAX_WIDTH, size.x - left - right - 32));
    var height = Math.max(120, Math.round(size.y - 2 * POPUP_MARGIN - 60));
    var popups = [this.eventPopup];
    this.routeLines.concat(this.placeMarkers).forEach(function (layer) { popups.push(layer.getPopup()); });
    popups.forEach(function (popup) {
      popup.options.maxWidth = width;
      popup.options.minWidth = Math.min(popup.options.minWidth || 50, width);
      popup.options.maxHeight = height;
    });
  };

  MapLayers.prototype._basemap = function () {
    return L.geoJSON(window.GEO_BASEMAP || { type: "FeatureCollection", features: [] }, {
      renderer: L.canvas({ pane: "basemap", padding: 0.1 }), interactive: false,
      style: function () { return s.BASEMAP_STYLE; }, attribution: "Outline made with Natural Earth"
    });
  };

  MapLayers.prototype._route = function (route, k) {
    var self = this;
    var line = L.polyline(route.lines, L.extend({ renderer: this.vectors }, s.routeStyle(route.mode, "operating", 0)));
    line.bindPopup(function () { return self.handlers.routePopup(k); }, this._popupOptions({ maxWidth: POPUP_MAX_WIDTH, minWidth: 240 }));
    line.routeIndex = k;
    return line;
  };

  /** 1: labelled at every zoom (cities, regions, the busiest stations, ports and airports);
   * 2: from zoom 6; 3: from zoom 8.  Overlapping labels are then thinned by declutter(),
   * border crossings first (0: a place with one of another country within CROSSING_DEG). */
  function labelRank(place, places) {
    var rank = LABEL_RANK[place.kind] || 3;
    if (rank === 2 && (place.uses || 0) >= HUB_USES) rank = 1;
    if (rank <= 2 && places.some(function (other) {
      return other.country && other.country !== place.country && (LABEL_RANK[other.kind] || 3) <= 2 &&
        Math.abs(other.lat - place.lat) < CROSSING_DEG && Math.abs(other.lon - place.lon) < CROSSING_DEG;
    })) rank = 0;
    return rank;
  }

  MapLayers.prototype._place = function (place) {
    var self = this;
    var marker = L.circleMarker([place.lat, place.lon], L.extend({ renderer: this.vectors }, s.PLACE_STYLE));
    marker.labelRank = labelRank(place, this.data.places);
    marker.bindTooltip(G.i18n.nameNode(place.name), {
      permanent: true, direction: "right", offset: [6, 0], interactive: false,
      className: "place-label rank-" + Math.max(1, marker.labelRank)
    });
    marker.bindPopup(function () {
      return d.placePopup(place, self.data, self.handlers.eventsAtPlace(place), self.handlers.openEvent);
    }, this._popupOptions({ maxWidth: 300 }));
    return marker;
  };

  MapLayers.prototype._movement = function (i) {
    var line = this.movementLines[i];
    if (line) return line;
    var parts = this.data.movements[this.data.events[i].id];
    if (!parts) return null;
    var self = this;
    line = new ArrowLine(parts, L.extend({ renderer: this.vectors }, s.MOVEMENT_STYLE));
    line.eventIndex = i;
    line.on("click", function (e) {
      L.DomEvent.stop(e);
      self.handlers.openEvent(i);
    });
    this.movementLines[i] = line;
    return line;
  };

  /** Redraw the event dots (on the next frame) with *selected* highlighted. */
  MapLayers.prototype.redrawEvents = function (selected) {
    this.dots.selected = selected;
    this.dots.refresh();
  };

  /** Show the movement lines of exactly the events in *wanted* (an array of indices). */
  MapLayers.prototype.showMovements = function (wanted, selected) {
    var group = this.groups.movements, keep = {};
    for (var k = 0; k < wanted.length; k++) {
      var i = wanted[k];
      var line = this._movement(i);
      if (!line) continue;
      keep[i] = true;
      var sel = i === selected;
      if (line.selectedStyle !== sel) {
        line.setStyle({ weight: sel ? 3.5 : s.MOVEMENT_STYLE.weight, color: sel ? "#111111" : s.MOVEMENT_STYLE.color });
        line.selectedStyle = sel;
      }
      if (!group.hasLayer(line)) group.addLayer(line);
    }
    group.eachLayer(function (layer) {
      if (!keep[layer.eventIndex]) group.removeLayer(layer);
    });
  };

  MapLayers.prototype.hasMovement = function (i) { return !!this.data.movements[this.data.events[i].id]; };

  MapLayers.prototype.setRoute = function (k, style, visible) {
    var line = this.routeLines[k];
    if (!visible) {
      this.groups.routes.removeLayer(line);
      return;
    }
    line.setStyle(style);
    if (!this.groups.routes.hasLayer(line)) this.groups.routes.addLayer(line);
  };

  MapLayers.prototype.toggle = function (name, on) {
    var layer = name === "tiles" ? this.tiles : this.groups[name];
    if (!layer) return;
    if (on && !this.map.hasLayer(layer)) this.map.addLayer(layer);
    if (!on && this.map.hasLayer(layer)) this.map.removeLayer(layer);
  };

  /** Open event *i*'s popup, centring the map on it when *zoom* is set.  False if it is not drawn. */
  MapLayers.prototype.openEvent = function (i, zoom) {
    var ev = this.data.events[i];
    if (ev.lat === null || this.dots.cls[i] === 0 || !this.map.hasLayer(this.dots)) return false;
    var latlng = L.latLng(ev.lat, ev.lon);
    if (zoom) this.map.setView(latlng, Math.max(this.map.getZoom(), 6), { animate: false });
    var popup = this.eventPopup;
    popup.eventIndex = i;
    popup.setLatLng(latlng).setContent(d.eventPopup(ev, this.data, this.handlers.eventsAt(i), this.handlers.openEvent, i));
    if (this.map.hasLayer(popup)) popup.update(); else popup.openOn(this.map);
    return true;
  };

  MapLayers.prototype.popupEvent = function () {
    var popup = this.map._popup;
    if (!popup || !this.map.hasLayer(popup)) return null;
    return popup === this.eventPopup ? popup.eventIndex : -1;
  };

  /** Open route *k*'s popup at the middle of its line, also while the line is hidden (not
   * yet recorded, or filtered out): its popup is where the reason is given. */
  MapLayers.prototype.openRoute = function (k) {
    var line = this.routeLines[k];
    this.map.fitBounds(line.getBounds(), { padding: [40, 40], maxZoom: 8, animate: false });
    var pts = line.getLatLngs();
    var flat = L.LineUtil.isFlat(pts) ? pts : pts[Math.floor(pts.length / 2)];
    var middle = flat[Math.floor(flat.length / 2)];
    if (this.groups.routes.hasLayer(line)) {
      line.openPopup(middle);
    } else {
      var popup = line.getPopup();
      popup._source = line;  // the content function reads the route from it
      popup.setLatLng(middle).openOn(this.map);
    }
    return true;
  };

  MapLayers.prototype.counts = function () {
    var map = this.map, groups = this.groups;
    function on(name) { return map.hasLayer(groups[name]) ? groups[name].getLayers().length : 0; }
    return {
      routes: on("routes"), places: on("places"), movements: on("movements"), basemap: on("basemap"),
      events: map.hasLayer(this.dots) ? this.dots.count() : 0
    };
  };

  /** Clicks on event dots are caught before they reach the vector canvas underneath. */
  MapLayers.prototype._watchPointer = function () {
    var self = this, container = this.map.getContainer(), pending = null;
    function eventAt(e) {
      if (!self.map.hasLayer(self.dots)) return -1;
      return self.dots.hit(self.map.mouseEventToContainerPoint(e));
    }
    container.addEventListener("click", function (e) {
      if (e.target.closest(".leaflet-control, .leaflet-popup")) return;
      if (self.map.dragging && self.map.dragging.moved()) return;
      var i = eventAt(e);
      if (i < 0) return;
      e.stopPropagation();
      e.preventDefault();
      self.handlers.openEvent(i);
    }, true);
    container.addEventListener("mousemove", function (e) {
      if (pending) return;
      pending = L.Util.requestAnimFrame(function () {
        pending = null;
        container.classList.toggle("over-event", !e.target.closest(".leaflet-control, .leaflet-popup") && eventAt(e) >= 0);
      });
    });
  };

  MapLayers.prototype._watchTiles = function () {
    var self = this;
    var note = document.getElementById("tiles-note");
    this.tiles.on("tileerror", function () {
      self.tileErrors++;
      if (note && self.tileLoads === 0 && note.hidden) {
        note.hidden = false;
        self.layoutOverlays();
      }
    });
    this.tiles.on("tileload", function () {
      self.tileLoads++;
      if (note && !note.hidden) {
        note.hidden = true;
        self.layoutOverlays();
      }
    });
  };

  /** Keep the overlays in the map's corners apart: the "tiles unavailable" note sits above
   * the attribution, and the legend stops above the note. */
  MapLayers.prototype.layoutOverlays = function () {
    var note = document.getElementById("tiles-note"), legend = document.getElementById("legend-box");
    var wrap = this.map.getContainer().parentNode, wrapBox = wrap.getBoundingClientRect();
    var attribution = this.map.getContainer().querySelector(".leaflet-control-attribution");
    var bottom = 8;
    if (attribution) bottom = Math.max(bottom, Math.round(wrapBox.bottom - attribution.getBoundingClientRect().top) + 6);
    if (note) note.style.bottom = bottom + "px";
    if (!legend) return;
    var legendTop = legend.getBoundingClientRect().top - wrapBox.top;
    var limit = note && !note.hidden ? note.getBoundingClientRect().top - wrapBox.top - 8 : wrapBox.height - bottom - 4;
    legend.style.maxHeight = Math.max(40, Math.floor(limit - legendTop)) + "px";
  };

  /** Hide place labels that would overlap a more important one (cities first, then the most used). */
  MapLayers.prototype.declutter = function () {
    var placed = [];
    var markers = this.placeMarkers, places = this.data.places;
    var order = markers.map(function (m, k) { return k; });
    order.sort(function (a, b) {
      return markers[a].labelRank - markers[b].labelRank ||
        (places[b].uses || 0) - (places[a].uses || 0) || a - b;
    });
    var box = this.map.getContainer().getBoundingClientRect();
    function overlaps(r) {
      if (r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom) return true;
      return placed.some(function (p) {
        return r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top;
      });
    }
    order.forEach(function (k) {
      var tip = markers[k].getTooltip();
      var node = tip && tip.getElement();
      if (!node || !node.isConnected) return;
      node.classList.remove("label-hidden");
      if (tip.options.direction !== "right") side(tip, "right");
      var r = node.getBoundingClientRect();
      if (!r.width) return;
      // try the other sides of the dot before hiding the label
      for (var k = 1; k < SIDES.length && overlaps(r); k++) {
        side(tip, SIDES[k]);
        r = node.getBoundingClientRect();
      }
      if (overlaps(r)) node.classList.add("label-hidden"); else placed.push(r);
    });
  };

  var SIDES = ["right", "left", "top", "bottom"];
  var SIDE_OFFSETS = { right: [6, 0], left: [-6, 0], top: [0, -4], bottom: [0, 4] };

  function side(tip, direction) {
    tip.options.direction = direction;
    tip.options.offset = L.point(SIDE_OFFSETS[direction]);
    tip.update();
  }

  MapLayers.prototype._labelBands = function () {
    var z = this.map.getZoom();
    var c = this.map.getContainer().classList;
    c.toggle("labels-1", z < 6);
    c.toggle("labels-2", z >= 6 && z < 8);
  };

  G.MapLayers = MapLayers;
}(window.GeoMap = window.GeoMap || {}));
