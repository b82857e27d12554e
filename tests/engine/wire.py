"""What the real plugins sent, step by step, in the held-out run of 2026-12-04.

Counted from ../shared/reference/wire/NN-step.jsonl (steps 01 to 12: a new stack with an
admin group, two allowed groups and one project role; previews; a refresh; a rename; a
rotated secret; the admin group removed; a destroy), one line per request as
`METHOD path?query -> status`, with the keys of a write's body. Ids are placeholders:
`<uuid>`, `<pk>` (a provider), `<p>` (a project), `<n>` (a member). A model plugin that
sends these, step by step, is a faithful model (tests/engine/test_wire.py).
"""

STEPS: dict[str, dict[str, dict[str, int]]] = {
    "preview-1": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "GET /api/v2.0/projects?name=team -> 200": 1,
        },
    },
    "up-1": {
        "authentik": {
            "GET /api/v3/core/applications/harbor-real/ -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/policies/bindings/<uuid>/ -> 200": 2,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/providers/oauth2/<pk>/ -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
            "POST /api/v3/core/applications/ -> 201  body keys: backchannel_providers, group, meta_description, meta_launch_url, meta_publisher, name, open_in_new_tab, policy_engine_mode, provider, slug": 1,
            "POST /api/v3/policies/bindings/ -> 201  body keys: enabled, failure_result, group, negate, order, policy, target, timeout, user": 2,
            "POST /api/v3/providers/oauth2/ -> 201  body keys: access_code_validity, access_token_validity, authorization_flow, client_id, client_type, include_claims_in_id_token, invalidation_flow, issuer_mode, jwt_federation_providers, jwt_federation_sources, name, property_mappings, redirect_uris, refresh_token_validity, signing_key, sub_mode": 1,
        },
        "harbor": {
            "GET /api/v2.0/configurations -> 200": 1,
            "GET /api/v2.0/projects/<p>/members/<n> -> 200": 1,
            "GET /api/v2.0/projects?name=team -> 200": 1,
            "POST /api/v2.0/projects/<p>/members -> 201  body keys: member_group, member_user, role_id": 1,
            "PUT /api/v2.0/configurations -> 200  body keys: auth_mode, ldap_group_search_scope, ldap_scope, ldap_verify_cert, oidc_admin_group, oidc_auto_onboard, oidc_client_id, oidc_client_secret, oidc_endpoint, oidc_groups_claim, oidc_name, oidc_scope, oidc_user_claim, oidc_verify_cert, scan_all_policy, self_registration": 1,
        },
    },
    "preview-2": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "GET /api/v2.0/projects?name=team -> 200": 1,
        },
    },
    "refresh-1": {
        "authentik": {
            "GET /api/v3/core/applications/harbor-real/ -> 200": 2,
            "GET /api/v3/policies/bindings/<uuid>/ -> 200": 4,
            "GET /api/v3/providers/oauth2/<pk>/ -> 200": 2,
            "GET /api/v3/root/config/ -> 200": 2,
        },
        "harbor": {
            "GET /api/v2.0/configurations -> 200": 2,
            "GET /api/v2.0/projects/<p>/members/<n> -> 200": 2,
        },
    },
    "preview-3": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "GET /api/v2.0/projects?name=team -> 200": 1,
        },
    },
    "preview-rename": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "GET /api/v2.0/projects?name=team -> 200": 1,
        },
    },
    "up-rename": {
        "authentik": {
            "GET /api/v3/core/applications/harbor-real/ -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/providers/oauth2/<pk>/ -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
            "PUT /api/v3/core/applications/harbor-real/ -> 200  body keys: backchannel_providers, group, meta_description, meta_launch_url, meta_publisher, name, open_in_new_tab, policy_engine_mode, provider, slug": 1,
            "PUT /api/v3/providers/oauth2/<pk>/ -> 200  body keys: access_code_validity, access_token_validity, authorization_flow, client_id, client_secret, client_type, include_claims_in_id_token, invalidation_flow, issuer_mode, jwt_federation_providers, jwt_federation_sources, name, property_mappings, redirect_uris, refresh_token_validity, signing_key, sub_mode": 1,
        },
        "harbor": {
            "GET /api/v2.0/projects?name=team -> 200": 1,
        },
    },
    "preview-rename-2": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "GET /api/v2.0/projects?name=team -> 200": 1,
        },
    },
    "up-rotate": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/providers/oauth2/<pk>/ -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
            "PUT /api/v3/providers/oauth2/<pk>/ -> 200  body keys: access_code_validity, access_token_validity, authorization_flow, client_id, client_secret, client_type, include_claims_in_id_token, invalidation_flow, issuer_mode, jwt_federation_providers, jwt_federation_sources, name, property_mappings, redirect_uris, refresh_token_validity, signing_key, sub_mode": 1,
        },
        "harbor": {
            "GET /api/v2.0/configurations -> 200": 1,
            "GET /api/v2.0/projects?name=team -> 200": 1,
            "PUT /api/v2.0/configurations -> 200  body keys: auth_mode, ldap_group_search_scope, ldap_scope, ldap_verify_cert, oidc_admin_group, oidc_auto_onboard, oidc_client_id, oidc_client_secret, oidc_endpoint, oidc_groups_claim, oidc_name, oidc_scope, oidc_user_claim, oidc_verify_cert, scan_all_policy, self_registration": 1,
        },
    },
    "up-no-admin-group": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "GET /api/v2.0/configurations -> 200": 1,
            "GET /api/v2.0/projects?name=team -> 200": 1,
            "PUT /api/v2.0/configurations -> 200  body keys: auth_mode, ldap_group_search_scope, ldap_scope, ldap_verify_cert, oidc_auto_onboard, oidc_client_id, oidc_client_secret, oidc_endpoint, oidc_groups_claim, oidc_name, oidc_scope, oidc_user_claim, oidc_verify_cert, scan_all_policy, self_registration": 1,
        },
    },
    "preview-no-admin-group": {
        "authentik": {
            "GET /api/v3/core/groups/?include_users=false&name=harbor-admins -> 200": 1,
            "GET /api/v3/core/groups/?include_users=false&name=harbor-users -> 200": 1,
            "GET /api/v3/crypto/certificatekeypairs/?include_details=true&name=authentik Self-signed Certificate -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-authorization-implicit-consent -> 200": 1,
            "GET /api/v3/flows/instances/?slug=default-provider-invalidation-flow -> 200": 1,
            "GET /api/v3/propertymappings/provider/scope/?managed=['goauthentik.io/providers/oauth2/scope-email', 'goauthentik.io/providers/oauth2/scope-offline_access', 'goauthentik.io/providers/oauth2/scope-openid', 'goauthentik.io/providers/oauth2/scope-profile'] -> 200": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "GET /api/v2.0/projects?name=team -> 200": 1,
        },
    },
    "destroy": {
        "authentik": {
            "DELETE /api/v3/core/applications/harbor-real/ -> 204": 1,
            "DELETE /api/v3/policies/bindings/<uuid>/ -> 204": 2,
            "DELETE /api/v3/providers/oauth2/<pk>/ -> 204": 1,
            "GET /api/v3/root/config/ -> 200": 1,
        },
        "harbor": {
            "DELETE /api/v2.0/projects/<p>/members/<n> -> 200": 1,
        },
    },
}
