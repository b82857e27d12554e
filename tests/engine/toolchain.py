"""What pulumi's Python toolchains run to install a program's dependencies, replayed
(pulumi sdk/python/toolchain, read at v3.274.1). The Python language host is not
available here; tests/engine/test_replay.py and benchmarks/first_preview.py run these."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def pip_install(cwd: Path, venv: Path, env: dict[str, str], timeout: float | None = None) -> None:
    """pip.go `InstallDependencies`: `python -m venv`, upgrade pip, then `pip install -r
    requirements.txt` run in ``cwd``, skipped when it has none."""
    run = {"cwd": cwd, "env": env, "check": True, "timeout": timeout}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], **run)  # type: ignore[call-overload]
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, "--upgrade", "pip", "setuptools", "wheel"], **run)  # type: ignore[call-overload]
    if (cwd / "requirements.txt").exists():
        subprocess.run([*pip, "-r", "requirements.txt"], **run)  # type: ignore[call-overload]


def uv_install(cwd: Path, venv: Path, env: dict[str, str], uv: str) -> None:
    """uv.go `InstallDependencies`: a pyproject.toml with a [project] needs no
    `PrepareProject`; then `uv sync` with `UV_PROJECT_ENVIRONMENT` set to the venv."""
    project = {**env, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_PYTHON": sys.executable}
    subprocess.run([uv, "sync", "--quiet"], cwd=cwd, check=True, env=project)
