"""Harbor's side of a sign-in (harbor_sso/live/sign_in/harbor.py), each answer on its own:
the callback's outcomes, who `users/current` says, and `docker login`'s token service,
with Harbor's answers as its source gives them (the module's docstring cites each) and a
server that does not answer at all. test_sign_in.py walks the whole login through the
stand-ins; these are the branches a whole login reaches only with a broken Harbor."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

import pytest

from harbor_sso.live.browser import Browser
from harbor_sso.live.http import Response, Send
from harbor_sso.live.sign_in.harbor import (
    Seen,
    callback,
    docker_login,
    secret_forms,
    seen,
    start,
)
from harbor_sso.live.verify import Check
from harbor_sso.transport import origin

from .answers import EXPECTED, A, H, answer, refused

KEYS = {origin(H): "harbor-sso:harborUrl", origin(A): "harbor-sso:authentikUrl"}
CALLBACK = f"{H}/c/oidc/callback?code=c0de&state=st4te"
Answer = Response | OSError
Sent = list[tuple[str, str, dict[str, str]]]


def harbor(answers: Mapping[str, Answer]) -> tuple[Send, Sent]:
    """A Harbor that answers each path as given; a path it lacks is a test's mistake."""
    sent: Sent = []

    def send(
        method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None
    ) -> Response:
        sent.append((method, url, dict(headers or {})))
        got = answers[urlsplit(url).path]
        if isinstance(got, OSError):
            raise got
        return got

    return send, sent


def browser(answers: Mapping[str, Answer]) -> Browser:
    send, _ = harbor(answers)
    return Browser(send, {origin(H), origin(A)}, KEYS)


REFUSED = f"this machine reaches no server at {H}:443 (harbor-sso:harborUrl): connection refused"


def test_harbor_s_login_button_leads_to_authentik_s_authorize_endpoint() -> None:
    authorize = f"{A}/application/o/authorize/?client_id=client&state=st4te"
    assert start(browser({"/c/oidc/login": answer(302, location=authorize)}), EXPECTED) == (
        authorize,
        [Check("Harbor login", True, f"redirects to {A}:443/application/o/authorize/")],
    )


@pytest.mark.parametrize(
    "response", [answer(500), answer(302, location="/account/sign-in"), answer(200)]
)
def test_a_login_button_that_stopped_redirecting_to_authentik(response: Response) -> None:
    """verify found the redirect a moment before; whatever Harbor answers now is said."""
    assert start(browser({"/c/oidc/login": response}), EXPECTED) == (
        None,
        [
            Check(
                "Harbor login",
                False,
                f"GET {H}:443/c/oidc/login answered {response.status}, not a redirect to authentik",
            )
        ],
    )
    authorize, (check,) = start(browser({"/c/oidc/login": refused()}), EXPECTED)
    assert (authorize, check.detail) == (None, REFUSED)


def failed_at_callback(response: Answer) -> list[Check]:
    return callback(browser({"/c/oidc/callback": response}), CALLBACK, EXPECTED, None)


def test_a_callback_that_signs_the_user_in() -> None:
    assert failed_at_callback(answer(302, location="/harbor/projects")) == [
        Check("Harbor callback", True, "Harbor exchanged the code and signed the user in")
    ]


def test_a_callback_asking_for_a_username_means_auto_onboarding_is_off() -> None:
    (check,) = failed_at_callback(answer(302, location="/oidc-onboard?username=alice"))
    assert check == Check(
        "Harbor callback",
        False,
        "Harbor asks the new user to choose a username: auto-onboarding is off",
        "set harbor-sso:autoOnboard true (the default)",
    )


def test_a_callback_that_does_not_answer_names_the_server_and_its_key() -> None:
    (check,) = failed_at_callback(refused())
    assert (check.name, check.ok) == ("Harbor callback", False)
    assert check.detail == REFUSED
    assert "harbor-sso:harborUrl" in check.fix


def test_a_callback_answering_500_says_what_it_most_often_means_and_asks_harbor() -> None:
    internal = {"errors": [{"code": "UNKNOWN", "message": "internal server error"}]}
    ping, sent = harbor({"/api/v2.0/system/oidc/ping": answer(200)})
    checks = callback(
        browser({"/c/oidc/callback": answer(500, internal)}), CALLBACK, EXPECTED, ping
    )
    assert checks == [
        Check(
            "Harbor callback",
            False,
            "Harbor answered 500 at its callback: most often Harbor core cannot fetch or trust "
            "authentik's discovery document or keys, or the ID token is not one it can verify",
            "run harbor-sso doctor; Harbor core's log has the cause",
        ),
        Check(
            "Harbor's view of authentik",
            True,
            f"Harbor core fetches authentik's discovery document at '{A}/application/o/harbor/'",
        ),
    ]
    assert [(m, u) for m, u, _ in sent] == [("POST", f"{H}/api/v2.0/system/oidc/ping")]
    assert len(failed_at_callback(answer(500, internal))) == 1  # no credentials, no ping


def test_a_user_harbor_knows_under_another_issuer_gets_its_409() -> None:
    taken = "failed to create user record: user alice or email a@example.test already exists"
    (check,) = failed_at_callback(answer(409, {"errors": [{"code": "CONFLICT", "message": taken}]}))
    assert check == Check(
        "Harbor callback",
        False,
        f"Harbor answered 409 ({taken}): Harbor knows this user under another issuer or "
        "subject (the slug, authentik's URL or sub_mode changed since they signed in)",
        "put the slug and authentikUrl back as they were; or delete the user in Harbor, who "
        "is then onboarded anew (harbor-sso doctor lists them)",
    )


def test_a_code_exchange_authentik_refuses() -> None:
    said = 'oauth2: "invalid_client" "Client authentication failed"'
    (check,) = failed_at_callback(
        answer(400, {"errors": [{"code": "BAD_REQUEST", "message": said}]})
    )
    assert check.ok is False
    assert check.detail.startswith(f"authentik refused Harbor's code exchange ({said}): ")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"errors": [{"code": "BAD_REQUEST", "message": "State mismatch"}]},
         "Harbor answered 400 (State mismatch)"),
        (b"<html>bad gateway</html>", "Harbor answered 400 ()"),
        ({"errors": []}, "Harbor answered 400 ()"),
    ],
)  # fmt: skip
def test_any_other_callback_answer_is_shown_with_harbor_s_message(
    body: object, detail: str
) -> None:
    assert failed_at_callback(answer(400, body)) == [Check("Harbor callback", False, detail)]


def current(user: object, projects: object = None) -> Seen | Check:
    pages: dict[str, Answer] = {"/api/v2.0/users/current": answer(200, user)}
    pages["/api/v2.0/projects"] = answer(200, projects if projects is not None else [])
    return seen(browser(pages), EXPECTED)


def test_who_harbor_sees_with_roles_by_name() -> None:
    who = current(
        {"username": "alice", "email": "a@example.test", "sysadmin_flag": True,
         "admin_role_in_auth": True, "oidc_user_meta": {"secret": "Cli-Secret-9"}},
        [{"name": "team", "current_user_role_ids": [2, 9]}, {"name": "library"},
         {"current_user_role_ids": [1]}, "junk"],
    )  # fmt: skip
    assert who == Seen(
        username="alice",
        email="a@example.test",
        admin_in_auth=True,
        sysadmin=True,
        cli_secret="Cli-Secret-9",
        roles={"team": ["developer", "9"], "library": []},
    )


def test_flags_count_only_when_harbor_says_true() -> None:
    user = {"username": "bob", "sysadmin_flag": "yes", "admin_role_in_auth": 1, "email": None,
            "oidc_user_meta": {"secret": None}}  # fmt: skip
    who = current(user, {"not": "a list"})
    assert who == Seen(username="bob")


def test_only_what_harbor_answers_with_200_is_read() -> None:
    pages: dict[str, Answer] = {
        "/api/v2.0/users/current": answer(200, {"username": "bob"}),
        "/api/v2.0/projects": answer(500, [{"name": "team", "current_user_role_ids": [1]}]),
    }
    assert seen(browser(pages), EXPECTED) == Seen(username="bob")


def test_who_harbor_sees_without_a_session() -> None:
    unauthorized = {"errors": [{"code": "UNAUTHORIZED", "message": "UnAuthorized"}]}
    pages: dict[str, Answer] = {"/api/v2.0/users/current": answer(401, unauthorized)}
    assert seen(browser(pages), EXPECTED) == Check(
        "Harbor user", False, "GET /api/v2.0/users/current answered 401"
    )


def test_who_harbor_sees_when_it_stops_answering() -> None:
    who = seen(browser({"/api/v2.0/users/current": refused()}), EXPECTED)
    assert isinstance(who, Check)
    assert (who.name, who.ok, who.detail) == ("Harbor user", False, REFUSED)


def token_service(status: int, body: object = None) -> tuple[Check, Sent]:
    send, sent = harbor({"/service/token": answer(status, body) if status else refused()})
    user = Seen(username="alice", cli_secret="Cli-Secret-9")
    return docker_login(send, EXPECTED, user, KEYS), sent


def test_docker_login_asks_as_docker_does_with_the_cli_secret() -> None:
    check, sent = token_service(200, {"token": "eyJ.x.y"})
    assert check == Check(
        "docker login", True, "the user's CLI secret gets a registry token from /service/token"
    )
    ((method, url, headers),) = sent
    assert (method, url.split("?")[0]) == ("GET", f"{H}/service/token")
    assert parse_qs(urlsplit(url).query)["service"] == ["harbor-registry"]
    basic = base64.b64encode(b"alice:Cli-Secret-9").decode()
    assert headers == {"Authorization": f"Basic {basic}"}


@pytest.mark.parametrize(("status", "body"), [(200, {"token": ""}), (200, ["t"]), (401, None)])
def test_docker_login_without_a_token_fails(status: int, body: object) -> None:
    check, _ = token_service(status, body)
    assert (check.ok, check.detail) == (
        False,
        f"Harbor's token service answered {status} to the user's CLI secret",
    )


def test_docker_login_when_the_token_service_does_not_answer() -> None:
    check, _ = token_service(0)
    assert (check.name, check.ok, check.detail) == ("docker login", False, REFUSED)
    assert "harbor-sso:harborUrl" in check.fix


def test_docker_login_meeting_a_broken_answer_names_the_request() -> None:
    def send(*_: object) -> Response:
        raise ValueError("got more than 100 headers")

    check = docker_login(send, EXPECTED, Seen(username="alice", cli_secret="s3cret-Cli"), KEYS)
    assert (check.ok, check.detail) == (
        False,
        f"GET {H}:443/service/token failed: ValueError: got more than 100 headers",
    )


def test_docker_login_without_a_cli_secret_asks_nothing() -> None:
    send, sent = harbor({})
    check = docker_login(send, EXPECTED, Seen(username="alice"), KEYS)
    assert check == Check("docker login", False, "Harbor showed no CLI secret for the user")
    assert sent == []


def test_every_form_of_the_cli_secret_is_kept_from_the_output() -> None:
    """A user may set their own secret (handler/user.go `SetCliSecret`: the password
    rules of `requireValidSecret`, any other characters allowed): its JSON and basic-auth
    forms are redacted as well."""
    secret = 'Pa"ss\\word-9'
    forms = secret_forms(Seen(username="alice", cli_secret=secret))
    basic = base64.b64encode(f"alice:{secret}".encode()).decode()
    assert forms == [secret, basic, 'Pa\\"ss\\\\word-9']
    assert secret_forms(Seen(username="alice")) == []
