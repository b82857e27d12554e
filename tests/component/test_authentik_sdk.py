"""The pulumi_authentik shim (harbor_sso/_compat.py) is needed, and harmless where not."""

from __future__ import annotations

import pulumi_authentik as authentik
import pytest
from packaging.version import Version
from pulumi.runtime import settings

from harbor_sso import _compat
from harbor_sso.tools.mocks import AuthentikHarborMocks, mock_engine, run_program


def _pulumi_version() -> Version:
    from importlib.metadata import version

    return Version(version("pulumi"))


def _one_provider() -> None:
    authentik.ProviderOauth2(
        "p", name="p", client_id="c", authorization_flow="f", invalidation_flow="f"
    )


@pytest.mark.skipif(
    _pulumi_version() < Version("3.258.0"), reason="pulumi < 3.258 has the function"
)
def test_without_the_shim_authentik_fails_on_new_pulumi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(settings, _compat.MISSING_FUNCTION)
    broken = AuthentikHarborMocks()
    with mock_engine(broken), pytest.raises(AttributeError, match=_compat.MISSING_FUNCTION):
        run_program(_one_provider)
    assert broken.resources == []
    # and the shim is what mends it
    assert _compat.install() is True
    mended = AuthentikHarborMocks()
    with mock_engine(mended):
        run_program(_one_provider)
    assert [r.name for r in mended.resources] == ["p"]


@pytest.mark.skipif(_pulumi_version() >= Version("3.258.0"), reason="pulumi >= 3.258 lacks it")
def test_on_old_pulumi_the_shim_leaves_the_sdk_alone() -> None:
    native = getattr(settings, _compat.MISSING_FUNCTION)
    assert native is not _compat._supports_parameterization
    assert _compat.install() is False
    assert getattr(settings, _compat.MISSING_FUNCTION) is native


def test_the_shim_answers_from_the_monitor(mocks: AuthentikHarborMocks) -> None:
    run_program(_one_provider)
    assert getattr(settings, _compat.MISSING_FUNCTION)() is True
