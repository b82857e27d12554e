"""Fixtures of the live tools' tests: the authentik and Harbor stand-ins doctor and adopt
read, with canary credentials in the environment (a credential that reaches any output
names itself)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stand_ins.pair import Pair, api_stand_ins

TOKEN = "tok-CANARY-7f3a9c"
PASSWORD = "pw-CANARY-41d2e8"


@pytest.fixture
def pair(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    monkeypatch.delenv("HARBOR_USERNAME", raising=False)
    with api_stand_ins(TOKEN, PASSWORD) as running:
        yield running
