"""``harbor-sso doctor``: a read-only diagnosis of a live authentik + Harbor pair.

It reads authentik's application, OAuth2 provider, scope mappings, policy bindings and
version, the discovery document, and Harbor's configuration, system information and
users, and sets each against what the component would set (:class:`Settings` defaults)
and against what a login needs. Nothing is written; one GET per thing read.

Why plain HTTP and not authentik's generated client ``authentik-client`` (PyPI 2026.8.x):
it would bypass verify's bounded HTTP layer (per-request and per-run deadlines, 1 MiB
cap, no redirects, credentials kept out of every message); ``import authentik_client``
takes about 9.5 s (its ``__init__`` imports every model, measured 2026-12-01, see
domain-facts); and its pydantic models check enums strictly, so a server newer than the
client (a new ``sub_mode``, ``client_type`` or ``redirect_uri_type``) would fail the read
instead of being reported. Doctor reads a dozen fields; plain JSON is enough.

API sources, field names checked against them (authentik: ``schema.yml`` as the
generated client 2026.8.5 carries it; Harbor: ``api/v2.0/swagger.yaml``, main 2026-08).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from ..harbor_side import NO_ADMIN_GROUP
from ..validation import CALLBACK_PATH, MANAGED_SCOPES, Settings
from .http import Fetch, NotJson, decode_json, get, printable, redact

Status = Literal["PASS", "WARN", "FAIL"]
MAX_MAPPINGS = 12
"""Scope mappings read one by one; a provider has four or five."""
MAX_USERS = 10
"""Harbor users whose OIDC issuer is read, one by one: the first page of the list."""
FIXED_REQUESTS = 10
"""application, provider (and its look-up by client ID), bindings, version, discovery,
Harbor's configuration, system information and users, the admin group."""
REQUESTS_PER_RUN = FIXED_REQUESTS + MAX_MAPPINGS + MAX_USERS
"""The run's deadline is this many request timeouts."""
DEFAULT_SUB_MODE = "hashed_user_id"  # terraform-provider-authentik's default
DISCOVERY_SUFFIX = ".well-known/openid-configuration"
ICON_REMOVED = (2025, 12)
"""authentik removed ``set_icon_url`` (the pinned Terraform provider's icon call): 405."""


@dataclass(frozen=True)
class Finding:
    status: Status
    name: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        fix = f" Fix: {self.fix}" if self.fix and self.status != "PASS" else ""
        return f"{self.status}  {self.name}: {self.detail}{fix}"


def q(value: Any) -> str:
    """A server-provided value, quoted and made safe for a terminal."""
    return "'" + printable(str(value)) + "'"


def _value(config: dict[str, Any], key: str) -> Any:
    """A Harbor configuration item's value (swagger ``StringConfigItem``/``BoolConfigItem``:
    ``{"value": ..., "editable": ...}``); None when absent."""
    item = config.get(key)
    return item.get("value") if isinstance(item, dict) else None


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


@dataclass
class Doctor:
    fetch: Fetch
    settings: Settings
    client_id: str | None = None
    secrets: Sequence[str] = ()
    findings: list[Finding] = field(default_factory=list)
    slug: str = ""
    """The application's slug, once found."""

    # -- reading -------------------------------------------------------------------

    def read(self, url: str, what: str) -> tuple[Any, str | None]:
        """The JSON at ``url`` and its headers' total count, or (None, why not)."""
        value, _ = self.read_with_total(url, what)
        return value

    def read_with_total(self, url: str, what: str) -> tuple[tuple[Any, str | None], str | None]:
        response = get(self.fetch, url)
        if isinstance(response, str):
            return (None, response), None
        total = response.headers.get("X-Total-Count")
        try:
            value = decode_json(response.body)
        except NotJson as exc:
            return (None, f"GET {url} answered {response.status}, but {exc}"), total
        if response.status != 200:
            return (None, f"GET {url} answered {response.status}{self._error(value)}"), total
        return (value, None), total

    @staticmethod
    def _error(value: Any) -> str:
        """authentik's ``GenericError.detail`` or Harbor's ``Errors.errors[].message``."""
        if isinstance(value, dict):
            if isinstance(value.get("detail"), str):
                return f" ({q(value['detail'])})"
            errors = value.get("errors")
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                return f" ({q(errors[0].get('message', ''))})"
        return ""

    def add(self, status: Status, name: str, detail: str, fix: str = "") -> None:
        self.findings.append(Finding(status, name, detail, fix))

    @property
    def api(self) -> str:
        return self.settings.authentik_url + "/api/v3"

    @property
    def harbor_api(self) -> str:
        return self.settings.harbor_url + "/api/v2.0"

    # -- the run -------------------------------------------------------------------

    def run(self) -> list[Finding]:
        app, provider = self.find_application()
        harbor_config, external_url = self.read_harbor()
        if provider is not None:
            self.check_redirects(provider, external_url)
            self.check_client(provider)
            self.check_mappings(provider)
            self.check_tokens(provider)
        if app is not None:
            self.check_bindings(app)
            self.check_version(app)
        if harbor_config is not None:
            self.check_harbor(harbor_config, provider)
        return self.findings

    def find_application(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        name = "authentik application"
        slug = self.settings.slug
        if self.client_id is not None:
            # schema.yml providers_oauth2_list: GET /providers/oauth2/?client_id=
            url = f"{self.api}/providers/oauth2/?client_id={quote(self.client_id, safe='')}"
            listing, why = self.read(url, "providers")
            if why:
                self.add("FAIL", name, why, self._token_fix(why))
                return None, None
            results = listing.get("results") if isinstance(listing, dict) else None
            if not isinstance(results, list) or not results:
                self.add(
                    "FAIL",
                    name,
                    f"no OAuth2 provider has client ID {q(self.client_id)}",
                    "give the client ID Harbor is configured with, or --slug",
                )
                return None, None
            slug = str(results[0].get("assigned_application_slug") or "")
            if not slug:
                self.add(
                    "FAIL",
                    name,
                    f"the provider with client ID {q(self.client_id)} belongs to no application",
                    "create an application for it",
                )
                return None, None
        # schema.yml core_applications_retrieve: GET /core/applications/{slug}/
        app, why = self.read(f"{self.api}/core/applications/{quote(slug, safe='')}/", "app")
        if why or not isinstance(app, dict):
            fix = self._token_fix(why or "")
            if "answered 404" in (why or ""):
                fix = "give the application's slug with --slug, or --client-id"
            self.add("FAIL", name, why or "the application is not a JSON object", fix)
            return None, None
        self.slug = str(app.get("slug", slug))
        pk = app.get("provider")
        if not isinstance(pk, int):
            self.add(
                "FAIL",
                name,
                f"application {q(self.slug)} has no provider",
                "assign it an OAuth2/OpenID provider",
            )
            return app, None
        # schema.yml providers_oauth2_retrieve: GET /providers/oauth2/{id}/
        provider, why = self.read(f"{self.api}/providers/oauth2/{pk}/", "provider")
        if why or not isinstance(provider, dict):
            self.add(
                "FAIL",
                name,
                why or "the provider is not a JSON object",
                f"application {q(self.slug)}'s provider must be OAuth2/OpenID",
            )
            return app, None
        self.add(
            "PASS",
            name,
            f"application {q(self.slug)} ({q(app.get('name', ''))}) uses "
            f"OAuth2 provider {pk} ({q(provider.get('name', ''))})",
        )
        return app, provider

    def _token_fix(self, why: str) -> str:
        if "answered 403" in why or "answered 401" in why:
            return (
                "AUTHENTIK_TOKEN is not accepted: create an API token (Directory > Tokens) "
                "for a user who may view applications, providers and policies"
            )
        return ""

    def read_harbor(self) -> tuple[dict[str, Any] | None, str]:
        name = "Harbor API"
        # swagger.yaml getConfigurations: GET /configurations (system admin only)
        config, why = self.read(f"{self.harbor_api}/configurations", "configuration")
        # swagger.yaml getSystemInfo: external_url and harbor_version only when signed in
        # (src/controller/systeminfo/controller.go GetInfo, WithProtectedInfo)
        info, info_why = self.read(f"{self.harbor_api}/systeminfo", "system information")
        external = self.settings.harbor_url
        if why or not isinstance(config, dict):
            fix = ""
            if "answered 401" in (why or "") or "answered 403" in (why or ""):
                fix = (
                    "HARBOR_USERNAME/HARBOR_PASSWORD must be a Harbor system administrator's "
                    "(Harbor's local admin works in every auth mode)"
                )
            self.add("FAIL", name, why or "the configuration is not a JSON object", fix)
            return None, external
        if isinstance(info, dict) and isinstance(info.get("external_url"), str):
            external = info["external_url"].rstrip("/")
            given, own = urlsplit(self.settings.harbor_url), urlsplit(external)
            if (given.hostname, given.port) != (own.hostname, own.port):
                self.add(
                    "WARN",
                    "Harbor external URL",
                    f"Harbor calls itself {q(external)} (its callback is built from it), "
                    f"not {q(self.settings.harbor_url)} as given",
                    "set hostname/external_url in harbor.yml to the URL users open, "
                    "or give that URL with --harbor-url",
                )
            else:
                self.add(
                    "PASS",
                    "Harbor external URL",
                    f"{q(external)}, Harbor {q(info.get('harbor_version', '?'))}",
                )
        else:
            self.add(
                "WARN",
                "Harbor external URL",
                info_why or "systeminfo has no external_url",
                "checked against --harbor-url instead",
            )
        return config, external

    # -- authentik -----------------------------------------------------------------

    def check_redirects(self, provider: dict[str, Any], external_url: str) -> None:
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
            self.add("PASS", name, f"strict redirect URI {q(callback)}, as Harbor sends it")
            return
        for url in strict:
            if url.rstrip("/") == callback:
                self.add(
                    "FAIL",
                    name,
                    f"redirect URI {q(url)} (strict) ends in a slash; Harbor "
                    f"sends {q(callback)} without it: login fails with 'Redirect URI "
                    "Error'",
                    fix,
                )
                return
            if urlsplit(url).hostname != want_host:
                self.add(
                    "FAIL",
                    name,
                    f"redirect URI {q(url)} (strict) names host "
                    f"{q(urlsplit(url).hostname)}, but Harbor's external URL is "
                    f"{q(external_url)}: login fails with 'Redirect URI Error'",
                    fix,
                )
                return
        for pattern in regex:
            try:
                # authentik matches regex redirect URIs with re.fullmatch
                # (authentik/providers/oauth2/views/authorize.py, check_redirect_uri)
                matches = re.fullmatch(pattern, callback) is not None
            except re.error:
                matches = False
            if matches:
                self.add(
                    "WARN",
                    name,
                    f"redirect URI {q(pattern)} is a regex; it matches "
                    f"{q(callback)}, but a loose pattern lets tokens go elsewhere",
                    fix,
                )
                return
        shown = ", ".join(q(u.get("url", "")) for u in uris) or "none"
        self.add(
            "FAIL",
            name,
            f"no redirect URI matches Harbor's callback {q(callback)} "
            f"(registered: {shown}): login fails with 'Redirect URI Error'",
            fix,
        )

    def check_client(self, provider: dict[str, Any]) -> None:
        kind = provider.get("client_type")
        if kind == "confidential":
            self.add("PASS", "client type", "confidential")
        else:
            self.add(
                "WARN",
                "client type",
                f"client type is {q(kind)}: anyone who knows the "
                "client ID can get tokens without the secret Harbor holds",
                "set client_type 'confidential', as the component does",
            )
        if provider.get("signing_key"):
            self.add("PASS", "signing key", "set: ID tokens are signed with RS256")
        else:
            self.add(
                "FAIL",
                "signing key",
                "no signing key: authentik signs ID tokens HS256 "
                "with the client secret, which Harbor's go-oidc verifier refuses (RS256)",
                "select a certificate as the provider's signing key, e.g. "
                "'authentik Self-signed Certificate'",
            )

    def read_scope_mappings(self, provider: dict[str, Any]) -> list[dict[str, Any]]:
        """The provider's scope mappings, the first :data:`MAX_MAPPINGS` (shared with adopt)."""
        pks = [str(p) for p in provider.get("property_mappings") or []]
        found: list[dict[str, Any]] = []
        for pk in pks[:MAX_MAPPINGS]:
            # schema.yml propertymappings_provider_scope_retrieve: GET .../scope/{pm_uuid}/
            mapping, why = self.read(
                f"{self.api}/propertymappings/provider/scope/{quote(pk, safe='')}/", "mapping"
            )
            if why or not isinstance(mapping, dict):
                continue  # a property mapping of another kind, or gone
            found.append(mapping)
        return found

    def read_bindings(self, app: dict[str, Any]) -> tuple[list[Any] | None, str | None]:
        """The application's policy bindings, or (None, why not) (shared with adopt)."""
        target = quote(str(app.get("pk", "")), safe="")
        # schema.yml policies_bindings_list: GET /policies/bindings/?target=<app uuid>
        listing, why = self.read(
            f"{self.api}/policies/bindings/?target={target}&page_size=100", "bindings"
        )
        results = listing.get("results") if isinstance(listing, dict) else None
        if why or not isinstance(results, list):
            return None, why or "no binding list"
        return results, None

    def check_mappings(self, provider: dict[str, Any]) -> None:
        name = "scope mappings"
        pks = [str(p) for p in provider.get("property_mappings") or []]
        scopes = [str(m.get("scope_name", "")) for m in self.read_scope_mappings(provider)]
        if len(pks) > MAX_MAPPINGS:
            self.add(
                "WARN",
                name,
                f"{len(pks)} property mappings; the first {MAX_MAPPINGS} read",
                "remove the mappings Harbor does not use",
            )
        shown = ", ".join(q(s) for s in scopes) or "none"
        missing = [s for s in ("openid", "offline_access") if s not in scopes]
        if missing:
            self.add(
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
        elif not {"profile", "email"} <= set(scopes):
            self.add(
                "WARN",
                name,
                f"the provider maps scopes {shown}, not both 'profile' and "
                "'email': Harbor's username, groups and e-mail claims come from them",
                "add the managed profile and email mappings",
            )
        else:
            self.add("PASS", name, f"the provider maps scopes {shown}")

    def check_tokens(self, provider: dict[str, Any]) -> None:
        mode = provider.get("sub_mode")
        keep = (
            "adopting this provider into a stack must keep it (sub_mode), or every Harbor "
            "OIDC user is linked to a new subject"
        )
        default = " (the Terraform provider's default)" if mode == DEFAULT_SUB_MODE else ""
        self.add("PASS", "subject mode", f"sub_mode is {q(mode)}{default}; {keep}")
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
            self.add(
                "WARN",
                "token validity",
                detail + ": the refresh token expires no later "
                "than the access token, so Harbor cannot renew a CLI session",
                "make refresh_token_validity longer, e.g. days=30",
            )
        else:
            self.add("PASS", "token validity", detail)

    def check_bindings(self, app: dict[str, Any]) -> None:
        name = "who may log in"
        results, why = self.read_bindings(app)
        if results is None:
            self.add("WARN", name, why or "", "check the token may view policies")
            return
        enabled = [b for b in results if isinstance(b, dict) and b.get("enabled", True)]
        if not enabled:
            self.add("PASS", name, "no policy bindings: every authentik user may log in to Harbor")
            return
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
        self.add(
            "PASS",
            name,
            f"{', '.join(who) or 'bindings without a subject'} (policy engine mode {q(mode)})",
        )

    def check_version(self, app: dict[str, Any]) -> None:
        name = "authentik version"
        # schema.yml admin_version_retrieve: GET /admin/version/ (Version.version_current)
        info, why = self.read(f"{self.api}/admin/version/", "version")
        current = info.get("version_current") if isinstance(info, dict) else None
        if why or current is None:
            self.add("WARN", name, why or "no version_current", "check the token may view it")
            return
        version = _version(current)
        icon = app.get("meta_icon")
        if version is not None and version >= ICON_REMOVED and icon:
            self.add(
                "WARN",
                name,
                f"authentik {q(current)}, and the application has an icon: "
                "the pinned Terraform provider (2025.8.1) sets it through set_icon_url, "
                "which authentik removed in 2025.12 (405), so an `up` with "
                "application_icon fails",
                "leave application_icon unset in the stack and set the icon in authentik's UI",
            )
        else:
            self.add("PASS", name, f"authentik {q(current)}")

    # -- Harbor --------------------------------------------------------------------

    def check_harbor(self, config: dict[str, Any], provider: dict[str, Any] | None) -> None:
        mode = _value(config, "auth_mode")
        if mode == "oidc_auth":
            self.add("PASS", "Harbor auth mode", "oidc_auth")
        else:
            self.add(
                "FAIL",
                "Harbor auth mode",
                f"auth_mode is {q(mode)}, not 'oidc_auth'",
                "set Harbor's authentication mode to OIDC (the component's ConfigAuth)",
            )
        self.check_endpoint(_value(config, "oidc_endpoint"))
        self.check_client_id(_value(config, "oidc_client_id"), provider)
        scopes = [s.strip() for s in str(_value(config, "oidc_scope") or "").split(",")]
        missing = [s for s in ("openid", "offline_access") if s not in scopes]
        shown = q(",".join(s for s in scopes if s))
        if missing:
            self.add(
                "FAIL",
                "Harbor OIDC scope",
                f"oidc_scope is {shown}, without {', '.join(q(s) for s in missing)}",
                f"set oidc_scope to {q(','.join(MANAGED_SCOPES))}",
            )
        else:
            self.add("PASS", "Harbor OIDC scope", f"oidc_scope is {shown}")
        if _value(config, "oidc_verify_cert") is True:
            self.add("PASS", "certificate verification", "oidc_verify_cert is on")
        else:
            self.add(
                "WARN",
                "certificate verification",
                "oidc_verify_cert is off: Harbor accepts any certificate for authentik",
                "turn it on (give Harbor the CA if authentik's certificate is private)",
            )
        claim = _value(config, "oidc_groups_claim")
        if claim:
            self.add("PASS", "groups claim", f"oidc_groups_claim is {q(claim)}")
        else:
            self.add(
                "WARN",
                "groups claim",
                "oidc_groups_claim is empty: Harbor ignores "
                "authentik groups (no admin group, no group project roles)",
                "set it to 'groups' (the managed profile mapping emits it)",
            )
        self.check_admin_group(_value(config, "oidc_admin_group"))
        self.check_users(mode)

    def check_endpoint(self, endpoint: Any) -> None:
        name = "Harbor OIDC endpoint"
        url = self.settings.authentik_url + f"/application/o/{quote(self.slug, safe='')}/"
        document, why = self.read(url + DISCOVERY_SUFFIX, "discovery")
        issuer = document.get("issuer") if isinstance(document, dict) else None
        if why or not isinstance(issuer, str):
            self.add(
                "FAIL",
                name,
                why or "the discovery document has no issuer",
                "check the application's slug and that authentik serves it",
            )
            return
        if endpoint == issuer:
            self.add("PASS", name, f"oidc_endpoint equals the issuer {q(issuer)}")
            return
        fix = f"set oidc_endpoint to {q(issuer)}"
        if issuer != url:
            fix += (
                f" (authentik publishes {q(issuer)} rather than {q(url)}: it builds the "
                "issuer from the Host and X-Forwarded-Proto it is reached with)"
            )
        if isinstance(endpoint, str) and endpoint + "/" == issuer:
            self.add(
                "FAIL",
                name,
                f"oidc_endpoint {q(endpoint)} has no trailing slash; the "
                f"issuer authentik publishes is {q(issuer)} and Harbor's OIDC client "
                "compares them exactly: login fails with 'issuer did not match'",
                fix,
            )
        else:
            self.add(
                "FAIL",
                name,
                f"oidc_endpoint is {q(endpoint)}, but the issuer authentik "
                f"publishes is {q(issuer)}: login fails with 'issuer did not match'",
                fix,
            )

    def check_client_id(self, harbor_id: Any, provider: dict[str, Any] | None) -> None:
        name = "client ID"
        if provider is None:
            return
        ours = provider.get("client_id")
        # never shown: the client secret (Harbor's configurations never carry it)
        if harbor_id == ours:
            self.add("PASS", name, f"Harbor and authentik both use {q(ours)}")
        else:
            self.add(
                "FAIL",
                name,
                f"Harbor's oidc_client_id is {q(harbor_id)}, authentik's "
                f"provider has {q(ours)}: authentik refuses the login",
                "set oidc_client_id (and its secret) from the provider",
            )

    def check_admin_group(self, group: Any) -> None:
        name = "admin group"
        if not group:
            self.add("PASS", name, "oidc_admin_group is not set")
            return
        if group == NO_ADMIN_GROUP:
            self.add("PASS", name, "no admin group: harbor-sso's placeholder, which no "
                     "authentik group can match")  # fmt: skip
            return
        # schema.yml core_groups_list: GET /core/groups/?name=
        listing, why = self.read(
            f"{self.api}/core/groups/?name={quote(str(group), safe='')}", "groups"
        )
        results = listing.get("results") if isinstance(listing, dict) else None
        if why or not isinstance(results, list):
            self.add("WARN", name, why or "no group list", "check the token may view groups")
        elif any(isinstance(g, dict) and g.get("name") == group for g in results):
            self.add("PASS", name, f"oidc_admin_group {q(group)} exists in authentik")
        else:
            self.add(
                "FAIL",
                name,
                f"oidc_admin_group {q(group)} is no authentik group: nobody "
                "becomes a Harbor administrator through it",
                "create the group in authentik, or correct oidc_admin_group",
            )

    def check_issuers(self, users: list[dict[str, Any]]) -> None:
        """Users onboarded under another issuer (the slug or authentik's URL changed since
        they signed in) cannot sign in: Harbor finds no user for their new `sub` and
        issuer and fails to onboard one under the same name."""
        name = "returning users"
        issuer = self.settings.authentik_url + f"/application/o/{self.slug}/"
        elsewhere, unread = [], []
        for user in users[:MAX_USERS]:
            # swagger.yaml getUser: oidc_user_meta (in oidc_auth), whose `secret` is the
            # user's CLI secret: read for `subiss` alone, never shown
            found, why = self.read(f"{self.harbor_api}/users/{user.get('user_id')}", "user")
            meta = found.get("oidc_user_meta") if isinstance(found, dict) else None
            subiss = meta.get("subiss") if isinstance(meta, dict) else None
            if why:
                unread.append(why)
            elif isinstance(subiss, str) and not _issuer_of(subiss, issuer):
                elsewhere.append(str(user.get("username", "")))
        if unread and not elsewhere:
            self.add("WARN", name, f"{len(unread)} user(s) could not be read: {unread[0]}",
                     "check the Harbor account may read users")  # fmt: skip
            return
        if not elsewhere:
            self.add("PASS", name, f"no listed user was onboarded under another issuer than "
                     f"{q(issuer)}")  # fmt: skip
            return
        self.add(
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

    def check_users(self, mode: Any) -> None:
        name = "local users"
        # swagger.yaml listUsers: GET /users (system admin), total in X-Total-Count; the
        # default admin is never listed (src/pkg/user/manager.go `List`, excludeDefaultAdmin)
        (users, why), total = self.read_with_total(
            f"{self.harbor_api}/users?page=1&page_size=10", "users"
        )
        if why or not isinstance(users, list):
            self.add("WARN", name, why or "the user list is not a list", "")
            return
        listed = [u for u in users if isinstance(u, dict) and u.get("username") != "admin"]
        others = [str(u.get("username", "")) for u in listed]
        count = int(total) if total and total.isdigit() else len(others)
        if mode == "oidc_auth":
            self.check_issuers(listed)
        if not others:
            self.add("PASS", name, "no user but admin")
        elif mode == "oidc_auth":
            self.add(
                "PASS",
                name,
                f"{count} user(s) besides admin; the auth mode is already "
                "oidc_auth, and re-sending it is accepted",
            )
        else:
            self.add(
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


def _issuer_of(subiss: str, issuer: str) -> bool:
    """Whether Harbor onboarded the user under ``issuer``: `oidc_user_meta.subiss` is the
    `sub` followed by the issuer (src/core/controllers/oidc.go `userOnboard`)."""
    return subiss.endswith(issuer)


def diagnose(
    fetch: Fetch, settings: Settings, client_id: str | None = None, secrets: Sequence[str] = ()
) -> list[Finding]:
    return Doctor(fetch, settings, client_id, secrets, slug=settings.slug).run()


def report(findings: Sequence[Finding], secrets: Sequence[str] = ()) -> Iterator[str]:
    """One line per finding, then a count; no line holds a credential."""
    for finding in findings:
        yield redact(finding.line(), secrets)
    counts = {s: sum(f.status == s for f in findings) for s in ("PASS", "WARN", "FAIL")}
    yield f"{counts['PASS']} passed, {counts['WARN']} warned, {counts['FAIL']} failed"
