"""What a user removes from a stack stops having effect, under the real CLI.

terraform-provider-harbor (models/config.go `ConfigBodyAuthPost`, unchanged up to
3.12.4) sends every string of Harbor's configuration `omitempty`: an empty value never
reaches Harbor. Its Read brings `oidc_admin_group` back but never `oidc_group_filter`
(client/config.go `SetAuthValues`). Measured on a real Harbor 2.14.4: a stack without
`adminGroup` showed `- oidcAdminGroup: "harbor-admins"` at every preview, and Harbor kept
it (real-systems.md, item 2).
"""

from __future__ import annotations

from harbor_sso.harbor_side import MATCH_ALL_GROUPS, NO_ADMIN_GROUP
from tests.engine.conftest import Deployment


def test_a_removed_admin_group_takes_its_rights_away_and_converges(
    deployment: Deployment,
) -> None:
    deployment.ok("up")
    assert deployment.pair.harbor.config["oidc_admin_group"] == "harbor-admins"
    deployment.configure(adminGroup=None)
    deployment.ok("up")
    assert deployment.pair.harbor.config["oidc_admin_group"] == NO_ADMIN_GROUP
    deployment.ok("preview:expect-no-changes")
    deployment.ok("refresh:expect-no-changes")


def test_a_removed_group_filter_stops_filtering(deployment: Deployment) -> None:
    deployment.configure(groupFilter="^harbor-")
    deployment.ok("up")
    assert deployment.pair.harbor.config["oidc_group_filter"] == "^harbor-"
    deployment.configure(groupFilter=None)
    deployment.ok("up")
    assert deployment.pair.harbor.config["oidc_group_filter"] == MATCH_ALL_GROUPS
    deployment.ok("preview:expect-no-changes")


def test_a_removed_group_and_project_role_are_deleted(deployment: Deployment) -> None:
    deployment.ok("up")
    assert len(deployment.pair.authentik.bindings) == 2
    deployment.configure(allowedGroups=["harbor-users"], projectRoles=None)
    deployment.ok("up")
    (binding,) = deployment.pair.authentik.bindings
    assert deployment.pair.authentik.groups[binding["group"]]["name"] == "harbor-users"
    assert deployment.pair.harbor.members[deployment.pair.harbor.projects["team"]] == []
    deployment.ok("preview:expect-no-changes")
