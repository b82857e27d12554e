"""doctor's checks of authentik's side: the application and its provider, redirect URIs,
client type and signing key, scope mappings, tokens, who may log in, the version."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from ...validation import CALLBACK_PATH
from ..reading import (
    MAX_MAPPINGS,
    NO_APPLICATION_OF_CLIENT,
    NO_CLIENT,
    NO_PROVIDER,
    NOT_A_PROVIDER,
    Found,
    Got,
    q,
)
from .findings import Finding, judged

DEFAULT_SUB_MODE = "hashed_user_id"  # terraform-provider-authentik's default
ICON_REMOVED = (2025, 12)
"""authentik removed ``set_icon_url`` (the pinned Terraform provider's icon call): 405."""


def application(found: Found, client_id: str | None) -> list[Finding]:
    """The application and its OAuth2 provider were found, or where the search stopped."""
    name = "authentik application"
    why = found.stopped
    if found.app is None and why is not None:
        if why == NO_CLIENT:
            fix = "give the client ID Harbor is configured with, or --slug"
            detail = f"no OAuth2 provider has client ID {q(client_id)}"
        elif why == NO_APPLICATION_OF_CLIENT:
            fix = "create an application for it"
            detail = f"the provider with client ID {q(client_id)} belongs to no application"
        else:
            fix = found.fix or _token_fix(why)
            if "answered 404" in why:
                fix = "give the application's slug with --slug, or --client-id"
            detail = why
        return [Finding("FAIL", name, detail, fix)]
    if found.app is None:
        return []
    if found.provider is None:
        if why == NO_PROVIDER:
            return [
                Finding(
                    "FAIL",
                    name,
                    f"application {q(found.slug)} has no provider",
                    "assign it an OAuth2/OpenID provider",
                )
            ]
        return [
            Finding(
                "FAIL",
                name,
                why or NOT_A_PROVIDER,
                f"application {q(found.slug)}'s provider must be OAuth2/OpenID",
            )
        ]
    return [
        Finding(
            "PASS",
            name,
            f"application {q(found.slug)} ({q(found.app.get('name', ''))}) uses "
            f"OAuth2 provider {found.app.get('provider')} ({q(found.provider.get('name', ''))})",
        )
    ]


def _token_fix(why: str) -> str:
    if "answered 403" in why or "answered 401" in why:
        return (
            "AUTHENTIK_TOKEN is not accepted: create an API token (Directory > Tokens) "
            "for a user who may view applications, providers and policies"
        )
    return ""


def redirects(provider: dict[str, Any], external_url: str) -> list[Finding]:
    found: list[Finding] = []
    name = "redirect URIs"
    callback = external_url + CALLBACK_PATH
    want_host = urlsplit(callback).hostname
    uris = [
        u
        for u in provider.get("redirect_uris") or []
        if isinstance(u, dict)
        # 2026.5 added logout redirects (redirect_uri_type); they play no part in login
        and u.get("redirect_uri_type", "authorization") != "logout"
    ]
    strict = [str(u.get("url", "")) for u in uris if u.get("matching_mode") == "strict"]
    regex = [str(u.get("url", "")) for u in uris if u.get("matching_mode") == "regex"]
    fix = f"set one strict redirect URI {q(callback)} on the provider"
    if callback in strict:
        found.append(
            Finding("PASS", name, f"strict redirect URI {q(callback)}, as Harbor sends it")
        )
        return found
    for url in strict:
        if url.rstrip("/") == callback:
            found.append(
                Finding(
                    "FAIL",
                    name,
                    f"redirect URI {q(url)} (strict) ends in a slash; Harbor "
                    f"sends {q(callback)} without it: login fails with 'Redirect URI "
                    "Error'",
                    fix,
                )
            )
            return found
        if urlsplit(url).hostname != want_host:
            found.append(
                Finding(
                    "FAIL",
                    name,
                    f"redirect URI {q(url)} (strict) names host "
                    f"{q(urlsplit(url).hostname)}, but Harbor's external URL is "
                    f"{q(external_url)}: login fails with 'Redirect URI Error'",
                    fix,
                )
            )
            return found
    for pattern in regex:
        try:
            # authentik matches regex redirect URIs with re.fullmatch
            # (authentik/providers/oauth2/views/authorize.py, check_redirect_uri)
            matches = re.fullmatch(pattern, callback) is not None
        except re.error:
            matches = False
        if matches:
            found.append(
                Finding(
                    "WARN",
                    name,
                    f"redirect URI {q(pattern)} is a regex; it matches "
                    f"{q(callback)}, but a loose pattern lets tokens go elsewhere",
                    fix,
                )
            )
            return found
    shown = ", ".join(q(u.get("url", "")) for u in uris) or "none"
    found.append(
        Finding(
            "FAIL",
            name,
            f"no redirect URI matches Harbor's callback {q(callback)} "
            f"(registered: {shown}): login fails with 'Redirect URI Error'",
            fix,
        )
    )
    return found


def client(provider: dict[str, Any]) -> list[Finding]:
    kind = provider.get("client_type")
    return [
        judged(
            "client type",
            kind == "confidential",
            "confidential",
            (
                "WARN",
                f"client type is {q(kind)}: anyone who knows the "
                "client ID can get tokens without the secret Harbor holds",
                "set client_type 'confidential', as the component does",
            ),
        ),
        judged(
            "signing key",
            bool(provider.get("signing_key")),
            "set: ID tokens are signed with RS256",
            (
                "FAIL",
                "no signing key: authentik signs ID tokens HS256 "
                "with the client secret, which Harbor's go-oidc verifier refuses (RS256)",
                "select a certificate as the provider's signing key, e.g. "
                "'authentik Self-signed Certificate'",
            ),
        ),
    ]


def mappings(provider: dict[str, Any], read: list[dict[str, Any]]) -> list[Finding]:
    found: list[Finding] = []
    name = "scope mappings"
    pks = [str(p) for p in provider.get("property_mappings") or []]
    scopes = [str(m.get("scope_name", "")) for m in read]
    if len(pks) > MAX_MAPPINGS:
        found.append(
            Finding(
                "WARN",
                name,
                f"{len(pks)} property mappings; the first {MAX_MAPPINGS} read",
                "remove the mappings Harbor does not use",
            )
        )
    shown = ", ".join(q(s) for s in scopes) or "none"
    missing = [s for s in ("openid", "offline_access") if s not in scopes]
    if missing:
        found.append(
            Finding(
                "FAIL",
                name,
                f"the provider maps scopes {shown}, not "
                f"{', '.join(q(s) for s in missing)}"
                + (
                    ": authentik issues no refresh token, so Harbor's CLI secret for "
                    "`docker login` dies with the first token"
                    if "offline_access" in missing
                    else ""
                ),
                "add the managed mapping(s) "
                + ", ".join(q(f"goauthentik.io/providers/oauth2/scope-{s}") for s in missing)
                + " to the provider",
            )
        )
    elif not {"profile", "email"} <= set(scopes):
        found.append(
            Finding(
                "WARN",
                name,
                f"the provider maps scopes {shown}, not both 'profile' and "
                "'email': Harbor's username, groups and e-mail claims come from them",
                "add the managed profile and email mappings",
            )
        )
    else:
        found.append(Finding("PASS", name, f"the provider maps scopes {shown}"))
    return found


def tokens(provider: dict[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    mode = provider.get("sub_mode")
    keep = (
        "adopting this provider into a stack must keep it (sub_mode), or every Harbor "
        "OIDC user is linked to a new subject"
    )
    default = " (the Terraform provider's default)" if mode == DEFAULT_SUB_MODE else ""
    found.append(Finding("PASS", "subject mode", f"sub_mode is {q(mode)}{default}; {keep}"))
    access, refresh = (
        provider.get("access_token_validity"),
        provider.get("refresh_token_validity"),
    )
    detail = (
        f"access code {q(provider.get('access_code_validity'))}, access token "
        f"{q(access)}, refresh token {q(refresh)}"
    )
    a, r = _validity(access), _validity(refresh)
    if a is not None and r is not None and r <= a:
        found.append(
            Finding(
                "WARN",
                "token validity",
                detail + ": the refresh token expires no later "
                "than the access token, so Harbor cannot renew a CLI session",
                "make refresh_token_validity longer, e.g. days=30",
            )
        )
    else:
        found.append(Finding("PASS", "token validity", detail))
    return found


def who_may_log_in(app: dict[str, Any], read: tuple[list[Any] | None, str | None]) -> list[Finding]:
    found: list[Finding] = []
    name = "who may log in"
    results, why = read
    if results is None:
        found.append(Finding("WARN", name, why or "", "check the token may view policies"))
        return found
    enabled = [b for b in results if isinstance(b, dict) and b.get("enabled", True)]
    if not enabled:
        found.append(
            Finding("PASS", name, "no policy bindings: every authentik user may log in to Harbor")
        )
        return found
    who = []
    for b in enabled:
        for key, label, attr in (
            ("group_obj", "group", "name"),
            ("user_obj", "user", "username"),
            ("policy_obj", "policy", "name"),
        ):
            if isinstance(b.get(key), dict):
                negated = "not " if b.get("negate") else ""
                who.append(f"{negated}{label} {q(b[key].get(attr, ''))}")
    mode = app.get("policy_engine_mode", "any")
    found.append(
        Finding(
            "PASS",
            name,
            f"{', '.join(who) or 'bindings without a subject'} (policy engine mode {q(mode)})",
        )
    )
    return found


def version(app: dict[str, Any], got: Got) -> list[Finding]:
    found: list[Finding] = []
    name = "authentik version"
    info, why = got.value, got.why
    current = info.get("version_current") if isinstance(info, dict) else None
    if why or current is None:
        found.append(
            Finding(
                "WARN", name, why or "no version_current", got.fix or "check the token may view it"
            )
        )
        return found
    version = _version(current)
    icon = app.get("meta_icon")
    if version is not None and version >= ICON_REMOVED and icon:
        found.append(
            Finding(
                "WARN",
                name,
                f"authentik {q(current)}, and the application has an icon: "
                "the pinned Terraform provider (2025.8.1) sets it through set_icon_url, "
                "which authentik removed in 2025.12 (405), so an `up` with "
                "application_icon fails",
                "leave application_icon unset in the stack and set the icon in authentik's UI",
            )
        )
    else:
        found.append(Finding("PASS", name, f"authentik {q(current)}"))
    return found


def _validity(text: Any) -> timedelta | None:
    """authentik's ``hours=1;minutes=2`` form (``authentik/lib/utils/time.py``)."""
    try:
        parts = [p.split("=", 1) for p in str(text).split(";") if p.strip()]
        return timedelta(**{k.strip(): float(v) for k, v in parts}) if parts else None
    except (TypeError, ValueError):
        return None


def _version(text: Any) -> tuple[int, int] | None:
    match = re.match(r"(\d+)\.(\d+)", str(text))
    return (int(match[1]), int(match[2])) if match else None
