/*
 * The graph view of a CONSTRUCT or DESCRIBE result: each resource a node (named by its
 * label or title when the result gives one), each triple between two resources an edge named
 * by its predicate; literals other than names are listed in the node's tooltip. Laid out by a
 * small force simulation run a fixed number of steps from fixed starting points, so the same
 * result is always drawn the same way.
 */
(function () {
  "use strict";

  var V = window.pledgekgViews;
  var MAX_NODES = 300;
  var STEPS = 300;
  var WIDTH = 900;
  var HEIGHT = 600;
  var NAMES = [
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name",
  ];
  var TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

  function statements(yasr) {
    var results = yasr.results;
    if (!results || (results.hasError && results.hasError()) || !results.getStatements) return null;
    var found = results.getStatements();
    return Array.isArray(found) && found.length ? found : null;
  }

  function canHandle(yasr) {
    return statements(yasr) !== null;
  }

  function isNode(term) {
    return term.termType === "NamedNode" || term.termType === "BlankNode";
  }

  /** Nodes and edges of the statements; at most MAX_NODES nodes, in order of appearance. */
  function build(quads) {
    var nodes = [];
    var index = {};
    var edges = [];
    var seenEdges = {};
    function node(term) {
      var key = term.termType + " " + term.value;
      if (!(key in index)) {
        if (nodes.length >= MAX_NODES) return null;
        index[key] = nodes.length;
        nodes.push({ term: term, name: null, kind: null, notes: [], degree: 0 });
      }
      return nodes[index[key]];
    }
    quads.forEach(function (q) {
      var subject = node(q.subject);
      if (!subject) return;
      var predicate = q.predicate.value;
      if (q.object.termType === "Literal") {
        if (NAMES.indexOf(predicate) >= 0 && subject.name === null) subject.name = q.object.value;
        else subject.notes.push(V.termText({ type: "uri", value: predicate }) + ": " + q.object.value);
        return;
      }
      if (predicate === TYPE) {
        subject.kind = V.termText({ type: "uri", value: q.object.value });
        return;
      }
      var object = node(q.object);
      if (!object) return;
      var key = index[q.subject.termType + " " + q.subject.value] + " " + predicate + " " +
        index[q.object.termType + " " + q.object.value];
      if (seenEdges[key]) return;
      seenEdges[key] = true;
      subject.degree += 1;
      object.degree += 1;
      edges.push({ from: subject, to: object, predicate: predicate });
    });
    return { nodes: nodes, edges: edges };
  }

  /**
   * Place the nodes (Fruchterman and Reingold's method): start on a circle, then each step
   * push every pair apart, pull the ends of each edge together and draw all towards the
   * middle, moving each node at most as far as the cooling temperature allows.
   */
  function layout(nodes, edges) {
    var n = nodes.length;
    nodes.forEach(function (d, i) {
      var angle = (2 * Math.PI * i) / Math.max(1, n);
      d.x = WIDTH / 2 + (WIDTH / 3) * Math.cos(angle);
      d.y = HEIGHT / 2 + (HEIGHT / 3) * Math.sin(angle);
    });
    var k = Math.sqrt((WIDTH * HEIGHT) / Math.max(1, n)) * 0.5;
    for (var step = 0; step < STEPS; step++) {
      var temperature = (WIDTH / 10) * (1 - step / STEPS) + 0.5;
      nodes.forEach(function (d) {
        d.dx = (WIDTH / 2 - d.x) * 0.05;
        d.dy = (HEIGHT / 2 - d.y) * 0.05;
      });
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var a = nodes[i];
          var b = nodes[j];
          var dx = a.x - b.x;
          var dy = a.y - b.y;
          var dist = Math.max(Math.sqrt(dx * dx + dy * dy), 0.5);
          var push = (k * k) / dist / dist;
          a.dx += dx * push;
          a.dy += dy * push;
          b.dx -= dx * push;
          b.dy -= dy * push;
        }
      }
      edges.forEach(function (e) {
        var dx = e.to.x - e.from.x;
        var dy = e.to.y - e.from.y;
        var pull = Math.sqrt(dx * dx + dy * dy) / k;
        e.from.dx += dx * pull;
        e.from.dy += dy * pull;
        e.to.dx -= dx * pull;
        e.to.dy -= dy * pull;
      });
      nodes.forEach(function (d) {
        var length = Math.max(Math.sqrt(d.dx * d.dx + d.dy * d.dy), 0.01);
        var move = Math.min(length, temperature) / length;
        d.x = Math.min(WIDTH - 30, Math.max(30, d.x + d.dx * move));
        d.y = Math.min(HEIGHT - 20, Math.max(20, d.y + d.dy * move));
      });
    }
  }

  function draw(yasr, target) {
    var graph = build(statements(yasr));
    layout(graph.nodes, graph.edges);
    var chart = V.svg("svg", {
      class: "kg-graph",
      viewBox: "0 0 " + WIDTH + " " + HEIGHT,
      width: "100%",
      role: "img",
      "aria-label": "Graph of " + graph.nodes.length + " resources and " + graph.edges.length + " links",
      "data-nodes": graph.nodes.length,
      "data-edges": graph.edges.length,
    });
    graph.edges.forEach(function (e) {
      chart.appendChild(V.svg("line", {
        class: "kg-graph-edge", x1: e.from.x.toFixed(1), y1: e.from.y.toFixed(1),
        x2: e.to.x.toFixed(1), y2: e.to.y.toFixed(1),
      }, [V.svg("title", { text: V.termText({ type: "uri", value: e.predicate }) })]));
    });
    graph.nodes.forEach(function (d) {
      var label = d.name || V.termText({ type: "uri", value: d.term.value });
      var tip = [label, d.kind ? "a " + d.kind : "", d.term.value].concat(d.notes).filter(Boolean).join("\n");
      var group = V.svg("g", { class: "kg-graph-node", transform: "translate(" + d.x.toFixed(1) + "," + d.y.toFixed(1) + ")" }, [
        V.svg("circle", { r: Math.min(14, 5 + d.degree) }),
        V.svg("text", { x: 8, y: -8, text: label.length > 28 ? label.slice(0, 27) + "…" : label }),
        V.svg("title", { text: tip }),
      ]);
      chart.appendChild(d.term.termType === "NamedNode" ? V.linked(d.term.value, group) : group);
    });
    target.appendChild(chart);
  }

  V.register({ name: "graph", label: "Graph", icon: "⊛", canHandle: canHandle, draw: draw });
})();
