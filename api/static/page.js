/*
 * The analysts' page: a SPARQL editor (the vendored YASGUI) over this server's /sparql,
 * preloaded with the example queries of /queries, and a country view built from
 * /countries/{code}.
 *
 * Results can also be drawn as a bar chart, a timeline, a map or a graph: YASR plugins in
 * views/*.js, loaded before this script. Result IRIs of the graph's resources link to their
 * pages on this server (/id/...).
 *
 * Plain script, no build step. Everything from the server is inserted as text, never as
 * HTML, and only http(s) URLs become links.
 *
 * URL parameters, so a view can be linked to:
 *   ?country=ES          open the country view on a state (alpha-2, alpha-3 or English name)
 *   ?view=country        open the country view
 *   ?view=sources        list the ingested articles (title, locator, date)
 *   ?source=<id>         one article: where it was found, its date, and every fact extracted
 *                        from it with its evidence
 *   ?example=<name>      open an example query (file name without .rq) in its tab, in the
 *                        result view its "# view:" line names (bar chart, timeline, map, graph)
 * Nothing in the URL runs a query or names an endpoint: a link to this page (from any site)
 * can only open a view or a shipped example, and a query runs when the user presses run. The
 * editor's own URL reading (#query=...&endpoint=...) is switched off.
 * The body's data-status ("loading", "ready", "running", "results", "error") and
 * data-result-rows attributes tell scripts and tests when a query has been drawn.
 */
(function () {
  "use strict";

  var pageBase = new URL(".", document.baseURI);
  var SPARQL_ENDPOINT = new URL("sparql", pageBase).href;
  var params = new URLSearchParams(window.location.search);

  // Shown compacted in result tables; matches the namespaces of the graph's contract.
  var PREFIXES = {
    kg: "https://w3id.org/pledgekg/ontology#",
    kgr: "https://w3id.org/pledgekg/id/",
    schema: "https://schema.org/",
    prov: "http://www.w3.org/ns/prov#",
    dcterms: "http://purl.org/dc/terms/",
    skos: "http://www.w3.org/2004/02/skos/core#",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    owl: "http://www.w3.org/2002/07/owl#",
    xsd: "http://www.w3.org/2001/XMLSchema#",
  };

  var NEW_TAB_QUERY = [
    "PREFIX kg: <https://w3id.org/pledgekg/ontology#>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "",
    "# Committed pledges: which state, what kind of contribution, and the quoted evidence.",
    "SELECT ?state ?type ?evidence WHERE {",
    "  ?p a kg:Pledge ; kg:pledgedBy ?s ; kg:stance kg:Committed ;",
    "     kg:contributionType ?type ; kg:evidence ?evidence .",
    "  ?s kg:isoCode ?state .",
    "}",
    "ORDER BY ?state",
    "LIMIT 100",
    "",
  ].join("\n");

  var examples = [];
  var examplesLoaded = null;
  var yasgui = null;

  // ---------------------------------------------------------------- small helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = String(value);
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function isBlank(value) {
    return (
      value === null ||
      value === undefined ||
      (typeof value === "string" && value.trim() === "") ||
      (Array.isArray(value) && value.length === 0)
    );
  }

  /** The first of the named fields that holds something; names may be dotted paths. */
  function pick(obj, names) {
    if (!obj || typeof obj !== "object") return undefined;
    for (var i = 0; i < names.length; i++) {
      var value = names[i].split(".").reduce(function (acc, part) {
        return acc && typeof acc === "object" ? acc[part] : undefined;
      }, obj);
      if (!isBlank(value)) return value;
    }
    return undefined;
  }

  /** A list from a list, a paged envelope ({data|items|results: [...]}) or a single value. */
  function asList(value) {
    if (isBlank(value)) return [];
    if (Array.isArray(value)) return value;
    if (typeof value === "object") {
      var inner = pick(value, ["data", "items", "results", "values"]);
      if (Array.isArray(inner)) return inner;
    }
    return [value];
  }

  function localName(iri) {
    var text = String(iri);
    var cut = Math.max(text.lastIndexOf("#"), text.lastIndexOf("/"));
    return cut >= 0 && cut < text.length - 1 ? text.slice(cut + 1) : text;
  }

  function looksLikeIri(text) {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^urn:/i.test(text);
  }

  /** Readable text for a value of unknown shape: strings, numbers, lists, labelled objects. */
  function display(value) {
    if (isBlank(value)) return "";
    if (Array.isArray(value)) return value.map(display).filter(Boolean).join(", ");
    if (typeof value === "object") {
      var inner = pick(value, ["label", "name", "title", "pref_label", "prefLabel", "value"]);
      if (inner !== undefined) return display(inner);
      var iri = pick(value, ["iri", "id", "uri", "code"]);
      return iri === undefined ? "" : humanize(String(iri));
    }
    return String(value);
  }

  /** "GroundTroops" or "https://w3id.org/pledgekg/ontology#GroundTroops" -> "Ground troops". */
  function humanize(text) {
    var name = looksLikeIri(text) ? localName(text) : text;
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) return name;
    name = name.replace(/[-_]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function displayConcept(value) {
    return asList(value)
      .map(function (item) {
        return humanize(display(item));
      })
      .filter(Boolean)
      .join(", ");
  }

  function safeHref(url) {
    if (typeof url !== "string") return null;
    try {
      var parsed = new URL(url, pageBase);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (err) {
      return null;
    }
  }

  function link(url, text) {
    var href = safeHref(url);
    if (!href) return document.createTextNode(text || "");
    return el("a", { href: href, rel: "noopener noreferrer", target: "_blank", text: text || href });
  }

  function setStatus(node, text, kind) {
    node.textContent = text || "";
    node.className = "status" + (kind ? " " + kind : "");
  }

  function setPageStatus(status, rows) {
    document.body.dataset.status = status;
    if (rows === undefined) delete document.body.dataset.resultRows;
    else document.body.dataset.resultRows = String(rows);
  }

  async function fetchJson(url) {
    var response = await fetch(url, { headers: { Accept: "application/json" } });
    var body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    return { ok: response.ok, status: response.status, body: body };
  }

  /** Every item of a paged list (up to `pages` pages of `size`), and whether all pages came. */
  async function fetchAll(path, size, pages) {
    var items = [];
    for (var page = 0; page < pages; page++) {
      var url = new URL(path, pageBase);
      url.searchParams.set("limit", String(size));
      url.searchParams.set("offset", String(page * size));
      var result = await fetchJson(url.href);
      if (!result.ok) return { ok: false, status: result.status, items: items };
      var found = asList(result.body);
      items = items.concat(found);
      var total = pick(result.body, ["total", "count"]);
      if (found.length < size || typeof total !== "number" || items.length >= total) break;
    }
    return { ok: true, status: 200, items: items };
  }

  function updateUrl(changes) {
    var next = new URLSearchParams(window.location.search);
    Object.keys(changes).forEach(function (key) {
      if (changes[key] === null) next.delete(key);
      else next.set(key, changes[key]);
    });
    var search = next.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  // ---------------------------------------------------------------- views

  function showView(name) {
    document.querySelectorAll(".view-button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.view === name));
    });
    document.getElementById("query-view").hidden = name !== "query";
    document.getElementById("country-view").hidden = name !== "country";
    document.getElementById("sources-view").hidden = name !== "sources";
    if (name === "query") {
      // The editor measures itself, so it is built (or refreshed) only once visible.
      if (!yasgui) initEditor();
      else refreshEditor();
    } else if (name === "country") {
      loadCountryOptions();
    }
  }

  // ---------------------------------------------------------------- example queries

  function loadExamples() {
    if (!examplesLoaded) {
      examplesLoaded = fetchJson(new URL("queries", pageBase).href).then(function (result) {
        if (!result.ok || !Array.isArray(result.body)) {
          var error = document.getElementById("examples-error");
          error.textContent = "The example queries could not be loaded (HTTP " + result.status + ").";
          error.hidden = false;
          return [];
        }
        examples = result.body.filter(function (item) {
          return item && typeof item.query === "string";
        });
        renderExampleList();
        return examples;
      });
    }
    return examplesLoaded;
  }

  function renderExampleList() {
    var list = document.getElementById("example-list");
    list.replaceChildren();
    examples.forEach(function (example) {
      var button = el("button", { type: "button", className: "example", "data-name": example.name }, [
        el("span", { className: "example-title", text: example.title || example.name }),
        el("span", { className: "example-description", text: example.description || "" }),
      ]);
      button.addEventListener("click", function () {
        openExample(example);
        updateUrl({ example: example.name, view: null, country: null });
      });
      list.appendChild(el("li", null, [button]));
    });
  }

  function findExample(name) {
    return examples.find(function (example) {
      return example.name === name;
    });
  }

  function findTabByName(name) {
    var found = null;
    Object.keys(yasgui._tabs || {}).forEach(function (id) {
      var tab = yasgui.getTab(id);
      if (tab && tab.getName() === name) found = tab;
    });
    return found;
  }

  /** Open an example in its own tab (reusing the tab of that title), reset to the shipped text. */
  function openExample(example) {
    var title = example.title || example.name;
    var tab = findTabByName(title);
    if (tab) {
      yasgui.selectTabId(tab.getId());
    } else {
      tab = yasgui.addTab(true, {
        name: title,
        yasqe: { value: example.query },
        requestConfig: { endpoint: SPARQL_ENDPOINT },
      });
    }
    tab.setEndpoint(SPARQL_ENDPOINT);
    if (tab.getQuery() !== example.query) tab.setQuery(example.query);
    var yasr = tab.getYasr();
    if (yasr && example.view) yasr.selectPlugin(example.view);
    markActiveExample(example.name);
    return tab;
  }

  /**
   * Result IRIs of the graph's own resources (https://w3id.org/pledgekg/id/...) open their
   * page on this server (/id/...), in this window, whichever view drew them.
   */
  function linkResourcesHere(container) {
    var prefix = PREFIXES.kgr;
    function rewrite(root) {
      if (!root.querySelectorAll) return;
      root.querySelectorAll('a[href^="' + prefix + '"]').forEach(function (anchor) {
        var local = anchor.getAttribute("href").slice(prefix.length);
        if (!/^[A-Za-z0-9][A-Za-z0-9._~\/-]*$/.test(local)) return;
        anchor.setAttribute("href", new URL("id/" + local, pageBase).href);
        anchor.removeAttribute("target");
        anchor.classList.add("resource-link");
      });
    }
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(rewrite);
      });
    }).observe(container, { childList: true, subtree: true });
    rewrite(container);
  }

  function markActiveExample(name) {
    document.querySelectorAll(".example").forEach(function (button) {
      button.classList.toggle("active", button.dataset.name === name);
    });
  }

  // ---------------------------------------------------------------- the editor

  function initEditor() {
    var container = document.getElementById("yasgui");
    var status = document.getElementById("query-status");
    if (typeof window.Yasgui !== "function") {
      setStatus(status, "The query editor failed to load.", "error");
      setPageStatus("error");
      return;
    }
    var Yasgui = window.Yasgui;
    // The class and property completers look terms up on a remote vocabulary service; the
    // page must work offline and send queries nowhere but here, so only local ones stay.
    Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
    Yasgui.Yasqe.defaults.value = NEW_TAB_QUERY;
    Yasgui.defaults.requestConfig.endpoint = SPARQL_ENDPOINT;

    linkResourcesHere(container);
    yasgui = new Yasgui(container, {
      // Never take a query or an endpoint from the URL, nor run one on load.
      populateFromUrl: false,
      persistenceId: "pledgekg",
      tabName: "Query",
      copyEndpointOnNewTab: true,
      requestConfig: { endpoint: SPARQL_ENDPOINT, method: "POST" },
      endpointCatalogueOptions: {
        getData: function () {
          return [{ endpoint: SPARQL_ENDPOINT }];
        },
      },
      yasqe: { resizeable: true, editorHeight: "320px" },
      yasr: { prefixes: PREFIXES, maxPersistentResponseSize: 200000 },
    });

    // Tabs restored from an earlier visit may point at an address this server no longer has.
    Object.keys(yasgui._tabs || {}).forEach(function (id) {
      var tab = yasgui.getTab(id);
      if (tab) tab.setEndpoint(SPARQL_ENDPOINT);
    });

    yasgui.on("query", function () {
      setStatus(status, "Running…", "busy");
      setPageStatus("running");
    });
    yasgui.on("queryAbort", function () {
      setStatus(status, "Query stopped.", "");
      setPageStatus("ready");
    });
    yasgui.on("queryResponse", function (_instance, tab) {
      // Sent before the results are drawn; report once they are, or after a while if no
      // result view could draw them.
      var yasr = tab.getYasr();
      var reported = false;
      var report = function () {
        if (reported) return;
        reported = true;
        reportResults(yasr, status);
      };
      yasr.once("drawn", report);
      window.setTimeout(report, 3000);
    });
    yasgui.on("tabSelect", function (_instance, tabId) {
      var tab = yasgui.getTab(tabId);
      var example = tab && examples.find(function (item) {
        return (item.title || item.name) === tab.getName();
      });
      markActiveExample(example ? example.name : null);
    });

    setPageStatus("ready");
    loadExamples().then(function () {
      var wanted = params.get("example");
      var example = wanted ? findExample(wanted) : null;
      if (wanted && !example) {
        setStatus(status, 'No example query is named "' + wanted + '".', "error");
        setPageStatus("error");
        return;
      }
      if (example) {
        openExample(example);
      } else {
        var current = yasgui.getTab();
        var match = current && examples.find(function (item) {
          return (item.title || item.name) === current.getName();
        });
        if (match) markActiveExample(match.name);
      }
    });
  }

  function refreshEditor() {
    var tab = yasgui && yasgui.getTab();
    if (tab && tab.getYasqe()) tab.getYasqe().refresh();
  }

  function reportResults(yasr, status) {
    var results = yasr.results;
    if (!results) return;
    if (results.hasError()) {
      var error = results.getError() || {};
      setStatus(status, "The query failed: " + (error.text || error.statusText || "error"), "error");
      setPageStatus("error");
      return;
    }
    var bindings = results.getBindings();
    var seconds = results.getResponseTime() ? results.getResponseTime() / 1000 : null;
    var timing = seconds === null ? "" : " in " + seconds.toFixed(2) + " s";
    if (Array.isArray(bindings)) {
      var n = bindings.length;
      setStatus(status, n + (n === 1 ? " result" : " results") + timing + ".", "");
      setPageStatus("results", n);
    } else if (typeof results.getBoolean() === "boolean") {
      setStatus(status, "Answer: " + results.getBoolean() + timing + ".", "");
      setPageStatus("results", 1);
    } else {
      setStatus(status, "Done" + timing + ".", "");
      setPageStatus("results");
    }
  }

  // ---------------------------------------------------------------- the country view

  var countryOptionsLoaded = false;

  async function loadCountryOptions() {
    if (countryOptionsLoaded) return;
    countryOptionsLoaded = true;
    var options = document.getElementById("country-options");
    var listed = await fetchAll("countries", 100, 10);
    listed.items.forEach(function (item) {
      var code = display(pick(item, ["code", "iso_code", "isoCode", "alpha2", "alpha_2"]));
      var name = display(pick(item, ["name", "label"]));
      if (!code && !name) return;
      var pledges = pick(item, ["pledge_count", "pledges", "counts.pledges", "n_pledges"]);
      var label = name + (typeof pledges === "number" ? " (" + pledges + " pledges)" : "");
      options.appendChild(el("option", { value: code || name, label: label }));
    });
  }

  async function lookupCountry(query) {
    var status = document.getElementById("country-status");
    var target = document.getElementById("country-result");
    query = query.trim();
    if (!query) return;
    document.getElementById("country-input").value = query;
    updateUrl({ country: query, view: null, example: null });
    setStatus(status, "Looking up " + query + "…", "busy");
    setPageStatus("running");
    var result;
    try {
      result = await fetchJson(new URL("countries/" + encodeURIComponent(query), pageBase).href);
    } catch (err) {
      setStatus(status, "The server could not be reached.", "error");
      setPageStatus("error");
      return;
    }
    target.replaceChildren();
    if (!result.ok) {
      showCountryError(result, status, target);
      setPageStatus("error");
      return;
    }
    var pledgeCount = renderCountry(result.body || {}, target);
    setStatus(status, "", "");
    setPageStatus("results", pledgeCount);
  }

  function showCountryError(result, status, target) {
    var detail = result.body && result.body.detail;
    var message = "";
    var suggestions = [];
    if (typeof detail === "string") message = detail;
    else if (detail && typeof detail === "object" && !Array.isArray(detail)) {
      message = display(pick(detail, ["message", "msg", "error"]));
      suggestions = asList(pick(detail, ["suggestions", "close_matches", "closeMatches", "matches"]));
    } else if (Array.isArray(detail)) {
      message = detail.map(function (item) {
        return display(pick(item, ["msg", "message"]));
      }).join("; ");
    }
    if (!message) message = result.status === 404 ? "No such country." : "HTTP " + result.status;
    setStatus(status, message, "error");
    if (suggestions.length) {
      var list = el("p", { className: "suggestions" }, ["Did you mean: "]);
      suggestions.forEach(function (item, i) {
        var code = display(pick(item, ["code", "iso_code", "isoCode"]) || item);
        var name = display(pick(item, ["name", "label"]) || "");
        var button = el("button", { type: "button", className: "linklike", text: name ? name + " (" + code + ")" : code });
        button.addEventListener("click", function () {
          lookupCountry(code);
        });
        if (i) list.appendChild(document.createTextNode(", "));
        list.appendChild(button);
      });
      target.appendChild(list);
    }
  }

  /** The articles a pledge or meeting comes from: `sources: [SourceRef]`, or older shapes. */
  function sourcesOf(obj) {
    var listed = asList(pick(obj, ["sources", "source", "article"])).map(function (item) {
      return typeof item === "object" ? item : { iri: String(item) };
    });
    if (listed.length) return listed;
    var flat = {
      title: pick(obj, ["source_title", "sourceTitle"]),
      url: pick(obj, ["source_url", "sourceUrl"]),
      date: pick(obj, ["source_date", "sourceDate"]),
      publisher: pick(obj, ["source_publisher"]),
      iri: pick(obj, ["source_iri"]),
    };
    return Object.keys(flat).some(function (k) { return !isBlank(flat[k]); }) ? [flat] : [];
  }

  function sourcesCell(obj) {
    var sources = sourcesOf(obj);
    if (sources.length <= 1) return sources.length ? sourceCell(sources[0]) : [];
    return [
      el("ul", { className: "cell-list" }, sources.map(function (source) {
        return el("li", null, sourceCell(source));
      })),
    ];
  }

  /** The page of one article's facts, on this page (never a file download). */
  function sourcePageLink(source) {
    var id = pick(source, ["id"]);
    if (typeof id !== "string" || !id) {
      var iri = pick(source, ["iri"]);
      id = typeof iri === "string" && iri.indexOf("/source/") >= 0 ? localName(iri) : null;
    }
    if (!id) return null;
    var url = new URL(pageBase.href);
    url.search = "";
    url.searchParams.set("source", id);
    return url.href;
  }

  /** How an article's date reads: given with it, read from its text, or none at all. */
  function dateText(source) {
    var date = display(pick(source, ["date"]));
    var basis = pick(source, ["date_source"]);
    if (!date) return "no date given";
    return basis === "text" ? date + " (from its text)" : date;
  }

  function sourceLabel(source) {
    return display(pick(source, ["label", "title"])) || "Untitled article";
  }

  function sourceCell(source) {
    var page = sourcePageLink(source);
    var label = sourceLabel(source);
    var parts = [];
    if (page) parts.push(el("a", { href: page, className: "source-link", text: label }));
    else parts.push(el("span", { text: label }));
    var locator = display(pick(source, ["locator"]));
    if (locator) parts.push(el("span", { className: "meta locator", text: locator }));
    var meta = [display(pick(source, ["publisher"])), dateText(source)].filter(Boolean).join(", ");
    parts.push(el("span", { className: "meta", text: meta }));
    var url = pick(source, ["url"]);
    if (safeHref(url)) {
      parts.push(el("span", { className: "meta" }, [link(url, "original article")]));
    }
    return parts;
  }

  function stanceBadge(value) {
    var text = displayConcept(value);
    var key = text.toLowerCase().split(/[ ,]/)[0];
    return el("span", { className: "stance stance-" + key, text: text || "unknown" });
  }

  function evidenceNodes(value) {
    return asList(value).map(function (item) {
      return el("blockquote", { text: display(item) });
    });
  }

  function renderCountry(doc, target) {
    var state = pick(doc, ["state", "country"]) || doc;
    if (typeof state !== "object") state = doc;
    var name = display(pick(state, ["name", "label"])) || display(pick(doc, ["name", "label"]));
    var code = display(pick(state, ["code", "iso_code", "isoCode", "alpha2", "alpha_2"]));
    var wikidata = pick(state, ["wikidata", "same_as", "sameAs", "wikidata_url"]);
    var leaders = asList(pick(doc, ["leaders"]));
    var pledges = asList(pick(doc, ["pledges"]));
    var meetings = asList(pick(doc, ["meetings"]));
    var sources = asList(pick(doc, ["sources"]));

    var heading = el("h3", { className: "country-name" }, [name || code || "Unknown state"]);
    if (code && name && name !== code) heading.appendChild(el("span", { className: "code", text: code }));
    var header = el("div", { className: "country-header" }, [heading]);
    asList(wikidata).forEach(function (url) {
      if (safeHref(String(url))) header.appendChild(link(String(url), "Wikidata"));
    });
    var counts = {};
    pledges.forEach(function (p) {
      var s = displayConcept(pick(p, ["stance", "stance_label"])).toLowerCase() || "unknown";
      counts[s] = (counts[s] || 0) + 1;
    });
    var summary = [pledges.length + (pledges.length === 1 ? " pledge" : " pledges")];
    Object.keys(counts).sort().forEach(function (s) {
      summary.push(counts[s] + " " + s);
    });
    summary.push(leaders.length + (leaders.length === 1 ? " leader" : " leaders"));
    summary.push(meetings.length + (meetings.length === 1 ? " meeting" : " meetings"));
    summary.push(sources.length + (sources.length === 1 ? " source" : " sources"));
    header.appendChild(el("p", { className: "summary", text: summary.join(" · ") }));
    target.appendChild(header);

    var timeline = asList(pick(doc, ["stance_timeline"]));
    if (timeline.length) {
      target.appendChild(el("h4", { text: "Stance over time" }));
      target.appendChild(stanceTimeline(timeline));
    }

    target.appendChild(el("h4", { text: "Pledges" }));
    if (!pledges.length) {
      target.appendChild(el("p", { className: "empty", text: "No pledges of this state are in the graph." }));
    } else {
      target.appendChild(pledgeTable(pledges));
    }

    if (leaders.length) {
      target.appendChild(el("h4", { text: "Leaders" }));
      var leaderList = el("ul", { className: "leaders" });
      leaders.forEach(function (leader) {
        var leaderName = display(pick(leader, ["name", "label"])) || display(leader);
        var roles = display(pick(leader, ["roles", "role"]));
        leaderList.appendChild(
          el("li", null, [el("strong", { text: leaderName }), roles ? " — " + roles : ""]),
        );
      });
      target.appendChild(leaderList);
    }

    if (meetings.length) {
      target.appendChild(el("h4", { text: "Meetings" }));
      target.appendChild(meetingTable(meetings));
    }

    if (sources.length) {
      target.appendChild(el("h4", { text: "Sources" }));
      var sourceList = el("ul", { className: "sources" });
      sources.forEach(function (source) {
        sourceList.appendChild(el("li", null, sourceCell(typeof source === "object" ? source : { iri: source })));
      });
      target.appendChild(sourceList);
    }
    return pledges.length;
  }

  var SVG_NS = "http://www.w3.org/2000/svg";

  function svgNode(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /**
   * Each contribution type's reported stances over time (`stance_timeline` of
   * /countries/{code}: type, date, stance, sources), one row per type: a dot per day and stance,
   * its size by the number of sources, its colour by the stance.
   */
  function stanceTimeline(reports) {
    var types = [];
    reports.forEach(function (r) {
      if (types.indexOf(r.type) < 0) types.push(r.type);
    });
    var times = reports.map(function (r) { return Date.parse(r.date); });
    var first = Math.min.apply(null, times);
    var last = Math.max.apply(null, times);
    var left = 150, right = 20, width = 760, row = 28, top = 10;
    var height = top + types.length * row + 24;
    var span = Math.max(last - first, 1);
    function x(time) {
      return last === first ? left + (width - left - right) / 2 : left + ((time - first) / span) * (width - left - right);
    }
    var parts = [];
    types.forEach(function (type, i) {
      var y = top + i * row + row / 2;
      parts.push(svgNode("text", { x: left - 8, y: y + 4, "text-anchor": "end", class: "timeline-type" }, [humanize(type)]));
      parts.push(svgNode("line", { x1: left, x2: width - right, y1: y, y2: y, class: "timeline-axis" }));
    });
    reports.forEach(function (r) {
      var y = top + types.indexOf(r.type) * row + row / 2;
      var stance = String(r.stance || "").toLowerCase();
      var sources = Number(r.sources) || 1;
      var label = humanize(r.type) + ", " + r.date + ": " + stance + " (" + sources + (sources === 1 ? " source)" : " sources)");
      parts.push(svgNode("circle", {
        cx: x(Date.parse(r.date)), cy: y, r: Math.min(4 + 2 * sources, 12),
        class: "timeline-dot timeline-" + stance, "data-date": r.date, "data-stance": r.stance,
      }, [svgNode("title", {}, [label])]));
    });
    var axisY = top + types.length * row + 16;
    parts.push(svgNode("text", { x: left, y: axisY, class: "timeline-date" }, [new Date(first).toISOString().slice(0, 10)]));
    if (last !== first) {
      parts.push(svgNode("text", { x: width - right, y: axisY, "text-anchor": "end", class: "timeline-date" }, [new Date(last).toISOString().slice(0, 10)]));
    }
    var svg = svgNode("svg", {
      class: "stance-timeline", viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-label": "Stance on each contribution type over time",
    }, parts);
    var legend = el("p", { className: "meta timeline-legend" }, ["committed", "considering", "declined"].map(function (s) {
      return el("span", { className: "stance stance-" + s, text: s });
    }));
    return el("div", { className: "timeline-wrap" }, [svg, legend]);
  }

  function table(className, headings, rows) {
    var head = el("thead", null, [
      el("tr", null, headings.map(function (h) {
        return el("th", { scope: "col", text: h });
      })),
    ]);
    var body = el("tbody", null, rows);
    return el("div", { className: "table-wrap" }, [el("table", { className: className }, [head, body])]);
  }

  function pledgeTable(pledges) {
    var rows = pledges.map(function (p) {
      var by = display(pick(p, ["announced_by", "announcedBy", "leader", "leaders"]));
      var at = display(pick(p, ["made_at", "madeAt", "meeting"]));
      var types = displayConcept(pick(p, ["types", "contribution_types", "contributionTypes", "type"]));
      var meta = [by ? "Said by " + by : "", at ? "at " + at : ""].filter(Boolean).join(", ");
      var stated = display(pick(p, ["stated_date"]));
      var reported = display(pick(p, ["reported_on"]));
      var when = stated || (reported ? "reported " + reported : display(pick(p, ["date", "when"])));
      return el("tr", { className: "pledge" }, [
        el("td", { className: "date", text: when }),
        el("td", null, [stanceBadge(pick(p, ["stance", "stance_label"]))]),
        el("td", { text: types }),
        el("td", { text: display(pick(p, ["quantity"])) }),
        el("td", { text: display(pick(p, ["condition", "conditions"])) }),
        el("td", { className: "evidence" }, evidenceNodes(pick(p, ["evidence"])).concat(
          meta ? [el("p", { className: "meta", text: meta })] : [],
        )),
        el("td", { className: "source" }, sourcesCell(p)),
      ]);
    });
    return table(
      "pledges",
      ["Date", "Stance", "Contribution", "Quantity", "Condition", "Evidence", "Source"],
      rows,
    );
  }

  function meetingTable(meetings) {
    var rows = meetings.map(function (m) {
      var participants = asList(pick(m, ["participants", "leaders", "states"]))
        .map(display)
        .filter(Boolean)
        .join(", ");
      var place = display(pick(m, ["locations", "location", "place"]));
      var host = display(pick(m, ["hosts", "host_state", "hostState", "host"]));
      var kinds = displayConcept(pick(m, ["kinds", "kind", "type"]));
      var label = display(pick(m, ["label", "name", "title"]));
      var reportedOn = display(pick(m, ["reported_on"]));
      var day = display(pick(m, ["date", "when"])) || (reportedOn ? "reported " + reportedOn : "");
      return el("tr", null, [
        el("td", { className: "date", text: day }),
        el("td", null, [label || kinds, label && kinds && label.toLowerCase().indexOf(kinds.toLowerCase()) < 0 ? el("span", { className: "meta", text: " (" + kinds.toLowerCase() + ")" }) : null]),
        el("td", { text: [place, host && host !== place ? "host: " + host : ""].filter(Boolean).join("; ") }),
        el("td", { text: participants }),
        el("td", { className: "source" }, sourcesCell(m)),
      ]);
    });
    return table("meetings", ["Date", "Meeting", "Where", "Participants", "Source"], rows);
  }

  // ---------------------------------------------------------------- the sources views

  async function listSources() {
    var status = document.getElementById("sources-status");
    var target = document.getElementById("sources-result");
    setStatus(status, "Loading the articles…", "busy");
    setPageStatus("running");
    var listed = await fetchAll("sources", 1000, 10);
    if (!listed.ok) {
      setStatus(status, "The articles could not be loaded (HTTP " + listed.status + ").", "error");
      setPageStatus("error");
      return;
    }
    var items = listed.items;
    target.replaceChildren();
    if (!items.length) {
      target.appendChild(el("p", { className: "empty", text: "No article has been ingested." }));
    } else {
      target.appendChild(sourceTable(items));
    }
    setStatus(status, items.length + (items.length === 1 ? " article" : " articles") + ", newest first.", "");
    setPageStatus("results", items.length);
  }

  function sourceTable(items) {
    var rows = items.map(function (source) {
      var page = sourcePageLink(source);
      var label = sourceLabel(source);
      var counts = ["pledges", "meetings", "leaders"].map(function (key) {
        var n = pick(source, [key]);
        return (typeof n === "number" ? n : 0) + " " + key;
      }).join(", ");
      return el("tr", { className: "source" }, [
        el("td", { className: "title" }, [page ? el("a", { href: page, text: label }) : label,
          pick(source, ["title"]) ? null : el("span", { className: "meta", text: "no title given" })]),
        el("td", { className: "locator", text: display(pick(source, ["locator"])) || "none" }),
        el("td", { className: "date", text: dateText(source) }),
        el("td", { text: display(pick(source, ["publisher"])) }),
        el("td", { text: counts }),
      ]);
    });
    return table("sources", ["Article", "Locator", "Date", "Publisher", "Facts"], rows);
  }

  async function showSource(id) {
    var status = document.getElementById("sources-status");
    var target = document.getElementById("sources-result");
    setStatus(status, "Loading the article…", "busy");
    setPageStatus("running");
    var result = await fetchJson(new URL("sources/" + encodeURIComponent(id), pageBase).href);
    target.replaceChildren();
    if (!result.ok) {
      var detail = result.body && typeof result.body.detail === "string" ? result.body.detail : "";
      setStatus(status, detail || "No such article (HTTP " + result.status + ").", "error");
      setPageStatus("error");
      return;
    }
    var doc = result.body || {};
    var source = pick(doc, ["source"]) || {};
    var pledges = asList(pick(doc, ["pledges"]));
    var meetings = asList(pick(doc, ["meetings"]));
    var leaders = asList(pick(doc, ["leaders"]));
    target.appendChild(el("h3", { className: "source-title", text: sourceLabel(source) }));
    var fields = el("dl", { className: "source-fields" });
    function field(name, value) {
      if (isBlank(value)) return;
      fields.appendChild(el("dt", { text: name }));
      fields.appendChild(el("dd", null, [value]));
    }
    field("Title", display(pick(source, ["title"])) || "none given (named by its first words)");
    field("Locator", display(pick(source, ["locator"])) || "none (given neither a URL nor a file)");
    field("Read from", display(pick(source, ["input_paths"])));
    var url = pick(source, ["url"]);
    field("URL", safeHref(url) ? link(url, url) : display(url));
    field("Publisher", display(pick(source, ["publisher"])));
    var date = display(pick(source, ["date"]));
    var basis = pick(source, ["date_source"]);
    field("Date", !date ? "none given by the article"
      : basis === "text" ? date + " (none was given; the latest full date its text states)"
      : date + " (published)");
    var ingested = display(pick(source, ["ingested_at"]));
    var version = display(pick(source, ["extractor_version"]));
    field("Ingested", [ingested, version ? "by pledgekg " + version : ""].filter(Boolean).join(" "));
    field("Source IRI", display(pick(source, ["iri"])));
    target.appendChild(fields);

    target.appendChild(el("h4", { text: "Pledges (" + pledges.length + ")" }));
    target.appendChild(pledges.length ? pledgeTable(pledges)
      : el("p", { className: "empty", text: "No pledge was extracted from this article." }));
    target.appendChild(el("h4", { text: "Meetings (" + meetings.length + ")" }));
    target.appendChild(meetings.length ? meetingTable(meetings)
      : el("p", { className: "empty", text: "No meeting was extracted from this article." }));
    target.appendChild(el("h4", { text: "Leaders (" + leaders.length + ")" }));
    var leaderList = el("ul", { className: "leaders" });
    leaders.forEach(function (leader) {
      var roles = display(pick(leader, ["roles"]));
      var acts = display(pick(leader, ["represents"]));
      leaderList.appendChild(el("li", null, [el("strong", { text: display(pick(leader, ["name"])) }),
        roles ? " — " + roles : "", acts ? " (" + acts + ")" : ""]));
    });
    target.appendChild(leaderList);
    setStatus(status, "", "");
    setPageStatus("results", pledges.length);
  }

  // ---------------------------------------------------------------- start

  document.querySelectorAll(".view-button").forEach(function (button) {
    button.addEventListener("click", function () {
      var view = button.dataset.view;
      showView(view);
      updateUrl({ view: view === "query" ? null : view, source: null, country: null, example: null });
      if (view === "sources") listSources();
    });
  });
  document.getElementById("country-form").addEventListener("submit", function (event) {
    event.preventDefault();
    lookupCountry(document.getElementById("country-input").value);
  });

  var startCountry = params.get("country");
  var startSource = params.get("source");
  if (startSource) {
    showView("sources");
    showSource(startSource);
  } else if (params.get("view") === "sources") {
    showView("sources");
    listSources();
  } else if (startCountry || params.get("view") === "country") {
    showView("country");
    if (startCountry) lookupCountry(startCountry);
    else setPageStatus("ready");
  } else {
    showView("query");
  }
})();
