"""Loading programme files: the bundled seed, and one clear error per kind of bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from confgraph.errors import DataError
from confgraph.load import load_catalogue
from confgraph.model import AgentRef, Catalogue

PROGRAMME = Path("programmes/mini.yaml")


def break_file(data: Path, relative: Path, old: str, new: str) -> Path:
    """Replace one exact passage of a data file (which must occur once)."""
    path = data / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based line of the first line containing needle."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


BAD_INPUTS = [
    pytest.param(
        PROGRAMME,
        '{key: side, kind: side-event, title: A side event, start: "12:15"',
        '{key: side, kind: side-event, title: A side event, start: "11:15"',
        "key: side",
        "item 'side' lies outside 'lunch' (12:00-14:00)",
        id="nested-outside-parent",
    ),
    pytest.param(
        PROGRAMME,
        "      items:\n        - key: panel-1",
        "      items: []\n    - date: 2018-01-01\n      label: x\n"
        "      items:\n        - key: panel-1",
        "items: []",
        "'items' must list at least one entry",
        id="empty-items",
    ),
    pytest.param(
        PROGRAMME,
        "  states: Member States\n",
        "  states: Member States\n  2030: x\n",
        "2030: x",
        "key 2030 must be text",
        id="non-text-key",
    ),
    pytest.param(
        PROGRAMME,
        "{by: PHL, group: states, listed_as: Philippine}",
        "{by: PHL, group: states, listed_as: Philippine, key: same}\n"
        "  - {by: PHL, group: states, listed_as: Again, key: same}",
        "listed_as: Again",
        "statement key 'same' is used twice",
        id="duplicate-statement-key",
    ),
    pytest.param(
        Path("organisations.yaml"),
        "alliance:\n",
        "deu:\n  name: Not Germany\nalliance:\n",
        "deu:",
        "organisation key 'deu' would clash with the country DEU",
        id="organisation-key-is-a-country-code",
    ),
    pytest.param(
        Path("reference/countries.csv"),
        "PH,PHL,Philippines,Q928,Philippines,Philippines (the)\n",
        "PH,PHL\n",
        "PH,PHL",
        "row has fewer columns than the header",
        id="reference-short-row",
    ),
    pytest.param(
        PROGRAMME,
        "number: 1",
        "number: 0",
        "number: 0",
        "panel number must be 1 or more",
        id="panel-number",
    ),
    pytest.param(
        PROGRAMME,
        "  room: Hall A\n",
        "  room: Hall: A\n",
        "room: Hall: A",
        "malformed YAML",
        id="malformed-yaml",
    ),
    pytest.param(
        PROGRAMME,
        "  short_title: Mini\n",
        "  short_title: Mini\n  shrot_title: x\n",
        "shrot_title",
        "unknown field 'shrot_title'",
        id="unknown-field",
    ),
    pytest.param(
        PROGRAMME,
        "  title: A minimal meeting\n",
        "",
        "meeting:",
        "missing required field 'title'",
        id="missing-field",
    ),
    pytest.param(
        PROGRAMME,
        "  room: Hall A\n",
        "  room: Hall A\n  room: Hall B\n",
        "room: Hall B",
        "duplicate key",
        id="duplicate-key",
    ),
    pytest.param(
        PROGRAMME,
        "{by: DEU, group: states, at: panel-1",
        "{by: DDR, group: states, at: panel-1",
        "by: DDR",
        "unknown country code 'DDR'",
        id="unknown-country",
    ),
    pytest.param(
        PROGRAMME,
        "at: panel-1,",
        "at: panel-9,",
        "at: panel-9",
        "unknown programme item 'panel-9'",
        id="undefined-session",
    ),
    pytest.param(
        PROGRAMME,
        "on_behalf_of: university",
        "on_behalf_of: nobody",
        "on_behalf_of: nobody",
        "unknown agent 'nobody'",
        id="undefined-agent",
    ),
    pytest.param(
        PROGRAMME,
        "{person: bob, role",
        "{person: carol, role",
        "person: carol",
        "unknown person 'carol'",
        id="undefined-person",
    ),
    pytest.param(
        PROGRAMME,
        'end: "12:00"\n          description',
        'end: "09:00"\n          description',
        'end: "09:00"',
        "ends (09:00) before it starts",
        id="end-before-start",
    ),
    pytest.param(
        PROGRAMME,
        "role: moderator}",
        "role: chair}",
        "role: chair",
        "role 'chair' is not one of",
        id="unknown-role",
    ),
    pytest.param(
        PROGRAMME,
        'start: "10:00"',
        'start: "10h00"',
        'start: "10h00"',
        "must be a local time HH:MM",
        id="bad-time",
    ),
    pytest.param(
        PROGRAMME,
        "timezone: Europe/Vienna",
        "timezone: Europe/Vienne",
        "timezone:",
        "unknown time zone 'Europe/Vienne'",
        id="unknown-zone",
    ),
    pytest.param(
        Path("organisations.yaml"),
        "  country: AUT\n",
        "  country: XYZ\n",
        "country: XYZ",
        "unknown country code 'XYZ'",
        id="organisation-country",
    ),
    pytest.param(
        Path("organisations.yaml"),
        "  part_of: university\n",
        "  part_of: college\n",
        "part_of: college",
        "unknown organisation 'college'",
        id="organisation-parent",
    ),
    pytest.param(
        Path("reference/countries.csv"),
        "DE,DEU,",
        "DE,DE1,",
        "DE,DE1",
        "invalid ISO 3166-1 alpha-3 code 'DE1'",
        id="reference-code",
    ),
]


@pytest.mark.parametrize(("relative", "old", "new", "needle", "message"), BAD_INPUTS)
def test_bad_input_names_file_and_line(
    mini_data: Path, relative: Path, old: str, new: str, needle: str, message: str
) -> None:
    path = break_file(mini_data, relative, old, new)
    with pytest.raises(DataError) as caught:
        load_catalogue(mini_data)
    error = caught.value
    assert message in error.message
    assert Path(error.path).resolve() == path.resolve()
    assert error.line == line_of(path, needle)
    assert str(error).startswith(f"{error.path}:{error.line}: ")


def test_duplicate_item_key_is_rejected(mini_data: Path) -> None:
    path = break_file(mini_data, PROGRAMME, "{key: side,", "{key: lunch,")
    with pytest.raises(DataError, match="programme item key 'lunch' is used twice") as caught:
        load_catalogue(mini_data)
    assert caught.value.line == line_of(path, "{key: lunch,")


def test_a_day_listed_twice_is_rejected(mini_data: Path) -> None:
    path = break_file(mini_data, PROGRAMME, "      label: Day 1\n", "      label: Day 1\n")
    text = path.read_text().replace(
        "  days:\n",
        "  days:\n    - {date: 2017-12-31, label: Again, items: "
        "[{key: x, kind: break, title: X, start: '09:00', end: '09:30'}]}\n",
    )
    path.write_text(text)
    with pytest.raises(DataError, match="day 2017-12-31 is listed twice") as caught:
        load_catalogue(mini_data)
    assert caught.value.line == line_of(path, "- date: 2017-12-31")


def test_no_days_is_an_error(mini_data: Path) -> None:
    path = mini_data / PROGRAMME
    text = path.read_text()
    path.write_text(
        text[: text.index("  days:")] + "  days: []\n" + text[text.index("\npeople:") + 1 :]
    )
    with pytest.raises(DataError, match="'days' must list at least one entry") as caught:
        load_catalogue(mini_data)
    assert caught.value.line == line_of(path, "days: []")


def second_programme(data: Path, meeting_key: str, extra: dict[str, str]) -> Path:
    """Copy the golden programme under another meeting key, with some passages replaced."""
    text = (data / PROGRAMME).read_text().replace("key: mini", f"key: {meeting_key}")
    for old, new in extra.items():
        text = text.replace(old, new)
    path = data / "programmes" / "second.yaml"
    path.write_text(text)
    return path


def test_one_person_key_means_one_person_in_every_file(mini_data: Path) -> None:
    path = second_programme(mini_data, "other", {"name: Ann Example": "name: Anne Other"})
    with pytest.raises(DataError, match=r"person 'ann' is 'Ann Example' in .*mini\.yaml") as caught:
        load_catalogue(mini_data)
    assert caught.value.path.endswith("second.yaml")
    assert caught.value.line == line_of(path, "  ann:")


def test_one_group_key_means_one_heading_in_every_file(mini_data: Path) -> None:
    path = second_programme(mini_data, "other", {"states: Member States": "states: States"})
    with pytest.raises(DataError, match="group 'states' is 'Member States'") as caught:
        load_catalogue(mini_data)
    assert caught.value.line == line_of(path, "states: States")


def test_a_meeting_key_used_twice_names_the_other_file(mini_data: Path) -> None:
    path = second_programme(mini_data, "mini", {})
    with pytest.raises(DataError, match="meeting key 'mini' is also used by") as caught:
        load_catalogue(mini_data)
    assert caught.value.line == line_of(path, "key: mini")


@pytest.mark.parametrize("reserved", ["shared", "void"])
def test_a_meeting_key_naming_a_graph_of_its_own_is_refused(mini_data: Path, reserved: str) -> None:
    path = second_programme(mini_data, reserved, {})
    with pytest.raises(DataError, match=f"meeting key '{reserved}' is reserved") as caught:
        load_catalogue(mini_data)
    assert caught.value.path.endswith("second.yaml")
    assert caught.value.line == line_of(path, f"key: {reserved}")


def test_the_same_person_in_two_programmes_is_one_resource(mini_data: Path) -> None:
    # Issue 11: a job title that differs between files is no longer merged into two values
    # on one person; a title held during one meeting goes under `this_meeting`.
    change = {"    job_title: Professor": "    this_meeting: {job_title: Dean}"}
    second_programme(mini_data, "other", change)
    catalogue = load_catalogue(mini_data)
    assert [p.people["ann"].job_title for p in catalogue.programmes] == ["Professor", None]
    assert catalogue.programmes[1].people["ann"].meeting_job_title == "Dean"


def test_non_utf8_reference_table_is_a_clear_error(mini_data: Path) -> None:
    (mini_data / "reference" / "countries.csv").write_bytes(b"iso_alpha3,name\n\xff\xfe\n")
    with pytest.raises(DataError, match="cannot read file"):
        load_catalogue(mini_data)


def test_empty_programme_directory_is_an_error(mini_data: Path) -> None:
    (mini_data / PROGRAMME).unlink()
    with pytest.raises(DataError, match="no programme files"):
        load_catalogue(mini_data)


def test_seed_statements_are_read_column_by_column(catalogue: Catalogue) -> None:
    statements = catalogue.programmes[0].statements
    member_states = [s.listed_as for s in statements if s.group == "member-states"]
    assert len(member_states) == 28
    assert member_states[:3] == ["Afghanistan (panel 1)", "Belarus (panel 1)", "Belarus (panel 2)"]
    assert member_states[9:11] == ["Ethiopia (panel 2)", "Finland"]
    assert member_states[-1] == "Zambia"
    assert len([s for s in statements if s.group == "stakeholders"]) == 24
    assert len(catalogue.programmes[0].inputs) == 9


def test_seed_ambiguities_are_resolved_as_documented(catalogue: Catalogue) -> None:
    programme = catalogue.programmes[0]
    by_listing = {s.listed_as: s for s in programme.statements}
    joint = by_listing["Caritas Internationalis et Anglican Alliance"]
    assert joint.speakers == (
        AgentRef("organisation", "caritas-internationalis"),
        AgentRef("organisation", "anglican-alliance"),
    )
    behalf = by_listing["Secours Catholique - Caritas France pour Caritas Internationalis"]
    assert behalf.on_behalf_of == AgentRef("organisation", "caritas-internationalis")
    assert by_listing["Secours Catholique - Caritas France (English)"].language == "en"
    assert by_listing["OHCHR (panel 4)"].at == "summary-panel"
    assert by_listing["Philippine (panel 2)"].speakers == (AgentRef("country", "PHL"),)
    assert by_listing["UAE"].speakers == (AgentRef("country", "ARE"),)
    assert by_listing["EU"].speakers == (AgentRef("organisation", "european-union"),)
    assert programme.aliases[AgentRef("country", "PHL")] == ("Philippine",)


def test_every_listing_names_the_panel_it_was_delivered_at(catalogue: Catalogue) -> None:
    for statement in catalogue.programmes[0].statements:
        match = re.search(r"\(panel (\d)\)", statement.listed_as)
        expected = {None: None, "4": "summary-panel"}.get(
            match and match[1], f"panel-{match[1]}" if match else None
        )
        assert statement.at == expected, statement.listed_as


def test_every_listing_names_its_agents_as_written(catalogue: Catalogue) -> None:
    programme = catalogue.programmes[0]
    for entry in (*programme.statements, *programme.inputs):
        agents = getattr(entry, "speakers", None) or entry.authors
        for ref in agents:
            names = {catalogue.agent_name(ref), *programme.aliases.get(ref, ())}
            if ref.kind == "organisation":
                organisation = catalogue.organisations[ref.key]
                names.update(filter(None, [organisation.acronym, *organisation.alt_labels]))
            assert any(name in entry.listed_as for name in names), (entry.listed_as, names)
