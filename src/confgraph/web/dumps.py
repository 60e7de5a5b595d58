"""Dumps with conditional and range requests; the dataset description at two addresses."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, send_file, url_for
from rdflib import Graph, URIRef

from confgraph.formats import GRAPH_FORMATS, HTML, Format, find_format, negotiate, serialize_graph
from confgraph.web import citation, datasetpage
from confgraph.web.app import site
from confgraph.web.conditional import data_etag, not_modified, tagged
from confgraph.web.service import served_description
from confgraph.web.terms import vocabulary

blueprint = Blueprint("dumps", __name__)

DESCRIPTION_FORMATS = (*GRAPH_FORMATS.values(), HTML)
DUMP_PREFIX = "confgraph."


@blueprint.get("/dumps/")
def listing() -> str:
    """List the release's files with media type, size and checksum."""
    files = sorted(site().release.files.values(), key=lambda f: f.name)
    return render_template("dumps.html", files=files)


@blueprint.get("/dumps/<name>")
def dump(name: str) -> Response:
    """Serve one file of the release (ETag, Last-Modified, 304 and Range via send_file)."""
    path = site().release.file_path(name)
    if path is None or not path.is_file():
        abort(404)
    info = site().release.files[name]
    response = send_file(
        path,
        mimetype=info.media_type,
        conditional=True,
        etag=info.sha256,
        max_age=3600,
        download_name=name,
        as_attachment=False,
    )
    if name.endswith(".gz"):
        # The file is gzip-compressed N-Triples, to be saved as is, not decoded on the wire.
        response.headers["Content-Type"] = "application/gzip"
    return response


@blueprint.get("/.well-known/void")
def well_known_void() -> Response:
    """Serve the VoID/DCAT/PROV description (a format= or Accept chooses the syntax)."""
    fmt = negotiate(request.accept_mimetypes, DESCRIPTION_FORMATS, request.args.getlist("format"))
    return describe_dataset(fmt)


@blueprint.get("/dataset")
@blueprint.get("/dataset.<extension>")
def dataset(extension: str | None = None) -> Response:
    """Serve the description at the dataset's IRI, negotiated or chosen by extension."""
    fmt: Format | None
    if extension is None:
        fmt = negotiate(
            request.accept_mimetypes, DESCRIPTION_FORMATS, request.args.getlist("format")
        )
    else:
        fmt = find_format(DESCRIPTION_FORMATS, extension)
        if fmt is None:
            abort(404)
    return describe_dataset(fmt)


def describe_dataset(fmt: Format) -> Response:
    """Return the release's description with this server's endpoint and dump addresses."""
    current = site()
    if fmt is not HTML:
        etag = data_etag(current.release.release_id, fmt)
        unchanged = not_modified(etag)
        return unchanged or tagged(_description(fmt), etag)
    return _description(fmt)


def _description(fmt: Format) -> Response:
    current = site()
    addresses = {
        name: (
            current.addresses.iri(f"/dumps/{name}"),
            url_for("dumps.dump", name=name, _external=True),
        )
        for name in current.release.files
    }
    dumps = dict(address for name, address in addresses.items() if name.startswith(DUMP_PREFIX))
    # The CSV tables and the search index: distributions too, but no RDF dumps.
    others = dict(a for name, a in addresses.items() if not name.startswith(DUMP_PREFIX))
    graph = served_description(
        current.description,
        current.addresses.dataset(),
        url_for("sparql.endpoint", _external=True),
        dumps,
        current.addresses.uri_space(),
        others,
    )
    if fmt is HTML:
        response = Response(render_dataset(graph), mimetype="text/html")
    else:
        response = Response(serialize_graph(current.bind(graph), fmt), mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response


def render_dataset(description: Graph) -> str:
    """Render the dataset page: title, publisher, licence, citation, sources, classes."""
    current = site()
    dataset = URIRef(current.addresses.dataset())
    metadata = current.release.metadata
    labeller = current.labeller()
    found_classes = datasetpage.classes(description, dataset)
    found_properties = datasetpage.properties(description, dataset)
    labeller.prefetch(c.iri for c in [*found_classes, *found_properties])
    served = set(current.store.graphs())
    extensions = [f for f in DESCRIPTION_FORMATS if f is not HTML]
    return render_template(
        "dataset.html",
        meta=metadata,
        own_licences={source.name: source for source in metadata.sources},
        bibtex=citation.bibtex(metadata),
        csl=citation.csl_json_text(metadata),
        files=sorted(current.release.files.values(), key=lambda f: f.name),
        sources=datasetpage.sources(description, dataset, current.release.base, served),
        graphs=datasetpage.graphs(description, dataset),
        classes=found_classes,
        properties=found_properties,
        plain=labeller.plain,
        short=labeller.short,
        vocabulary=vocabulary,
        alternates=[(f, url_for("dumps.dataset", extension=f.extension)) for f in extensions],
    )
