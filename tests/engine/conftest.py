"""The real Pulumi CLI, as `scripts/engine` builds it: a file backend with a passphrase
in a temporary folder per test, nothing from the network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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
    return Cli(project, env)
