/*
 * What the result views (views/*.js, each a YASR plugin) share: SVG drawing, reading the
 * columns of a SELECT result (numbers, dates, states), and links from resource IRIs to their
 * pages on this server (/id/...), never to w3id.org.
 *
 * Everything from a result is set as text or as an attribute value, never parsed as markup.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var KGR = "https://w3id.org/pledgekg/id/";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map(function (t) {
    return XSD + t;
  });
  var DATE_TEXT = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?$/;
  var STATE_CODE = /^[A-Z]{2}$/;
  // This script is static/views/common.js: the page's root is two levels up.
  var pageBase = new URL("../../", document.currentScript.src);

  /** An SVG element with attributes (`text` sets its text) and children. */
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined) return;
      if (key === "text") node.textContent = String(value);
      else node.setAttribute(key, String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  /** The page on this server of a resource IRI; another http(s) IRI as it is; else null. */
  function localHref(iri) {
    if (typeof iri !== "string") return null;
    if (iri.indexOf(KGR) === 0) {
      var local = iri.slice(KGR.length);
      return /^[A-Za-z0-9][A-Za-z0-9._~\/-]*$/.test(local) ? new URL("id/" + local, pageBase).href : null;
    }
    return /^https?:\/\//i.test(iri) ? iri : null;
  }

  /** A link around an SVG element, to the page of an IRI (or the element alone). */
  function linked(iri, child) {
    var href = localHref(iri);
    if (!href) return child;
    return svg("a", { href: href, class: "kg-view-link" }, [child]);
  }

  /** A short readable form of a term: literals as they are, IRIs by their last part. */
  function termText(term) {
    if (!term) return "";
    if (term.type !== "uri") return String(term.value);
    var text = String(term.value);
    if (text.indexOf(KGR) === 0) return text.slice(KGR.length);
    var cut = Math.max(text.lastIndexOf("#"), text.lastIndexOf("/"));
    return cut >= 0 && cut < text.length - 1 ? text.slice(cut + 1) : text;
  }

  function isNumber(term) {
    if (!term || term.type === "uri" || term.type === "bnode") return false;
    if (term.datatype && NUMERIC.indexOf(term.datatype) >= 0) return true;
    return !term.datatype && /^-?\d+(\.\d+)?$/.test(term.value);
  }

  /** Milliseconds since 1970 (UTC) of a date, year-month or year literal; null otherwise. */
  function dateValue(term) {
    if (!term || term.type === "uri" || term.type === "bnode") return null;
    if (term.datatype && NUMERIC.indexOf(term.datatype) >= 0) return null;
    var match = DATE_TEXT.exec(String(term.value).trim());
    if (!match) return null;
    var month = match[2] ? Number(match[2]) - 1 : 0;
    var day = match[3] ? Number(match[3]) : 1;
    if (month > 11 || day > 31) return null;
    if (!match[2] && !(term.datatype === XSD + "gYear")) return null; // a bare number is no date
    return Date.UTC(Number(match[1]), month, day);
  }

  /** The ISO alpha-2 code a term names: "ES", or the state's IRI kgr:state/ES. */
  function stateCode(term) {
    if (!term) return null;
    var text = String(term.value);
    if (term.type === "uri") {
      return text.indexOf(KGR + "state/") === 0 ? text.slice(KGR.length + 6) : null;
    }
    return STATE_CODE.test(text) ? text : null;
  }

  /**
   * The first variable whose bound values all pass `test` (and that is bound at least once),
   * leaving out those in `skip`.
   */
  function columnWhere(vars, bindings, test, skip) {
    return vars.find(function (name) {
      if (skip && skip.indexOf(name) >= 0) return false;
      var bound = bindings.filter(function (row) {
        return row[name];
      });
      return bound.length > 0 && bound.every(function (row) {
        return test(row[name]);
      });
    }) || null;
  }

  /** The first resource IRI of a row (what a mark of it links to). */
  function rowResource(row, vars) {
    for (var i = 0; i < vars.length; i++) {
      var term = row[vars[i]];
      if (term && term.type === "uri" && term.value.indexOf(KGR) === 0) return term.value;
    }
    return null;
  }

  /** "name: value" lines of a row, for a mark's tooltip. */
  function rowSummary(row, vars) {
    return vars
      .filter(function (name) {
        return row[name];
      })
      .map(function (name) {
        return name + ": " + termText(row[name]);
      })
      .join("\n");
  }

  function selectResult(yasr) {
    var results = yasr.results;
    if (!results || results.hasError && results.hasError()) return null;
    var bindings = results.getBindings && results.getBindings();
    if (!Array.isArray(bindings) || !bindings.length) return null;
    return { vars: results.getVariables(), bindings: bindings };
  }

  function note(target, text) {
    var p = document.createElement("p");
    p.className = "kg-view-note";
    p.textContent = text;
    target.appendChild(p);
  }

  function icon(text) {
    var span = document.createElement("span");
    span.className = "kg-view-icon";
    span.setAttribute("aria-hidden", "true");
    span.textContent = text;
    return span;
  }

  /**
   * Register a YASR plugin from a spec: name, label, icon (a character), canHandle(yasr) and
   * draw(yasr, target). It never draws unless chosen (by its button or an example's view).
   */
  function register(spec) {
    function View(yasr) {
      this.yasr = yasr;
      this.label = spec.label;
      this.priority = 1;
      this.hideFromSelection = false;
    }
    View.prototype.canHandleResults = function () {
      try {
        return !!spec.canHandle(this.yasr);
      } catch (err) {
        return false;
      }
    };
    View.prototype.draw = function () {
      var target = document.createElement("div");
      target.className = "kg-view kg-view-" + spec.name;
      this.yasr.resultsEl.appendChild(target);
      spec.draw(this.yasr, target);
    };
    View.prototype.getIcon = function () {
      return icon(spec.icon);
    };
    window.Yasr.registerPlugin(spec.name, View, true);
  }

  window.pledgekgViews = {
    svg: svg,
    linked: linked,
    localHref: localHref,
    termText: termText,
    isNumber: isNumber,
    dateValue: dateValue,
    stateCode: stateCode,
    columnWhere: columnWhere,
    rowResource: rowResource,
    rowSummary: rowSummary,
    selectResult: selectResult,
    note: note,
    register: register,
    pageBase: pageBase,
  };
})();
