"""HTTP Digest authentication (RFC 7616, MD5 with qop=auth): what Virtuoso's endpoints ask.

Virtuoso's authenticated endpoints (/sparql-auth, /sparql-graph-crud-auth) refuse Basic
credentials (401 without a challenge) and challenge a request without credentials; the
client answers the challenge, then reuses its nonce for the requests that follow.
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.request


def is_digest(challenge: str) -> bool:
    """Tell whether a WWW-Authenticate header is a Digest challenge."""
    return challenge[:7].lower() == "digest "


def authorization(
    challenge: str,
    method: str,
    uri: str,
    user: str,
    password: str,
    count: int = 1,
    cnonce: str | None = None,
) -> str:
    """Return the Authorization header that answers a Digest challenge for one request.

    count is the request's number under the challenge's nonce (1, then 2, ...).
    """
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[7:]))
    algorithm = fields.get("algorithm", "MD5")
    if algorithm.upper() not in ("MD5", "MD5-SESS"):
        raise ValueError(f"unsupported Digest algorithm {algorithm!r}")
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    cnonce, nc = cnonce or secrets.token_hex(8), f"{count:08x}"
    secret = _md5(f"{user}:{realm}:{password}")
    if algorithm.upper() == "MD5-SESS":
        secret = _md5(f"{secret}:{nonce}:{cnonce}")
    target = _md5(f"{method}:{uri}")
    qops = [q.strip() for q in fields.get("qop", "").split(",") if q.strip()]
    parts = {"username": user, "realm": realm, "nonce": nonce, "uri": uri}
    if "auth" in qops:
        parts["response"] = _md5(f"{secret}:{nonce}:{nc}:{cnonce}:auth:{target}")
        unquoted = {"qop": "auth", "nc": nc}
        parts["cnonce"] = cnonce
    elif not qops:
        parts["response"] = _md5(f"{secret}:{nonce}:{target}")
        unquoted = {}
    else:
        raise ValueError(f"unsupported Digest qop {fields['qop']!r}")
    if "opaque" in fields:
        parts["opaque"] = fields["opaque"]
    quoted = ", ".join(f'{key}="{_quote(value)}"' for key, value in parts.items())
    rest = "".join(f", {key}={value}" for key, value in unquoted.items())
    return f"Digest {quoted}{rest}, algorithm={algorithm}"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
