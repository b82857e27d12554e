"""authentik's side of a sign-in: from its authorize endpoint back to Harbor's callback,
through the flow executor, as authentik's own web UI drives it.

goauthentik/authentik 2026.2 (read at version/2026.2.2):
- `/application/o/authorize/` (providers/oauth2/views/authorize.py
  `AuthorizationFlowInitView`): a user not logged in is sent to the authentication flow,
  `302 /if/flow/<slug>/?<the authorize query>&next=<the authorize URL>` (2025.12 and
  later; earlier through `/flows/-/default/authentication/`); a user the application's
  bindings refuse gets an HTML page, status 200, "Request has been denied."
  (policies/denied.py `AccessDeniedResponse`: a group binding carries no message); a
  user let through is redirected to the client's redirect URI with `code` and `state`
  (the implicit-consent flow has no stage), or sent through the authorization flow.
- The flow executor, `/api/v3/flows/executor/<slug>/?query=<the /if/flow/ page's query>`
  (flows/views/executor.py `FlowExecutorView`; the web UI's `FlowExecutor.ts`): GET
  answers the current stage's challenge (JSON, `component`); a POST of the answer (JSON,
  with `component`) answers 302 back to the executor, or the same challenge with
  `response_errors` ({field: [{string, code}]}); the end is `xak-flow-redirect` with
  `to`. Once logged in, a POST needs `X-authentik-CSRF` equal to the `authentik_csrf`
  cookie (the web UI's CSRFMiddleware; DRF's SessionAuthentication).
- Stages answered: identification (`uid_field`, and `password` when the stage asks for
  it), password (`password`), consent (the challenge's `token`), user login with
  remember-me (`remember_me`). Any other (MFA: `ak-stage-authenticator-validate`) is a
  stage this check cannot answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from ..browser import Browser, redirected_to, shown
from ..http import NoAnswer, Response, json_of
from ..verify import Check, unanswered

MAX_STAGES = 20
FLOW_PAGE = "/if/flow/"
EXECUTOR = "/api/v3/flows/executor/"
CSRF_COOKIE, CSRF_HEADER = "authentik_csrf", "X-authentik-CSRF"
MFA = "ak-stage-authenticator-validate"


@dataclass
class Reached:
    """Where authentik's side ended: Harbor's callback (with its code and state), or the
    failed check that says why not; the checks that passed on the way."""

    passed: list[Check]
    callback: str | None = None
    failed: Check | None = None


@dataclass(frozen=True)
class Login:
    user: str
    password: str
    allowed_groups: tuple[str, ...] | None
    """The groups the stack allows (to name them when authentik refuses); None: unknown."""


class _Stop(Exception):
    def __init__(self, check: Check) -> None:
        self.check = check


def through_authentik(browser: Browser, authorize: str, callback: str, login: Login) -> Reached:
    """Follow ``authorize`` until authentik sends the browser to ``callback``."""
    reached = Reached([])
    try:
        url = authorize
        for _ in range(MAX_STAGES):
            if not url.startswith(callback):  # a flow's end may lead straight back
                url, response = browser.follow(url, until=callback)
            if url.startswith(callback):
                reached.passed.append(
                    Check("authentik authorization", True, f"redirects back to {shown(url)}")
                )
                reached.callback = url
                return reached
            url = _next(browser, url, response, login, reached)
        raise _Stop(Check("authentik flow", False, f"more than {MAX_STAGES} steps"))
    except _Stop as stop:
        reached.failed = stop.check
    return reached


def _next(
    browser: Browser, url: str, response: Response | NoAnswer, login: Login, reached: Reached
) -> str:
    """What follows a page that is not the callback: a flow to run, or the end."""
    path = urlsplit(url).path
    if isinstance(response, NoAnswer):
        raise _Stop(unanswered("authentik authorization", response, browser.keys))
    if path.startswith(FLOW_PAGE):
        slug = path.removeprefix(FLOW_PAGE).split("/", 1)[0]
        return _run_flow(browser, url, slug, login, reached)
    if response.status == 200 and "/application/o/authorize" in path:
        allowed = login.allowed_groups
        groups = f" ({', '.join(repr(g) for g in allowed)})" if allowed else ""
        raise _Stop(
            Check(
                "authentik authorization",
                False,
                f'authentik denied {login.user!r} access to the application ("Request has been '
                'denied."): the user is in none of the groups allowed to log in' + groups,
                "add the user to an allowed group in authentik (allowedGroups), or check "
                "with another user",
            )
        )
    raise _Stop(
        Check(
            "authentik authorization",
            False,
            f"GET {shown(url)} answered {response.status}, not a way back to Harbor "
            "(an unknown client ID or redirect URI shows authentik's error page)",
            "run harbor-sso doctor: it compares the provider with Harbor's settings",
        )
    )


def _run_flow(browser: Browser, page: str, slug: str, login: Login, reached: Reached) -> str:
    """Answer the flow's stages; the URL its end redirects to."""
    executor = f"{urljoin(page, EXECUTOR)}{quote(slug)}/?query={quote(urlsplit(page).query)}"
    challenge = _challenge(browser, executor, slug, None)
    for _ in range(MAX_STAGES):
        component = str(challenge.get("component", ""))
        if component == "xak-flow-redirect":
            to = challenge.get("to")
            if not isinstance(to, str):
                raise _Stop(Check(f"authentik flow {slug!r}", False, "the flow ends nowhere"))
            # the web UI assigns `to` to window.location: relative to the flow's page
            target = urljoin(page, to)
            if urlsplit(target).path.startswith(EXECUTOR):
                challenge = _challenge(browser, target, slug, None)
                continue
            return target
        answer = _answer(component, challenge, login, slug)
        done = _challenge(browser, executor, slug, answer)
        errors = done.get("response_errors")
        if errors and done.get("component") == component:
            raise _Stop(_refused(component, errors, login))
        reached.passed.append(
            Check(f"authentik {_stage(component)}", True, _passed(component, login))
        )
        challenge = done
    raise _Stop(Check(f"authentik flow {slug!r}", False, f"more than {MAX_STAGES} stages"))


def _answer(component: str, challenge: dict[str, Any], login: Login, slug: str) -> dict[str, Any]:
    if component == "ak-stage-identification":
        answer: dict[str, Any] = {"uid_field": login.user}
        if challenge.get("password_fields"):
            answer["password"] = login.password
    elif component == "ak-stage-password":
        answer = {"password": login.password}
    elif component == "ak-stage-consent":
        answer = {"token": challenge.get("token")}
    elif component == "ak-stage-user-login":
        answer = {"remember_me": False}
    elif component == "ak-stage-access-denied":
        message = str(challenge.get("error_message") or "")
        raise _Stop(
            Check(f"authentik flow {slug!r}", False, f"authentik denied the sign-in: {message}")
        )
    else:
        what = " (MFA)" if component == MFA else ""
        raise _Stop(
            Check(
                f"authentik flow {slug!r}",
                False,
                f"the flow asks for the stage {component!r}{what}, which this check cannot answer",
                "use an account without that stage for the check (for MFA: one with no "
                "authenticator, while the MFA stage's not_configured_action is skip)",
            )
        )
    return {"component": component, **answer}


def _challenge(
    browser: Browser, url: str, slug: str, answer: dict[str, Any] | None
) -> dict[str, Any]:
    """The executor's challenge (a GET), or its answer to ``answer`` (a POST), as JSON, a
    redirect back to itself followed."""
    if answer is not None:
        # DRF's SessionAuthentication checks CSRF on unsafe methods only
        token = browser.cookie(url, CSRF_COOKIE)
        headers = {CSRF_HEADER: token} if token else {}
        response: Response | NoAnswer = browser.post_json(url, answer, headers)
    else:
        response = browser.request("GET", url)
    # a stage's response is a plain 302 (executor.py `to_stage_response`); JSON comes
    # whatever the Accept header (ORJSONRenderer is authentik's only renderer)
    if isinstance(response, Response) and response.status == 302:
        response = browser.request("GET", redirected_to(url, response) or url)
    name = f"authentik flow {slug!r}"
    if isinstance(response, NoAnswer):
        raise _Stop(unanswered(name, response, browser.keys))
    value = json_of(response)
    if not isinstance(value, dict):
        raise _Stop(
            Check(name, False, f"the flow executor answered {response.status} without a challenge")
        )
    if value.get("component") == "ak-stage-flow-error":
        raise _Stop(
            Check(
                name,
                False,
                "authentik failed the flow (ak-stage-flow-error)",
                "see authentik's log",
            )
        )
    return value


def _stage(component: str) -> str:
    return component.removeprefix("ak-stage-")


def _passed(component: str, login: Login) -> str:
    """For each stage `_answer` answers."""
    return {
        "ak-stage-identification": f"{login.user!r} identified",
        "ak-stage-password": "password accepted",
        "ak-stage-consent": "consent given",
        "ak-stage-user-login": "logged in",
    }[component]


def _refused(component: str, errors: Any, login: Login) -> Check:
    said = "; ".join(
        str(e.get("string"))
        for field in (errors.values() if isinstance(errors, dict) else [])
        for e in (field if isinstance(field, list) else [])
        if isinstance(e, dict)
    )
    name = f"authentik {_stage(component)}"
    if component == "ak-stage-password" or "password" in said.lower():
        return Check(name, False, f"authentik refused the password of {login.user!r} ({said})",
                     "check HARBOR_SSO_SIGN_IN_PASSWORD")  # fmt: skip
    return Check(
        name,
        False,
        f"authentik refused {login.user!r} ({said})",
        "check the username (or email) and HARBOR_SSO_SIGN_IN_PASSWORD, and that the account "
        "is active",
    )
