"""The Harbor side: OIDC authentication through ``ConfigAuth``, and project roles for
authentik groups through ``ProjectMemberGroup``."""

from __future__ import annotations

from typing import Final

import pulumi
import pulumiverse_harbor as harbor

from .lookups import HarborLookups
from .options import adopting
from .validation import Resolved, Settings

NO_ADMIN_GROUP: Final = " harbor-sso: no admin group "
"""What Harbor gets for `oidc_admin_group` when no admin group is set.

terraform-provider-harbor sends the field `omitempty` (models/config.go
`ConfigBodyAuthPost`), so an empty one never reaches Harbor and the old group would keep
its rights. This name has a blank at each end, and authentik's API trims group names and
refuses blank ones (its serializers' DRF `CharField`, `trim_whitespace`), so no group in
the ID token's groups claim can ever equal it (goharbor/harbor src/pkg/oidc/helper.go
compares the names exactly)."""
MATCH_ALL_GROUPS: Final = ".*"
"""What Harbor gets for `oidc_group_filter` when no filter is set: a pattern every group
matches (`filterGroup` runs Go's `regexp.MatchString`, unanchored), the same as none;
an empty one would never be sent, and Harbor would keep filtering."""


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
        oidc_admin_group=pick(lambda s: s.admin_group or NO_ADMIN_GROUP),
        oidc_group_filter=pick(lambda s: s.group_filter or MATCH_ALL_GROUPS),
        opts=adopting(opts, resolved.known.adopt.config_auth),
    )


def _url_safe(text: str) -> str:
    """Letters, digits and '-' as they are; every other byte as `_XX`. Injective, and
    never produces '.', which separates the project from the group in a name."""
    safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"  # pragma: no mutate
    return "".join(ch if ch in safe else "".join(f"_{b:02X}" for b in ch.encode()) for ch in text)


def membership_name(name: str, project: str, group: str) -> str:
    """`<component>-role-<project>.<group>`, stable and safe in a URN."""
    return f"{name}-role-{_url_safe(project)}.{_url_safe(group)}"


def build_memberships(
    name: str,
    settings: Settings,
    lookups: HarborLookups,
    opts: pulumi.ResourceOptions,
) -> list[harbor.ProjectMemberGroup]:
    """One OIDC group membership per (project, group) of ``project_roles``.

    No ``harbor.Group`` is created: Harbor creates the group at a user's login
    (goharbor/harbor src/pkg/oidc/helper.go `InjectGroupsToUser`), and a second create of
    the same name and type fails (src/pkg/usergroup/manager.go `Create`,
    `ErrDupUserGroup`). A membership by `group_name` reuses that group or onboards it
    (src/controller/member/controller.go `Create`). A second membership of the same
    group in a project is an error there (`ErrDuplicateProjectMember`), so a replacement
    deletes the old one first.
    """
    replace_opts = pulumi.ResourceOptions.merge(
        opts, pulumi.ResourceOptions(delete_before_replace=True)
    )
    return [
        harbor.ProjectMemberGroup(
            membership_name(name, project, group),
            project_id=lookups.project(project),
            group_name=group,
            type="oidc",
            role=role,
            opts=adopting(replace_opts, settings.adopt.memberships.get(project, {}).get(group)),
        )
        for project, group, role in settings.memberships
    ]
