"""The stack program under the mock engine: what config reaches which resource."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from harbor_sso import ConfigError, HarborAuthentikSSO, HarborAuthentikSSOArgs
from harbor_sso.naming import camel
from harbor_sso.offline.mocks import AuthentikHarborMocks, Registered, mock_engine, run_program
from harbor_sso.stack import program
from harbor_sso.stack.config import load
from harbor_sso.stack.program import main
from tests.component.test_component import ARGUMENT_EFFECTS
from tests.support import is_secret_input, unwrap

BASE = {
    "harbor-sso:harborUrl": "https://harbor.company",
    "harbor-sso:authentikUrl": "https://authentik.company",
    "harbor-sso:authentikToken": "t",
}


def run(config: dict[str, str], secret_keys: frozenset[str] = frozenset()) -> list[Registered]:
    mocks = AuthentikHarborMocks()
    with mock_engine(mocks, config={**BASE, **config}, secret_keys=secret_keys):
        run_program(main)
    return mocks.resources


def by_name(resources: list[Registered]) -> dict[str, Registered]:
    return {r.name: r for r in resources}


def test_encrypted_config_reaches_the_resources_as_secrets() -> None:
    # The program sees encrypted values decrypted; it must hand them on as secrets, or
    # they would land in state in plain text.
    resources = by_name(run({}, frozenset({"harbor-sso:harborUrl"})))
    url = resources["harbor"].inputs["url"]
    assert is_secret_input(url)
    assert unwrap(url) == "https://harbor.company"
    redirect = resources["harbor-sso-provider"].inputs["allowedRedirectUris"]
    assert is_secret_input(redirect)
    # authentik's URL was not encrypted and stays readable in previews
    assert resources["authentik"].inputs["url"] == "https://authentik.company"


def test_plain_config_stays_plain() -> None:
    resources = by_name(run({}))
    assert resources["harbor"].inputs["url"] == "https://harbor.company"
    redirect = resources["harbor-sso-provider"].inputs["allowedRedirectUris"]
    assert redirect == [
        {"matching_mode": "strict", "url": "https://harbor.company/c/oidc/callback"}
    ]


def test_an_api_url_override_takes_its_own_secrecy() -> None:
    resources = by_name(
        run(
            {"harbor-sso:harborApiUrl": "https://harbor.internal:8443"},
            frozenset({"harbor-sso:harborUrl"}),
        )
    )
    assert resources["harbor"].inputs["url"] == "https://harbor.internal:8443"


def test_booleans_are_read_as_config_get_bool_reads_them() -> None:
    # sdk/python/lib/pulumi/config.py _get_bool: true, True, false, False
    resources = by_name(run({"harbor-sso:verifyCert": "False", "harbor-sso:protect": "True"}))
    assert resources["harbor-sso-config-auth"].inputs["oidcVerifyCert"] is False


def config_text(value: Any) -> str:
    """A value as the engine hands config to the program: bools lowercase, lists JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value)
    return str(value)


@pytest.mark.parametrize(
    ("arg", "value", "kind", "key", "expected"),
    ARGUMENT_EFFECTS,
    ids=[f"{camel(a[0])}->{a[2]}.{a[3]}" for a in ARGUMENT_EFFECTS],
)
def test_every_argument_key_reaches_its_resource(
    arg: str, value: Any, kind: str, key: str, expected: Any
) -> None:
    config = {f"harbor-sso:{camel(arg)}": config_text(value)}
    found = [r for r in run(config) if r.type.endswith(":" + kind)]
    assert len(found) == 1
    assert found[0].inputs[key] == expected


@pytest.mark.parametrize(
    ("key", "value", "resource", "field", "expected"),
    [
        ("authentikApiUrl", "https://authentik.internal:9443", "authentik", "url",
         "https://authentik.internal:9443"),
        ("harborApiUrl", "https://harbor.internal", "harbor", "url", "https://harbor.internal"),
        ("authentikInsecure", "true", "authentik", "insecure", "true"),
        ("harborInsecure", "true", "harbor", "insecure", "true"),
        ("harborUsername", "robot$sso", "harbor", "username", "robot$sso"),
    ],
)  # fmt: skip
def test_every_program_key_reaches_its_provider(
    key: str, value: str, resource: str, field: str, expected: str
) -> None:
    resources = by_name(run({f"harbor-sso:{key}": value}))
    assert unwrap(resources[resource].inputs[field]) == expected


@pytest.mark.parametrize(("written", "protect"), [(None, False), ("true", True), ("True", True)])
def test_protect_reaches_the_components_options(
    written: str | None, protect: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[pulumi.ResourceOptions | None] = []

    class Spy(HarborAuthentikSSO):
        def __init__(
            self, name: str, args: HarborAuthentikSSOArgs, opts: pulumi.ResourceOptions | None
        ) -> None:
            seen.append(opts)
            super().__init__(name, args, opts)

    monkeypatch.setattr(program, "HarborAuthentikSSO", Spy)
    run({} if written is None else {"harbor-sso:protect": written})
    [opts] = seen
    assert opts is not None and bool(opts.protect) is protect


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("verify_cert", "verifyCert"),
        ("harbor_url", "harborUrl"),
        ("authentik_token", "authentikToken"),
        ("extra_scope_mappings", "extraScopeMappings"),
    ],
)
def test_only_the_camel_case_key_is_read(key: str, meant: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, f"harbor-sso:{key}": "true"})
    assert caught.value.problems == [
        (
            f"harbor-sso:{key}",
            f"unknown config key; did you mean harbor-sso:{meant}? (stack config keys are "
            "camelCase)",
        )
    ]


@pytest.mark.parametrize(
    ("key", "meant"),
    [("Protect", "protect"), ("alowedGroups", "allowedGroups"), ("harborURL", "harborUrl"),
     ("subMod", "subMode"), ("adminGroups", "adminGroup")],
)  # fmt: skip
def test_a_near_miss_key_gets_the_key_meant(key: str, meant: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, f"harbor-sso:{key}": "x"})
    assert caught.value.problems == [
        (f"harbor-sso:{key}", f"unknown config key; did you mean harbor-sso:{meant}?")
    ]


@pytest.mark.parametrize("key", ["zzz", "password", "url"])
def test_a_key_like_no_other_is_only_unknown(key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, f"harbor-sso:{key}": "x"})
    assert caught.value.problems == [(f"harbor-sso:{key}", "unknown config key (a typo?)")]


@pytest.mark.parametrize(
    "namespace", ["harbor_sso", "harborsso", "Harbor-SSO", "HARBOR_SSO", "harbor.sso"]
)
def test_a_key_under_a_near_miss_namespace_names_the_right_one(namespace: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, f"{namespace}:adminGroup": "ops", f"{namespace}:admin_group": "ops"})
    assert caught.value.problems == [
        (
            f"{namespace}:adminGroup",
            f"namespace {namespace!r} is not this project's, so the key is ignored; write it "
            "as harbor-sso:adminGroup",
        ),
        (
            f"{namespace}:admin_group",
            f"namespace {namespace!r} is not this project's, so the key is ignored; write it "
            "as harbor-sso:adminGroup",
        ),
    ]


@pytest.mark.parametrize("namespace", ["harbor", "authentik", "pulumi", "harbor-ssox"])
def test_other_namespaces_are_left_alone(namespace: str) -> None:
    assert load({**BASE, f"{namespace}:url": "x"}).settings.slug == "harbor"


def test_every_child_and_look_up_uses_the_explicit_providers() -> None:
    mocks = AuthentikHarborMocks(groups=("harbor-users",), projects=("library",))
    config = {
        **BASE,
        "harbor-sso:allowedGroups": '["harbor-users"]',
        "harbor-sso:projectRoles": '{"library": {"harbor-users": "guest"}}',
    }
    with mock_engine(mocks, config=config):
        run_program(main)
    children = [r for r in mocks.resources if r.type.split(":")[0] in ("authentik", "harbor")]
    assert {r.type.split(":")[0] for r in children} == {"authentik", "harbor"}
    for r in children:  # provider references are `<urn>::<id>`
        assert f"pulumi:providers:{r.type.split(':')[0]}::" in r.provider, (r.name, r.provider)
    for i in mocks.invokes:
        assert f"pulumi:providers:{i.token.split(':')[0]}::" in i.provider, (i.token, i.provider)


def test_the_credentials_reach_the_providers_as_given_and_secret() -> None:
    resources = by_name(
        run({"harbor-sso:harborUsername": "admin", "harbor-sso:harborPassword": "pw"})
    )
    for name, field, value in (("authentik", "token", "t"), ("harbor", "password", "pw")):
        assert is_secret_input(resources[name].inputs[field])
        assert unwrap(resources[name].inputs[field]) == value


def test_invalid_config_stops_the_program_with_one_line_per_problem() -> None:
    with pytest.raises(pulumi.RunError) as caught:
        run({"harbor-sso:harborUrl": "ftp://x", "harbor-sso:verifyCert": "maybe"})
    assert str(caught.value) == (
        "invalid stack configuration:\n"
        "  harbor-sso:verifyCert: must be true or false; got 'maybe'\n"
        "  harbor-sso:harborUrl: must be an http(s) URL such as https://host.example; got 'ftp://x'"
    )


def test_an_encrypted_authentik_url_makes_the_authentik_providers_url_secret() -> None:
    resources = by_name(run({}, frozenset({"harbor-sso:authentikUrl"})))
    assert is_secret_input(resources["authentik"].inputs["url"])
    assert resources["harbor"].inputs["url"] == "https://harbor.company"


def test_no_password_means_no_password_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARBOR_PASSWORD", raising=False)
    assert "password" not in by_name(run({}))["harbor"].inputs
