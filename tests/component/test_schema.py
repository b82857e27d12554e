"""Other Pulumi languages: the schema the provider host infers, and construction the
way the host hands arguments over (a plain dict, secrets and dependencies as Outputs)."""

from __future__ import annotations

import importlib.util
import json
import logging
from importlib import metadata
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.errors import InputPropertiesError
from pulumi.provider.experimental.analyzer import Analyzer
from pulumi.provider.experimental.component import ComponentProvider

from harbor_sso import HarborAuthentikSSO, HarborAuthentikSSOArgs, plugin
from harbor_sso.component import OUTPUTS, PACKAGE, TYPE_TOKEN
from harbor_sso.naming import camel
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from tests.support import GUIDE, ROOT, is_secret_input

PLUGIN = ROOT / "plugin"
INPUTS = list(HarborAuthentikSSOArgs.__annotations__)


def host() -> ComponentProvider:
    """What `__main__.py` hosts, without starting a server."""
    return plugin.HarborSSOProvider("0.0.0")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    provider = host()
    assert provider.schema is not None
    document: dict[str, Any] = json.loads(provider.schema)
    return document


@pytest.fixture(scope="module")
def resource(schema: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = schema["resources"][TYPE_TOKEN]
    return found


def test_the_plugin_manifest_is_python_and_installs_the_library() -> None:
    manifest = yaml.safe_load((PLUGIN / "PulumiPlugin.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"
    # the plugin's virtualenv gets the library from the repository root (pyproject.toml)
    lines = (PLUGIN / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if not line.startswith("#")] == [".."]
    assert (PLUGIN / ".." / "pyproject.toml").is_file()


def test_the_entry_point_hosts_the_component_under_the_type_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = importlib.util.spec_from_file_location("plugin_main", PLUGIN / "__main__.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not as __main__: defines main() only
    hosted: dict[str, Any] = {}

    async def listen(provider: plugin.HarborSSOProvider, args: list[str]) -> None:
        hosted.update(p=provider, a=args)

    monkeypatch.setattr(plugin, "listen", listen)
    monkeypatch.setattr("sys.argv", ["plugin", "127.0.0.1:1234"])
    module.main()
    assert isinstance(hosted["p"], plugin.HarborSSOProvider)
    assert hosted["a"] == ["127.0.0.1:1234"]
    schema = json.loads(hosted["p"].schema or "{}")
    assert (schema["name"], schema["version"]) == (PACKAGE, metadata.version("harbor-sso"))
    assert TYPE_TOKEN in schema["resources"]


def test_every_input_is_in_the_schema_with_a_description(resource: dict[str, Any]) -> None:
    properties = resource["inputProperties"]
    assert list(properties) == [camel(name) for name in INPUTS]
    for name, prop in properties.items():
        assert prop.get("description", "").strip(), name
    assert sorted(resource["requiredInputs"]) == ["authentikUrl", "harborUrl"]


def test_every_output_is_in_the_schema_with_a_description(resource: dict[str, Any]) -> None:
    properties = resource["properties"]
    assert sorted(properties) == sorted(camel(name) for name in OUTPUTS)
    for name, prop in properties.items():
        assert prop.get("description", "").strip(), name
    assert properties["providerId"]["type"] == "integer"
    assert resource["isComponent"] is True


def test_input_types_are_ones_every_language_can_express(resource: dict[str, Any]) -> None:
    properties = resource["inputProperties"]
    assert properties["harborUrl"]["type"] == "string"
    assert properties["verifyCert"]["type"] == "boolean"
    assert properties["scopes"] == {**properties["scopes"], "type": "array", "plain": True}
    assert properties["scopes"]["items"]["type"] == "string"
    mapping = properties["extraScopeMappings"]["items"]["$ref"]
    assert mapping == f"#/types/{PACKAGE}:index:ScopeMappingArgs"
    # a map of maps of strings, plain: every language can write it
    roles = properties["projectRoles"]
    assert (roles["type"], roles["plain"]) == ("object", True)
    assert roles["additionalProperties"]["type"] == "object"
    assert roles["additionalProperties"]["additionalProperties"]["type"] == "string"


def test_the_analyzer_sees_the_same_component_offline() -> None:
    definition = Analyzer(PACKAGE).analyze([HarborAuthentikSSO])["component_definitions"]
    component = definition["HarborAuthentikSSO"]
    assert component.inputs_mapping == {camel(name): name for name in INPUTS}


def test_construct_like_the_provider_host() -> None:
    # The host passes camelCase keys; a secret arrives as a secret Output, plain values
    # as they are. The component must take the plain dict it gets.
    mocks = AuthentikHarborMocks()
    state: dict[str, Any] = {}

    def program() -> None:
        provider = host()
        inputs = {
            "harborUrl": GUIDE["harbor_url"],
            "authentikUrl": GUIDE["authentik_url"],
            "slug": "registry",
            "scopes": ["openid", "profile", "email", "offline_access"],
            # plain, as a program that forgot to mark it passes it: secret all the same
            "clientSecret": "given-by-the-consumer",
        }
        result = provider.construct("sso", TYPE_TOKEN, inputs, None)
        state.update(result.state)
        for key, value in result.state.items():
            pulumi.export(key, value)

    with mock_engine(mocks):
        exports = run_program(program)

    assert sorted(state) == sorted(camel(name) for name in OUTPUTS)
    assert exports["clientSecret"].secret
    assert exports["oidcEndpoint"].value == "https://authentik.company/application/o/registry/"
    by_type = {r.type: r for r in mocks.resources}
    assert set(by_type) == {
        TYPE_TOKEN,
        "authentik:index/providerOauth2:ProviderOauth2",
        "authentik:index/application:Application",
        "harbor:index/configAuth:ConfigAuth",
    }
    assert is_secret_input(by_type["harbor:index/configAuth:ConfigAuth"].inputs["oidcClientSecret"])


def test_construct_reports_a_bad_input_by_its_schema_name() -> None:
    # as the engine reports an input property error: by name, with the value, no traceback
    # (pulumi/provider/server.py `Construct`; source_eval.go `errorToMessage`)
    def program() -> None:
        provider = host()
        provider.construct(
            "sso", TYPE_TOKEN, {"harborUrl": "x", "authentikUrl": "y", "policyEngineMode": "every"}
        )

    mocks = AuthentikHarborMocks()
    with mock_engine(mocks), pytest.raises(InputPropertiesError) as caught:
        run_program(program)
    assert caught.value.message == "invalid HarborAuthentikSSO arguments"
    assert caught.value.errors is not None
    assert [e["property_path"] for e in caught.value.errors] == [
        "harborUrl",
        "authentikUrl",
        "policyEngineMode",
    ]
    # the engine shows the value beside the reason (masked if secret): not twice
    assert caught.value.errors[2]["reason"] == "Input should be 'any' or 'all'"
    assert [r.type for r in mocks.resources] == []


@pytest.mark.parametrize(
    ("given", "warned"),
    [
        ({"scopes": ["openid"]}, "scopes: 'offline_access'"),
        (
            {"adminGroup": "a", "allowedGroups": ["authentik Admins"]},
            "adminGroup: group 'a' is not in allowedGroups",
        ),
    ],
)
def test_a_warning_through_the_plugin_names_the_schema_argument(
    caplog: pytest.LogCaptureFixture, given: dict[str, Any], warned: str
) -> None:
    def program() -> None:
        host().construct("sso", TYPE_TOKEN, {**{camel(k): v for k, v in GUIDE.items()}, **given})

    with caplog.at_level(logging.WARNING), mock_engine(AuthentikHarborMocks()):
        run_program(program)
    assert any(r.getMessage().startswith(warned) for r in caplog.records)
