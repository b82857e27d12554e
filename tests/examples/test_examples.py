"""The consumer examples: the Python one runs under the mock engine; the YAML one is
checked against the schema the plugin's host infers (no CLI here to run it)."""

from __future__ import annotations

import json
import runpy
from typing import Any

import pytest
import yaml
from pulumi.provider.experimental.component import ComponentProvider

from harbor_sso import HarborAuthentikSSO
from harbor_sso.component import PACKAGE, TYPE_TOKEN
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from tests.support import ROOT, is_secret_input

EXAMPLES = ROOT / "examples"


def run_python_example() -> None:
    runpy.run_path(str(EXAMPLES / "python" / "__main__.py"), run_name="__main__")


def test_the_python_example_deploys_under_the_mock_engine() -> None:
    project = yaml.safe_load((EXAMPLES / "python" / "Pulumi.yaml").read_text())["name"]
    config = {
        f"{project}:harborUrl": "https://harbor.company",
        f"{project}:authentikUrl": "https://authentik.company",
        f"{project}:authentikToken": "token",
        f"{project}:harborPassword": "password",
    }
    secret = [f"{project}:authentikToken", f"{project}:harborPassword"]
    mocks = AuthentikHarborMocks(groups=("harbor-users", "harbor-admins"))
    with mock_engine(mocks, project=project, config=config, secret_keys=secret):
        exports = run_program(run_python_example)
    by_name = {r.name: r for r in mocks.resources}
    assert by_name["harbor"].inputs["insecure"] == "false"
    assert is_secret_input(by_name["harbor"].inputs["password"])
    assert is_secret_input(by_name["authentik"].inputs["token"])
    roles = {
        r.inputs["groupName"]: r.inputs["role"]
        for r in mocks.resources
        if r.type.endswith("MemberGroup")
    }
    assert roles == {"harbor-users": "guest", "harbor-admins": "projectadmin"}
    assert exports["oidc_endpoint"].value == "https://authentik.company/application/o/harbor/"
    assert exports["client_secret"].secret


@pytest.fixture(scope="module")
def component_schema() -> dict[str, Any]:
    provider = ComponentProvider([HarborAuthentikSSO], PACKAGE, version="0.0.0")
    assert provider.schema is not None
    resource: dict[str, Any] = json.loads(provider.schema)["resources"][TYPE_TOKEN]
    return resource


def test_the_yaml_example_fits_the_plugins_schema(component_schema: dict[str, Any]) -> None:
    program = yaml.safe_load((EXAMPLES / "yaml" / "Pulumi.yaml").read_text())
    plugin = (EXAMPLES / "yaml" / program["packages"]["harbor-sso"]).resolve()
    assert plugin == (ROOT / "plugin").resolve()
    assert (plugin / "PulumiPlugin.yaml").is_file()
    # the form `pulumi package add terraform-provider goauthentik/authentik 2025.8.1` writes,
    # the same provider and version pulumi-authentik 2025.8.1 bridges
    assert program["packages"]["authentik"] == {
        "source": "terraform-provider",
        "version": "0.12.0",
        "parameters": ["goauthentik/authentik", "2025.8.1"],
    }
    resources = program["resources"]
    sso = resources["sso"]
    assert sso["type"] == TYPE_TOKEN
    inputs = component_schema["inputProperties"]
    assert set(sso["properties"]) <= set(inputs)
    assert set(component_schema["requiredInputs"]) <= set(sso["properties"])
    for group_roles in sso["properties"]["projectRoles"].values():
        assert set(group_roles.values()) <= {
            "projectadmin",
            "maintainer",
            "developer",
            "guest",
            "limitedguest",
        }
    # Harbor's provider explicit, TLS verified: its own default is off. authentik's is the
    # default provider (stack config authentik:url and authentik:token; it verifies TLS
    # unless told otherwise): an explicit one in YAML is stored with the base plugin's
    # version and every refresh warns (tests/engine/test_other_languages.py)
    assert sso["options"]["providers"] == ["${harbor}"]
    assert resources["harbor"]["type"] == "pulumi:providers:harbor"
    assert resources["harbor"]["properties"]["insecure"] is False
    assert not [r for r in resources.values() if r["type"] == "pulumi:providers:authentik"]
    outputs = {ref.strip("${}").split(".")[1] for ref in program["outputs"].values()}
    assert outputs <= set(component_schema["properties"])
