"""Fixtures of the offline tools' tests: a copy of this project to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plans say which credentials are missing: this machine's environment must not
    decide what the golden plans show."""
    for variable in ("AUTHENTIK_TOKEN", "HARBOR_USERNAME", "HARBOR_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """This project's Pulumi.yaml and stack files, in a folder of the test's own."""
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "stacks", tmp_path / "stacks")
    return tmp_path


def put(project: Path, stack: str, **values: object) -> None:
    """Set `harbor-sso:<key>` values in a copied project's stack file (made if missing)."""
    path = project / "stacks" / f"Pulumi.{stack}.yaml"
    doc = yaml.safe_load(path.read_text()) if path.exists() else {"config": {}}
    doc["config"].update({f"harbor-sso:{k}": v for k, v in values.items()})
    path.write_text(yaml.safe_dump(doc))
