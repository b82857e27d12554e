"""doctor's checks of Harbor's side: its API and external URL, its OIDC configuration
against authentik's, the admin group, and the users it holds."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from ...harbor_side import NO_ADMIN_GROUP
from ...validation import MANAGED_SCOPES, Settings
from ..ping import harbor_view
from ..reading import Got, Reading, listed_users, q, value_of
from .findings import Finding, judged


def harbor_api(reading: Reading, settings: Settings) -> tuple[list[Finding], str]:
    """Harbor's configuration could be read; the external URL Harbor builds its callback
    from, and that URL for the checks that need it."""
    name = "Harbor API"
    found: list[Finding] = []
    config, why = reading.config.value, reading.config.why
    info, info_why = reading.info.value, reading.info.why
    external = settings.harbor_url
    if why or not isinstance(config, dict):
        fix = reading.config.fix
        if "answered 401" in (why or "") or "answered 403" in (why or ""):
            fix = (
                "HARBOR_USERNAME/HARBOR_PASSWORD must be a Harbor system administrator's "
                "(Harbor's local admin works in every auth mode)"
            )
        found.append(Finding("FAIL", name, why or "the configuration is not a JSON object", fix))
        return found, external
    if isinstance(info, dict) and isinstance(info.get("external_url"), str):
        external = info["external_url"].rstrip("/")
        given, own = urlsplit(settings.harbor_url), urlsplit(external)
        if (given.hostname, given.port) != (own.hostname, own.port):
            found.append(
                Finding(
                    "WARN",
                    "Harbor external URL",
                    f"Harbor calls itself {q(external)} (its callback is built from it), "
                    f"not {q(settings.harbor_url)} as given",
                    "set hostname/external_url in harbor.yml to the URL users open, "
                    "or give that URL with --harbor-url",
                )
            )
        else:
            found.append(
                Finding(
                    "PASS",
                    "Harbor external URL",
                    f"{q(external)}, Harbor {q(info.get('harbor_version', '?'))}",
                )
            )
    else:
        found.append(
            Finding(
                "WARN",
                "Harbor external URL",
                info_why or "systeminfo has no external_url",
                "checked against --harbor-url instead",
            )
        )
    return found, external


# -- authentik -----------------------------------------------------------------


def harbor(reading: Reading, settings: Settings) -> list[Finding]:
    """Harbor's OIDC configuration, its admin group and its users."""
    config = reading.config.value
    if reading.config.why or not isinstance(config, dict):
        return []
    found: list[Finding] = []
    provider = reading.found.provider
    mode = value_of(config, "auth_mode")
    found.append(
        judged(
            "Harbor auth mode",
            mode == "oidc_auth",
            "oidc_auth",
            (
                "FAIL",
                f"auth_mode is {q(mode)}, not 'oidc_auth'",
                "set Harbor's authentication mode to OIDC (the component's ConfigAuth)",
            ),
        )
    )
    found += endpoint(value_of(config, "oidc_endpoint"), reading, settings)
    found += client_id(value_of(config, "oidc_client_id"), provider)
    scopes = [s.strip() for s in str(value_of(config, "oidc_scope") or "").split(",")]
    missing = [s for s in ("openid", "offline_access") if s not in scopes]
    shown = q(",".join(s for s in scopes if s))
    claim = value_of(config, "oidc_groups_claim")
    found += [
        judged(
            "Harbor OIDC scope",
            not missing,
            f"oidc_scope is {shown}",
            (
                "FAIL",
                f"oidc_scope is {shown}, without {', '.join(q(s) for s in missing)}",
                f"set oidc_scope to {q(','.join(MANAGED_SCOPES))}",
            ),
        ),
        judged(
            "certificate verification",
            value_of(config, "oidc_verify_cert") is True,
            "oidc_verify_cert is on",
            (
                "WARN",
                "oidc_verify_cert is off: Harbor accepts any certificate for authentik",
                "turn it on (give Harbor the CA if authentik's certificate is private)",
            ),
        ),
        judged(
            "groups claim",
            bool(claim),
            f"oidc_groups_claim is {q(claim)}",
            (
                "WARN",
                "oidc_groups_claim is empty: Harbor ignores "
                "authentik groups (no admin group, no group project roles)",
                "set it to 'groups' (the managed profile mapping emits it)",
            ),
        ),
    ]
    found += harbor_sees_authentik(reading)
    found += admin_group(value_of(config, "oidc_admin_group"), reading.admin_groups)
    if mode == "oidc_auth" and not reading.users.why and isinstance(reading.users.value, list):
        issuer = settings.authentik_url + f"/application/o/{reading.found.slug}/"
        found += returning_users(reading.user_details, issuer)
    found += local_users(mode, reading.users)
    return found


def endpoint(endpoint: Any, reading: Reading, settings: Settings) -> list[Finding]:
    name = "Harbor OIDC endpoint"
    found: list[Finding] = []
    url = settings.authentik_url + f"/application/o/{quote(reading.found.slug, safe='')}/"
    document, why = reading.discovery.value, reading.discovery.why
    issuer = document.get("issuer") if isinstance(document, dict) else None
    if why or not isinstance(issuer, str):
        found.append(
            Finding(
                "FAIL",
                name,
                why or "the discovery document has no issuer",
                reading.discovery.fix
                or "check the application's slug and that authentik serves it",
            )
        )
        return found
    if endpoint == issuer:
        found.append(Finding("PASS", name, f"oidc_endpoint equals the issuer {q(issuer)}"))
        return found
    fix = f"set oidc_endpoint to {q(issuer)}"
    if issuer != url:
        fix += (
            f" (authentik publishes {q(issuer)} rather than {q(url)}: it builds the "
            "issuer from the Host and X-Forwarded-Proto it is reached with)"
        )
    if isinstance(endpoint, str) and endpoint + "/" == issuer:
        found.append(
            Finding(
                "FAIL",
                name,
                f"oidc_endpoint {q(endpoint)} has no trailing slash; the "
                f"issuer authentik publishes is {q(issuer)} and Harbor's OIDC client "
                "compares them exactly: login fails with 'issuer did not match'",
                fix,
            )
        )
    else:
        found.append(
            Finding(
                "FAIL",
                name,
                f"oidc_endpoint is {q(endpoint)}, but the issuer authentik "
                f"publishes is {q(issuer)}: login fails with 'issuer did not match'",
                fix,
            )
        )
    return found


def harbor_sees_authentik(reading: Reading) -> list[Finding]:
    """Harbor core's own view of its OIDC endpoint (live/ping.py): from this machine every
    check can pass while Harbor cannot reach authentik, or does not trust its CA."""
    if reading.pinged is None:
        return []
    endpoint = str(value_of(reading.config.value, "oidc_endpoint"))
    document = reading.discovery.value
    issuer = document.get("issuer") if isinstance(document, dict) else None
    verdict, detail, fix = harbor_view(
        reading.pinged, endpoint, issuer if isinstance(issuer, str) else None
    )
    return [Finding(verdict, "Harbor's view of authentik", detail, fix)]


def client_id(harbor_id: Any, provider: dict[str, Any] | None) -> list[Finding]:
    if provider is None:
        return []
    ours = provider.get("client_id")
    # never shown: the client secret (Harbor's configurations never carry it)
    return [
        judged(
            "client ID",
            harbor_id == ours,
            f"Harbor and authentik both use {q(ours)}",
            (
                "FAIL",
                f"Harbor's oidc_client_id is {q(harbor_id)}, authentik's "
                f"provider has {q(ours)}: authentik refuses the login",
                "set oidc_client_id (and its secret) from the provider",
            ),
        )
    ]


def admin_group(group: Any, groups: Got) -> list[Finding]:
    name = "admin group"
    found: list[Finding] = []
    if not group:
        found.append(Finding("PASS", name, "oidc_admin_group is not set"))
        return found
    if group == NO_ADMIN_GROUP:
        found.append(
            Finding(
                "PASS",
                name,
                "no admin group: harbor-sso's placeholder, which no authentik group can match",
            )
        )
        return found
    listing, why = groups.value, groups.why
    results = listing.get("results") if isinstance(listing, dict) else None
    if why or not isinstance(results, list):
        fix = groups.fix or "check the token may view groups"
        found.append(Finding("WARN", name, why or "no group list", fix))
    elif any(isinstance(g, dict) and g.get("name") == group for g in results):
        found.append(Finding("PASS", name, f"oidc_admin_group {q(group)} exists in authentik"))
    else:
        found.append(
            Finding(
                "FAIL",
                name,
                f"oidc_admin_group {q(group)} is no authentik group: nobody "
                "becomes a Harbor administrator through it",
                "create the group in authentik, or correct oidc_admin_group",
            )
        )
    return found


def returning_users(details: list[tuple[dict[str, Any], Got]], issuer: str) -> list[Finding]:
    """Users onboarded under another issuer (the slug or authentik's URL changed since
    they signed in) cannot sign in: Harbor finds no user for their new `sub` and
    issuer and fails to onboard one under the same name."""
    name = "returning users"
    found: list[Finding] = []
    elsewhere, unread = [], []
    for user, got in details:
        why = got.why
        # its `secret` is the user's CLI secret: only `subiss` is read, nothing is shown
        meta = got.value.get("oidc_user_meta") if isinstance(got.value, dict) else None
        subiss = meta.get("subiss") if isinstance(meta, dict) else None
        if why:
            unread.append(why)
        elif isinstance(subiss, str) and not _issuer_of(subiss, issuer):
            elsewhere.append(str(user.get("username", "")))
    if unread and not elsewhere:
        found.append(
            Finding(
                "WARN",
                name,
                f"{len(unread)} user(s) could not be read: {unread[0]}",
                "check the Harbor account may read users",
            )
        )
        return found
    if not elsewhere:
        found.append(
            Finding(
                "PASS", name, f"no listed user was onboarded under another issuer than {q(issuer)}"
            )
        )
        return found
    found.append(
        Finding(
            "FAIL",
            name,
            f"{len(elsewhere)} user(s) were onboarded under another issuer than {q(issuer)} ("
            + ", ".join(q(u) for u in elsewhere[:5])
            + "): Harbor keys OIDC users on `sub` and issuer, so their next login is refused "
            "(HTTP 409 'failed to create user record: user ... already exists')",
            "set slug and authentikUrl back to what they signed in under; or delete those "
            "users in Harbor, who are then onboarded anew (losing their CLI secrets and "
            "memberships of their own)",
        )
    )
    return found


def _issuer_of(subiss: str, issuer: str) -> bool:
    """Whether Harbor onboarded the user under ``issuer``: `oidc_user_meta.subiss` is the
    `sub` followed by the issuer (src/core/controllers/oidc.go `userOnboard`)."""
    return subiss.endswith(issuer)


def local_users(mode: Any, read: Got) -> list[Finding]:
    name = "local users"
    found: list[Finding] = []
    users, why, total = read.value, read.why, read.total
    if why or not isinstance(users, list):
        found.append(Finding("WARN", name, why or "the user list is not a list", ""))
        return found
    others = [str(u.get("username", "")) for u in listed_users(users)]
    count = int(total) if total and total.isdigit() else len(others)
    if not others:
        found.append(Finding("PASS", name, "no user but admin"))
    elif mode == "oidc_auth":
        found.append(
            Finding(
                "PASS",
                name,
                f"{count} user(s) besides admin; the auth mode is already "
                "oidc_auth, and re-sending it is accepted",
            )
        )
    else:
        found.append(
            Finding(
                "WARN",
                name,
                f"{count} user(s) besides admin ("
                + ", ".join(q(u) for u in others[:5])
                + "): Harbor refuses to switch the auth mode (HTTP "
                "400 'the auth mode cannot be modified as new users have been inserted into "
                "database')",
                "only a Harbor without users but admin can change auth mode: "
                "start from a fresh Harbor database, or keep the current mode",
            )
        )
    return found
