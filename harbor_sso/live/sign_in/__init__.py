"""``harbor-sso verify --sign-in USER``: the guide's last step, automated.

A test account signs in through Harbor's OIDC button, headless: Harbor's login
redirects to authentik, authentik's flow is answered as its web UI answers it
(:mod:`.flow`), authentik redirects back to Harbor's callback, and Harbor's session then
says who it sees (:mod:`.harbor`); the user's CLI secret then gets a registry token, as
`docker login` does. One line per step that passed; the step that failed says what it
means and what to do.

It writes nothing but what a real login writes (Harbor onboards the user at the first
sign-in). The password comes from the environment, and nothing it holds (the password,
cookies, codes, the CLI secret) reaches the output: every line is redacted of them, and a
URL is shown as its server and path only. Redirects are followed only between the two
configured servers; every request is bounded (live/http.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from ...transport import origin
from ...validation import Settings
from ..browser import Browser, Offsite
from ..http import Fetch, Send, get_json
from ..verify import Check, Expected, Keys
from .flow import Login, through_authentik
from .harbor import Seen, callback, docker_login, harbor_url, secret_forms, seen, start

REQUESTS = 40
"""At most, for the run's deadline: Harbor's login and callback, authentik's pages and
flow (a few requests a stage), Harbor's user and projects, the token service."""


@dataclass
class SignIn:
    checks: list[Check]
    secrets: list[str]
    """What the run held that must never be shown (cookies, the CLI secret)."""

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def sign_in(
    expected: Expected,
    login: Login,
    send: Send,
    keys: Keys,
    admin_send: Send | None = None,
    groups: Sequence[str] | None = None,
    stack: Settings | None = None,
) -> SignIn:
    """Sign ``login.user`` in; ``send`` carries no API credential (the browser's own),
    ``admin_send`` Harbor's admin credentials for its OIDC ping; ``groups``: the user's
    groups as authentik holds them, when read; ``stack``: what the stack configures."""
    browser = Browser(send, {origin(harbor_url(expected)), origin(expected.issuer)}, keys)
    checks: list[Check] = []
    result = SignIn(checks, [login.password])
    try:
        authorize, started = start(browser, expected)
        checks += started
        if authorize is None:
            return result
        reached = through_authentik(browser, authorize, expected.redirect_uri, login)
        checks += reached.passed
        if reached.failed is not None:
            checks.append(reached.failed)
            return result
        assert reached.callback is not None  # through_authentik gives one or the other
        back = callback(browser, reached.callback, expected, admin_send)
        checks += back
        if not back[0].ok:  # the lines after it are Harbor's view, when asked
            return result
        who = seen(browser, expected)
        if isinstance(who, Check):
            checks.append(who)
            return result
        result.secrets += secret_forms(who)
        checks += facts(who, groups, stack)
        checks.append(docker_login(send, expected, who, keys))
        return result
    except Offsite as exc:
        checks.append(
            Check(
                "sign-in",
                False,
                f"a redirect leads to {exc.server}, which is neither configured server",
                "check Harbor's external URL (hostname/external_url in harbor.yml) and "
                "authentik's, against --harbor-url and --authentik-url",
            )
        )
        return result
    finally:
        result.secrets += browser.secrets()  # once, whichever way it ended


def facts(who: Seen, groups: Sequence[str] | None, stack: Settings | None) -> list[Check]:
    """Who Harbor sees: the user, whether an administrator and through what, the groups
    and, with the stack, each project role that applies to them."""
    email = f" ({who.email})" if who.email else ""
    found = [Check("Harbor user", True, f"{who.username!r}{email}")]
    admin_group = stack.admin_group if stack else None
    if who.admin_in_auth:
        through = f" {admin_group!r}" if admin_group else ""
        found.append(Check("administrator", True, f"yes, through the admin group{through} "
                                                  "(admin_role_in_auth)"))  # fmt: skip
    elif who.sysadmin:
        found.append(Check("administrator", True, "yes: Harbor's own sysadmin_flag"))
    elif admin_group and groups is not None and admin_group in groups:
        found.append(
            Check(
                "administrator",
                False,
                f"no, though the user is in the admin group {admin_group!r} in authentik: the "
                "ID token's groups did not reach Harbor",
                "check groupsClaim (groups), the profile scope, and groupFilter",
            )
        )
    else:
        found.append(Check("administrator", True, "no"))
    if groups is None:
        found.append(Check("groups", True, "not shown by Harbor (its API keeps a user's "
                                           "groups out); set AUTHENTIK_TOKEN to read them "
                                           "from authentik"))  # fmt: skip
    else:
        names = ", ".join(repr(g) for g in groups) or "none"
        found.append(Check("groups", True, f"{names} (in authentik; the ID token carries them)"))
    found += project_roles(who, groups, stack)
    return found


def project_roles(who: Seen, groups: Sequence[str] | None, stack: Settings | None) -> list[Check]:
    if stack is None or not stack.memberships:
        listed = "; ".join(f"{p!r}: {', '.join(r)}" for p, r in sorted(who.roles.items()) if r)
        return [Check("project roles", True, listed or "none")]
    found = []
    for project, group, role in stack.memberships:
        if groups is not None and group not in groups:
            continue  # the role does not apply to this user
        held = who.roles.get(project, [])
        name = f"project role {project!r}"
        if role in held:
            found.append(Check(name, True, f"{role} through {group!r}"))
        elif groups is None:
            found.append(Check(name, True, f"{', '.join(held) or 'none'} (the stack gives "
                                           f"{role} to {group!r})"))  # fmt: skip
        else:
            found.append(
                Check(
                    name,
                    False,
                    f"the stack gives {role} to {group!r}, and the user is in it; Harbor "
                    f"shows {', '.join(held) or 'none'}",
                    "check groupsClaim and groupFilter, and that pulumi up created the membership",
                )
            )
    return found


def groups_of(fetch: Fetch, authentik_url: str, username: str) -> list[str] | None:
    """The user's groups as authentik holds them (schema.yml core_users_list:
    `?username=`, each user's `groups_obj`), or None when they cannot be read."""
    url = f"{authentik_url}/api/v3/core/users/?{urlencode({'username': username})}"
    # what names the failure, which is None here however it reads
    got = get_json(fetch, url, "users")  # pragma: no mutate
    results = got.get("results") if isinstance(got, dict) else None
    users = [
        found
        for found in results or []
        if isinstance(found, dict) and found.get("username") == username
    ]
    if not users or not isinstance(users[0].get("groups_obj"), list):
        return None
    return sorted(str(g.get("name")) for g in users[0]["groups_obj"] if isinstance(g, dict))
