"""``harbor-sso verify``: the guide's "Configuration verification", as checks.

Three things a working login needs, each checked over HTTP from where the command runs:

1. authentik answers the discovery document at ``discovery_url``, with ``issuer`` equal
   to ``oidc_endpoint`` (the value Harbor is configured with, trailing slash included);
2. Harbor's ``/api/v2.0/systeminfo`` reports ``auth_mode`` ``oidc_auth``;
3. ``GET <harbor>/c/oidc/login`` redirects to the discovery document's
   ``authorization_endpoint`` with the expected ``client_id``, ``redirect_uri`` and scopes.

Nothing here needs credentials: these are the endpoints a browser sees before login.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ..validation import Settings
from .http import DEFAULT_RUN_REQUESTS, Fetch, get, get_json, http_fetch, printable

SYSTEMINFO_PATH = "/api/v2.0/systeminfo"
OIDC_AUTH = "oidc_auth"
REQUESTS_PER_RUN = DEFAULT_RUN_REQUESTS
"""discovery, systeminfo, login: the run's deadline is this many request timeouts."""


@dataclass(frozen=True)
class Expected:
    """What a correct deployment publishes; derived from the same settings as the stack."""

    discovery_url: str
    issuer: str
    systeminfo_url: str
    login_url: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> Expected:
        """What a deployment of ``settings`` must show (reads :data:`EXPECTATION_FIELDS`);
        its hosts are ones a request can name (:func:`harbor_sso.urls.normalise`)."""
        return cls(
            discovery_url=settings.discovery_url,
            issuer=settings.oidc_endpoint,
            systeminfo_url=settings.harbor_url + SYSTEMINFO_PATH,
            login_url=settings.launch_url,
            client_id=settings.effective_client_id,
            redirect_uri=settings.redirect_uri,
            scopes=settings.all_scopes,
        )


EXPECTATION_FIELDS = frozenset(
    {"harbor_url", "authentik_url", "slug", "client_id", "scopes", "extra_scope_mappings"}
)
"""The arguments :meth:`Expected.from_settings` depends on."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name}: {printable(self.detail)}"


def check_discovery(fetch: Fetch, expected: Expected) -> tuple[Check, dict[str, Any] | None]:
    name = "authentik discovery issuer"
    document = get_json(
        fetch,
        expected.discovery_url,
        "a discovery document (wrong slug, or the application does not exist)",
    )
    if isinstance(document, str):
        return Check(name, False, document), None
    issuer = document.get("issuer")
    if issuer != expected.issuer:
        return Check(
            name,
            False,
            f"issuer is {issuer!r}, expected {expected.issuer!r} (Harbor's OIDC endpoint "
            "must equal it, trailing slash included)",
        ), document
    return Check(name, True, f"issuer is {issuer!r}"), document


def check_systeminfo(fetch: Fetch, expected: Expected) -> Check:
    name = "Harbor auth mode"
    info = get_json(fetch, expected.systeminfo_url, "Harbor's system information")
    if isinstance(info, str):
        return Check(name, False, info)
    mode = info.get("auth_mode")
    if mode != OIDC_AUTH:
        return Check(name, False, f"auth_mode is {mode!r}, expected {OIDC_AUTH!r}")
    return Check(name, True, f"auth_mode is {mode!r}")


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def check_login(fetch: Fetch, expected: Expected, discovery: dict[str, Any] | None) -> list[Check]:
    """Harbor's login redirect, one check per thing that must match."""
    response = get(fetch, expected.login_url)
    if isinstance(response, str):
        return [Check("Harbor login redirect", False, response)]
    location = response.headers.get("Location")  # pragma: no mutate (names are case-blind)
    if response.status not in (301, 302, 303, 307, 308) or not location:
        return [
            Check(
                "Harbor login redirect",
                False,
                f"GET {expected.login_url} answered {response.status} without a redirect "
                "(is OIDC configured?)",
            )
        ]
    query = parse_qs(urlsplit(location).query)
    checks = []

    endpoint = discovery.get("authorization_endpoint") if discovery else None
    target = _without_query(location)
    if endpoint is None:
        checks.append(
            Check(
                "login redirect target",
                False,
                f"redirects to {target!r}, but there is no discovery document to compare with",
            )
        )
    else:
        checks.append(
            Check(
                "login redirect target",
                target == endpoint,
                f"redirects to {target!r}"
                + ("" if target == endpoint else f", expected {endpoint!r}"),
            )
        )

    def one(parameter: str, want: str) -> Check:
        got = query.get(parameter, [None])[0]
        name = f"login redirect {parameter}"
        if got == want:
            return Check(name, True, f"{parameter} is {got!r}")
        return Check(name, False, f"{parameter} is {got!r}, expected {want!r}")

    checks.append(one("client_id", expected.client_id))
    checks.append(one("redirect_uri", expected.redirect_uri))

    got_scopes = query.get("scope", [""])[0].split()
    missing = [s for s in expected.scopes if s not in got_scopes]
    extra = [s for s in got_scopes if s not in expected.scopes]
    problems = [f"missing {', '.join(missing)}"] if missing else []
    problems += [f"unexpected {', '.join(extra)}"] if extra else []
    checks.append(
        Check(
            "login redirect scope",
            not problems,
            f"scope is {' '.join(got_scopes)!r}" + (f": {'; '.join(problems)}" if problems else ""),
        )
    )
    return checks


def verify(expected: Expected, fetch: Fetch | None = None) -> list[Check]:
    """Run every check; each reports pass or fail on its own."""
    fetch = fetch or http_fetch()
    discovery_check, document = check_discovery(fetch, expected)
    return [
        discovery_check,
        check_systeminfo(fetch, expected),
        *check_login(fetch, expected, document),
    ]


def report(checks: Sequence[Check]) -> Iterator[str]:
    yield from (check.line() for check in checks)
    failed = sum(not c.ok for c in checks)
    yield f"{len(checks) - failed} passed, {failed} failed"
