"""Servers' answers as the live tools receive them (live/http.py `Response`), for tests
that script a server: a status, a JSON (or raw) body, a redirect, a cookie; a server that
does not answer; and the deployment they script (what verify expects of it)."""

from __future__ import annotations

import json
from email.message import Message

from harbor_sso.live.http import Response
from harbor_sso.live.verify import Expected

H = "https://harbor.example.test"
A = "https://authentik.example.test"
EXPECTED = Expected(
    discovery_url=f"{A}/application/o/harbor/.well-known/openid-configuration",
    issuer=f"{A}/application/o/harbor/",
    systeminfo_url=f"{H}/api/v2.0/systeminfo",
    login_url=f"{H}/c/oidc/login",
    client_id="client",
    redirect_uri=f"{H}/c/oidc/callback",
    scopes=("openid", "profile", "email", "offline_access"),
)


def answer(
    status: int, body: object = None, location: str | None = None, cookie: str | None = None
) -> Response:
    headers = Message()
    if location is not None:
        headers["Location"] = location
    if cookie is not None:
        headers["Set-Cookie"] = cookie
    raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    return Response(status, headers, raw)


def refused() -> OSError:
    """What the socket raises when nothing listens on the port."""
    return ConnectionRefusedError(111, "Connection refused")
