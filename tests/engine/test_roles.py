"""Every role name reaches Harbor as itself, under the real CLI.

terraform-provider-harbor maps the role name to Harbor's role id (client/project_members.go
`RoleTypeNumber`): projectadmin 1, developer 2, guest 3, maintainer 4, limitedguest 5, as
Harbor's role table names them (projectAdmin, developer, guest, maintainer, limitedGuest).
A role that reached Harbor as another (limitedguest as guest) would grant more than asked.
"""

from __future__ import annotations

from harbor_sso.validation import ROLES
from tests.engine.conftest import Deployment

HARBOR_ROLE = {
    "projectadmin": (1, "projectAdmin"),
    "developer": (2, "developer"),
    "guest": (3, "guest"),
    "maintainer": (4, "maintainer"),
    "limitedguest": (5, "limitedGuest"),
}


def test_every_role_reaches_harbor_as_itself(deployment: Deployment) -> None:
    assert set(HARBOR_ROLE) == set(ROLES)
    deployment.configure(projectRoles={"team": {f"group-{role}": role for role in ROLES}})
    deployment.ok("up")
    members = deployment.pair.harbor.members[deployment.pair.harbor.projects["team"]]
    given = {m["entity_name"]: (m["role_id"], m["role_name"]) for m in members}
    assert given == {f"group-{role}": HARBOR_ROLE[role] for role in ROLES}
    deployment.ok("preview:expect-no-changes")
