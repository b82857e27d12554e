"""What the real plugins sent, step by step, in the held-out run of 2026-12-04.

Counted from ../shared/reference/wire/NN-step.jsonl (steps 01 to 12: a new stack with an
admin group, two allowed groups and one project role; previews; a refresh; a rename; a
rotated secret; the admin group removed; a destroy), one line per request as
`METHOD path?query -> status`, with the keys of a write's body. Ids are placeholders:
`<uuid>`, `<pk>` (a provider), `<p>` (a project), `<n>` (a member). A model plugin that
sends these, step by step, is a faithful model (tests/engine/test_wire.py).
"""

from collections import Counter

_AK = "/api/v3"
_HB = "/api/v2.0"
_SCOPES = ", ".join(
    f"'goauthentik.io/providers/oauth2/scope-{s}'"
    for s in ("email", "offline_access", "openid", "profile")
)
_APP_KEYS = (
    "backchannel_providers, group, meta_description, meta_launch_url, meta_publisher, name, "
    "open_in_new_tab, policy_engine_mode, provider, slug"
)
_PROVIDER_KEYS = (
    "access_code_validity, access_token_validity, authorization_flow, client_id, {secret}client_type, "
    "include_claims_in_id_token, invalidation_flow, issuer_mode, jwt_federation_providers, "
    "jwt_federation_sources, name, property_mappings, redirect_uris, refresh_token_validity, "
    "signing_key, sub_mode"
)
_CONFIG_KEYS = (
    "auth_mode, ldap_group_search_scope, ldap_scope, ldap_verify_cert, {admin}oidc_auto_onboard, "
    "oidc_client_id, oidc_client_secret, oidc_endpoint, oidc_groups_claim, oidc_name, oidc_scope, "
    "oidc_user_claim, oidc_verify_cert, scan_all_policy, self_registration"
)

# Every run of the stack program: the provider's Configure reads root/config, then the
# component's look-ups (flows, key pair, scope mappings, groups; the project in Harbor).
PROGRAM = {
    "authentik": Counter(
        {
            f"GET {_AK}/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            f"GET {_AK}/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            f"GET {_AK}/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            f"GET {_AK}/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            f"GET {_AK}/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            f"GET {_AK}/propertymappings/provider/scope/?managed=[{_SCOPES}] -> 200": 1,
            f"GET {_AK}/root/config/ -> 200": 1,
        }
    ),
    "harbor": Counter({f"GET {_HB}/projects?name=team -> 200": 1}),
}

_READ_APP = f"GET {_AK}/core/applications/harbor-real/ -> 200"
_READ_PROVIDER = f"GET {_AK}/providers/oauth2/<pk>/ -> 200"
_READ_BINDING = f"GET {_AK}/policies/bindings/<uuid>/ -> 200"
_READ_CONFIG = f"GET {_HB}/configurations -> 200"
_READ_MEMBER = f"GET {_HB}/projects/<p>/members/<n> -> 200"
_PUT_PROVIDER = f"PUT {_AK}/providers/oauth2/<pk>/ -> 200  body keys: " + _PROVIDER_KEYS.format(
    secret="client_secret, "
)


def _put_config(admin_group: bool) -> str:
    return f"PUT {_HB}/configurations -> 200  body keys: " + _CONFIG_KEYS.format(
        admin="oidc_admin_group, " if admin_group else ""
    )


def _program_and(authentik: dict[str, int], harbor: dict[str, int]) -> dict[str, dict[str, int]]:
    """A step that runs the program: its look-ups, plus what the engine's steps send."""
    return {
        "authentik": dict(PROGRAM["authentik"] + Counter(authentik)),
        "harbor": dict(PROGRAM["harbor"] + Counter(harbor)),
    }


_PREVIEW = _program_and({}, {})

STEPS: dict[str, dict[str, dict[str, int]]] = {
    "preview-1": _PREVIEW,
    "up-1": _program_and(
        {
            _READ_APP: 1,
            _READ_BINDING: 2,
            _READ_PROVIDER: 1,
            f"POST {_AK}/core/applications/ -> 201  body keys: {_APP_KEYS}": 1,
            f"POST {_AK}/policies/bindings/ -> 201  body keys: enabled, failure_result, group, negate, "
            "order, policy, target, timeout, user": 2,
            f"POST {_AK}/providers/oauth2/ -> 201  body keys: "
            + _PROVIDER_KEYS.format(secret=""): 1,
        },
        {
            _READ_CONFIG: 1,
            _READ_MEMBER: 1,
            f"POST {_HB}/projects/<p>/members -> 201  body keys: member_group, member_user, role_id": 1,
            _put_config(admin_group=True): 1,
        },
    ),
    "preview-2": _PREVIEW,
    # refresh runs no program: only the resources' Reads (the CLI reads each twice)
    "refresh-1": {
        "authentik": {
            _READ_APP: 2,
            _READ_BINDING: 4,
            _READ_PROVIDER: 2,
            f"GET {_AK}/root/config/ -> 200": 2,
        },
        "harbor": {_READ_CONFIG: 2, _READ_MEMBER: 2},
    },
    "preview-3": _PREVIEW,
    "preview-rename": _PREVIEW,
    "up-rename": _program_and(
        {
            _READ_APP: 1,
            _READ_PROVIDER: 1,
            f"PUT {_AK}/core/applications/harbor-real/ -> 200  body keys: {_APP_KEYS}": 1,
            _PUT_PROVIDER: 1,
        },
        {},
    ),
    "preview-rename-2": _PREVIEW,
    "up-rotate": _program_and(
        {_READ_PROVIDER: 1, _PUT_PROVIDER: 1},
        {_READ_CONFIG: 1, _put_config(admin_group=True): 1},
    ),
    "up-no-admin-group": _program_and({}, {_READ_CONFIG: 1, _put_config(admin_group=False): 1}),
    "preview-no-admin-group": _PREVIEW,
    "destroy": {
        "authentik": {
            f"DELETE {_AK}/core/applications/harbor-real/ -> 204": 1,
            f"DELETE {_AK}/policies/bindings/<uuid>/ -> 204": 2,
            f"DELETE {_AK}/providers/oauth2/<pk>/ -> 204": 1,
            f"GET {_AK}/root/config/ -> 200": 1,
        },
        "harbor": {f"DELETE {_HB}/projects/<p>/members/<n> -> 200": 1},
    },
}
