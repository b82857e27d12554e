"""authentik's side of a sign-in (harbor_sso/live/sign_in/flow.py), stage by stage, with
authentik's answers as flows/views/executor.py gives them (the module's docstring cites
each): the stages it answers, the ones it cannot, and an executor or authorize endpoint
that answers nothing useful. test_sign_in.py walks the usual flows through the stand-ins;
these are the flows a default install does not have."""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from harbor_sso.live.browser import Browser
from harbor_sso.live.http import Response, Send
from harbor_sso.live.sign_in import SignIn, sign_in
from harbor_sso.live.sign_in.flow import MAX_STAGES, Login, Reached, through_authentik
from harbor_sso.live.verify import Check
from harbor_sso.transport import origin

from .answers import EXPECTED, A, H, answer, refused

CALLBACK = f"{H}/c/oidc/callback"
AUTHORIZE = f"{A}/application/o/authorize/?client_id=c&state=s"
FLOW = f"{A}/if/flow/login/?next=%2Fapplication%2Fo%2Fauthorize%2F"
EXECUTOR = "/api/v3/flows/executor/login/"
LOGIN = Login("alice", "pw-CANARY", ("harbor-users",))
Sent = list[tuple[str, str, dict[str, str], object]]
Pages = Mapping[tuple[str, str], list[Response | OSError]]


def scripted(pages: Pages) -> tuple[Send, Sent]:
    """Servers answering each (method, path) with its list in turn, the last one again."""
    sent: Sent = []
    queues = {key: list(value) for key, value in pages.items()}

    def send(method: str, url: str, body: bytes | None, headers: Mapping[str, str] | None
             ) -> Response:  # fmt: skip
        sent.append((method, url, dict(headers or {}), json.loads(body) if body else None))
        queue = queues[(method, urlsplit(url).path)]
        got = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(got, OSError):
            raise got
        return got

    return send, sent


def authentik(pages: Pages) -> tuple[Browser, Sent]:
    send, sent = scripted(pages)
    return Browser(send, {origin(A), origin(H)}, {origin(A): "harbor-sso:authentikUrl"}), sent


def run(pages: Pages, login: Login = LOGIN
        ) -> tuple[Reached, Sent]:  # fmt: skip
    browser, sent = authentik(pages)
    return through_authentik(browser, AUTHORIZE, CALLBACK, login), sent


def to_flow() -> dict[tuple[str, str], list[Response | OSError]]:
    return {("GET", "/application/o/authorize/"): [answer(302, location=FLOW)],
            ("GET", "/if/flow/login/"): [answer(200, b"<html>flow</html>")]}  # fmt: skip


def test_a_flow_with_a_password_field_a_remember_me_stage_and_a_nested_redirect() -> None:
    """identification asking the password too, then user login with remember-me; the end
    redirects to the executor once more, then back to authorize, which lets the user
    through to Harbor's callback."""
    pages = to_flow()
    pages[("GET", "/application/o/authorize/")].append(
        answer(302, location=f"{CALLBACK}?code=c0de&state=s")
    )
    pages[("GET", EXECUTOR)] = [
        answer(200, {"component": "ak-stage-identification", "password_fields": True},
               cookie="authentik_csrf=t0ken; Path=/"),
        answer(200, {"component": "ak-stage-user-login"}),
        answer(200, {"component": "xak-flow-redirect", "to": f"{EXECUTOR}?query=again"}),
        answer(200, {"component": "xak-flow-redirect", "to": "/application/o/authorize/"}),
    ]  # fmt: skip
    pages[("POST", EXECUTOR)] = [answer(302, location=f"{EXECUTOR}?query=x")]
    reached, sent = run(pages)
    assert reached.failed is None
    assert reached.passed == [
        Check("authentik identification", True, "'alice' identified"),
        Check("authentik user-login", True, "logged in"),
        Check("authentik authorization", True, f"redirects back to {H}:443/c/oidc/callback"),
    ]
    assert reached.callback == f"{CALLBACK}?code=c0de&state=s"
    after_posts = [sent[i + 1][:2] for i, (method, *_) in enumerate(sent) if method == "POST"]
    assert after_posts == [("GET", f"{A}{EXECUTOR}?query=x")] * 2  # the 302's Location
    posts = [(headers, body) for method, _, headers, body in sent if method == "POST"]
    assert posts == [
        ({"Content-Type": "application/json", "X-authentik-CSRF": "t0ken",
          "Cookie": "authentik_csrf=t0ken"},
         {"component": "ak-stage-identification", "uid_field": "alice",
          "password": "pw-CANARY"}),
        ({"Content-Type": "application/json", "X-authentik-CSRF": "t0ken",
          "Cookie": "authentik_csrf=t0ken"},
         {"component": "ak-stage-user-login", "remember_me": False}),
    ]  # fmt: skip


def failure(challenge: object, status: int = 200, login: Login = LOGIN) -> Check | None:
    """Where a flow stops whose executor answers ``challenge`` (or each of a list of
    answers in turn)."""
    pages = to_flow()
    pages[("GET", EXECUTOR)] = (
        challenge if isinstance(challenge, list) and isinstance(challenge[0], Response)
        else [answer(status, challenge)]
    )  # fmt: skip
    reached, _ = run(pages, login)
    return reached.failed


def test_a_stage_that_denies_access_says_authentik_s_message() -> None:
    assert failure({"component": "ak-stage-access-denied", "error_message": "Locked"}) == Check(
        "authentik flow 'login'", False, "authentik denied the sign-in: Locked"
    )


def test_a_stage_it_cannot_answer_is_named_without_calling_it_mfa() -> None:
    assert failure({"component": "ak-stage-prompt"}) == Check(
        "authentik flow 'login'",
        False,
        "the flow asks for the stage 'ak-stage-prompt', which this check cannot answer",
        "use an account without that stage for the check (for MFA: one with no authenticator, "
        "while the MFA stage's not_configured_action is skip)",
    )
    check = failure({"title": "no component"})
    assert check is not None and check.detail.startswith("the flow asks for the stage '',")


def test_a_nested_redirect_that_fails_or_ends_nowhere_names_the_flow() -> None:
    again = answer(200, {"component": "xak-flow-redirect", "to": f"{EXECUTOR}?query=again"})
    assert failure([again, answer(503, b"busy")]) == Check(
        "authentik flow 'login'", False, "the flow executor answered 503 without a challenge"
    )
    assert failure({"component": "xak-flow-redirect"}) == Check(
        "authentik flow 'login'", False, "the flow ends nowhere"
    )


def test_access_denied_without_a_message() -> None:
    assert failure({"component": "ak-stage-access-denied"}) == Check(
        "authentik flow 'login'", False, "authentik denied the sign-in: "
    )


def test_an_answer_the_executor_fails_after_a_nested_redirect_names_the_flow() -> None:
    pages = to_flow()
    pages[("GET", EXECUTOR)] = [
        answer(200, {"component": "xak-flow-redirect", "to": f"{EXECUTOR}?query=again"}),
        answer(200, {"component": "ak-stage-password"}),
    ]
    pages[("POST", EXECUTOR)] = [answer(500, b"internal")]
    reached, sent = run(pages)
    assert reached.failed == Check(
        "authentik flow 'login'", False, "the flow executor answered 500 without a challenge"
    )
    assert [(m, urlsplit(u).query) for m, u, *_ in sent if EXECUTOR in u] == [
        ("GET", "query=next%3D%252Fapplication%252Fo%252Fauthorize%252F"),
        ("GET", "query=again"),
        ("POST", "query=next%3D%252Fapplication%252Fo%252Fauthorize%252F"),
    ]


def test_an_executor_without_a_challenge_or_with_authentik_s_flow_error() -> None:
    assert failure(b"<html>502</html>", 502) == Check(
        "authentik flow 'login'", False, "the flow executor answered 502 without a challenge"
    )
    assert failure(["not", "a", "challenge"]) == Check(
        "authentik flow 'login'", False, "the flow executor answered 200 without a challenge"
    )
    assert failure({"component": "ak-stage-flow-error"}) == Check(
        "authentik flow 'login'",
        False,
        "authentik failed the flow (ak-stage-flow-error)",
        "see authentik's log",
    )


REFUSED = f"this machine reaches no server at {A}:443 (harbor-sso:authentikUrl): connection refused"


def test_an_executor_or_authorize_endpoint_that_does_not_answer() -> None:
    pages = to_flow()
    pages[("GET", EXECUTOR)] = [refused()]
    reached, _ = run(pages)
    assert reached.failed is not None
    assert (reached.failed.name, reached.failed.detail) == ("authentik flow 'login'", REFUSED)
    reached, _ = run({("GET", "/application/o/authorize/"): [refused()]})
    assert reached.failed is not None
    assert (reached.failed.name, reached.failed.detail) == ("authentik authorization", REFUSED)


def test_an_authorize_endpoint_answering_an_error_page() -> None:
    reached, _ = run({("GET", "/application/o/authorize/"): [answer(400, b"<html>no</html>")]})
    assert reached.failed == Check(
        "authentik authorization",
        False,
        f"GET {A}:443/application/o/authorize/ answered 400, not a way back to Harbor (an "
        "unknown client ID or redirect URI shows authentik's error page)",
        "run harbor-sso doctor: it compares the provider with Harbor's settings",
    )


def test_access_denied_names_the_allowed_groups() -> None:
    denied: Pages = {("GET", "/application/o/authorize/"): [answer(200, b"<html>no</html>")]}
    reached, _ = run(denied, Login("eve", "pw", ("ops", "dev")))
    assert reached.failed == Check(
        "authentik authorization",
        False,
        "authentik denied 'eve' access to the application (\"Request has been denied.\"): the "
        "user is in none of the groups allowed to log in ('ops', 'dev')",
        "add the user to an allowed group in authentik (allowedGroups), or check with another user",
    )


def test_a_flow_that_sends_the_browser_round_in_circles_is_cut_off() -> None:
    pages = to_flow()
    pages[("GET", EXECUTOR)] = [
        answer(200, {"component": "xak-flow-redirect", "to": "/application/o/authorize/"})
    ]
    reached, _ = run(pages)
    assert reached.failed == Check("authentik flow", False, f"more than {MAX_STAGES} steps")


def test_access_denied_without_the_stack_names_no_groups() -> None:
    denied: Pages = {("GET", "/application/o/authorize/"): [answer(200, b"<html>denied</html>")]}
    reached, _ = run(denied, Login("eve", "pw", None))
    assert reached.failed is not None
    assert reached.failed.detail == (
        "authentik denied 'eve' access to the application (\"Request has been denied.\"): the "
        "user is in none of the groups allowed to log in"
    )


def refusal(component: str, errors: object) -> Check | None:
    pages = to_flow()
    challenge = {"component": component, "password_fields": True, "pending_user": "alice"}
    pages[("GET", EXECUTOR)] = [answer(200, challenge)]
    pages[("POST", EXECUTOR)] = [answer(200, {**challenge, "response_errors": errors})]
    reached, _ = run(pages)
    return reached.failed


def test_a_refusal_mentioning_the_password_is_the_password_s() -> None:
    """The identification stage with its password field refuses a wrong password there."""
    errors = {
        "password": [{"string": "Invalid Password", "code": "invalid"}],
        "uid_field": [{"string": "Failed.", "code": "invalid"}, "junk"],
        "x": "junk",
        "y": 5,
    }
    assert refusal("ak-stage-identification", errors) == Check(
        "authentik identification",
        False,
        "authentik refused the password of 'alice' (Invalid Password; Failed.)",
        "check HARBOR_SSO_SIGN_IN_PASSWORD",
    )


def test_a_refusal_without_readable_errors() -> None:
    assert refusal("ak-stage-identification", ["not", "a", "dict"]) == Check(
        "authentik identification",
        False,
        "authentik refused 'alice' ()",
        "check the username (or email) and HARBOR_SSO_SIGN_IN_PASSWORD, and that the account "
        "is active",
    )
    check = refusal("ak-stage-password", {"password": [{"string": "No.", "code": "invalid"}]})
    assert check is not None and check.detail == "authentik refused the password of 'alice' (No.)"


def test_a_flow_that_never_ends_is_cut_off() -> None:
    pages = to_flow()
    consent = {"component": "ak-stage-consent", "token": "t"}
    pages[("GET", EXECUTOR)] = [answer(200, consent)]
    pages[("POST", EXECUTOR)] = [answer(200, consent)]
    reached, sent = run(pages)
    assert reached.failed == Check(
        "authentik flow 'login'", False, f"more than {MAX_STAGES} stages"
    )
    assert len(reached.passed) == MAX_STAGES
    assert reached.passed[0] == Check("authentik consent", True, "consent given")
    assert sum(method == "POST" for method, *_ in sent) == MAX_STAGES


def test_a_callback_that_fails_asks_harbor_s_ping_with_the_admin_client() -> None:
    """A user already logged in to authentik goes straight back to the callback."""
    pages: Pages = {
        ("GET", "/c/oidc/login"): [answer(302, location=AUTHORIZE)],
        ("GET", "/application/o/authorize/"): [answer(302, location=f"{CALLBACK}?code=x")],
        ("GET", "/c/oidc/callback"): [answer(500, {"errors": []})],
    }
    send, _ = scripted(pages)
    admin, pinged = scripted({("POST", "/api/v2.0/system/oidc/ping"): [answer(200)]})
    done = sign_in(EXPECTED, LOGIN, send, {}, admin)
    assert [(c.name, c.ok) for c in done.checks] == [
        ("Harbor login", True),
        ("authentik authorization", True),
        ("Harbor callback", False),
        ("Harbor's view of authentik", True),
    ]
    assert [body for *_, body in pinged] == [{"url": EXPECTED.issuer, "verify_cert": True}]


def whole_sign_in(current: Response, token: Response | OSError) -> SignIn:
    """A user already logged in to authentik, through to `docker login`."""
    user = {"username": "alice", "oidc_user_meta": {"secret": "Cli-Secret-9"}}
    pages: Pages = {
        ("GET", "/c/oidc/login"): [answer(302, location=AUTHORIZE, cookie="sid=h1")],
        ("GET", "/application/o/authorize/"): [
            answer(302, location=f"{CALLBACK}?code=x", cookie="authentik_session=a1")
        ],
        ("GET", "/c/oidc/callback"): [answer(302, location="/", cookie="sid=h2")],
        ("GET", "/api/v2.0/users/current"): [current if current.status else answer(200, user)],
        ("GET", "/api/v2.0/projects"): [answer(200, [])],
        ("GET", "/service/token"): [token],
    }
    send, _ = scripted(pages)
    keys = {origin(H): "harbor-sso:harborUrl"}
    return sign_in(EXPECTED, LOGIN, send, keys)


def test_a_whole_sign_in_keeps_every_secret_it_met() -> None:
    done = whole_sign_in(answer(0), answer(200, {"token": "t"}))
    assert done.ok
    assert LOGIN.password in done.secrets
    assert {"h1", "h2", "a1", "Cli-Secret-9"} <= set(done.secrets)


def test_a_whole_sign_in_that_harbor_does_not_know_or_answer() -> None:
    done = whole_sign_in(answer(401, {"errors": []}), answer(200))
    assert done.checks[-1] == Check(
        "Harbor user", False, "GET /api/v2.0/users/current answered 401"
    )
    assert LOGIN.password in done.secrets and "h2" in done.secrets
    done = whole_sign_in(answer(0), refused())
    assert done.checks[-1].detail == (
        f"this machine reaches no server at {H}:443 (harbor-sso:harborUrl): connection refused"
    )


def test_a_redirect_to_a_third_server_is_not_followed() -> None:
    """authentik's authorize sends the browser to a host that is neither configured server
    (an external URL set wrong on one side): the sign-in stops there, asking nothing of it."""
    pages: Pages = {
        ("GET", "/c/oidc/login"): [answer(302, location=AUTHORIZE)],
        ("GET", "/application/o/authorize/"): [
            answer(302, location="https://sso.internal.example:8443/if/flow/login/?code=x")
        ],
    }
    send, sent = scripted(pages)
    done = sign_in(EXPECTED, LOGIN, send, {})
    assert done.secrets == [LOGIN.password]  # no cookie was set
    assert done.checks[-1] == Check(
        "sign-in",
        False,
        "a redirect leads to https://sso.internal.example:8443, which is neither configured server",
        "check Harbor's external URL (hostname/external_url in harbor.yml) and authentik's, "
        "against --harbor-url and --authentik-url",
    )
    assert not done.ok
    hosts = [urlsplit(url).netloc for _, url, *_ in sent]
    assert hosts == ["harbor.example.test", "authentik.example.test"]  # not the third
