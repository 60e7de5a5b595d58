"""The format as real programmes need it: no times, own dates, headings, series, flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from confgraph.build import build_dataset, data_graph
from confgraph.errors import DataError
from confgraph.iris import Iris
from confgraph.load import load_catalogue
from confgraph.pipeline import build_and_validate
from confgraph.vocab import CG, CONF, SCHEMA

IRIS = Iris("http://example.org/cg")
HEARING = Path("programmes/hearing.yaml")
MINI = Path("programmes/mini.yaml")


def edit(data: Path, relative: Path, old: str, new: str) -> Path:
    """Replace one passage of a data file (which must be there) and return the file."""
    path = data / relative
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return path


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based line of the first line that contains needle."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def graph_of(data: Path) -> Graph:
    return data_graph(build_dataset(load_catalogue(data), IRIS))


def item(key: str) -> URIRef:
    return IRIS.item("hearing", key)


def test_a_programme_without_times_loads_in_the_order_of_its_page(hearing_data: Path) -> None:
    day = load_catalogue(hearing_data).programmes[0].meeting.days[0]
    assert [i.key for i in day.items] == ["opening", "panel-1", "panel-2", "closing"]
    assert all(i.start is None and i.end is None for i in day.items)
    assert [i.heading for i in day.items] == [
        "Morning meeting",
        "Morning meeting",
        "Afternoon meeting",
        "Afternoon meeting",
    ]


def test_items_without_times_are_ordered_by_position_and_have_no_span(hearing_data: Path) -> None:
    graph = graph_of(hearing_data)
    positions = {key: graph.value(item(key), SCHEMA.position) for key in ("panel-1", "panel-2")}
    assert positions == {"panel-1": Literal(2), "panel-2": Literal(3)}
    assert graph.value(item("panel-1"), SCHEMA.startDate) is None
    assert graph.value(IRIS.day("hearing", dt.date(2018, 1, 15)), SCHEMA.startDate) is None
    assert graph.value(item("panel-2"), CG.heading) == Literal("Afternoon meeting", lang="en")


def test_the_meeting_spans_its_own_dates_when_a_day_is_not_listed(hearing_data: Path) -> None:
    graph = graph_of(hearing_data)
    meeting = IRIS.meeting("hearing")
    assert graph.value(meeting, SCHEMA.startDate) == Literal("2018-01-15", datatype=XSD.date)
    assert graph.value(meeting, SCHEMA.endDate) == Literal("2018-01-16", datatype=XSD.date)


def test_series_ordinal_venue_names_and_cut_off_lists_are_published(hearing_data: Path) -> None:
    graph = graph_of(hearing_data)
    meeting = IRIS.meeting("hearing")
    assert graph.value(meeting, CG.seriesOrdinal) == Literal(2)
    assert graph.value(meeting, CG.seriesOrdinalLabel) == Literal("Thematic session two", lang="en")
    assert graph.value(meeting, CG.statementsIncomplete) == Literal(True)
    assert graph.value(item("panel-1"), CG.peopleIncomplete) == Literal(True)
    assert (IRIS.place("example-headquarters"), SKOS.altLabel, Literal("EXHQ")) in graph


def test_a_job_title_of_one_meeting_stays_with_that_meeting(hearing_data: Path) -> None:
    graph = graph_of(hearing_data)
    ann = IRIS.person("ann")
    assert graph.value(ann, SCHEMA.jobTitle) is None, "not on the person for all meetings"
    role = IRIS.role("hearing", "panel-1", "ann", "panelist")
    assert graph.value(role, CG.jobTitle) == Literal("Dean")
    affiliation = IRIS.affiliation("hearing", "ann", "university")
    assert graph.value(affiliation, CONF.during) == IRIS.meeting("hearing")
    assert graph.value(affiliation, CG.jobTitle) == Literal("Dean")
    assert graph.value(ann, SCHEMA.affiliation) is None


def test_a_programme_without_times_conforms_to_the_shapes(hearing_data: Path) -> None:
    built = build_and_validate(hearing_data, IRIS)
    assert built.validation.conforms and not built.validation.violations, built.validation.text()


def test_the_hearing_and_the_timed_mini_programme_build_together(
    hearing_data: Path, mini_data: Path
) -> None:
    (mini_data / "programmes" / "hearing.yaml").write_bytes((hearing_data / HEARING).read_bytes())
    assert build_and_validate(mini_data, IRIS).validation.conforms


@pytest.mark.parametrize(
    ("old", "new", "message", "field"),
    [
        (
            "title: Zeta comes first",
            'title: Zeta\n          end: "10:00"',
            "has an end but no start",
            "end:",
        ),
        (
            "title: Zeta comes first",
            'title: Zeta\n          start: "10:00"\n          end: "10:00"',
            r"ends when it starts \(10:00\): the end must be after the start",
            "end:",
        ),
        (
            "title: Zeta comes first",
            'title: Zeta\n          start: "10:00"\n          end: "09:30"',
            r"ends \(09:30\) before it starts \(10:00\)",
            "end:",
        ),
        (
            "end_date: 2018-01-16",
            "end_date: 2018-01-14",
            "end_date 2018-01-14 is before",
            "end_date:",
        ),
        (
            "start_date: 2018-01-15",
            "start_date: 2018-01-16",
            "day 2018-01-15 lies outside",
            "start_date:",
        ),
        ("ordinal: 2", "ordinal: 0", "ordinal must be 1 or more", "ordinal:"),
        (
            "items_incomplete: true",
            "items_incomplete: maybe",
            "must be true or false",
            "items_incomplete:",
        ),
        (
            "- heading: Morning meeting",
            "- heading: Morning meeting\n          key: x",
            "unknown field 'key'",
            "key: x",
        ),
    ],
)
def test_a_wrong_optional_part_is_named_at_its_line(
    hearing_data: Path, old: str, new: str, message: str, field: str
) -> None:
    path = edit(hearing_data, HEARING, old, new)
    with pytest.raises(DataError, match=message) as caught:
        load_catalogue(hearing_data)
    assert caught.value.line == line_of(path, field)


def test_a_day_of_only_headings_is_an_error(hearing_data: Path) -> None:
    text = (hearing_data / HEARING).read_text()
    start, end = text.index("        - key: opening"), text.index("people:\n  ann:")
    (hearing_data / HEARING).write_text(text[:start] + text[end:])
    with pytest.raises(DataError, match="not only headings"):
        load_catalogue(hearing_data)


def test_a_nested_item_with_times_is_checked_against_its_parent_with_times(
    mini_data: Path,
) -> None:
    edit(mini_data, MINI, 'start: "12:15", end: "13:45"', 'start: "11:15", end: "13:45"')
    with pytest.raises(DataError, match=r"item 'side' lies outside 'lunch' \(12:00-14:00\)"):
        load_catalogue(mini_data)


def second_file(data: Path, replacements: dict[str, str]) -> Path:
    """Copy the mini programme under another meeting key, with passages replaced."""
    text = (data / MINI).read_text().replace("key: mini", "key: other")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = data / "programmes" / "second.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("honorific: Ms.", "honorific: Dr.", r"person 'ann' has honorific 'Dr\.' here but 'Ms\.'"),
        (
            "job_title: Professor",
            "job_title: Dean",
            "has job_title 'Dean' here but 'Professor'.*this_meeting",
        ),
        (
            "affiliations: [department]",
            "affiliations: [university]",
            "has affiliations 'university'",
        ),
    ],
)
def test_a_person_key_holds_one_set_of_values_in_every_file(
    mini_data: Path, old: str, new: str, message: str
) -> None:
    path = second_file(mini_data, {old: new})
    with pytest.raises(DataError, match=message) as caught:
        load_catalogue(mini_data)
    assert caught.value.path.endswith("second.yaml") and "mini.yaml" in caught.value.message
    assert caught.value.line == line_of(path, "  ann:")


def test_the_same_values_in_two_files_and_a_per_meeting_title_are_fine(mini_data: Path) -> None:
    second_file(mini_data, {"    job_title: Professor": "    this_meeting: {job_title: Dean}"})
    graph = graph_of(mini_data)
    ann = IRIS.person("ann")
    assert list(graph.objects(ann, SCHEMA.jobTitle)) == [Literal("Professor")]
    role = IRIS.role("other", "panel-1", "ann", "panelist")
    assert graph.value(role, CG.jobTitle) == Literal("Dean")


def test_an_affiliation_for_every_meeting_and_for_this_one_is_an_error(mini_data: Path) -> None:
    edit(
        mini_data,
        MINI,
        "affiliations: [department]",
        "affiliations: [department]\n    this_meeting: {affiliations: [department]}",
    )
    with pytest.raises(DataError, match="'department' is also listed for every meeting"):
        load_catalogue(mini_data)


def test_overlapping_items_in_one_place_and_unused_definitions_warn(mini_data: Path) -> None:
    extra = '        - {key: extra, kind: closing, title: Extra, start: "11:30", end: "12:00"}\n'
    path = edit(mini_data, MINI, "        - key: lunch\n", extra + "        - key: lunch\n")
    edit(mini_data, MINI, "  bob:\n", "  cy:\n    name: Cy Example\n  bob:\n")
    edit(mini_data, MINI, "  others: Stakeholders", "  others: Stakeholders\n  unused: Observers")
    built = build_and_validate(mini_data, IRIS)
    assert built.validation.conforms is True  # warnings, not errors
    shown = built.sources[-1]
    assert built.warnings == (
        f"{shown}:{line_of(path, 'key: extra')}: warning: item 'extra' (11:30-12:00) overlaps"
        " 'panel-1' (10:00-12:00) in the same place (Hall A); check the times",
        f"{shown}:{line_of(path, '  cy:')}: warning: person 'cy' is defined but holds no role"
        " in any item",
        f"{shown}:{line_of(path, '  unused:')}: warning: group 'unused' is defined but lists no"
        " statement or input",
    )


def test_items_in_different_places_at_one_time_do_not_warn(mini_data: Path) -> None:
    edit(
        mini_data,
        MINI,
        'end: "12:00"\n          description',
        'end: "12:30"\n          description',
    )
    assert build_and_validate(mini_data, IRIS).warnings == ()
