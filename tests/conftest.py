"""Mock-engine fixtures: one event loop and one fresh runtime per test, reset after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

import pulumi
import pytest

from harbor_sso import HarborAuthentikSSO, HarborAuthentikSSOArgs
from harbor_sso.component import OUTPUTS
from harbor_sso.tools.mocks import AuthentikHarborMocks, mock_engine, run_program

from .support import GUIDE, Run


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
