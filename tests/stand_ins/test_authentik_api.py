"""The API stand-ins answer as the authentik version they model (2026.x) answers."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from tests.stand_ins.pair import api_stand_ins, seed


def post(base: str, path: str, token: str) -> http.client.HTTPResponse:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    conn.request(
        "POST",
        path,
        body=b'{"url": "https://x/i.png"}',
        headers={"Authorization": f"Bearer {token}"},
    )
    return conn.getresponse()


def test_set_icon_url_is_gone_as_on_authentik_2025_12_and_later() -> None:
    with api_stand_ins("t", "p") as pair:
        slug = seed(pair, old_guide=False)
        answer = post(pair.authentik.base, f"/api/v3/core/applications/{slug}/set_icon_url/", "t")
        assert (answer.status, answer.read()) == (405, b"")
        assert ("POST", f"/api/v3/core/applications/{slug}/set_icon_url/") in pair.requests()
