/*
 * The bar chart view: one bar per row of a SELECT result, its length the row's number (one
 * bar of each colour per numeric column, up to four), labelled by the first two columns of
 * text (else by the first other column).
 */
(function () {
  "use strict";

  var V = window.pledgekgViews;
  var MAX_ROWS = 500;
  var MAX_SERIES = 4;
  var BAR = 14;
  var LABEL_WIDTH = 200;
  var WIDTH = 900;

  function series(result) {
    var names = [];
    result.vars.forEach(function (name) {
      if (names.length < MAX_SERIES && V.columnWhere([name], result.bindings, V.isNumber)) {
        names.push(name);
      }
    });
    return names;
  }

  function canHandle(yasr) {
    var result = V.selectResult(yasr);
    return result && series(result).length > 0;
  }

  function draw(yasr, target) {
    var result = V.selectResult(yasr);
    var values = series(result);
    var others = result.vars.filter(function (name) {
      return values.indexOf(name) < 0;
    });
    var labelColumns = others.filter(function (name) {
      return V.columnWhere([name], result.bindings, function (term) {
        return term.type !== "uri" && term.type !== "bnode";
      });
    }).slice(0, 2);
    if (!labelColumns.length) labelColumns = others.slice(0, 1);
    var rows = result.bindings.slice(0, MAX_ROWS);
    var max = 0;
    rows.forEach(function (row) {
      values.forEach(function (name) {
        if (row[name]) max = Math.max(max, Number(row[name].value));
      });
    });
    var band = BAR * values.length + 8;
    var plot = WIDTH - LABEL_WIDTH - 60;
    var height = rows.length * band + 30;
    var chart = V.svg("svg", {
      class: "kg-barchart",
      viewBox: "0 0 " + WIDTH + " " + height,
      width: "100%",
      role: "img",
      "aria-label": "Bar chart of " + values.join(", ") +
        (labelColumns.length ? " by " + labelColumns.join(", ") : ""),
      "data-items": rows.length,
    });
    rows.forEach(function (row, index) {
      var y = index * band + 4;
      var label = labelColumns.map(function (name) {
        return row[name] ? V.termText(row[name]) : "";
      }).filter(Boolean).join(" · ") || String(index + 1);
      chart.appendChild(V.svg("text", {
        class: "kg-bar-label", x: LABEL_WIDTH - 8, y: y + (band - 8) / 2 + 4, "text-anchor": "end",
        text: label.length > 32 ? label.slice(0, 31) + "…" : label,
      }));
      values.forEach(function (name, s) {
        if (!row[name]) return;
        var number = Number(row[name].value);
        var length = max > 0 ? Math.max(0, (number / max) * plot) : 0;
        var bar = V.svg("rect", {
          class: "kg-bar kg-series-" + s, x: LABEL_WIDTH, y: y + s * BAR, width: length,
          height: BAR - 2, "data-value": number,
        }, [V.svg("title", { text: label + " · " + name + ": " + row[name].value })]);
        chart.appendChild(V.linked(V.rowResource(row, result.vars), bar));
        chart.appendChild(V.svg("text", {
          class: "kg-bar-value", x: LABEL_WIDTH + length + 4, y: y + s * BAR + BAR - 4,
          text: row[name].value,
        }));
      });
    });
    var legend = V.svg("g", { class: "kg-legend", transform: "translate(" + LABEL_WIDTH + "," + (height - 12) + ")" });
    values.forEach(function (name, s) {
      legend.appendChild(V.svg("rect", { class: "kg-bar kg-series-" + s, x: s * 150, y: -9, width: 10, height: 10 }));
      legend.appendChild(V.svg("text", { x: s * 150 + 14, y: 0, text: name }));
    });
    chart.appendChild(legend);
    target.appendChild(chart);
    if (result.bindings.length > MAX_ROWS) {
      V.note(target, "The first " + MAX_ROWS + " of " + result.bindings.length + " rows are drawn.");
    }
  }

  V.register({ name: "barchart", label: "Bar chart", icon: "▤", canHandle: canHandle, draw: draw });
})();
