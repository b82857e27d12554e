"""Harbor's OIDC ping (harbor_sso/live/ping.py) on its own: when it is asked a second time,
and what each of Harbor's answers means. test_trust.py reads the lines `doctor` prints
from it against the stand-ins (Harbor's `pingOIDC` modelled from its source)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from harbor_sso.live.http import NoAnswer, Response
from harbor_sso.live.ping import (
    HARBOR_CA_FIX,
    HARBOR_REACH_FIX,
    PING_PATH,
    Pinged,
    harbor_view,
    ping,
)
from harbor_sso.live.verify import asked_harbor, unanswered
from harbor_sso.transport import TransportFailure, remedy

from .answers import EXPECTED, H, answer, refused

HTTPS = EXPECTED.issuer
HTTP = "http://authentik.example.test/application/o/harbor/"
Sent = list[tuple[str, str, object, dict[str, str]]]


def harbor(*answers: Response | OSError) -> tuple[Sent, object]:
    sent: Sent = []
    queue = list(answers)

    def send(method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None
             ) -> Response:  # fmt: skip
        sent.append((method, url, json.loads(body or b"null"), dict(headers or {})))
        got = queue.pop(0)
        if isinstance(got, OSError):
            raise got
        return got

    return sent, send


def test_a_refused_verified_ping_over_https_is_asked_again_without_verification() -> None:
    sent, send = harbor(answer(400), answer(200))
    pinged = ping(send, H, HTTPS, True)  # type: ignore[arg-type]
    assert sent == [
        ("POST", H + PING_PATH, {"url": HTTPS, "verify_cert": True},
         {"Content-Type": "application/json"}),
        ("POST", H + PING_PATH, {"url": HTTPS, "verify_cert": False},
         {"Content-Type": "application/json"}),
    ]  # fmt: skip
    assert harbor_view(pinged, HTTPS)[0:2] == (
        "FAIL",
        f"Harbor does not trust authentik's certificate at '{HTTPS}': Harbor core reaches it "
        "only with verification off, so every login fails",
    )
    assert harbor_view(pinged, HTTPS)[2] == HARBOR_CA_FIX


@pytest.mark.parametrize(
    ("first", "endpoint", "verify"),
    [(200, HTTPS, True), (400, HTTPS, False), (400, HTTP, True), (401, HTTPS, True)],
)
def test_asked_once_when_a_second_ask_tells_nothing(
    first: int, endpoint: str, verify: bool
) -> None:
    given = answer(first)
    sent, send = harbor(given)
    assert ping(send, H, endpoint, verify) == Pinged(given)  # type: ignore[arg-type]
    assert [body for _, _, body, _ in sent] == [{"url": endpoint, "verify_cert": verify}]


def test_a_ping_harbor_does_not_answer_is_a_warning_naming_why() -> None:
    _, send = harbor(refused())
    pinged = ping(send, H, HTTPS, True)  # type: ignore[arg-type]
    assert isinstance(pinged.verified, NoAnswer)
    assert harbor_view(pinged, HTTPS) == (
        "WARN",
        f"Harbor's OIDC ping could not be asked: POST {H}{PING_PATH} failed: "
        "ConnectionRefusedError: [Errno 111] Connection refused",
        "",
    )


@pytest.mark.parametrize(
    ("status", "view"),
    [
        (200, ("PASS", f"Harbor core fetches authentik's discovery document at '{HTTPS}'", "")),
        (403, ("WARN", "Harbor's OIDC ping answered 403: only a system administrator may ask it",
               "set HARBOR_USERNAME/HARBOR_PASSWORD to a Harbor system administrator's")),
        (401, ("WARN", "Harbor's OIDC ping answered 401: only a system administrator may ask it",
               "set HARBOR_USERNAME/HARBOR_PASSWORD to a Harbor system administrator's")),
        (404, ("WARN", "Harbor's OIDC ping answered 404", "")),
    ],
)  # fmt: skip
def test_what_each_of_harbor_s_answers_means(status: int, view: tuple[str, str, str]) -> None:
    assert harbor_view(Pinged(answer(status)), HTTPS) == view


def test_an_issuer_that_differs_is_named_before_reachability() -> None:
    other = "https://authentik.example.test/application/o/harbor"
    verdict, detail, fix = harbor_view(Pinged(answer(400), answer(200)), HTTPS, other)
    assert (verdict, fix) == ("FAIL", f"set oidc_endpoint to '{other}'")
    assert detail == (
        f"Harbor refuses '{HTTPS}': authentik publishes the issuer '{other}', and Harbor "
        "compares them exactly"
    )
    assert harbor_view(Pinged(answer(400)), HTTPS, HTTPS)[1].startswith("Harbor cannot reach")


def test_verify_asks_harbor_only_with_its_admin_client_and_says_the_fix() -> None:
    assert asked_harbor(EXPECTED, None) == []
    _, send = harbor(answer(400), answer(400))
    (check,) = asked_harbor(EXPECTED, send)  # type: ignore[arg-type]
    assert (check.name, check.ok) == ("Harbor's view of authentik", False)
    assert check.fix == HARBOR_REACH_FIX.replace("<endpoint>", HTTPS)


def test_a_failure_without_a_key_points_at_the_url() -> None:
    why = NoAnswer("refused", TransportFailure("refused", "https://h:443", "connection refused"))
    check = unanswered("Harbor API", why, {})
    assert check.fix == remedy("refused", "the URL")
