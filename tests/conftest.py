"""Mock-engine fixtures: one event loop and one fresh runtime per test, reset after it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

import pulumi
import pytest
from hypothesis import settings

from harbor_sso import HarborAuthentikSSO, HarborAuthentikSSOArgs
from harbor_sso.component import OUTPUTS
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program

from .support import GUIDE, Run

# scripts/check (and so CI) runs properties derandomized, with no example database: the
# same examples every run, so a red CI is reproducible and never a replayed accident.
# scripts/explore runs them random and longer. Plain `pytest` uses Hypothesis' defaults.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


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
