"""The layers point one way: the component library never imports the stack program or
the offline tools, so a consumer gets neither (nor their dependencies) by importing it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

PROBE = """
import sys
sys.modules["harbor_sso.stack"] = None  # any import of them now fails
sys.modules["harbor_sso.offline"] = None
sys.modules["harbor_sso.live"] = None
sys.modules["harbor_sso.cli"] = None
import harbor_sso, harbor_sso.component, harbor_sso.validation, harbor_sso.harbor_side
loaded = sorted(m for m in sys.modules if m.startswith("harbor_sso") and sys.modules[m])
print(",".join(loaded))
"""


def test_the_library_imports_without_the_program_and_the_tools() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.strip().split(",")
    assert "harbor_sso.component" in loaded
    assert not [
        m
        for m in loaded
        if m.startswith(
            ("harbor_sso.stack", "harbor_sso.offline", "harbor_sso.live", "harbor_sso.cli")
        )
    ]


LIBRARY = ROOT / "harbor_sso"
MODULES = sorted(LIBRARY.rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every `from ... import ...` of this package in ``path``."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.startswith("harbor_sso"):
                found.append((module, [alias.name for alias in node.names]))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_file_is_short_enough_to_hold_one_idea(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 400
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef):
            assert (node.end_lineno or 0) - node.lineno + 1 <= 150, node.name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_another_s_private_names(path: Path) -> None:
    for module, names in _imports(path):
        assert not [n for n in names if n.startswith("_")], (module, names)


def test_the_offline_and_the_live_tools_know_nothing_of_each_other() -> None:
    # harbor_sso/cli/ is the one package that knows both
    for folder, other in (("offline", "live"), ("live", "offline")):
        for path in (LIBRARY / folder).rglob("*.py"):
            for module, _ in _imports(path):
                assert not module.startswith(f"harbor_sso.{other}"), (path, module)
