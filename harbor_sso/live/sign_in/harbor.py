"""Harbor's side of a sign-in: the login button, the callback, who Harbor then sees, and
`docker login` with the user's CLI secret.

goharbor/harbor 2.14 (read at v2.14.4):
- `/c/oidc/login` (src/core/controllers/oidc.go `RedirectLogin`): state and a PKCE
  verifier in the session (cookie `sid`), then 302 to the provider's authorize endpoint;
  412 when the auth mode is not OIDC (`Prepare`); 500 when core cannot build the provider
  (the discovery document unreachable, untrusted, or with another issuer).
- `/c/oidc/callback` (`Callback`): 400 "State mismatch"; 400 with the oauth2 library's
  text when the code exchange fails (`oauth2: "invalid_client" ...`: the client secret or
  the redirect URI authentik holds is another); 500 when the ID token cannot be verified;
  409 "failed to create user record: user <u> or email <e> already exists" when the user
  is onboarded anew under a name taken (another issuer or `sub`); 302 to
  `/oidc-onboard?username=` without auto-onboarding; else 302 to the page asked for, with
  the session. Every 5xx body reads "internal server error" (src/lib/http/error.go).
- `GET /api/v2.0/users/current` (handler/user.go `GetCurrentUserInfo`): `username`,
  `email`, `sysadmin_flag`, `admin_role_in_auth` (set at login from the token's groups),
  `oidc_user_meta.secret` (the CLI secret, in plain text: read, never shown). The user's
  groups are not in any answer (`models.User.GroupIDs` is `json:"-"`); they show in the
  roles of `GET /api/v2.0/projects` (`current_user_role_ids`, group memberships counted).
- `/service/token` (src/core/service/token/token.go): what `docker login` asks, basic
  auth with the CLI secret (src/server/middleware/security/oidc_cli.go): 200 with a
  `token`, or 401 with an empty body.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from ...transport import origin
from ..browser import Browser, redirected_to, shown
from ..http import NoAnswer, Response, Send, decode_json, json_of, no_answer
from ..verify import Check, Expected, Keys, asked_harbor, unanswered

ROLE_NAMES = {1: "projectadmin", 2: "developer", 3: "guest", 4: "maintainer", 5: "limitedguest"}
"""Harbor's role ids (src/common/const.go)."""


@dataclass
class Seen:
    """Who Harbor sees after the callback."""

    username: str = ""
    email: str = ""
    admin_in_auth: bool = False
    sysadmin: bool = False
    cli_secret: str = field(default="", repr=False)
    roles: dict[str, list[str]] = field(default_factory=dict)
    """project -> the user's roles in it."""


def harbor_url(expected: Expected) -> str:
    return expected.login_url.removesuffix("/c/oidc/login")


def start(browser: Browser, expected: Expected) -> tuple[str | None, list[Check]]:
    """Harbor's login button: the authorize URL it sends the browser to (RedirectLogin:
    a 302). verify's own checks run first, and the sign-in only when they found that
    redirect: they have said what a failing login means, so a failure here is one that
    came between the two."""
    name = "Harbor login"
    response = browser.request("GET", expected.login_url)
    if isinstance(response, NoAnswer):
        return None, [unanswered(name, response, browser.keys)]
    location = redirected_to(expected.login_url, response)
    if response.status != 302 or origin(location) != origin(expected.issuer):
        return None, [
            Check(
                name,
                False,
                f"GET {shown(expected.login_url)} answered {response.status}, not a redirect "
                "to authentik",
            )
        ]
    return location, [Check(name, True, f"redirects to {shown(location)}")]


def callback(browser: Browser, url: str, expected: Expected, send: Send | None) -> list[Check]:
    name = "Harbor callback"
    response = browser.request("GET", url)
    if isinstance(response, NoAnswer):
        return [unanswered(name, response, browser.keys)]
    location = redirected_to(url, response)
    # oidc.go redirects with beego's `Redirect(..., http.StatusFound)`
    if response.status == 302 and urlsplit(location).path == "/oidc-onboard":
        return [
            Check(
                name,
                False,
                "Harbor asks the new user to choose a username: auto-onboarding is off",
                "set harbor-sso:autoOnboard true (the default)",
            )
        ]
    if response.status == 302:
        return [Check(name, True, "Harbor exchanged the code and signed the user in")]
    message = _message(response)
    if response.status == 409:
        return [
            Check(
                name,
                False,
                f"Harbor answered 409 ({message}): Harbor knows this user under another "
                "issuer or subject (the slug, authentik's URL or sub_mode changed since they "
                "signed in)",
                "put the slug and authentikUrl back as they were; or delete the user in "
                "Harbor, who is then onboarded anew (harbor-sso doctor lists them)",
            )
        ]
    if response.status == 400 and "invalid_client" in message:
        return [
            Check(
                name,
                False,
                f"authentik refused Harbor's code exchange ({message}): the client ID or "
                "secret Harbor holds is not authentik's, or Harbor's callback is not the "
                "provider's redirect URI",
                "run pulumi up, so that both sides hold the provider's secret (a rotation "
                "half applied leaves them apart); harbor-sso doctor compares the rest",
            )
        ]
    if response.status >= 500:
        return [
            Check(
                name,
                False,
                f"Harbor answered {response.status} at its callback: most often Harbor "
                "core cannot fetch or trust authentik's discovery document or keys, or the "
                "ID token is not one it can verify",
                "run harbor-sso doctor; Harbor core's log has the cause",
            ),
            *asked_harbor(expected, send),
        ]
    return [Check(name, False, f"Harbor answered {response.status} ({message})")]


def _message(response: Response) -> str:
    """Harbor's `{"errors": [{"code", "message"}]}`, its first message."""
    try:
        errors = decode_json(response.body).get("errors")
        return str(errors[0]["message"])
    except (ValueError, AttributeError, TypeError, KeyError, IndexError):
        return ""


def seen(browser: Browser, expected: Expected) -> Seen | Check:
    """Who Harbor sees with the session, and their project roles."""
    base = harbor_url(expected)
    response = browser.request("GET", f"{base}/api/v2.0/users/current")
    if isinstance(response, NoAnswer):
        return unanswered("Harbor user", response, browser.keys)
    user = json_of(response)
    if not isinstance(user, dict) or not user.get("username"):
        return Check(
            "Harbor user", False, f"GET /api/v2.0/users/current answered {response.status}"
        )
    meta = user.get("oidc_user_meta")
    found = Seen(
        username=str(user.get("username")),
        email=str(user.get("email") or ""),
        admin_in_auth=user.get("admin_role_in_auth") is True,
        sysadmin=user.get("sysadmin_flag") is True,
        cli_secret=str(meta.get("secret") or "") if isinstance(meta, dict) else "",
    )
    projects = json_of(browser.request("GET", f"{base}/api/v2.0/projects?page=1&page_size=100"))
    for project in projects if isinstance(projects, list) else []:
        if isinstance(project, dict) and project.get("name"):
            ids = project.get("current_user_role_ids") or []
            found.roles[str(project["name"])] = [ROLE_NAMES.get(i, str(i)) for i in ids]
    return found


def docker_login(send: Send, expected: Expected, user: Seen, keys: Keys) -> Check:
    """What `docker login <harbor>` asks Harbor's token service, with the CLI secret."""
    name = "docker login"
    if not user.cli_secret:
        return Check(name, False, "Harbor showed no CLI secret for the user")
    # docker sends these too; Harbor reads none of them (token/creator.go reads `service`
    # and `scope`), so no edit of them can be told apart
    as_docker = {
        "account": user.username,  # pragma: no mutate
        "client_id": "docker",  # pragma: no mutate
        "offline_token": "true",  # pragma: no mutate
    }
    query = urlencode({**as_docker, "service": "harbor-registry"})
    url = f"{harbor_url(expected)}/service/token?{query}"
    basic = base64.b64encode(f"{user.username}:{user.cli_secret}".encode()).decode()
    try:
        response = send("GET", url, None, {"Authorization": f"Basic {basic}"})
    except (OSError, ValueError) as exc:
        return unanswered(name, no_answer("GET", shown(url), exc), keys)
    body = json_of(response)
    if response.status == 200 and isinstance(body, dict) and body.get("token"):
        return Check(name, True, "the user's CLI secret gets a registry token from /service/token")
    return Check(
        name,
        False,
        f"Harbor's token service answered {response.status} to the user's CLI secret",
        "log in to Harbor's web UI once more (the secret lives as long as the refresh "
        "token: keep offline_access in scopes)",
    )


def secret_forms(user: Seen) -> list[str]:
    """The CLI secret as given and as basic auth carries it: never to be shown."""
    if not user.cli_secret:
        return []
    basic = base64.b64encode(f"{user.username}:{user.cli_secret}".encode()).decode()
    return [user.cli_secret, basic, json.dumps(user.cli_secret)[1:-1]]
