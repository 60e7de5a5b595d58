"""Digest authentication, as Virtuoso's authenticated endpoints ask for it."""

from __future__ import annotations

import pytest

from confgraph.store.digest import authorization, is_digest

# The worked example of RFC 2617, section 3.5.
CHALLENGE = (
    'Digest realm="testrealm@host.com", qop="auth,auth-int", '
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'
)


def test_the_rfc_2617_example() -> None:
    header = authorization(
        CHALLENGE, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", cnonce="0a4f113b"
    )
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "qop=auth, nc=00000001" in header
    assert 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header


def test_each_request_under_a_nonce_has_its_own_count() -> None:
    first = authorization(CHALLENGE, "GET", "/", "u", "p", cnonce="c")
    second = authorization(CHALLENGE, "GET", "/", "u", "p", count=2, cnonce="c")
    assert "nc=00000002" in second and first != second


def test_a_challenge_it_cannot_answer_is_refused() -> None:
    assert is_digest('Digest realm="x"') and not is_digest('Basic realm="x"')
    with pytest.raises(ValueError, match="SHA-512"):
        authorization('Digest realm="x", nonce="n", algorithm=SHA-512', "GET", "/", "u", "p")
