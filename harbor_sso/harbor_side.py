"""The Harbor side: OIDC authentication through ``ConfigAuth``."""

from __future__ import annotations

import pulumi
import pulumiverse_harbor as harbor

from ._inputs import optional
from .settings import Resolved


def build_harbor(
    name: str,
    resolved: Resolved,
    client_id: pulumi.Input[str],
    client_secret: pulumi.Output[str],
    opts: pulumi.ResourceOptions,
) -> harbor.ConfigAuth:
    """Register Harbor's auth configuration. ``client_secret`` must already be secret.

    No ``ldap_*`` argument is ever passed: the 3.10.21 schema declares the OIDC fields
    in conflict with LDAP ones (upstream #461), which only bites when one is set.
    """
    pick = resolved.pick
    return harbor.ConfigAuth(
        f"{name}-config-auth",
        auth_mode="oidc_auth",
        oidc_name=pick(lambda s: s.oidc_provider_name),
        oidc_endpoint=pick(lambda s: s.oidc_endpoint),
        oidc_client_id=client_id,
        oidc_client_secret=client_secret,
        oidc_scope=pick(lambda s: s.oidc_scope),
        oidc_user_claim=pick(lambda s: s.user_claim),
        oidc_groups_claim=pick(lambda s: s.groups_claim),
        oidc_auto_onboard=pick(lambda s: s.auto_onboard),
        oidc_verify_cert=pick(lambda s: s.verify_cert),
        primary_auth_mode=pick(lambda s: s.primary_auth_mode),
        **optional(
            {
                "oidc_admin_group": pick(lambda s: s.admin_group),
                "oidc_group_filter": pick(lambda s: s.group_filter),
            }
        ),
        opts=opts,
    )
