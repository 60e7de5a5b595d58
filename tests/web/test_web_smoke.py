"""Every route answers for the fixture release (a quick map of the server)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from webfixture import M

ROUTES = [
    ("/", 200),
    ("/sparql", 200),
    ("/dumps/", 200),
    ("/dumps/confgraph.ttl", 200),
    ("/.well-known/void", 200),
    ("/dataset", 200),
    ("/ontology", 200),
    ("/shapes", 200),
    (M.replace("https://w3id.org/confgraph", "") + "/session/panel-1", 303),
    (M.replace("https://w3id.org/confgraph", "") + "/session/panel-1.html", 200),
]


@pytest.mark.parametrize(("path", "status"), ROUTES)
def test_route_answers(client: FlaskClient, path: str, status: int) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    response.close()
