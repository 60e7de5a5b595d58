"""The application factory: settings, store and release in; blueprints, errors and CORS wired."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, render_template, request
from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node
from werkzeug.http import HTTP_STATUS_CODES

from confgraph.errors import ConfgraphError, ReleaseError
from confgraph.settings import Settings
from confgraph.store.base import Store
from confgraph.store.release import Release
from confgraph.web import errorpages, pagecache
from confgraph.web.addresses import Addresses
from confgraph.web.display import Labeller
from confgraph.web.front import FrontDoor
from confgraph.web.served import SITE_KEY, FixedRelease, Releases, ServedSites
from confgraph.web.service import graph_sizes

PREFIXES = {
    "cg": "https://w3id.org/confgraph/ontology#",
    "conf": "https://w3id.org/scholarlydata/ontology/conference-ontology.owl#",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "spdx": "http://spdx.org/rdf/terms#",
    "wd": "http://www.wikidata.org/entity/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}


# Pages run no script (the JSON-LD block is data, not script) and load only their stylesheet.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Content-Type, Range, If-None-Match, If-Modified-Since, If-Range"
)
EXPOSED_HEADERS = (
    "Content-Length, Content-Range, Accept-Ranges, ETag, Last-Modified, Link, Location, Vary"
)


@dataclass
class Site:
    """Everything a request handler needs, built once per served release."""

    settings: Settings
    store: Store
    release: Release
    addresses: Addresses
    ontology: Graph
    shapes: Graph
    description: Graph
    namespaces: NamespaceManager = field(init=False)
    _sizes: dict[URIRef, int] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.namespaces = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, iri in PREFIXES.items():
            self.namespaces.bind(prefix, iri)
        self.namespaces.bind("id", self.addresses.uri_space())
        # Bound once here: requests share these graphs across threads and only read them.
        for graph in (self.ontology, self.shapes, self.description):
            self.bind(graph)

    def bind(self, graph: Graph) -> Graph:
        """Bind the site's prefixes on a graph about to be serialized."""
        for prefix, iri in self.namespaces.namespaces():
            graph.bind(prefix, iri, override=True, replace=True)
        return graph

    def graph_sizes(self) -> dict[URIRef, int]:
        """Return the triple count of each named graph (counted once)."""
        if self._sizes is None:
            self._sizes = graph_sizes(self.store)
        return self._sizes

    def labeller(self) -> Labeller:
        """Return a labeller for the current request's languages."""
        return Labeller(
            self.store.labels,
            self.namespaces,
            request.accept_languages,
            self.settings.default_language,
        )

    def href(self, node: Node) -> str | None:
        """Return the address a link to node should point at: local if we serve it."""
        if not isinstance(node, URIRef):
            return None
        path = self.addresses.local_path(str(node))
        if path is None:
            text = str(node)  # URIRef.startswith does not take a tuple
            if text.startswith(self.addresses.base + "/"):
                return None  # an IRI of ours that no route serves: no dead link
            return text if text.startswith(("http://", "https://")) else None
        return request.script_root + path


def site() -> Site:
    """Return the Site that the current request runs on."""
    served = request.environ.get(SITE_KEY)
    return served if served is not None else current_app.extensions["confgraph"].current()


def create_app(settings: Settings, store: Store, release: Release) -> Flask:
    """Build the server for one release, answering for settings.base (or the release's base)."""
    return create_served_app(settings, FixedRelease(build_site(settings, store, release)))


def build_site(settings: Settings, store: Store, release: Release) -> Site:
    """Build the Site of one release (its store already open), checking the configured base."""
    base = settings.base.rstrip("/")
    if base and base != release.base:
        raise ReleaseError(
            f"--base {settings.base} differs from the base {release.base} the release was built"
            " with; its IRIs would all be unknown (rebuild with that base, or leave --base empty)"
        )
    return Site(
        settings=settings,
        store=store,
        release=release,
        addresses=Addresses(release.base),
        ontology=release.graph("ontology.ttl"),
        shapes=release.graph("shapes.ttl"),
        description=release.graph("void.ttl"),
    )


def create_served_app(settings: Settings, releases: Releases) -> Flask:
    """Build the server over the releases it switches between (each request holds one)."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.wsgi_app = FrontDoor(ServedSites(app.wsgi_app, releases), settings)  # type: ignore[method-assign]
    app.extensions["confgraph"] = releases
    _register_blueprints(app)
    app.register_error_handler(ConfgraphError, _render_error)
    errorpages.register(app)
    app.after_request(_allow_any_origin)
    app.after_request(_protect)
    app.after_request(_license_link)
    pagecache.register(app, settings.page_cache)  # after the others: it keeps pages before them
    app.context_processor(_template_globals)
    return app


def _register_blueprints(app: Flask) -> None:
    from confgraph.web import browse, dumps, home, programme, resources, search, sparql, vocabulary

    for module in (home, programme, sparql, resources, dumps, vocabulary):
        app.register_blueprint(module.blueprint)
    for module in (browse, search):
        app.register_blueprint(module.blueprint)


def _render_error(error: ConfgraphError) -> Response:
    status = error.http_status
    if request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html":
        reason = HTTP_STATUS_CODES.get(status)
        page = render_template("error.html", status=status, reason=reason, message=str(error))
        response = Response(page)
    else:
        response = Response(f"{error}\n", mimetype="text/plain")
    response.status_code = status
    response.vary.add("Accept")
    return response


def _allow_any_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = site().settings.cors_origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        # Reflect what the preflight asks for: the server reads no credentials from headers.
        asked = request.headers.get("Access-Control-Request-Headers")
        response.headers["Access-Control-Allow-Headers"] = asked or ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
        response.vary.add("Access-Control-Request-Headers")
    return response


def _protect(response: Response) -> Response:
    """Add the headers that keep pages from running, framing or sniffing what they should not."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


# The blueprints whose responses carry the dataset's data: dumps and description, resources
# in every format, SPARQL results.
DATA_BLUEPRINTS = ("dumps", "resources", "sparql")


def _license_link(response: Response) -> Response:
    """Say under which licence the data of a data response may be used (RFC 8288 Link)."""
    licence = site().release.metadata.licence
    if licence is None or request.blueprint not in DATA_BLUEPRINTS or response.status_code >= 400:
        return response
    link = f'<{licence.iri}>; rel="license"'
    existing = response.headers.get("Link")
    response.headers["Link"] = f"{existing}, {link}" if existing else link
    return response


def _template_globals() -> dict[str, Any]:
    current = site()
    return {"site": current, "href": current.href, "release": current.release}
