"""`adopt`: each child that exists already is registered with `import_=<its id>`, the
rest without; a bad adopt map fails by path before anything is registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from harbor_sso import HarborAuthentikSSO
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from harbor_sso.stack.config import load
from harbor_sso.validation import ConfigError
from tests.support import GUIDE

BINDING = "0b0e9a3e-1111-4222-8333-444455556666"
ARGS: dict[str, Any] = {
    **GUIDE,
    "slug": "registry",
    "allowed_groups": ["harbor-users", "ops"],
    "project_roles": {"library": {"devs": "developer", "ops": "maintainer"}},
}
ADOPT = {
    "provider": "7",
    "application": "registry",
    "config_auth": "/configurations",
    "bindings": {"harbor-users": BINDING},
    "memberships": {"library": {"devs": "/projects/1/members/12"}},
}


def imports(
    args: dict[str, Any] | Callable[[], dict[str, Any]],
) -> tuple[dict[str, str | None], AuthentikHarborMocks]:
    seen: dict[str, str | None] = {}

    def record(a: pulumi.ResourceTransformationArgs) -> None:
        seen[a.name] = a.opts.import_

    def program() -> None:
        given = args() if callable(args) else args
        HarborAuthentikSSO("eu", given, pulumi.ResourceOptions(transformations=[record]))  # type: ignore[arg-type]

    mocks = AuthentikHarborMocks(groups=("harbor-users", "ops"))
    with mock_engine(mocks):
        run_program(program)
    return seen, mocks


def test_each_adopted_child_carries_its_import_id_and_the_others_none() -> None:
    seen, _ = imports({**ARGS, "adopt": ADOPT})
    assert seen == {
        "eu": None,  # the component itself is never imported
        "eu-provider": "7",
        "eu-application": "registry",
        "eu-config-auth": "/configurations",
        "eu-allow-harbor-users": BINDING,
        "eu-allow-ops": None,  # not bound yet: created
        "eu-role-library.devs": "/projects/1/members/12",
        "eu-role-library.ops": None,
    }


def test_without_adopt_nothing_is_imported() -> None:
    seen, mocks = imports(ARGS)
    assert len(seen) == 8 and set(seen.values()) == {None}
    assert len(mocks.resources) == 8  # every child is created as before


def test_a_provider_pk_written_as_a_yaml_number_is_its_text() -> None:
    seen, _ = imports({**ARGS, "adopt": {"provider": 7}})
    assert seen["eu-provider"] == "7"


@pytest.mark.parametrize(
    ("adopt", "path", "message"),
    [
        ({"provider": "pk-7"}, "adopt.provider", "integer primary key"),
        ({"provider": True}, "adopt.provider", "valid string"),
        ({"application": "harbor"}, "adopt.application", "but slug is 'registry'"),
        ({"config_auth": "/configuration"}, "adopt.config_auth", "must be '/configurations'"),
        ({"bindings": {"harbor-users": "NOT-A-UUID"}}, "adopt.bindings.harbor-users", "UUID"),
        ({"bindings": {"nobody": BINDING}}, "adopt.bindings.nobody", "allowed_groups does not"),
        ({"memberships": {"library": {"devs": "/projects/1"}}}, "adopt.memberships.library.devs",
         "'/projects/<n>/members/<m>'"),
        ({"memberships": {"library": {"qa": "/projects/1/members/2"}}},
         "adopt.memberships.library.qa", "project_roles does not create"),
        ({"scope_mappings": {}}, "adopt.scope_mappings", "unknown argument"),
        ({"configAuth": "/configurations"}, "adopt.configAuth", "did you mean 'config_auth'"),
    ],
)  # fmt: skip
def test_a_bad_adopt_map_fails_by_path_before_anything_is_registered(
    adopt: dict[str, Any], path: str, message: str
) -> None:
    mocks = AuthentikHarborMocks(groups=("harbor-users", "ops"))

    def program() -> None:
        HarborAuthentikSSO("eu", {**ARGS, "adopt": adopt})  # type: ignore[typeddict-item]

    with mock_engine(mocks), pytest.raises(ConfigError) as raised:
        run_program(program)
    assert f"{path}: " in str(raised.value) and message in str(raised.value)
    assert mocks.resources == []


def test_adopt_must_be_plain() -> None:
    def program() -> None:
        HarborAuthentikSSO("eu", {**GUIDE, "adopt": pulumi.Output.from_input(ADOPT)})  # type: ignore[typeddict-item]

    mocks = AuthentikHarborMocks()
    with mock_engine(mocks), pytest.raises(Exception, match="adopt: must be a plain value"):
        run_program(program)
    assert mocks.resources == []


def test_an_adopted_slug_given_as_an_output_is_checked_when_it_resolves() -> None:
    seen, _ = imports(
        lambda: {**ARGS, "slug": pulumi.Output.from_input("registry"), "adopt": ADOPT}
    )
    assert seen["eu-application"] == "registry"
    # resolved later, and wrong: the run fails naming the path
    with pytest.raises(Exception, match=r"adopt\.application: is 'registry', but slug is 'other'"):
        imports(lambda: {**ARGS, "slug": pulumi.Output.from_input("other"), "adopt": ADOPT})


def test_the_stack_key_takes_a_camel_case_map_and_names_problems_by_key() -> None:
    base = {"harbor-sso:harborUrl": "https://h.x", "harbor-sso:authentikUrl": "https://a.x",
            "harbor-sso:authentikToken": "t"}  # fmt: skip
    cfg = load({**base, "harbor-sso:adopt": '{"provider": "3", "configAuth": "/configurations"}'})
    assert cfg.settings.adopt.provider == "3"
    assert cfg.settings.adopt.config_auth == "/configurations"
    with pytest.raises(ConfigError) as raised:
        load(
            {
                **base,
                "harbor-sso:adopt": '{"configAuth": "/x", "bindings": {"g": "' + BINDING + '"}}',
            }
        )
    assert raised.value.lines() == [
        "harbor-sso:adopt.configAuth: must be '/configurations': Harbor has one auth "
        "configuration; got '/x'",
    ]
    with pytest.raises(ConfigError) as raised:
        load({**base, "harbor-sso:adopt": '{"bindings": {"g": "' + BINDING + '"}}'})
    assert raised.value.lines()[0].startswith("harbor-sso:adopt.bindings.g: names a group")
    with pytest.raises(ConfigError, match="must not be encrypted"):
        load({**base, "harbor-sso:adopt": "{}"}, frozenset({"harbor-sso:adopt"}))


def test_adopt_problems_are_worded_exactly_and_name_other_projects_too() -> None:
    from harbor_sso.validation import validate

    adopt = {
        "application": "harbor",
        "bindings": {"nobody": BINDING},
        "memberships": {"team-b": {"devs": "/projects/2/members/3"}},  # not in project_roles
    }
    with pytest.raises(ConfigError) as raised:
        validate({**ARGS, "adopt": adopt})
    assert raised.value.problems == [
        (
            "adopt.application",
            "is 'harbor', but slug is 'registry': the application is imported by its slug, "
            "so they must be the same",
        ),
        (
            "adopt.bindings.nobody",
            "names a group that allowed_groups does not list, so no binding of it is created",
        ),
        ("adopt.memberships.team-b.devs", "names a membership that project_roles does not create"),
    ]
