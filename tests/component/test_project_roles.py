"""`project_roles`: authentik groups become Harbor project roles (mock engine).

Harbor behaviour relied on (goharbor/harbor): groups are created at login from the
groups claim (src/pkg/oidc/helper.go `InjectGroupsToUser`, filtered by
`oidc_group_filter` in `filterGroup`); a membership by `group_name` reuses or onboards
the group (src/controller/member/controller.go `Create`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from harbor_sso import ConfigError, HarborAuthentikSSO
from harbor_sso.harbor_side import membership_name
from harbor_sso.lookups import MissingObjectError
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from harbor_sso.validation import ROLES as ROLE_NAMES
from tests.support import GUIDE, Run

Deploy = Callable[..., Run]

ROLES = {
    "library": {"harbor-admins": "projectadmin", "developers": "developer"},
    "team-a": {"developers": "maintainer", "ops team": "guest"},
}
"""Two projects, three groups, one group in both."""
GROUPS = ("harbor-admins", "developers", "ops team")


@pytest.fixture
def projects_mocks() -> Any:
    recorder = AuthentikHarborMocks(groups=GROUPS, projects=("library", "team-a"))
    with mock_engine(recorder):
        yield recorder


def deploy_roles(mocks: AuthentikHarborMocks, **args: Any) -> Run:
    def program() -> None:
        HarborAuthentikSSO("harbor", {**GUIDE, **args})  # type: ignore[typeddict-item]

    return Run(mocks, run_program(program))


def test_one_oidc_membership_per_project_and_group(projects_mocks: AuthentikHarborMocks) -> None:
    run = deploy_roles(projects_mocks, project_roles=ROLES)
    members = {m.name: m.inputs for m in run.all("ProjectMemberGroup")}
    ids = {i.args["name"]: i for i in run.invokes("getProject")}
    assert set(ids) == {"library", "team-a"}
    # the project id is what the look-up answered (/projects/<n>), not the name we sent
    project_id = {
        name: next(
            m.inputs["projectId"]
            for m in run.all("ProjectMemberGroup")
            if m.inputs["groupName"] == group
        )
        for name, group in (("library", "harbor-admins"), ("team-a", "ops team"))
    }
    assert project_id["library"].startswith("/projects/")
    assert project_id["library"] != project_id["team-a"]
    assert members == {
        "harbor-role-library.harbor-admins": {
            "projectId": project_id["library"],
            "groupName": "harbor-admins",
            "type": "oidc",
            "role": "projectadmin",
        },
        "harbor-role-library.developers": {
            "projectId": project_id["library"],
            "groupName": "developers",
            "type": "oidc",
            "role": "developer",
        },
        "harbor-role-team-a.developers": {
            "projectId": project_id["team-a"],
            "groupName": "developers",
            "type": "oidc",
            "role": "maintainer",
        },
        "harbor-role-team-a.ops_20team": {
            "projectId": project_id["team-a"],
            "groupName": "ops team",
            "type": "oidc",
            "role": "guest",
        },
    }
    # no Harbor group is created: Harbor makes it at login (usergroup Manager.Create
    # would fail with ErrDupUserGroup on a second create)
    assert run.all("Group") == []


def test_each_project_is_looked_up_once_per_harbor_provider() -> None:
    mocks = AuthentikHarborMocks(projects=("library", "team-a"))

    def program() -> None:
        for n in range(3):  # three components against the same (default) Harbor provider
            HarborAuthentikSSO(
                f"h{n}",
                {**GUIDE, "slug": f"harbor-{n}", "project_roles": ROLES},
            )

    with mock_engine(mocks):
        run = Run(mocks, run_program(program))
    assert sorted(i.args["name"] for i in run.invokes("getProject")) == ["library", "team-a"]
    assert len(run.all("ProjectMemberGroup")) == 12


def test_an_unknown_project_is_named(projects_mocks: AuthentikHarborMocks) -> None:
    with pytest.raises(Exception, match=r"project_roles\.missing: Harbor has no project named"):
        deploy_roles(projects_mocks, project_roles={"missing": {"developers": "developer"}})


@pytest.mark.parametrize(
    ("roles", "path", "message"),
    [
        ({"library": {"developers": "owner"}}, "project_roles.library.developers", "'owner'"),
        ({"library": {"developers": "Developer"}}, "project_roles.library.developers", "'guest'"),
        ({"": {"developers": "guest"}}, "project_roles.''", "the name must not be empty"),
        ({"library": {"": "guest"}}, "project_roles.library.''", "the name must not be empty"),
        ({" library": {"d": "guest"}}, "project_roles. library", "white space"),
        ({"library": {"devs ": "guest"}}, "project_roles.library.devs ", "white space"),
        ({"library": "developer"}, "project_roles.library", "valid dictionary"),
        ({"library": {"devs": 3}}, "project_roles.library.devs", "'projectadmin'"),
    ],
)
def test_bad_roles_fail_by_path_before_anything_is_registered(
    projects_mocks: AuthentikHarborMocks, roles: Any, path: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        deploy_roles(projects_mocks, project_roles=roles)
    [(field, text)] = caught.value.problems
    assert field == path
    assert message in text
    assert projects_mocks.resources == []


def test_project_roles_must_be_plain(projects_mocks: AuthentikHarborMocks) -> None:
    with pytest.raises(ConfigError, match=r"project_roles: must be a plain value"):
        deploy_roles(projects_mocks, project_roles=pulumi.Output.from_input(ROLES))


def role_warnings(
    mocks: AuthentikHarborMocks, caplog: pytest.LogCaptureFixture, **args: Any
) -> list[str]:
    """The warnings about project roles of one deployment with ``args``, sorted."""
    with caplog.at_level(logging.WARNING):
        deploy_roles(mocks, project_roles=ROLES, **args)
    return sorted(r.getMessage() for r in caplog.records if "project_roles" in r.getMessage())


def test_a_role_for_a_group_that_cannot_log_in_warns(
    projects_mocks: AuthentikHarborMocks, caplog: pytest.LogCaptureFixture
) -> None:
    warned = role_warnings(projects_mocks, caplog, allowed_groups=["harbor-admins", "developers"])
    assert warned == [
        "project_roles.team-a.ops team: group 'ops team' is not in allowed_groups: "
        "its members cannot log in"
    ]


def test_a_role_for_a_group_harbors_filter_drops_warns(
    projects_mocks: AuthentikHarborMocks, caplog: pytest.LogCaptureFixture
) -> None:
    # Go's regexp.MatchString is unanchored: '-admins' keeps harbor-admins only
    warned = role_warnings(projects_mocks, caplog, group_filter="-admins")
    assert all("does not match group_filter '-admins'" in w for w in warned)
    assert [w.split(":")[0] for w in warned] == [
        "project_roles.library.developers",
        "project_roles.team-a.developers",
        "project_roles.team-a.ops team",
    ]


def test_no_warning_when_every_role_can_apply(
    projects_mocks: AuthentikHarborMocks, caplog: pytest.LogCaptureFixture
) -> None:
    warned = role_warnings(
        projects_mocks,
        caplog,
        allowed_groups=list(GROUPS),
        group_filter=r"^[\p{L} -]+$",  # RE2 syntax Python's re rejects
    )
    assert warned == []


def test_the_same_roles_give_the_same_resources() -> None:
    def once(roles: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
        mocks = AuthentikHarborMocks(projects=("library", "team-a"))
        with mock_engine(mocks):
            deploy_roles(mocks, project_roles=roles)
        return {r.name: r.inputs for r in mocks.resources if r.type.endswith("MemberGroup")}

    first = once(ROLES)
    assert len(first) == 4
    assert first == once(ROLES)
    # the mapping's order changes nothing either
    assert once({p: dict(reversed(g.items())) for p, g in reversed(ROLES.items())}) == first


@pytest.mark.parametrize(
    ("project", "group", "name"),
    [
        ("library", "devs", "x-role-library.devs"),
        ("a.b", "c", "x-role-a_2Eb.c"),
        ("a", "b.c", "x-role-a.b_2Ec"),
        ("my_proj", "ops::team", "x-role-my_5Fproj.ops_3A_3Ateam"),
        ("p", "équipe", "x-role-p._C3_A9quipe"),
    ],
)
def test_membership_names_are_safe_in_a_urn_and_never_collide(
    project: str, group: str, name: str
) -> None:
    assert membership_name("x", project, group) == name
    assert "::" not in name
    # the split point is unambiguous: '.' only ever separates project and group
    assert name.removeprefix("x-role-").count(".") == 1


def test_projects_are_looked_up_through_the_components_harbor_provider() -> None:
    mocks = AuthentikHarborMocks(groups=GROUPS, projects=("library", "team-a"))

    def program() -> None:
        import pulumiverse_harbor as harbor

        explicit = harbor.Provider("explicit-harbor", url="https://harbor.company", insecure=False)
        HarborAuthentikSSO(
            "harbor",
            {**GUIDE, "project_roles": ROLES},
            pulumi.ResourceOptions(providers={"harbor": explicit}),
        )

    with mock_engine(mocks):
        run_program(program)
    looked_up = [i for i in mocks.invokes if i.token.endswith("getProject")]
    assert len(looked_up) == 2
    assert all("::explicit-harbor::" in i.provider for i in looked_up)
    members = [r for r in mocks.resources if r.type.endswith("ProjectMemberGroup")]
    assert all("::explicit-harbor::" in m.provider for m in members)


def test_an_unknown_project_is_named_with_the_fix(projects_mocks: AuthentikHarborMocks) -> None:
    with pytest.raises(MissingObjectError) as caught:
        deploy_roles(projects_mocks, project_roles={"missing": {"developers": "developer"}})
    assert str(caught.value) == (
        "project_roles.missing: Harbor has no project named 'missing'; create it first "
        "(projects are looked up, never created here)"
    )


def test_upper_case_names_stay_readable_and_distinct() -> None:
    assert membership_name("x", "Team-A", "Devs") == "x-role-Team-A.Devs"
    assert membership_name("x", "team-a", "devs") != membership_name("x", "Team-A", "Devs")


def test_every_membership_waits_for_harbor_to_be_in_oidc_mode(
    projects_mocks: AuthentikHarborMocks,
) -> None:
    # Harbor resolves a group given by name through the auth mode in force: in db_auth,
    # 404 "<group> not found: not supported" (src/controller/member/controller.go
    # `Create`, src/core/auth/authenticator.go). A real first `up` failed so while the
    # engine created the memberships beside ConfigAuth (real-systems.md, item 1).
    run = deploy_roles(projects_mocks, project_roles=ROLES)
    (config_auth,) = run.all("ConfigAuth")
    members = run.all("ProjectMemberGroup")
    assert len(members) == 4
    for member in members:
        assert config_auth.name in projects_mocks.dependencies[member.name], member.name


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_every_role_is_passed_as_itself(projects_mocks: AuthentikHarborMocks, role: str) -> None:
    # a role sent as another (limitedguest as guest) grants more than was asked for;
    # under the real CLI, tests/engine/test_roles.py follows it to Harbor's role id
    run = deploy_roles(projects_mocks, project_roles={"library": {"developers": role}})
    (member,) = run.all("ProjectMemberGroup")
    assert member.inputs["role"] == role
