"""Releases: byte-identical dumps, an independent parser, the description, safe publishing."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyldreader import pyld_triples
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID, XSD

from confgraph.dumps import DUMP_FORMATS, WELL_KNOWN_PREFIXES, sha256_file
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.pipeline import run_build
from confgraph.release import KEEP_RELEASES, current_release

DATA = Path(__file__).resolve().parents[1] / "data"
RAPPER_FORMATS = {
    "confgraph.ttl": "turtle",
    "confgraph.trig": "trig",
    "void.ttl": "turtle",
    "ontology.ttl": "turtle",
    "shapes.ttl": "turtle",
}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundled data once into a temporary output directory."""
    out = tmp_path_factory.mktemp("out")
    return run_build(DATA, out, Iris())


def test_release_holds_every_dump_and_is_current(release: Path) -> None:
    for dump in DUMP_FORMATS:
        assert (release / dump.name).stat().st_size > 0
    assert current_release(release.parents[1]) == release


def test_two_builds_give_byte_identical_dumps(release: Path, tmp_path: Path) -> None:
    again = run_build(DATA, tmp_path, Iris())
    for dump in DUMP_FORMATS:
        assert sha256_file(release / dump.name) == sha256_file(again / dump.name), dump.name


def test_dumps_hold_the_same_triples(release: Path) -> None:
    turtle = Graph().parse(release / "confgraph.ttl", format="turtle")
    with gzip.open(release / "confgraph.nt.gz", "rt", encoding="utf-8") as handle:
        ntriples = Graph().parse(data=handle.read(), format="nt")
    jsonld = oxigraph_as_rdflib(release / "confgraph.jsonld", ox.RdfFormat.JSON_LD)
    assert len(turtle) > 1000
    assert set(turtle) == set(ntriples) == set(jsonld)
    quads = list(ox.parse(path=str(release / "confgraph.trig"), format=ox.RdfFormat.TRIG))
    graphs = Counter(quad.graph_name.value for quad in quads)
    assert graphs["https://w3id.org/confgraph/ontology"] > 100
    # The data graphs: the programme, the shared graph, the M49 regions and the linksets.
    data_graphs = [name for name in graphs if name != "https://w3id.org/confgraph/ontology"]
    iris = Iris()
    assert {str(iris.m49_graph()), str(iris.link_graph("wikidata"))} <= set(data_graphs)
    assert sum(graphs[name] for name in data_graphs) == len(turtle)
    data = {q.triple for q in quads if q.graph_name.value != "https://w3id.org/confgraph/ontology"}
    assert len(data) == sum(graphs[name] for name in data_graphs), "a triple in two graphs"
    with gzip.open(release / "confgraph.nq.gz") as handle:
        assert set(ox.parse(handle, format=ox.RdfFormat.N_QUADS)) == set(quads)


def test_pyld_reads_the_json_ld_dump_as_the_n_triples_dump(release: Path) -> None:
    document = json.loads((release / "confgraph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == dict(sorted(WELL_KNOWN_PREFIXES.items()))
    with gzip.open(release / "confgraph.nt.gz") as handle:
        ntriples = {quad.triple for quad in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES)}
    read = pyld_triples(document)
    assert len(read) == len(set(read)) == len(ntriples) > 1000
    assert set(read) == ntriples


def oxigraph_as_rdflib(path: Path, syntax: ox.RdfFormat) -> Graph:
    """Parse a file with Oxigraph (a parser independent of rdflib) and return its triples."""
    triples = [quad.triple for quad in ox.parse(path=str(path), format=syntax)]
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=ntriples.decode("utf-8"), format="nt")


def _rapper_count(path: Path, syntax: str) -> int:
    result = subprocess.run(
        ["rapper", "--count", "-i", syntax, str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"rapper rejected {path.name}: {result.stderr}"
    return int(result.stderr.split("returned")[1].split()[0])


# CI installs rapper (make test); only a developer's machine without it may skip.
@pytest.mark.skipif(
    shutil.which("rapper") is None and not os.environ.get("CI"),
    reason="rapper (raptor2-utils) not installed; `make test` installs it",
)
def test_dumps_parse_with_rapper(release: Path, tmp_path: Path) -> None:
    counts = {
        name: _rapper_count(release / name, syntax) for name, syntax in RAPPER_FORMATS.items()
    }
    plain = tmp_path / "confgraph.nt"
    plain.write_bytes(gzip.decompress((release / "confgraph.nt.gz").read_bytes()))
    assert _rapper_count(plain, "ntriples") == counts["confgraph.ttl"]
    assert counts["confgraph.ttl"] == len(Graph().parse(release / "confgraph.ttl"))


def test_description_counts_and_checksums_match_the_files(release: Path) -> None:
    void = Graph().parse(release / "void.ttl", format="turtle")
    dataset = Iris().dataset()
    triples = len(Graph().parse(release / "confgraph.ttl"))
    assert void.value(dataset, VOID.triples) == Literal(triples, datatype=XSD.integer)
    distributions = set(void.objects(dataset, DCAT.distribution))
    # The RDF dumps, and (no RDF, so no void:dataDump) the CSV tables, their data package
    # and the search index.
    tables = ("statements.csv", "people.csv", "items.csv", "datapackage.json", "search.sqlite")
    names = [dump.name for dump in DUMP_FORMATS] + list(tables)
    assert len(distributions) == len(names)
    for name in names:
        node = URIRef(f"{Iris().base}/dumps/{name}")
        assert node in distributions
        size = (release / name).stat().st_size
        assert void.value(node, DCAT.byteSize).toPython() == size
        checksum = next(void.objects(node, URIRef("http://spdx.org/rdf/terms#checksum")))
        value = void.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"))
        assert str(value) == sha256_file(release / name)
        assert ((dataset, VOID.dataDump, node) in void) == (name not in tables)
    assert (dataset, RDF.type, VOID.Dataset) in void


def test_description_records_provenance(release: Path) -> None:
    void = Graph().parse(release / "void.ttl", format="turtle")
    prov = "http://www.w3.org/ns/prov#"
    activity = void.value(Iris().dataset(), URIRef(prov + "wasGeneratedBy"))
    used = {
        str(void.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
        for s in void.objects(activity, URIRef(prov + "used"))
    }
    assert "programmes/2017-09-vienna-smuggling-trafficking.yaml" in used
    assert "reference/countries.csv" in used
    manifest = json.loads((release / "release.json").read_text())
    assert manifest["base"] == Iris().base
    assert manifest["files"]["confgraph.ttl"]["sha256"] == sha256_file(release / "confgraph.ttl")


def test_failed_build_leaves_the_published_release_untouched(
    mini_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = run_build(mini_data, out, Iris())
    before = {p.name: sha256_file(p) for p in first.iterdir() if p.is_file()}
    programme = mini_data / "programmes" / "mini.yaml"
    programme.write_text(programme.read_text().replace("room: Hall A", "room: [Hall A"))
    with pytest.raises(DataError):
        run_build(mini_data, out, Iris())
    assert current_release(out) == first
    assert {p.name: sha256_file(p) for p in first.iterdir() if p.is_file()} == before
    assert [p.name for p in (out / "releases").iterdir()] == [first.name]


def test_old_releases_are_pruned_but_current_is_kept(mini_data: Path, tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    for stamp in range(7):
        (releases / f"2000010{stamp}T000000Z-old").mkdir(parents=True)
    published = run_build(mini_data, tmp_path, Iris())
    kept = sorted(p.name for p in releases.iterdir())
    assert len(kept) == KEEP_RELEASES
    assert published.name in kept
    assert current_release(tmp_path) == published


def test_dumps_are_byte_identical_across_processes(tmp_path: Path) -> None:
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "confgraph.cli",
                "build",
                "--data",
                str(DATA),
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
            env=environment,
        )
        digests.append({d.name: sha256_file(out / "current" / d.name) for d in DUMP_FORMATS})
    assert digests[0] == digests[1]


def test_rebuilding_the_same_release_id_never_replaces_the_published_one(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    first = run_build(mini_data, tmp_path, Iris())
    inode = first.stat().st_ino
    second = run_build(mini_data, tmp_path, Iris())
    assert second != first and second.name.startswith(first.name)
    assert first.stat().st_ino == inode
    assert current_release(tmp_path) == second
