"""Several meetings shaped like the fixture's one, each in its own named graph, a month apart."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from rdflib import Graph
from webfixture import DATA_TRIG, ONTOLOGY, ONTOLOGY_TTL

KEY, DATE, TITLE = "2030-01-test", "2030-01-07", "Test meeting on migration"


def meeting_key(number: int) -> str:
    """Return the key of meeting number (1 is the fixture's own meeting, the oldest)."""
    return f"2030-{number:02d}-test"


def meetings_trig(count: int) -> str:
    """Return TriG with count meetings: meeting n is held on the 7th of month n of 2030."""
    blocks = []
    for number in range(1, count + 1):
        date = dt.date(2030, number, 7).isoformat()
        block = DATA_TRIG.replace(KEY, meeting_key(number)).replace(DATE, date)
        blocks.append(block.replace(TITLE, f"Test meeting {number}"))
    ontology = Graph().parse(data=ONTOLOGY_TTL, format="turtle").serialize(format="nt")
    return "\n".join(blocks) + f"\n<{ONTOLOGY}> {{\n{ontology}}}\n"


def write_meetings(release: Path, count: int) -> Path:
    """Replace a fixture release's quads with count meetings; return the TriG file."""
    body = meetings_trig(count).encode()
    path = release / "confgraph.trig"
    path.write_bytes(body)
    manifest = json.loads((release / "release.json").read_text("utf-8"))
    manifest["files"]["confgraph.trig"].update(
        bytes=len(body), sha256=hashlib.sha256(body).hexdigest()
    )
    (release / "release.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    return path
