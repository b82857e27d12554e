"""The sign-in's browser (harbor_sso/live/browser.py): what it keeps per server. Its
redirects and cookies over a whole login: test_sign_in.py, test_sign_in_flow.py."""

from __future__ import annotations

from email.message import Message
from typing import Any

import pytest

from harbor_sso.live.browser import Browser, Offsite
from harbor_sso.live.http import Response
from harbor_sso.transport import origin

A = "https://authentik.example.test"


def test_cookies_are_kept_per_server_and_none_for_another() -> None:
    def send(*_: Any) -> Response:
        headers = Message()
        headers["Set-Cookie"] = "authentik_csrf=t0ken; Path=/"
        return Response(200, headers, b"")

    browser = Browser(send, {origin(A)})
    browser.request("GET", f"{A}/if/flow/login/")
    assert browser.cookie(f"{A}/api/v3/", "authentik_csrf") == "t0ken"
    assert browser.cookie("https://elsewhere.example.test/", "authentik_csrf") is None
    with pytest.raises(Offsite) as offsite:
        browser.request("GET", "https://elsewhere.example.test/login?code=c0de")
    assert offsite.value.server == "https://elsewhere.example.test:443"
    assert str(offsite.value) == "https://elsewhere.example.test:443/login"  # never the query
