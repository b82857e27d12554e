"""adopt's derivation: from what the live pair holds to the stack config that keeps it,
section by section, with each difference in words (KEEP or CHANGE)."""

from __future__ import annotations

from typing import Any

from ...harbor_side import MATCH_ALL_GROUPS, NO_ADMIN_GROUP
from ...validation import (
    CALLBACK_PATH,
    CONFIG_AUTH_ID,
    LOGIN_PATH,
    MANAGED_MAPPING_PREFIX,
    MANAGED_SCOPES,
    Settings,
)
from ..reading import q, value_of
from .adoption import Adoption, Difference

ROLES_BY_ID = {1: "projectadmin", 2: "developer", 3: "guest", 4: "maintainer", 5: "limitedguest"}
"""Harbor's role IDs (src/common/const.go; terraform-provider-harbor client `RoleTypeNumber`)."""
DEFAULTS = Settings(harbor_url="https://h.invalid", authentik_url="https://a.invalid")


def _strip(url: str, suffix: str) -> str:
    url = url.rstrip("/")
    return url[: -len(suffix)] if url.endswith(suffix) else url


class Derivation:
    """The config that adopts the live objects as they are, and what differs, in words."""

    def __init__(
        self, app: dict[str, Any], provider: dict[str, Any], harbor: dict[str, Any]
    ) -> None:
        self.app, self.provider, self.harbor = app, provider, harbor
        self.config: dict[str, Any] = {}
        self.differences: list[Difference] = []
        self.adopt: dict[str, Any] = {
            "provider": str(provider.get("pk")),
            "application": str(app.get("slug")),
            "configAuth": CONFIG_AUTH_ID,
        }
        self.slug = str(app.get("slug"))

    def keep(self, what: str, detail: str) -> None:
        self.differences.append(Difference(True, what, detail))

    def change(self, what: str, detail: str) -> None:
        self.differences.append(Difference(False, what, detail))

    # -- URLs ------------------------------------------------------------------------

    def result(self) -> Adoption:
        self.config["adopt"] = self.adopt
        return Adoption(
            config=dict(sorted(self.config.items())),
            differences=self.differences,
            provider_pk=int(self.provider.get("pk") or 0),
            client_secret=str(self.provider.get("client_secret") or ""),
        )


def derive(
    given: Settings,
    app: dict[str, Any],
    provider: dict[str, Any],
    harbor: dict[str, Any],
    mappings: list[dict[str, Any]],
    bindings_found: list[Any],
) -> Derivation:
    """Every config value from the live objects, section by section."""
    d = Derivation(app, provider, harbor)
    urls(d, given)
    authentik_side(d, mappings)
    bindings(d, bindings_found)
    harbor_side(d)
    return d


def urls(d: Derivation, given: Settings) -> None:
    uris = [
        u
        for u in d.provider.get("redirect_uris") or []
        if isinstance(u, dict) and u.get("redirect_uri_type", "authorization") != "logout"
    ]
    launch = str(d.app.get("meta_launch_url") or "")
    harbor_url = given.harbor_url
    if uris and isinstance(uris[0].get("url"), str) and uris[0].get("matching_mode") == "strict":
        harbor_url = _strip(uris[0]["url"], CALLBACK_PATH)
    elif launch:
        harbor_url = _strip(launch, LOGIN_PATH)
    endpoint = str(value_of(d.harbor, "oidc_endpoint") or "")
    authentik_url = (
        _strip(endpoint, f"/application/o/{d.slug}") if endpoint else given.authentik_url
    )
    d.config["harborUrl"] = harbor_url
    d.config["authentikUrl"] = authentik_url
    callback = harbor_url + CALLBACK_PATH
    shown = [f"{q(u.get('url', ''))} ({u.get('matching_mode')})" for u in uris]
    if [(u.get("matching_mode"), u.get("url")) for u in uris] != [("strict", callback)]:
        slash = any(u.get("url") == callback + "/" for u in uris)
        d.change(
            "redirect URI",
            f"{', '.join(shown) or 'none'} becomes the one strict {q(callback)}"
            + (
                " (Harbor sends it without the trailing slash: today's login fails with "
                "'Redirect URI Error', after it works)"
                if slash
                else ""
            ),
        )
    if launch and launch != harbor_url + LOGIN_PATH:
        d.change("launch URL", f"{q(launch)} becomes {q(harbor_url + LOGIN_PATH)}")
    issuer = f"{authentik_url}/application/o/{d.slug}/"
    if endpoint != issuer:
        slash = endpoint + "/" == issuer
        d.change(
            "Harbor OIDC endpoint",
            f"{q(endpoint)} becomes {q(issuer)}"
            + (
                " (the issuer authentik publishes has the trailing slash, and Harbor "
                "compares them exactly)"
                if slash
                else ""
            ),
        )


# -- authentik ---------------------------------------------------------------------


def authentik_side(d: Derivation, mappings: list[dict[str, Any]]) -> None:
    p, app = d.provider, d.app
    d.config["slug"] = d.slug
    d.config["clientId"] = str(p.get("client_id"))
    mode = str(p.get("sub_mode"))
    d.config["subMode"] = mode
    if d.slug != DEFAULTS.slug:
        d.keep("slug", f"{q(d.slug)} (the default is 'harbor'): adopted, no update")
    if mode != "hashed_user_id":
        d.keep("sub_mode", f"{q(mode)} (the default is 'hashed_user_id'): adopted, no update")
    for key, field_name, default in (
        ("accessTokenValidity", "access_token_validity", "minutes=10"),
        ("refreshTokenValidity", "refresh_token_validity", "days=30"),
    ):
        value = str(p.get(field_name))
        d.config[key] = value
        if value != default:
            d.keep(field_name, f"{q(value)} (the default is {q(default)}): adopted")
    d.config["applicationName"] = str(app.get("name"))
    d.config["providerName"] = str(p.get("name"))
    d.config["policyEngineMode"] = str(app.get("policy_engine_mode") or "any")
    if isinstance(app.get("open_in_new_tab"), bool):
        d.config["openInNewTab"] = app["open_in_new_tab"]
    for key, api in (
        ("applicationGroup", "group"),
        ("applicationDescription", "meta_description"),
        ("applicationPublisher", "meta_publisher"),
    ):
        if isinstance(app.get(api), str) and app[api]:
            d.config[key] = app[api]
    if app.get("meta_icon"):
        d.change(
            "application icon",
            f"{q(app['meta_icon'])} is not adopted (the pinned provider cannot set icons "
            "on authentik 2025.12 and later): the first `pulumi up` clears it; set it "
            "again in authentik's UI",
        )
    for api, want, why in (
        ("client_type", "confidential", "tokens need the secret"),
        ("issuer_mode", "per_provider", "WARNING: this changes the issuer, and so every "
         "user's identity in Harbor; fix it by hand before adopting"),
        ("include_claims_in_id_token", True, "Harbor onboards users from the ID token"),
    ):  # fmt: skip
        if api in p and p[api] != want:
            d.change(api, f"{q(p[api])} becomes {q(want)} ({why})")
    if not p.get("signing_key"):
        d.change(
            "signing key",
            f"none; becomes {q(DEFAULTS.signing_key)} (Harbor needs RS256 ID tokens)",
        )
    d.keep(
        "flows and signing key",
        "looked up by name (authorizationFlow, invalidationFlow, signingKey; defaults "
        f"{q(DEFAULTS.authorization_flow)}, {q(DEFAULTS.invalidation_flow)}, "
        f"{q(DEFAULTS.signing_key)}) and not compared here: if the provider uses others, "
        "set those keys, or the first `pulumi up` switches it to these",
    )
    scopes(d, mappings)


def scopes(d: Derivation, mappings: list[dict[str, Any]]) -> None:
    mapped = [
        m["managed"].removeprefix(MANAGED_MAPPING_PREFIX)
        for m in mappings
        if isinstance(m.get("managed"), str) and m["managed"].startswith(MANAGED_MAPPING_PREFIX)
    ]
    for m in mappings:
        if not (isinstance(m.get("managed"), str) and m["managed"]):
            d.change(
                "custom scope mapping",
                f"{q(m.get('name', ''))} (scope {q(m.get('scope_name', ''))}) is not "
                "adopted: the first `pulumi up` detaches it from the provider; declare "
                "it in extraScopeMappings to have the component create its own",
            )
    asked = [s.strip() for s in str(value_of(d.harbor, "oidc_scope") or "").split(",")]
    scopes = [s for s in asked if s in MANAGED_SCOPES] or list(mapped)
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    d.config["scopes"] = scopes
    dropped = [s for s in asked if s and s not in MANAGED_SCOPES]
    if dropped:
        d.change(
            "Harbor OIDC scope",
            f"{', '.join(q(s) for s in dropped)} are no managed scopes: no longer requested",
        )
    if sorted(mapped) != sorted(scopes):
        d.change(
            "scope mappings",
            f"the provider maps {', '.join(q(s) for s in mapped) or 'none'}; it will map "
            f"exactly the scopes Harbor requests: {', '.join(q(s) for s in scopes)}",
        )
    if "offline_access" not in scopes:
        d.keep(
            "scopes",
            "'offline_access' is neither mapped nor requested: adopted as it is, so still no "
            "refresh token (Harbor's CLI secret for `docker login` dies with the token). "
            "To add it, put offline_access in harbor-sso:scopes: an update of both sides, "
            "and authentik then asks users for consent once",
        )


def bindings(d: Derivation, bindings: list[Any]) -> None:
    groups: list[tuple[int, str, str]] = []
    for b in bindings:
        if not isinstance(b, dict):
            continue
        group = b.get("group_obj")
        if (
            isinstance(group, dict)
            and b.get("enabled", True)
            and not b.get("negate")
            and isinstance(group.get("name"), str)
        ):
            groups.append((int(b.get("order") or 0), group["name"], str(b.get("pk"))))
        else:
            d.keep(
                "policy binding",
                f"{q(b.get('pk', ''))} (not an enabled, plain group binding) stays in "
                "authentik, outside the stack",
            )
    groups.sort()
    d.config["allowedGroups"] = [name for _, name, _ in groups]
    d.adopt["bindings"] = {name: pk for _, name, pk in groups}
    renumbered = [name for i, (order, name, _) in enumerate(groups) if order != i]
    if renumbered:
        d.change(
            "binding order",
            f"{', '.join(q(n) for n in renumbered)} renumbered 0, 1, ...: same groups, same access",
        )


# -- Harbor ----------------------------------------------------------------------


def harbor_side(d: Derivation) -> None:
    h = d.harbor
    mode = value_of(h, "auth_mode")
    if mode != "oidc_auth":
        d.change("Harbor auth mode", f"{q(mode)} becomes 'oidc_auth'")
    if value_of(h, "oidc_client_id") != d.config["clientId"]:
        d.change(
            "Harbor client ID",
            f"{q(value_of(h, 'oidc_client_id'))} becomes the provider's {q(d.config['clientId'])}",
        )
    d.change(
        "Harbor client secret",
        "Harbor never returns its copy, so the first `pulumi up` sends it the provider's "
        "secret, the same one: a shown update without effect on users",
    )
    for key, api, default in (
        ("oidcProviderName", "oidc_name", DEFAULTS.oidc_provider_name),
        ("userClaim", "oidc_user_claim", DEFAULTS.user_claim),
        ("groupsClaim", "oidc_groups_claim", DEFAULTS.groups_claim),
    ):
        value = value_of(h, api)
        if isinstance(value, str) and value:
            d.config[key] = value
        else:
            d.change(api, f"empty; becomes {q(default)}")
    for key, api, none in (
        ("adminGroup", "oidc_admin_group", NO_ADMIN_GROUP),
        ("groupFilter", "oidc_group_filter", MATCH_ALL_GROUPS),
    ):
        value = value_of(h, api)
        if isinstance(value, str) and value and value != none:
            d.config[key] = value
    for key, api in (
        ("verifyCert", "oidc_verify_cert"),
        ("autoOnboard", "oidc_auto_onboard"),
        ("primaryAuthMode", "primary_auth_mode"),
    ):
        value = value_of(h, api)
        if isinstance(value, bool):
            d.config[key] = value
    if d.config.get("verifyCert") is False:
        d.keep("oidc_verify_cert", "off: adopted as it is; turn it on when you can")


def memberships(d: Derivation, project: str, number: int, members: list[dict[str, Any]]) -> None:
    roles = d.config.setdefault("projectRoles", {}).setdefault(project, {})
    ids = d.adopt.setdefault("memberships", {}).setdefault(project, {})
    for m in members:
        role = ROLES_BY_ID.get(m.get("role_id", 0))
        name, member = m.get("entity_name"), m.get("id")
        if role is None or not isinstance(name, str) or not isinstance(member, int):
            continue
        roles[name] = role
        ids[name] = f"/projects/{number}/members/{member}"
