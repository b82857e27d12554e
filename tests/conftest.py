"""Mock-engine fixtures: one event loop and one fresh runtime per test, reset after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import pulumi
import pytest

from harbor_sso import HarborAuthentikSSO, HarborAuthentikSSOArgs
from harbor_sso.component import OUTPUTS
from harbor_sso.mocks import (
    SECRET_SIG,
    SIG_KEY,
    AuthentikHarborMocks,
    Exported,
    Registered,
    mock_engine,
    run_program,
)

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


@pytest.fixture
def mocks() -> Iterator[AuthentikHarborMocks]:
    recorder = AuthentikHarborMocks(groups=("authentik Admins", "harbor-users", "ops team"))
    with mock_engine(recorder):
        yield recorder


@pytest.fixture
def deploy(mocks: AuthentikHarborMocks) -> Callable[..., Run]:
    """Run a program of one component (or a custom ``program``) and collect what it did."""

    def run(
        args: Mapping[str, Any] | None = None,
        *,
        name: str = "harbor",
        opts: pulumi.ResourceOptions | None = None,
        program: Callable[[], None] | None = None,
    ) -> Run:
        def one_component() -> None:
            # any mapping, invalid ones on purpose: the component validates at runtime
            given = cast(HarborAuthentikSSOArgs, {**GUIDE, **(args or {})})
            sso = HarborAuthentikSSO(name, given, opts)
            for key in OUTPUTS:
                pulumi.export(key, getattr(sso, key))

        return Run(mocks, run_program(program or one_component))

    return run
