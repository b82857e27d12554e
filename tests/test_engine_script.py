"""scripts/engine checks the Go it is given before it downloads anything: the version
comes from the engine modules' go.mod files, as CI's setup-go reads it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT


def go_line(path: Path) -> str:
    found = re.search(r"^go ([\d.]+)$", path.read_text(), re.M)
    assert found, path
    return found.group(1)


NEEDED = max(
    (go_line(p) for p in (ROOT / "scripts" / "engine-modules").glob("*/go.mod")),
    key=lambda v: tuple(int(part) for part in v.split(".")),
)


def with_go(tmp_path: Path, version: str | None) -> tuple[subprocess.CompletedProcess[str], str]:
    """scripts/engine with a `go` that reports ``version`` (None: no go at all) and
    records what it was asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    if version is not None:
        (bin_dir / "go").write_text(
            f'#!/bin/sh\necho "$@" >> {calls}\n'
            f'[ "$1 $2" = "env GOVERSION" ] && echo go{version}\nexit 0\n'
        )
        (bin_dir / "go").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HARBOR_SSO_ENGINE_CACHE": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "engine")],  # noqa: S607 (bash, as scripts/check runs it)
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return done, calls.read_text() if calls.exists() else ""


def test_the_go_version_comes_from_the_modules() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", NEEDED)


@pytest.mark.parametrize("older", ["1.26.3", "1.25.9"])
def test_an_older_go_is_named_before_anything_is_downloaded(tmp_path: Path, older: str) -> None:
    done, calls = with_go(tmp_path, older)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"scripts/engine: needs Go >= {NEEDED} (scripts/engine-modules/*/go.mod), found "
        f"{older}: install Go {NEEDED} or newer (https://go.dev/dl/)"
    ]
    assert calls.splitlines() == ["env GOVERSION"]  # no `go mod download`, no build
    assert done.stdout == ""


def test_no_go_at_all_says_which_to_install(tmp_path: Path) -> None:
    done, _ = with_go(tmp_path, None)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"scripts/engine: no 'go' on PATH: install Go {NEEDED} or newer (https://go.dev/dl/)"
    )
