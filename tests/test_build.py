"""Building RDF: the golden graph, the seed's facts, and the plain schema.org view."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import RDF, SKOS, XSD

from confgraph.build import build_dataset, data_graph
from confgraph.dumps import turtle_text
from confgraph.iris import Iris
from confgraph.load import load_catalogue
from confgraph.vocab import CG, SCHEMA

GOLDEN = Path(__file__).resolve().parent / "golden" / "mini"
IRIS = Iris()


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    """Fail with the triples only in one graph or only in the other."""
    iso_actual, iso_expected = to_isomorphic(actual), to_isomorphic(expected)
    if iso_actual == iso_expected:
        return
    _, only_actual, only_expected = graph_diff(iso_actual, iso_expected)
    raise AssertionError(
        "graphs differ\n--- only in the built graph:\n"
        + turtle_text(only_actual)
        + "\n--- only in the expected graph:\n"
        + turtle_text(only_expected)
    )


def test_golden_programme_is_isomorphic_to_expected_turtle() -> None:
    iris = Iris("http://example.org/cg")
    dataset = build_dataset(load_catalogue(GOLDEN), iris)
    expected = Graph().parse(GOLDEN / "expected.ttl", format="turtle")
    assert_isomorphic(data_graph(dataset), expected)


def test_a_programme_graph_holds_only_its_own_triples_and_the_rest_is_shared() -> None:
    iris = Iris("http://example.org/cg")
    dataset = build_dataset(load_catalogue(GOLDEN), iris)
    own, shared = dataset.graph(iris.graph("mini")), dataset.graph(iris.shared_graph())
    assert len(own) and len(shared)
    assert not set(own) & set(shared)
    assert all(iris.owns("mini", s) or iris.owns("mini", o) for s, _, o in own)
    assert not any(iris.owns("mini", s) or iris.owns("mini", o) for s, _, o in shared)


def test_golden_diff_names_the_differing_triples() -> None:
    expected = Graph().parse(GOLDEN / "expected.ttl", format="turtle")
    changed = Graph()
    changed += expected
    changed.add((URIRef("http://example.org/x"), RDF.type, CG.Meeting))
    try:
        assert_isomorphic(changed, expected)
    except AssertionError as error:
        assert "<http://example.org/x> a cg:Meeting" in str(error)
    else:
        raise AssertionError("a changed graph compared equal")


def test_one_resource_per_real_world_agent(vienna: Graph) -> None:
    germany = IRIS.country("DEU")
    statements = set(vienna.subjects(CG.deliveredBy, germany))
    assert len(statements) == 3
    assert set(vienna.subjects(CG.submittedBy, germany))
    gaatw = IRIS.organisation("global-alliance-against-traffic-in-women")
    assert set(vienna.subjects(SCHEMA.affiliation, gaatw)) == {IRIS.person("bandana-pattanaik")}
    assert set(vienna.subjects(CG.submittedBy, gaatw))


def test_names_as_written_are_alternative_labels(vienna: Graph) -> None:
    assert Literal("Philippine") in set(vienna.objects(IRIS.country("PHL"), SKOS.altLabel))
    assert vienna.value(IRIS.country("PHL"), SCHEMA.name) == Literal("Philippines")
    imo = IRIS.organisation("international-organization-for-migration")
    assert Literal("IMO") in set(vienna.objects(imo, SKOS.altLabel))


def test_events_carry_schema_dates_with_the_venue_offset(vienna: Graph) -> None:
    panel = IRIS.item("2017-09-vienna-smuggling-trafficking", "panel-1")
    start = vienna.value(panel, SCHEMA.startDate)
    assert start == Literal("2017-09-04T10:15:00+02:00", datatype=XSD.dateTime)
    meeting = IRIS.meeting("2017-09-vienna-smuggling-trafficking")
    assert str(vienna.value(meeting, SCHEMA.endDate)) == "2017-09-05T18:00:00+02:00"
    for event in vienna.subjects(RDF.type, SCHEMA.Event):
        assert vienna.value(event, SCHEMA.name) is not None, event
        assert vienna.value(event, SCHEMA.location) is not None, event
        assert vienna.value(event, SCHEMA.startDate).datatype == XSD.dateTime, event


def test_side_event_has_its_own_room_within_its_slot(vienna: Graph) -> None:
    side = IRIS.item("2017-09-vienna-smuggling-trafficking", "side-event-data-revolution")
    room = vienna.value(side, SCHEMA.location)
    assert vienna.value(room, SCHEMA.name) == Literal("Room M2")
    slot = vienna.value(side, SCHEMA.superEvent)
    assert str(vienna.value(slot, SCHEMA.startDate)) == "2017-09-05T13:00:00+02:00"
    assert str(vienna.value(side, SCHEMA.startDate)) == "2017-09-05T13:15:00+02:00"


def test_people_have_the_plain_schema_view(vienna: Graph) -> None:
    grossi = IRIS.person("rafael-mariano-grossi")
    assert (grossi, RDF.type, SCHEMA.Person) in vienna
    assert vienna.value(grossi, SCHEMA.name) == Literal("Rafael Mariano Grossi")
    assert vienna.value(grossi, SCHEMA.honorificPrefix) == Literal("H.E. Mr.")
    assert vienna.value(grossi, SCHEMA.affiliation) == IRIS.country("ARG")
    assert vienna.value(IRIS.country("ARG"), CG.isoAlpha3) == Literal("ARG")


def test_build_is_deterministic_in_content() -> None:
    first = build_dataset(load_catalogue(GOLDEN), IRIS)
    second = build_dataset(load_catalogue(GOLDEN), IRIS)
    assert set(first.quads()) == set(second.quads())


def test_statements_keep_the_order_the_source_lists_them(vienna: Graph) -> None:
    ordered = sorted(
        (int(vienna.value(s, SCHEMA.position)), str(vienna.value(s, CG.listedAs)))
        for s in vienna.subjects(RDF.type, CG.Statement)
    )
    listed = [text for _, text in ordered]
    assert listed[:2] == ["Afghanistan (panel 1)", "Belarus (panel 1)"]
    assert listed.index("Zambia") == 27
    assert listed[28] == "ACT Alliance"
    assert len(listed) == 52


def test_derived_iris_never_take_an_explicit_key(mini_data: Path) -> None:
    programme = mini_data / "programmes" / "mini.yaml"
    text = programme.read_text().replace(
        "  - {by: PHL, group: states, listed_as: Philippine}",
        "  - {by: PHL, group: states, listed_as: Philippine}\n"
        "  - {by: PHL, group: states, listed_as: Philippine again}\n"
        "  - {by: DEU, group: states, listed_as: Germany, key: phl-2}",
    )
    programme.write_text(text)
    graph = build_dataset(load_catalogue(mini_data), IRIS).graph(IRIS.graph("mini"))
    statements = set(graph.subjects(RDF.type, CG.Statement))
    assert len(statements) == 6
    for statement in statements:
        assert len(set(graph.objects(statement, CG.listedAs))) == 1, statement
    explicit = IRIS.statement("mini", "phl-2")
    assert str(graph.value(explicit, CG.listedAs)) == "Germany"
