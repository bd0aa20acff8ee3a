/*
 * The map view: the states a SELECT result names (an ISO alpha-2 column, or state IRIs) on a
 * world map, shaded by the row's first number (else by how many rows name the state), each
 * linked to its page. The shapes are Natural Earth's 1:110m countries (vendor/world-atlas),
 * drawn in an equirectangular projection; they are fetched from this server once.
 */
(function () {
  "use strict";

  var V = window.pledgekgViews;
  var WIDTH = 960;
  var NORTH = 84;
  var SOUTH = -58;
  var HEIGHT = Math.round((WIDTH * (NORTH - SOUTH)) / 360);
  var SHADES = 5;
  var shapes = null;

  function loadShapes() {
    if (!shapes) {
      var get = function (path) {
        return fetch(new URL(path, V.pageBase).href).then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status + " for " + path);
          return response.json();
        });
      };
      shapes = Promise.all([
        get("static/vendor/world-atlas/countries-110m.json"),
        get("static/views/iso-numeric.json"),
      ]).then(function (loaded) {
        var codes = loaded[1];
        return window.topojson.feature(loaded[0], loaded[0].objects.countries).features.map(function (f) {
          return { code: codes[f.id] || null, name: f.properties.name, geometry: f.geometry };
        });
      });
      shapes.catch(function () {
        shapes = null;
      });
    }
    return shapes;
  }

  function codeColumn(result) {
    return V.columnWhere(result.vars, result.bindings, function (term) {
      return V.stateCode(term) !== null;
    });
  }

  function canHandle(yasr) {
    var result = V.selectResult(yasr);
    return result && codeColumn(result) !== null;
  }

  /** An SVG path of a polygon's rings; a ring crossing the antimeridian is carried on past it. */
  function ringPath(ring) {
    var out = "";
    var shift = 0;
    var last = null;
    ring.forEach(function (point, i) {
      var lon = point[0] + shift;
      if (last !== null && Math.abs(lon - last) > 180) {
        shift += lon > last ? -360 : 360;
        lon = point[0] + shift;
      }
      last = lon;
      var x = ((lon + 180) / 360) * WIDTH;
      var y = ((NORTH - point[1]) / (NORTH - SOUTH)) * HEIGHT;
      out += (i ? "L" : "M") + x.toFixed(1) + "," + y.toFixed(1);
    });
    return out + "Z";
  }

  function geometryPath(geometry) {
    if (!geometry) return "";
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates]
      : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.map(function (rings) {
      return rings.map(ringPath).join("");
    }).join("");
  }

  function draw(yasr, target) {
    var result = V.selectResult(yasr);
    var codeName = codeColumn(result);
    var valueName = V.columnWhere(result.vars, result.bindings, V.isNumber, [codeName]);
    var byCode = {};
    result.bindings.forEach(function (row) {
      var code = V.stateCode(row[codeName]);
      if (!code) return;
      var entry = byCode[code] || (byCode[code] = { rows: [], value: 0 });
      entry.rows.push(row);
      entry.value += valueName && row[valueName] ? Number(row[valueName].value) : valueName ? 0 : 1;
    });
    var status = document.createElement("p");
    status.className = "kg-view-note";
    status.textContent = "Drawing the map…";
    target.appendChild(status);
    loadShapes().then(function (features) {
      status.remove();
      var max = 0;
      Object.keys(byCode).forEach(function (code) {
        max = Math.max(max, byCode[code].value);
      });
      var drawn = 0;
      var map = V.svg("svg", {
        class: "kg-map",
        viewBox: "0 0 " + WIDTH + " " + HEIGHT,
        width: "100%",
        role: "img",
        "aria-label": "Map of " + codeName + (valueName ? " shaded by " + valueName : ""),
      });
      map.appendChild(V.svg("rect", { class: "kg-map-sea", x: 0, y: 0, width: WIDTH, height: HEIGHT }));
      features.forEach(function (feature) {
        var entry = feature.code ? byCode[feature.code] : null;
        var path = V.svg("path", { d: geometryPath(feature.geometry), class: "kg-map-country" });
        if (!entry) {
          path.appendChild(V.svg("title", { text: feature.name }));
          map.appendChild(path);
          return;
        }
        drawn += 1;
        var shade = max > 0 ? Math.min(SHADES, 1 + Math.floor((entry.value / max) * (SHADES - 1))) : 1;
        path.setAttribute("class", "kg-map-country kg-map-state kg-shade-" + shade);
        path.setAttribute("data-code", feature.code);
        var summary = entry.rows.map(function (row) {
          return V.rowSummary(row, result.vars);
        }).join("\n\n");
        path.appendChild(V.svg("title", { text: feature.name + " (" + feature.code + ")\n" + summary }));
        map.appendChild(V.linked(V.rowResource(entry.rows[0], [codeName]) ||
          "https://w3id.org/pledgekg/id/state/" + feature.code, path));
      });
      map.setAttribute("data-items", drawn);
      target.appendChild(map);
      var missing = Object.keys(byCode).length - drawn;
      var legend = valueName ? "Shaded by " + valueName + " (darkest: " + max + ")."
        : "Shaded by the number of rows naming the state (darkest: " + max + ").";
      V.note(target, legend + (missing > 0 ? " " + missing + " state(s) too small for this map are not drawn." : ""));
    }).catch(function (err) {
      status.textContent = "The map could not be drawn: " + err.message;
    });
  }

  V.register({ name: "map", label: "Map", icon: "◍", canHandle: canHandle, draw: draw });
})();
