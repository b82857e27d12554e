"""A YAML program through the plugin, under the real CLI and the YAML language host
(`examples/yaml`), with the model plugins over the stand-ins.

What it shows: other languages get the component, its outputs and its secrets; a bad
argument and a look-up that finds nothing read as the engine reports a bad input (each
property by its schema name, with its value), never `Unexpected <class 'Exception'>` and
a Python traceback (measured with the real host: real-systems.md, item 5).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.engine.conftest import PASSWORD, TOKEN, Cli
from tests.stand_ins.pair import Pair, api_stand_ins
from tests.support import ROOT


@pytest.fixture
def yaml_program(cli: Cli, model_home: Path) -> Iterator[tuple[Cli, Pair]]:
    if shutil.which("pulumi-language-yaml") is None:
        pytest.fail("no pulumi-language-yaml on PATH: run scripts/engine")
    with api_stand_ins(TOKEN, PASSWORD) as pair:
        for group in ("harbor-users", "harbor-admins"):
            pair.authentik.add_group(group)
        cli.env.update(PULUMI_HOME=str(model_home))
        project = yaml.safe_load((ROOT / "examples" / "yaml" / "Pulumi.yaml").read_text())
        # the plugin by path needs the Python language host to start it; it is installed
        # in the plugin cache instead (conftest.py `model_home`)
        del project["packages"]["harbor-sso"]
        (cli.project / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False))
        cli.run("stack", "init", "dev")
        for key, value, secret in (
            ("harborUrl", pair.harbor.url, False),
            ("authentikUrl", pair.authentik.base, False),
            ("authentik:url", pair.authentik.base, False),
            ("authentik:token", TOKEN, True),
            ("harborPassword", PASSWORD, True),
        ):
            cli.run("config", "set", *(["--secret"] if secret else []), key, value)
        before = set(Path(tempfile.gettempdir()).glob("pulumi-package-*"))
        install = cli.run("install")
        assert "error" not in install.stdout + install.stderr
        assert set(Path(tempfile.gettempdir()).glob("pulumi-package-*")) == before
        yield cli, pair


def set_sso(cli: Cli, **properties: object) -> None:
    path = cli.project / "Pulumi.yaml"
    project = yaml.safe_load(path.read_text())
    project["resources"]["sso"]["properties"].update(properties)
    path.write_text(yaml.safe_dump(project, sort_keys=False))


OLDER_VERSION = "older version of package 'authentik'"
"""The engine's warning when a stored authentik provider names the base plugin's version
(pkg/resource/deploy/providers/registry.go `GetProviderParameterization`)."""


def test_the_yaml_example_deploys_and_converges(yaml_program: tuple[Cli, Pair]) -> None:
    cli, pair = yaml_program
    up = cli.run("up", "--yes")
    assert "+ 10 created" in up.stdout  # 11 with an explicit authentik provider
    assert "clientSecret: [secret]" in up.stdout
    (provider,) = pair.authentik.providers.values()
    assert pair.harbor.client_secret == provider["client_secret"]
    assert pair.harbor.config["oidc_admin_group"] == "harbor-admins"
    cli.run("preview", "--expect-no-changes")
    refresh = cli.run("refresh", "--yes", "--expect-no-changes")
    exported = cli.run("stack", "export").stdout
    assert provider["client_secret"] not in exported
    destroy = cli.run("destroy", "--yes")
    assert pair.authentik.owned()["applications"] == 0
    for done in (refresh, destroy):
        assert OLDER_VERSION not in done.stdout + done.stderr


def test_an_explicit_authentik_provider_in_yaml_brings_the_version_warning(
    yaml_program: tuple[Cli, Pair],
) -> None:
    # Why the example has none: YAML registers it with the package's reference and no
    # version (a `version` option drops the reference: pulumi-yaml run.go
    # `registerResource`), and the engine then gives it the default provider's base
    # plugin version, 0.12.0 (source_eval.go `RegisterResource`, the provider branch)
    cli, pair = yaml_program
    path = cli.project / "Pulumi.yaml"
    project = yaml.safe_load(path.read_text())
    project["resources"]["authentik"] = {
        "type": "pulumi:providers:authentik",
        "properties": {"url": pair.authentik.base, "token": TOKEN, "insecure": False},
    }
    project["resources"]["sso"]["options"]["providers"] = ["${authentik}", "${harbor}"]
    path.write_text(yaml.safe_dump(project, sort_keys=False))
    cli.run("up", "--yes")
    refresh = cli.run("refresh", "--yes")
    destroy = cli.run("destroy", "--yes")
    assert "0.12.0 < 2025.8.1" in refresh.stdout + refresh.stderr
    assert "0.12.0 < 2025.8.1" in destroy.stdout + destroy.stderr


def test_a_bad_argument_is_named_as_the_schema_names_it(yaml_program: tuple[Cli, Pair]) -> None:
    cli, pair = yaml_program
    set_sso(cli, harborUrl=f"{pair.harbor.url}/c/oidc/login", policyEngineMode="every")
    refused = cli.run("preview", check=False)
    text = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert (
        "error: harbor-sso:index:HarborAuthentikSSO resource 'sso' has a problem: invalid "
        "HarborAuthentikSSO arguments"
    ) in text
    assert (
        f'- property harborUrl with value "{pair.harbor.url}/c/oidc/login" has a problem: is a '
        f"page or API of Harbor, not its external URL: use '{pair.harbor.url}'"
    ) in text
    assert '- property policyEngineMode with value "every" has a problem: Input should be' in text
    assert "Traceback" not in text and "Unexpected <class" not in text
    assert pair.authentik.log.exchanges == [] or all(
        e.method == "GET" for e in pair.authentik.log.exchanges
    )


def test_a_missing_group_is_named_as_the_schema_names_it(yaml_program: tuple[Cli, Pair]) -> None:
    cli, _ = yaml_program
    set_sso(cli, allowedGroups=["harbor-users", "no-such-group"])
    refused = cli.run("preview", check=False)
    text = refused.stdout + refused.stderr
    assert (
        '- property allowedGroups with value ["harbor-users", "no-such-group"] has a problem: '
        "authentik has no group named 'no-such-group'"
    ) in text
    assert "Traceback" not in text and "Unexpected <class" not in text
