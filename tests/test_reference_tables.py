"""The reference tables under data/reference/: present, with their sources recorded."""

from __future__ import annotations

import csv
from pathlib import Path

from confgraph.load import load_reference

DATA = Path(__file__).resolve().parents[1] / "data"
REFERENCE = DATA / "reference"


def organisation_rows() -> list[dict[str, str]]:
    """Return the rows of the table of organisations."""
    with (REFERENCE / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_wikidata_item_of_the_registry_comes_from_the_table_with_its_name() -> None:
    table = {row["wikidata_qid"]: row for row in organisation_rows()}
    registry = load_reference(DATA).organisations
    used = {o.wikidata: o for o in registry.values() if o.wikidata}
    assert used, "the registry cites no Wikidata item"
    for qid, organisation in used.items():
        assert qid in table, f"{organisation.key}: {qid} is not in reference/organisations.csv"
        row = table[qid]
        assert (organisation.name, organisation.acronym) == (row["name"], row["acronym"]), qid


def test_the_registry_cites_the_table_in_the_repository() -> None:
    header = (DATA / "organisations.yaml").read_text("utf-8")
    assert "reference/organisations.csv" in header


def test_every_source_of_the_table_is_recorded_in_the_readme() -> None:
    readme = (REFERENCE / "README.md").read_text("utf-8")
    assert "## organisations.csv" in readme and "## countries.csv" in readme
    for row in organisation_rows():
        assert row["source"], f"{row['name']}: no source"
        for source in row["source"].split(" ; "):
            owner, repo = source.split("/")[:2]
            assert f"`{owner}/{repo}`" in readme, f"{source} not in reference/README.md"
