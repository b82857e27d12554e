"""What tests share beside the fixtures: the guide's arguments and a run's record."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harbor_sso import HarborAuthentikSSOArgs
from harbor_sso.offline.mocks import SECRET_SIG, SIG_KEY, AuthentikHarborMocks, Exported, Registered

GUIDE: HarborAuthentikSSOArgs = {
    "harbor_url": "https://harbor.company",
    "authentik_url": "https://authentik.company",
}
"""The seed guide's hosts: the minimal arguments."""


def is_secret_input(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def unwrap(value: Any) -> Any:
    return value["value"] if is_secret_input(value) else value


@dataclass
class Run:
    mocks: AuthentikHarborMocks
    outputs: dict[str, Exported]

    def all(self, kind: str) -> list[Registered]:
        """Registered resources whose type token ends with ``kind`` (e.g. 'Application')."""
        return [r for r in self.mocks.resources if r.type.endswith(":" + kind)]

    def one(self, kind: str) -> Registered:
        found = self.all(kind)
        assert len(found) == 1, f"{len(found)} {kind} resources"
        return found[0]

    def invokes(self, kind: str) -> list[Any]:
        return [i for i in self.mocks.invokes if i.token.endswith(":" + kind)]

    def value(self, output: str) -> Any:
        return self.outputs[output].value


ROOT = Path(__file__).resolve().parent.parent
"""The repository root."""


def examples(n: int) -> int:
    """A property's example count: ``n`` in CI, times HARBOR_SSO_EXPLORE in scripts/explore."""
    return n * int(os.environ.get("HARBOR_SSO_EXPLORE", "1"))
