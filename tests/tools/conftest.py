"""Fixtures of the tools' tests: a copy of this project to edit, and the live-pair
stand-ins doctor and adopt read, with canary credentials in the environment (a
credential that reaches any output names itself)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.stand_ins.pair import Pair, api_stand_ins
from tests.support import ROOT

TOKEN = "tok-CANARY-7f3a9c"
PASSWORD = "pw-CANARY-41d2e8"


@pytest.fixture
def pair(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    monkeypatch.delenv("HARBOR_USERNAME", raising=False)
    with api_stand_ins(TOKEN, PASSWORD) as running:
        yield running


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
