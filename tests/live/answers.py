"""Servers' answers as the live tools receive them (live/http.py `Response`), for tests
that script a server: a status, a JSON (or raw) body, a redirect, a cookie; and a server
that does not answer."""

from __future__ import annotations

import json
from email.message import Message

from harbor_sso.live.http import Response


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
