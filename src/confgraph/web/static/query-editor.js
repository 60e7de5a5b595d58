// The query page with scripts on: YASGUI (vendored) replaces the plain form and its table.
// Everything it needs comes from the page (#editor-config); it talks only to this endpoint.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  var source = document.getElementById("editor-config");
  if (!root || !source || typeof Yasgui === "undefined") return; // the plain form stays
  var config = JSON.parse(source.textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var Yasqe = Yasgui.Yasqe;

  function shareLink(query) {
    return endpoint + "?query=" + encodeURIComponent(query);
  }

  // Complete this release's own classes, properties and prefixes, never a remote service's.
  function useOwnCompleters() {
    var names = Yasqe.defaults.autocompleters;
    Yasqe.forkAutocompleter("class", {
      name: "release-classes", bulk: true, persistenceId: null, get: config.classes
    }, false);
    Yasqe.forkAutocompleter("property", {
      name: "release-properties", bulk: true, persistenceId: null, get: config.properties
    }, false);
    var bundled = Yasqe.Autocompleters.prefixes.get;
    var own = Object.keys(config.prefixes).map(function (p) {
      return p + ": <" + config.prefixes[p] + ">";
    });
    Yasqe.forkAutocompleter("prefixes", {
      name: "release-prefixes", persistenceId: null,
      get: function (yasqe) {
        return Promise.resolve(bundled(yasqe)).then(function (list) {
          return own.concat(list.filter(function (entry) { return own.indexOf(entry) < 0; }));
        });
      }
    }, false);
    var wanted = names.filter(function (n) {
      return n !== "class" && n !== "property" && n !== "prefixes";
    });
    names.splice(0, names.length, "release-prefixes", "release-classes", "release-properties");
    wanted.forEach(function (n) { names.push(n); });
  }

  function openQuery(yasgui, query, name) {
    var tab = yasgui.addTab(true, {
      name: name || yasgui.createTabName(),
      yasqe: { value: query },
      requestConfig: { endpoint: endpoint }
    }, { avoidDuplicateTabs: true });
    tab.show();
    tab.query().catch(function () {}); // a failure is shown in the results pane
    return tab;
  }

  // Name what YASGUI leaves unnamed, and keep its tab list a list of tabs only (axe-core's
  // checks in the browser tests): idempotent, rerun whenever YASGUI draws something.
  var LABELS = [
    [".CodeMirror textarea", "SPARQL query"],
    ["select.tableSizer", "Rows per page"],
    [".tableFilter", "Filter the results"]
  ];
  function mendAccessibility() {
    LABELS.forEach(function (pair) {
      Array.prototype.forEach.call(root.querySelectorAll(pair[0]), function (element) {
        if (!element.hasAttribute("aria-label")) element.setAttribute("aria-label", pair[1]);
      });
    });
    var list = root.querySelector(".tabsList");
    var add = list && list.querySelector("button.addTab");
    if (add) list.parentNode.insertBefore(add, list.nextSibling); // a button, not a tab
  }

  useOwnCompleters();
  // A link to a query is this endpoint's own address: it works with scripts off too.
  Yasgui.Tab.prototype.getShareableLink = function () {
    return shareLink(this.getQuery());
  };
  // Shown before YASGUI starts: the editor measures itself as it draws.
  ["query-form", "results", "query-error"].forEach(function (id) {
    var element = document.getElementById(id);
    if (element) element.hidden = true;
  });
  document.getElementById("editor-help").hidden = false;
  root.classList.add("ready");
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: config.defaultQuery },
    yasr: { prefixes: config.prefixes, pluginOrder: ["table", "response"] }
  });
  Object.keys(yasgui._tabs).forEach(function (id) { // kept tabs ask this server only
    yasgui._tabs[id].setEndpoint(endpoint);
  });
  window.confgraphEditor = yasgui; // for the browser tests and a curious reader
  mendAccessibility();
  new MutationObserver(mendAccessibility).observe(root, { childList: true, subtree: true });
  if (config.query) openQuery(yasgui, config.query);
  Array.prototype.forEach.call(document.querySelectorAll("a.example"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      openQuery(yasgui, new URL(link.href).searchParams.get("query"), link.textContent);
      root.scrollIntoView();
    });
  });
})();
