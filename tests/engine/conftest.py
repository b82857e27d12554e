"""The real Pulumi CLI, as `scripts/engine` builds it: a file backend with a passphrase
in a temporary folder per test, nothing from the network."""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.stand_ins.pair import Pair, api_stand_ins
from tests.support import ROOT

PASSPHRASE = "engine-suite-passphrase"


def _missing(what: str) -> None:
    reason = f'{what}: run `eval "$(scripts/engine)"` first (./scripts/check does)'
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the engine is missing: {reason}")  # never a skip in CI
    pytest.skip(reason)


@dataclass
class Cli:
    """`pulumi` run in ``project`` with this test's own backend and secrets."""

    project: Path
    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["pulumi", *args, "--non-interactive"],  # noqa: S607 (scripts/engine's, on PATH)
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check and done.returncode != 0:
            pytest.fail(f"pulumi {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done

    def stack(self, name: str, text: str, config_dir: str = "stacks") -> Path:
        """A stack whose file holds exactly ``text`` (and the passphrase's salt).

        `pulumi stack init` re-encodes an existing stack file (`0x1F` becomes `"31"`), so
        the stack is made first and the text written after it."""
        self.run("stack", "init", name)
        path = self.project / config_dir / f"Pulumi.{name}.yaml"
        salt = next(line for line in path.read_text().splitlines() if line.startswith("encr"))
        path.write_text(f"{text}\n{salt}\n")
        return path

    def config(self, stack: str) -> dict[str, Any]:
        """`pulumi config --json`: the values the engine hands the program
        (pkg/cmd/pulumi/config/config.go and operations/up.go both go through
        pkg/workspace/config.go `ApplyProjectConfig`)."""
        found: dict[str, Any] = json.loads(self.run("config", "--json", "--stack", stack).stdout)
        return found


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    if shutil.which("pulumi") is None:
        _missing("no `pulumi` on PATH")
    state = tmp_path / "state"
    state.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": state.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_DISABLE_REGISTRY_RESOLVE": "true",
    }
    env.setdefault("PULUMI_HOME", str(tmp_path / "home"))
    # `pulumi install` leaves the SDK it generates in a temporary folder of its own
    # (pkg/cmd/pulumi/packageworkspace/packageworkspace.go `genSDK`): this test's, not /tmp
    (tmp_path / "tmp").mkdir()
    env["TMPDIR"] = str(tmp_path / "tmp")
    return Cli(project, env)


# -- the stack program under the real CLI, with the model plugins --------------------

MODEL_PLUGINS = (
    ("terraform-provider", "0.12.0", "tests.engine.models.authentik"),
    ("harbor", "3.10.21", "tests.engine.models.harbor"),
)
"""(plugin, version, module): what pulumi-authentik 2025.8.1 and pulumiverse-harbor
3.10.21 ask the engine for, and the model that answers."""
TOKEN = "ak-token-CANARY-91c2"
PASSWORD = "harbor-pw-CANARY-5e07"


@pytest.fixture(scope="session")
def model_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PULUMI_HOME whose plugin cache holds the model plugins where the engine looks
    for a plugin of that name and version (sdk/go/common/workspace/plugins.go
    `PluginDescriptor.Dir`/`File`: `plugins/resource-<name>-v<version>/pulumi-resource-<name>`)."""
    home = tmp_path_factory.mktemp("pulumi-home")
    for name, version, module in MODEL_PLUGINS:
        folder = home / "plugins" / f"resource-{name}-v{version}"
        folder.mkdir(parents=True)
        program = folder / f"pulumi-resource-{name}"
        program.write_text(
            f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m {module} "$@"\n'
        )
        program.chmod(0o755)
    # This project's own plugin, run as the Python language host runs a plugin folder
    # (`python <plugin dir> <engine address>`; pulumi-language-python `RunPlugin`),
    # which no registry ships here: so other languages' programs run as they do for users.
    folder = home / "plugins" / f"resource-harbor-sso-v{metadata.version('harbor-sso')}"
    folder.mkdir(parents=True)
    program = folder / "pulumi-resource-harbor-sso"
    program.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" "{ROOT / "plugin"}" "$@"\n'
    )
    program.chmod(0o755)
    return home


@dataclass
class Outcome:
    """One operation of the inline driver (tests/engine/inline.py)."""

    op: str
    ok: bool
    output: str
    changes: dict[str, int]
    error: str

    @property
    def text(self) -> str:
        """All the CLI printed, as a user reads it."""
        return self.output + "\n" + self.error


@dataclass
class Deployment:
    """This project's stack program, run inline under the real CLI, against the API
    stand-ins through the model plugins."""

    cli: Cli
    pair: Pair
    stack: str = "dev"

    def configure(self, **values: Any) -> None:
        """Set `harbor-sso:<key>` values in the stack file (keeping the others)."""
        path = self.cli.project / "stacks" / f"Pulumi.{self.stack}.yaml"
        doc = yaml.safe_load(path.read_text())
        doc.setdefault("config", {}).update({f"harbor-sso:{k}": v for k, v in values.items()})
        for key in [k for k, v in doc["config"].items() if v is None]:
            del doc["config"][key]
        path.write_text(yaml.safe_dump(doc))

    def secret(self, key: str, value: str) -> None:
        self.cli.run("config", "set", "--secret", f"harbor-sso:{key}", value, "--stack", self.stack)

    def run(self, *ops: str) -> list[Outcome]:
        done = subprocess.run(
            [sys.executable, "-m", "tests.engine.inline", str(self.cli.project), self.stack, *ops],
            cwd=ROOT,
            env={**self.cli.env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        outcomes = []
        for line in done.stdout.splitlines():
            if line.startswith("{"):
                found = json.loads(line)
                outcomes.append(
                    Outcome(
                        found["op"],
                        found["ok"],
                        found["output"],
                        found.get("changes", {}),
                        found.get("error", ""),
                    )
                )
        assert len(outcomes) == len(ops), f"the driver stopped early:\n{done.stderr}"
        faults = self.pair.authentik.log.faults + self.pair.harbor.log.faults
        assert not faults, f"a stand-in failed: {faults}"
        return outcomes

    def one(self, op: str) -> Outcome:
        (outcome,) = self.run(op)
        return outcome

    def ok(self, op: str) -> Outcome:
        outcome = self.one(op)
        assert outcome.ok, outcome.text
        return outcome

    def export(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(
            self.cli.run("stack", "export", "--stack", self.stack).stdout
        )
        return found

    def resources(self) -> dict[str, dict[str, Any]]:
        """The state's resources by name."""
        return {
            r["urn"].rsplit("::", 1)[-1]: r
            for r in self.export()["deployment"].get("resources", [])
        }


def adopt_by_hand(deployment: Deployment, slug: str, projects: list[str]) -> str:
    """`harbor-sso adopt --stack-file --set` on the stand-ins' pair, as a user runs it:
    the stack file holds only the two URLs before. Returns what the command printed."""
    pair = deployment.pair
    stack_file = deployment.cli.project / "stacks" / f"Pulumi.{deployment.stack}.yaml"
    stack_file.write_text(
        "config:\n"
        f"  harbor-sso:harborUrl: {pair.harbor.url}\n"
        f"  harbor-sso:authentikUrl: {pair.authentik.base}\n"
        + "".join(line + "\n" for line in stack_file.read_text().splitlines() if "encr" in line)
    )
    adopted = subprocess.run(
        [sys.executable, "-m", "harbor_sso.cli", "adopt",
         "--authentik-url", pair.authentik.base, "--harbor-url", pair.harbor.url,
         "--slug", slug, *(f"--project={p}" for p in projects), "--stack", deployment.stack,
         "--stack-file", str(stack_file), "--set"],
        cwd=deployment.cli.project, env=deployment.cli.env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    return adopted.stdout + adopted.stderr + stack_file.read_text()


@contextmanager
def new_deployment(
    cli: Cli, model_home: Path, **tls: ssl.SSLContext | None
) -> Iterator[Deployment]:
    """A new stack of this project (its Pulumi.yaml) against empty stand-ins (over HTTPS
    where ``authentik_tls`` or ``harbor_tls`` is given): a fresh authentik with two groups,
    a Harbor in `db_auth` with a project `team`. The stack file names both; credentials
    come from the environment, as the README says."""
    with api_stand_ins(TOKEN, PASSWORD, **tls) as pair:
        pair.authentik.add_group("harbor-users")
        pair.authentik.add_group("harbor-admins")
        pair.harbor.add_project("team")
        cli.env.update(
            PULUMI_HOME=str(model_home),
            AUTHENTIK_TOKEN=TOKEN,
            HARBOR_USERNAME="admin",
            HARBOR_PASSWORD=PASSWORD,
        )
        shutil.copy(ROOT / "Pulumi.yaml", cli.project)
        (cli.project / "stacks").mkdir()
        found = Deployment(cli, pair)
        cli.stack(found.stack, "config: {}")
        found.configure(
            harborUrl=pair.harbor.url,
            authentikUrl=pair.authentik.base,
            slug="harbor-real",
            applicationName="Harbor (real)",
            adminGroup="harbor-admins",
            allowedGroups=["harbor-users", "harbor-admins"],
            projectRoles={"team": {"harbor-users": "developer"}},
        )
        yield found


@pytest.fixture
def deployment(cli: Cli, model_home: Path) -> Iterator[Deployment]:
    with new_deployment(cli, model_home) as found:
        yield found
