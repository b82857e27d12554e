"""What `verify --sign-in` says about the user Harbor sees (harbor_sso/live/sign_in
`facts`, `project_roles`), line by line, for each way a user can be an administrator or
hold a project role, with and without the stack and authentik's view of the groups.

These are the lines after the login itself: test_sign_in.py walks the whole login through
the stand-ins; here each branch is read on its own, from what Harbor's `users/current`
and `projects` answered (the `Seen`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from email.message import Message

from harbor_sso.live.http import Response
from harbor_sso.live.sign_in import facts, groups_of, project_roles
from harbor_sso.live.sign_in.harbor import Seen
from harbor_sso.live.verify import Check
from harbor_sso.validation import Settings

STACK = Settings(
    harbor_url="https://harbor.example.test",
    authentik_url="https://authentik.example.test",
    admin_group="harbor-admins",
    project_roles={"team": {"harbor-users": "developer"}, "ops": {"ops": "maintainer"}},
)
NO_ROLES = STACK.model_copy(update={"project_roles": {}})


def lines(who: Seen, groups: list[str] | None, stack: Settings | None) -> list[str]:
    return [f"{c.head()}: {c.detail}" + (f" Fix: {c.fix}" if c.fix else "") for c in
            facts(who, groups, stack)]  # fmt: skip


def test_an_admin_through_the_group_without_the_stack_or_authentik_s_view() -> None:
    who = Seen(username="alice", email="alice@example.test", admin_in_auth=True,
               roles={"library": [], "team": ["developer", "guest"]})  # fmt: skip
    assert lines(who, None, None) == [
        "PASS  Harbor user: 'alice' (alice@example.test)",
        "PASS  administrator: yes, through the admin group (admin_role_in_auth)",
        "PASS  groups: not shown by Harbor (its API keeps a user's groups out); set "
        "AUTHENTIK_TOKEN to read them from authentik",
        "PASS  project roles: 'team': developer, guest",
    ]


def test_harbor_s_own_sysadmin_flag_and_a_user_without_email() -> None:
    who = Seen(username="root-ish", sysadmin=True)
    assert lines(who, [], STACK) == [
        "PASS  Harbor user: 'root-ish'",
        "PASS  administrator: yes: Harbor's own sysadmin_flag",
        "PASS  groups: none (in authentik; the ID token carries them)",
    ]


def test_a_user_in_no_admin_group_is_no_administrator() -> None:
    who = Seen(username="bob", email="bob@example.test", roles={"team": ["developer"]})
    assert lines(who, ["harbor-users"], STACK)[1:] == [
        "PASS  administrator: no",
        "PASS  groups: 'harbor-users' (in authentik; the ID token carries them)",
        "PASS  project role 'team': developer through 'harbor-users'",
    ]


def test_the_admin_group_in_authentik_but_not_in_harbor_fails() -> None:
    who = Seen(username="alice", roles={"team": []})
    assert facts(who, ["harbor-admins", "harbor-users"], STACK)[1] == Check(
        "administrator",
        False,
        "no, though the user is in the admin group 'harbor-admins' in authentik: the ID "
        "token's groups did not reach Harbor",
        "check groupsClaim (groups), the profile scope, and groupFilter",
    )


def test_without_authentik_s_view_the_admin_group_is_not_guessed() -> None:
    assert lines(Seen(username="alice"), None, STACK)[1] == "PASS  administrator: no"


def test_without_the_stack_s_roles_harbor_s_roles_are_listed() -> None:
    who = Seen(username="bob", roles={"b": ["guest"], "a": ["developer"], "c": []})
    assert [c.detail for c in project_roles(who, ["x"], NO_ROLES)] == ["'a': developer; 'b': guest"]
    assert [c.detail for c in project_roles(Seen(username="bob"), None, None)] == ["none"]


def test_the_stack_s_roles_for_a_user_whose_groups_are_unknown() -> None:
    """Without authentik's view each role is shown as Harbor holds it, never failed."""
    who = Seen(username="carol", roles={"team": ["guest", "limitedguest"]})
    checks = project_roles(who, None, STACK)
    assert [(c.name, c.ok, c.detail) for c in checks] == [
        ("project role 'ops'", True, "none (the stack gives maintainer to 'ops')"),
        (
            "project role 'team'",
            True,
            "guest, limitedguest (the stack gives developer to 'harbor-users')",
        ),
    ]


def test_a_role_of_a_group_the_user_is_not_in_does_not_apply() -> None:
    who = Seen(username="bob", roles={"team": ["guest", "limitedguest"]})
    checks = project_roles(who, ["harbor-users"], STACK)
    assert [(c.name, c.ok, c.fix) for c in checks] == [
        (
            "project role 'team'",
            False,
            "check groupsClaim and groupFilter, and that pulumi up created the membership",
        )
    ]
    assert checks[0].detail == (
        "the stack gives developer to 'harbor-users', and the user is in it; Harbor shows "
        "guest, limitedguest"
    )


def test_the_groups_authentik_holds_for_exactly_that_user() -> None:
    """core_users_list `?username=` answered as authentik answers; a user of another name,
    anything but objects, or no `groups_obj` reads as unknown (None), never as no groups."""
    asked: list[str] = []

    def authentik(users: object, status: int = 200) -> Callable[[str], Response]:
        def fetch(url: str) -> Response:
            asked.append(url)
            return Response(status, Message(), json.dumps(users).encode())

        return fetch

    a = "https://authentik.example.test"
    alice = {"username": "a/b&c", "groups_obj": [{"name": "z"}, {"name": "y"}, "junk"]}
    assert groups_of(authentik({"results": ["junk", alice]}), a, "a/b&c") == ["y", "z"]
    assert asked == [f"{a}/api/v3/core/users/?username=a%2Fb%26c"]
    assert groups_of(authentik({"results": [{**alice, "username": "a"}]}), a, "a/b&c") is None
    assert groups_of(authentik({"results": [{"username": "a/b&c"}]}), a, "a/b&c") is None
    assert groups_of(authentik({"detail": "no"}, 403), a, "a/b&c") is None
