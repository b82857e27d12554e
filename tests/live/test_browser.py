"""The sign-in's browser (harbor_sso/live/browser.py): what it keeps per server. Its
redirects and cookies over a whole login: test_sign_in.py, test_sign_in_flow.py."""

from __future__ import annotations

from email.message import Message
from typing import Any

import pytest

from harbor_sso.live.browser import MAX_REDIRECTS, Browser, Offsite
from harbor_sso.live.http import NoAnswer, Response
from harbor_sso.transport import origin

from .answers import answer

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


def scripted(*answers: Response | Exception) -> tuple[Browser, list[str]]:
    asked: list[str] = []
    queue = list(answers)

    def send(method: str, url: str, *_: Any) -> Response:
        asked.append(url)
        got = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(got, Exception):
            raise got
        return got

    return Browser(send, {origin(A)}), asked


def test_a_cookie_is_dropped_when_the_server_expires_or_empties_it() -> None:
    browser, _ = scripted(
        answer(200, cookie="sid=s1; Path=/"),
        answer(200, cookie="sid=s1; Max-Age=0"),
        answer(200, cookie="csrf=c1"),
        answer(200, cookie="csrf=; Path=/"),
        answer(200, cookie="k=v; Max-Age=-1"),
    )
    browser.request("GET", f"{A}/")
    assert browser.secrets() == ["s1"]
    browser.request("GET", f"{A}/")
    assert browser.cookie(A, "sid") is None
    browser.request("GET", f"{A}/")
    browser.request("GET", f"{A}/")
    assert browser.cookie(A, "csrf") is None
    browser.request("GET", f"{A}/")
    assert browser.cookie(A, "k") is None
    assert browser.secrets() == ["s1", "c1"]  # expired, yet never to be shown


def test_redirects_are_followed_to_an_answer_and_no_further() -> None:
    browser, asked = scripted(
        answer(302, location="/one"), answer(301, location="two?x=1"), answer(302)
    )
    url, last = browser.follow(f"{A}/start")
    assert (url, last) == (f"{A}/two?x=1", last)  # a redirect without a Location ends it
    assert asked == [f"{A}/start", f"{A}/one", f"{A}/two?x=1"]
    looping, asked = scripted(answer(302, location="/again?code=c0de"))
    url, last = looping.follow(f"{A}/again")
    assert isinstance(last, NoAnswer)
    assert str(last) == f"more than {MAX_REDIRECTS} redirects from {A}:443/again"
    assert len(asked) == MAX_REDIRECTS


def test_a_request_that_fails_is_named_without_its_query() -> None:
    browser, _ = scripted(ValueError("got more than 100 headers"))
    failed = browser.request("GET", f"{A}/c/oidc/callback?code=c0de&state=st4te")
    assert str(failed) == (
        f"GET {A}:443/c/oidc/callback failed: ValueError: got more than 100 headers"
    )
