/*
 * The timeline view: one mark per row at the date of its first date column (a date, a
 * year-month, or a date-time), in one lane per value of the first other column with few
 * values (a stance, a state), each mark linked to the row's resource page.
 */
(function () {
  "use strict";

  var V = window.pledgekgViews;
  var MAX_ROWS = 2000;
  var MAX_LANES = 12;
  var WIDTH = 900;
  var LEFT = 160;
  var RIGHT = 20;
  var LANE = 34;
  var DAY = 86400000;

  function dateColumn(result) {
    return V.columnWhere(result.vars, result.bindings, function (term) {
      return V.dateValue(term) !== null;
    });
  }

  function laneColumn(result, skip) {
    return result.vars.find(function (name) {
      if (name === skip) return false;
      var seen = {};
      var literal = true;
      result.bindings.forEach(function (row) {
        if (!row[name]) return;
        if (row[name].type !== "literal" && row[name].type !== "typed-literal") literal = false;
        seen[row[name].value] = true;
      });
      var count = Object.keys(seen).length;
      return literal && count >= 1 && count <= MAX_LANES;
    }) || null;
  }

  function canHandle(yasr) {
    var result = V.selectResult(yasr);
    return result && dateColumn(result) !== null;
  }

  /** Tick dates between two times: months when the span is short, else years. */
  function ticks(start, end) {
    var first = new Date(start);
    var years = (end - start) / (365 * DAY);
    var step = years > 8 ? 12 * Math.ceil(years / 8) : years > 2 ? 12 : years > 0.75 ? 3 : 1;
    var cursor = Date.UTC(first.getUTCFullYear(), step >= 12 ? 0 : first.getUTCMonth(), 1);
    var out = [];
    while (cursor <= end && out.length < 40) {
      if (cursor >= start) out.push(cursor);
      var d = new Date(cursor);
      cursor = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step, 1);
    }
    return out;
  }

  function draw(yasr, target) {
    var result = V.selectResult(yasr);
    var when = dateColumn(result);
    var laneName = laneColumn(result, when);
    var dated = result.bindings.filter(function (row) {
      return V.dateValue(row[when]) !== null;
    });
    var rows = dated.slice(0, MAX_ROWS);
    var lanes = [];
    rows.forEach(function (row) {
      var key = laneName && row[laneName] ? row[laneName].value : "";
      if (lanes.indexOf(key) < 0) lanes.push(key);
    });
    var times = rows.map(function (row) {
      return V.dateValue(row[when]);
    });
    var start = Math.min.apply(null, times);
    var end = Math.max.apply(null, times);
    if (end - start < 30 * DAY) {
      start -= 15 * DAY;
      end += 15 * DAY;
    }
    var plot = WIDTH - LEFT - RIGHT;
    var x = function (t) {
      return LEFT + ((t - start) / (end - start)) * plot;
    };
    var height = lanes.length * LANE + 40;
    var chart = V.svg("svg", {
      class: "kg-timeline",
      viewBox: "0 0 " + WIDTH + " " + height,
      width: "100%",
      role: "img",
      "aria-label": "Timeline of " + when + (laneName ? " by " + laneName : ""),
      "data-items": rows.length,
    });
    var axisY = lanes.length * LANE + 8;
    chart.appendChild(V.svg("line", { class: "kg-axis", x1: LEFT, x2: WIDTH - RIGHT, y1: axisY, y2: axisY }));
    ticks(start, end).forEach(function (t) {
      var d = new Date(t);
      var text = d.getUTCMonth() === 0 ? String(d.getUTCFullYear())
        : d.getUTCFullYear() + "-" + String(d.getUTCMonth() + 1).padStart(2, "0");
      chart.appendChild(V.svg("line", { class: "kg-tick", x1: x(t), x2: x(t), y1: 0, y2: axisY + 4 }));
      chart.appendChild(V.svg("text", { class: "kg-tick-label", x: x(t), y: axisY + 20, "text-anchor": "middle", text: text }));
    });
    lanes.forEach(function (lane, index) {
      var y = index * LANE + LANE / 2;
      chart.appendChild(V.svg("line", { class: "kg-lane", x1: LEFT, x2: WIDTH - RIGHT, y1: y, y2: y }));
      chart.appendChild(V.svg("text", {
        class: "kg-lane-label", x: LEFT - 10, y: y + 4, "text-anchor": "end", text: lane || when,
      }));
    });
    // Marks on one day in one lane are spread a little so each stays visible.
    var stacked = {};
    rows.forEach(function (row, index) {
      var key = laneName && row[laneName] ? row[laneName].value : "";
      var lane = lanes.indexOf(key);
      var slot = lane + ":" + times[index];
      stacked[slot] = (stacked[slot] || 0) + 1;
      var offset = ((stacked[slot] - 1) % 3) * 6 - 6 * Math.min(1, stacked[slot] - 1);
      var mark = V.svg("circle", {
        class: "kg-event kg-lane-" + lane, cx: x(times[index]), cy: lane * LANE + LANE / 2 + offset, r: 6,
        "data-date": row[when].value,
      }, [V.svg("title", { text: V.rowSummary(row, result.vars) })]);
      chart.appendChild(V.linked(V.rowResource(row, result.vars), mark));
    });
    target.appendChild(chart);
    var undated = result.bindings.length - dated.length;
    if (undated > 0) V.note(target, undated + " row(s) without a date in " + when + " are not drawn.");
    if (dated.length > MAX_ROWS) V.note(target, "The first " + MAX_ROWS + " dated rows are drawn.");
  }

  V.register({ name: "timeline", label: "Timeline", icon: "⋯", canHandle: canHandle, draw: draw });
})();
