"""The layers point one way: the component library never imports the stack program or
the offline tools, so a consumer gets neither (nor their dependencies) by importing it."""

from __future__ import annotations

import subprocess
import sys

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
