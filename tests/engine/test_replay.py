"""Replay, on a copy of the repository, the steps the Pulumi engine takes with it.

No Pulumi CLI can run here, so each step below reproduces what the engine's source does
(pulumi/pulumi, read at v3.260), and cites the function. What this cannot show is in
tests/README.md.

Slow (it builds two virtualenvs from the package index): `-m "not slow"` skips it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.engine.toolchain import pip_install
from tests.support import ROOT

pytestmark = pytest.mark.slow

# Left out of the copy: what a fresh clone does not have.
IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "venv", "__pycache__", "*.egg-info", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".hypothesis", "build", "mutants",
)  # fmt: skip
INSTALL_TIMEOUT = 1200


def get_pwd_main(root: Path, main: str | None) -> tuple[Path, str]:
    """pkg/engine/project.go `getPwdMain`: the program directory and entry."""
    if not main:
        return root, "."
    target = (root / main).resolve()
    if target.is_dir():
        return target, "."
    return target.parent, target.name


def virtualenv_path(root: Path, options: dict[str, Any]) -> Path | None:
    """sdk/python/toolchain/pip.go `resolveVirtualEnvironmentPath`: relative to the root."""
    venv = options.get("virtualenv")
    if not venv:
        return None
    return Path(venv) if Path(venv).is_absolute() else root / venv


def install_dependencies(cwd: Path, venv: Path) -> None:
    """The pip toolchain's install (tests/engine/toolchain.py). The pulumi this suite runs
    on is pinned, so both ends of the range are replayed."""
    constraints = venv.parent / "replay-constraints.txt"
    constraints.write_text(f"pulumi=={metadata.version('pulumi')}\n")
    env = {**os.environ, "PIP_CONSTRAINT": str(constraints)}
    pip_install(cwd, venv, env, timeout=INSTALL_TIMEOUT)


def run_in(venv: Path, cwd: Path, script: str, *args: str) -> Any:
    """Run ``script`` with the replayed virtualenv's python from ``cwd``; its JSON output."""
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", textwrap.dedent(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("replay") / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    return copy


def test_the_old_layout_is_what_the_replay_catches(repo: Path) -> None:
    # Negative control: with `main: harbor_sso/stack` the program directory had no
    # requirements.txt, so the engine created an empty virtualenv.
    pwd, _ = get_pwd_main(repo, "harbor_sso/stack")
    assert pwd == (repo / "harbor_sso" / "stack").resolve()
    assert not (pwd / "requirements.txt").exists()


def test_no_folder_holds_both_manifests(repo: Path) -> None:
    # sdk/go/common/workspace/loaders.go LoadBaseProjectFrom: "detected both
    # PulumiPlugin.yaml and Pulumi.yaml" when they share a folder.
    both = [
        str(folder.relative_to(repo))
        for folder in [repo, *repo.rglob("*")]
        if folder.is_dir()
        and (folder / "Pulumi.yaml").exists()
        and (folder / "PulumiPlugin.yaml").exists()
    ]
    assert both == []
    assert (repo / "Pulumi.yaml").is_file()
    assert (repo / "plugin" / "PulumiPlugin.yaml").is_file()


def test_a_fresh_pulumi_up_installs_and_runs_the_program(repo: Path) -> None:
    project = yaml.safe_load((repo / "Pulumi.yaml").read_text())
    options = project["runtime"]["options"]
    assert options["toolchain"] == "pip"
    venv = virtualenv_path(repo, options)
    assert venv is not None and venv.parent == repo
    pwd, main = get_pwd_main(repo, project.get("main"))
    assert (pwd / "requirements.txt").is_file(), "the engine would leave the venv empty"

    install_dependencies(pwd, venv)

    # sdk/python/cmd/pulumi-language-python-exec: runpy.run_path(<program>) from the
    # program directory, under the mock engine with the dev stack's config.
    result = run_in(
        venv,
        pwd,
        """
        import json, runpy, sys
        from pathlib import Path
        import harbor_sso
        from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
        from harbor_sso.offline.plan import program_config
        from harbor_sso.offline.stackfile import read_stack

        config = program_config(read_stack(Path(sys.argv[1]), "dev"))
        mocks = AuthentikHarborMocks(permissive=True)
        with mock_engine(mocks, stack="dev", config=config.values, secret_keys=config.secret_keys):
            exports = run_program(lambda: runpy.run_path(sys.argv[2], run_name="__main__"))
        print(json.dumps({
            "library": harbor_sso.__file__,
            "types": sorted(r.type for r in mocks.resources),
            "exports": sorted(exports),
            "endpoint": exports["oidc_endpoint"].value,
        }))
        """,
        str(repo),
        main,
    )
    # the library imported is the copy's own (requirements.txt: `-e .`), not this checkout's
    assert Path(result["library"]).resolve().is_relative_to(repo.resolve())
    assert "harbor:index/configAuth:ConfigAuth" in result["types"]
    assert "authentik:index/providerOauth2:ProviderOauth2" in result["types"]
    assert "client_secret" in result["exports"]
    assert result["endpoint"] == "https://auth.dev.example.com/application/o/harbor-dev/"


def test_the_plugin_installs_as_the_language_host_installs_it_and_infers_the_schema(
    repo: Path,
) -> None:
    # pkg/workspace/plugin.go installDependenciesForPluginSpec: root and pwd are the
    # plugin's sub-folder of the cloned repository (PluginDescriptor.SubDir).
    plugin = repo / "plugin"
    manifest = yaml.safe_load((plugin / "PulumiPlugin.yaml").read_text())
    options = manifest["runtime"]["options"]
    # pulumi-language-python parseOptions: a plugin's virtualenv defaults to `venv`
    venv = virtualenv_path(plugin, {"virtualenv": "venv", **options})
    assert venv is not None
    # pulumi-language-python InstallDependencies: `pip install <dir>` only for a buildable
    # package (sdk/python/toolchain/pyproject.go IsBuildablePackage), then requirements.txt.
    assert not (plugin / "pyproject.toml").exists()
    install_dependencies(plugin, venv)

    # pulumi-language-python RunPlugin: `python <plugin dir>` runs __main__.py; here it runs
    # without serving, and the schema is the one the provider it would serve answers.
    result = run_in(
        venv,
        plugin,
        """
        import importlib.util, json
        import harbor_sso.plugin

        hosted = {}

        async def listen(provider, args):
            hosted["provider"] = provider

        harbor_sso.plugin.listen = listen
        spec = importlib.util.spec_from_file_location("plugin_main", "__main__.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main()
        print(json.dumps({"schema": json.loads(hosted["provider"].schema)}))
        """,
    )
    schema = result["schema"]
    assert schema["name"] == "harbor-sso"
    resource = schema["resources"]["harbor-sso:index:HarborAuthentikSSO"]
    assert sorted(resource["requiredInputs"]) == ["authentikUrl", "harborUrl"]
    assert resource["isComponent"] is True
