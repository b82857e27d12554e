"""``harbor-sso verify``: the guide's "Configuration verification", as checks.

Three things a working login needs, each checked over HTTP from where the command runs:

1. authentik answers the discovery document at ``discovery_url``, with ``issuer`` equal
   to ``oidc_endpoint`` (the value Harbor is configured with, trailing slash included);
2. Harbor's ``/api/v2.0/systeminfo`` reports ``auth_mode`` ``oidc_auth``;
3. ``GET <harbor>/c/oidc/login`` redirects to the discovery document's
   ``authorization_endpoint`` with the expected ``client_id``, ``redirect_uri`` and scopes.

Nothing here needs credentials: these are the endpoints a browser sees before login.
A request that gets no answer says which server, the key to look at and the fix
(harbor_sso/transport.py). When Harbor answers its login with 500 and Harbor's admin
credentials are at hand, Harbor's own OIDC ping says whether it cannot reach or does not
trust authentik (live/ping.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ..transport import by_server
from ..validation import Settings
from .http import DEFAULT_RUN_REQUESTS, Fetch, NoAnswer, Send, get, get_json, http_fetch, printable
from .ping import REQUESTS as PING_REQUESTS
from .ping import harbor_view, ping
from .said import once

SYSTEMINFO_PATH = "/api/v2.0/systeminfo"
OIDC_AUTH = "oidc_auth"
REQUESTS_PER_RUN = DEFAULT_RUN_REQUESTS + PING_REQUESTS
"""discovery, systeminfo, login, and Harbor's ping twice: the run's deadline is this many
request timeouts."""
Keys = Mapping[str, str]
"""A server (transport.origin) -> the key or flag its URL comes from."""
NO_KEYS: Keys = MappingProxyType({})


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
    fix: str = ""

    @property
    def failed(self) -> bool:
        return not self.ok

    def head(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name}"

    def line(self) -> str:
        fix = f" Fix: {self.fix}" if self.fix and not self.ok else ""
        return f"{self.head()}: {printable(self.detail)}{fix}"


def unanswered(name: str, why: str | NoAnswer, keys: Keys) -> Check:
    """A failed check for a request that got no answer: in transport terms when it is a
    transport failure, naming the key its server's URL comes from."""
    failure = why.transport if isinstance(why, NoAnswer) else None
    if failure is None:
        return Check(name, False, str(why))
    key = keys.get(failure.server)
    return Check(name, False, failure.summary(key), failure.fix(key or "the URL"))


def check_discovery(
    fetch: Fetch, expected: Expected, keys: Keys = NO_KEYS
) -> tuple[Check, dict[str, Any] | None]:
    name = "authentik discovery issuer"
    document = get_json(
        fetch,
        expected.discovery_url,
        "a discovery document (wrong slug, or the application does not exist)",
    )
    if not isinstance(document, dict):
        return unanswered(name, document, keys), None
    issuer = document.get("issuer")
    if issuer != expected.issuer:
        return Check(
            name,
            False,
            f"issuer is {issuer!r}, expected {expected.issuer!r} (Harbor's OIDC endpoint "
            "must equal it, trailing slash included)",
        ), document
    return Check(name, True, f"issuer is {issuer!r}"), document


def check_systeminfo(fetch: Fetch, expected: Expected, keys: Keys = NO_KEYS) -> Check:
    name = "Harbor auth mode"
    info = get_json(fetch, expected.systeminfo_url, "Harbor's system information")
    if not isinstance(info, dict):
        return unanswered(name, info, keys)
    mode = info.get("auth_mode")
    if mode != OIDC_AUTH:
        return Check(name, False, f"auth_mode is {mode!r}, expected {OIDC_AUTH!r}")
    return Check(name, True, f"auth_mode is {mode!r}")


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def check_login(
    fetch: Fetch,
    expected: Expected,
    discovery: dict[str, Any] | None,
    keys: Keys = NO_KEYS,
    send: Send | None = None,
) -> list[Check]:
    """Harbor's login redirect, one check per thing that must match."""
    name = "Harbor login redirect"
    response = get(fetch, expected.login_url)
    if isinstance(response, NoAnswer):
        return [unanswered(name, response, keys)]
    location = response.headers.get("Location")  # pragma: no mutate (names are case-blind)
    if response.status >= 500:
        return login_failed(expected, response.status, discovery, send)
    if response.status not in (301, 302, 303, 307, 308) or not location:
        return [
            Check(
                name,
                False,
                f"GET {expected.login_url} answered {response.status} without a redirect"
                # 412: not in OIDC mode (src/core/controllers/oidc.go `Prepare`)
                + (" (Harbor is not in OIDC mode)" if response.status == 412 else ""),
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


def login_failed(
    expected: Expected, status: int, discovery: dict[str, Any] | None, send: Send | None
) -> list[Check]:
    """Harbor's login answered 5xx: what it most often means; Harbor's ping says which,
    when ``send`` carries Harbor's admin credentials. Harbor rewrites every 5xx body to
    "internal server error" and logs the cause (src/lib/http/error.go `SendError`); the
    usual one is that core cannot fetch the discovery document, or its issuer is not the
    endpoint (src/core/controllers/oidc.go `RedirectLogin`, go-oidc `NewProvider`)."""
    issuer = discovery.get("issuer") if discovery else None
    if issuer is not None and issuer != expected.issuer:
        return [
            Check(
                "Harbor login redirect",
                False,
                f"GET {expected.login_url} answered {status}: Harbor core refuses authentik's "
                f"issuer {issuer!r} (it must equal {expected.issuer!r})",
            )
        ]
    checks = [
        Check(
            "Harbor login redirect",
            False,
            f"GET {expected.login_url} answered {status}: most often Harbor core cannot fetch "
            f"or trust authentik's discovery document at {expected.issuer}",
            "run harbor-sso doctor, or set HARBOR_PASSWORD (a Harbor system administrator's) "
            "for verify to ask Harbor which",
        )
    ]
    return checks + asked_harbor(expected, send)


def asked_harbor(expected: Expected, send: Send | None) -> list[Check]:
    """Harbor's own view of authentik (its OIDC ping, live/ping.py), when ``send`` carries
    Harbor's admin credentials; nothing without them."""
    if send is None:
        return []
    harbor_url = expected.login_url.removesuffix("/c/oidc/login")
    pinged = ping(send, harbor_url, expected.issuer, True)
    verdict, detail, fix = harbor_view(pinged, expected.issuer)
    return [Check("Harbor's view of authentik", verdict == "PASS", detail, fix)]


def verify(
    expected: Expected, fetch: Fetch | None = None, keys: Keys = NO_KEYS, send: Send | None = None
) -> list[Check]:
    """Run every check; each reports pass or fail on its own. ``keys`` name the key each
    server's URL comes from; ``send`` (with Harbor's admin credentials) lets a failing
    login ask Harbor's OIDC ping."""
    fetch = fetch or http_fetch()
    discovery_check, document = check_discovery(fetch, expected, keys)
    return [
        discovery_check,
        check_systeminfo(fetch, expected, keys),
        *check_login(fetch, expected, document, keys, send),
    ]


def servers(expected: Expected, authentik_key: str, harbor_key: str) -> dict[str, str]:
    """The keys of a verify run, by server."""
    return by_server((expected.issuer, authentik_key), (expected.login_url, harbor_key))


def report(checks: Sequence[Check]) -> Iterator[str]:
    yield from once(checks)
    failed = sum(not c.ok for c in checks)
    yield f"{len(checks) - failed} passed, {failed} failed"
