/* The time control: a day slider over the whole period, a per-month histogram of events
 * behind it, a year axis, a date field (type or pick a day) and a play/pause button.
 *
 * Keyboard: arrows move a month, Shift+arrow or Page Up/Down a year, Home/End to the ends,
 * "." and "," to the next and previous day with an event.  Month steps keep the day of the
 * month they started from: 31 January, 29 February, 31 March.  A dragged slider's moves are
 * applied once per animation frame.
 * onInput(day) fires on every move; onCommit(day) once a move settles (mouse released,
 * key presses paused, playback stopped): that is when a history entry is written. */
(function (G) {
  "use strict";

  var u = G.util;
  var COMMIT_DELAY_MS = 600;
  var PLAY_STEP_MS = 450;

  function Timeline(opts) {
    this.start = opts.startDay;
    this.end = opts.endDay;
    this.day = this.end;
    this.slider = opts.slider;
    this.output = opts.output;
    this.playButton = opts.play;
    this.onInput = opts.onInput;
    this.onCommit = opts.onCommit;
    this.nextEventDay = opts.nextEventDay;
    this._anchor = 0;  // the day of the month month steps keep (0: the current day's)
    this._frame = 0;
    this._pendingDay = null;
    this.field = this._dateField();
    var help = document.getElementById("date-help");
    if (help) {
      help.textContent = G.t("date_help");
    }
    this._timer = null;
    this._commitTimer = null;
    this.slider.min = "0";
    this.slider.max = String(this.end - this.start);
    this._drawHistogram(opts.histogramEl, opts.histogram);
    this._drawAxis(opts.axisEl);
    this._bind();
    this.set(this.end);
  }

  Timeline.prototype._bind = function () {
    var self = this;
    this.slider.addEventListener("input", function () {
      self.pause(false);
      self._anchor = 0;
      self._moveSoon(self.start + Number(self.slider.value));
    });
    this.slider.addEventListener("change", function () { self._commitSoon(0); });
    this.slider.addEventListener("keydown", function (e) { self._key(e); });
    this.playButton.addEventListener("click", function () {
      if (self._timer) self.pause(true); else self.play();
    });
  };

  Timeline.prototype._key = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;  // leave browser shortcuts (Alt+Left: Back) alone
    var months = 0;
    var big = e.shiftKey ? 12 : 1;
    switch (e.key) {
      case "ArrowLeft": case "ArrowDown": months = -big; break;
      case "ArrowRight": case "ArrowUp": months = big; break;
      case "PageDown": months = -12; break;
      case "PageUp": months = 12; break;
      case "Home": this._anchor = 0; this._keyMove(e, this.start); return;
      case "End": this._anchor = 0; this._keyMove(e, this.end); return;
      case ".": case ",": this._eventStep(e, e.key === "." ? 1 : -1); return;
      default: return;
    }
    this._anchor = this._anchor || u.dayOfMonth(this.day);
    this._keyMove(e, u.addMonths(this.day, months, this._anchor));
  };

  /** To the next (1) or previous (-1) day with an event; stays put at the first or last. */
  Timeline.prototype._eventStep = function (e, direction) {
    var day = this.nextEventDay ? this.nextEventDay(this.day, direction) : null;
    e.preventDefault();
    if (day === null || day < this.start || day > this.end) return;
    this._anchor = 0;
    this._keyMove(e, day);
  };

  /** The date field beside "Map as of": type a day or pick one; Enter or leaving it applies it. */
  Timeline.prototype._dateField = function () {
    var self = this;
    var field = u.el("input", { className: "date-field", attrs: {
      type: "date", id: "date-field", min: u.isoDay(this.start), max: u.isoDay(this.end),
      "aria-label": G.t("map_date"), "aria-keyshortcuts": ". ,"
    } });
    field.addEventListener("change", function () {
      var day = u.dayNumber(field.value);
      if (day === null) return;
      self.pause(false);
      self._anchor = 0;
      self._move(Math.max(self.start, Math.min(self.end, day)));
      self._commitSoon(0);
    });
    field.addEventListener("keydown", function (e) {
      if (e.key === "." || e.key === ",") self._eventStep(e, e.key === "." ? 1 : -1);
    });
    var readout = this.output.parentNode;
    readout.appendChild(field);
    return field;
  };

  /** Apply a dragged slider's position once per animation frame, however many moves it made. */
  Timeline.prototype._moveSoon = function (day) {
    this._pendingDay = day;
    if (this._frame) return;
    var self = this;
    this._frame = window.requestAnimationFrame(function () {
      self._frame = 0;
      var next = self._pendingDay;
      self._pendingDay = null;
      if (next !== null) self._move(next);
    });
  };

  Timeline.prototype._keyMove = function (e, day) {
    e.preventDefault();
    this.pause(false);
    this._move(day);
    this._commitSoon(COMMIT_DELAY_MS);
  };

  Timeline.prototype._move = function (day) {
    if (this._frame) {  // a key or the play button overtakes a drag waiting for its frame
      window.cancelAnimationFrame(this._frame);
      this._frame = 0;
      this._pendingDay = null;
    }
    this.set(day);
    this.onInput(this.day);
  };

  Timeline.prototype._commitSoon = function (delay) {
    var self = this;
    clearTimeout(this._commitTimer);
    this._commitTimer = setTimeout(function () { self.onCommit(self.day); }, delay);
  };

  /** Show *day* (clamped to the period) without telling anyone. */
  Timeline.prototype.set = function (day) {
    day = Math.max(this.start, Math.min(this.end, day));
    this.day = day;
    var offset = day - this.start;
    if (Number(this.slider.value) !== offset) this.slider.value = String(offset);
    var text = u.formatDay(day);
    this.slider.setAttribute("aria-valuetext", text);
    this.output.textContent = text;
    if (this.field) this.field.value = u.isoDay(day);
    if (this._clip) this._clip.setAttribute("width", String(offset + 1));
  };

  Timeline.prototype.play = function () {
    var self = this;
    if (this.day >= this.end) this._move(this.start);
    this.playButton.setAttribute("aria-pressed", "true");
    this.playButton.setAttribute("aria-label", G.t("pause"));
    this._anchor = 0;
    this._timer = setInterval(function () {
      var next = u.addMonths(self.day, 1);
      if (next >= self.end) {
        self._move(self.end);
        self.pause(true);
      } else {
        self._move(next);
      }
    }, PLAY_STEP_MS);
  };

  Timeline.prototype.pause = function (commit) {
    if (!this._timer) return;
    clearInterval(this._timer);
    this._timer = null;
    this.playButton.setAttribute("aria-pressed", "false");
    this.playButton.setAttribute("aria-label", G.t("play"));
    if (commit) this._commitSoon(0);
  };

  Timeline.prototype.playing = function () { return this._timer !== null; };

  /** Bars per month in an SVG whose x axis is in days, so it lines up with the slider. */
  Timeline.prototype._drawHistogram = function (container, hist) {
    var total = this.end - this.start + 1;
    var counts = hist.counts;
    var max = Math.max.apply(null, counts.concat([1]));
    var box = u.svg("svg", { viewBox: "0 0 " + total + " 40", preserveAspectRatio: "none", focusable: "false" });
    var all = u.svg("g", { class: "bars" });
    var past = u.svg("g", { class: "bars-past", "clip-path": "url(#hist-clip)" });
    var defs = u.svg("defs");
    var clip = u.svg("clipPath", { id: "hist-clip" });
    this._clip = u.svg("rect", { x: 0, y: 0, width: total, height: 40 });
    clip.appendChild(this._clip);
    defs.appendChild(clip);
    var first = u.dayNumber(hist.first_month + "-01");
    for (var i = 0; i < counts.length; i++) {
      if (!counts[i]) continue;
      var monthStart = u.addMonths(first, i);
      var days = u.addMonths(first, i + 1) - monthStart;
      var h = 4 + 36 * counts[i] / max;
      var attrs = { x: monthStart - this.start, y: 40 - h, width: Math.max(days * 0.8, 1), height: h };
      all.appendChild(u.svg("rect", attrs));
      past.appendChild(u.svg("rect", attrs));
    }
    box.appendChild(defs);
    box.appendChild(all);
    box.appendChild(past);
    container.replaceChildren(box);
  };

  Timeline.prototype._drawAxis = function (container) {
    var total = this.end - this.start;
    var labels = [];
    for (var y = u.year(this.start); y <= u.year(this.end); y++) {
      var day = u.dayNumber(y + "-01-01");
      if (day < this.start) continue;
      var span = u.el("span", { className: "tick" + (y % 2 ? " odd" : ""), text: String(y) });
      span.style.left = (100 * (day - this.start) / total) + "%";
      labels.push(span);
    }
    container.replaceChildren.apply(container, labels);
  };

  G.Timeline = Timeline;
}(window.GeoMap = window.GeoMap || {}));
