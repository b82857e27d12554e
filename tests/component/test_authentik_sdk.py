"""What harbor_sso/authentik_sdk.py does for pulumi-authentik: the shim is needed, and harmless
where not; the provider version is stated."""

from __future__ import annotations

import pulumi
import pulumi_authentik as authentik
import pytest
from packaging.version import Version
from pulumi.runtime import settings

from harbor_sso import authentik_sdk
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program


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
    monkeypatch.delattr(settings, authentik_sdk.MISSING_FUNCTION)
    broken = AuthentikHarborMocks()
    with mock_engine(broken), pytest.raises(AttributeError, match=authentik_sdk.MISSING_FUNCTION):
        run_program(_one_provider)
    assert broken.resources == []
    # and the shim is what mends it
    assert authentik_sdk.install_shim() is True
    mended = AuthentikHarborMocks()
    with mock_engine(mended):
        run_program(_one_provider)
    assert [r.name for r in mended.resources] == ["p"]


def test_where_pulumi_has_the_function_the_shim_leaves_it_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pulumi < 3.258 defines it (below the supported floor now, but a shim must never
    # replace what the SDK provides)
    def native() -> bool:
        return True

    monkeypatch.setattr(settings, authentik_sdk.MISSING_FUNCTION, native, raising=False)
    assert authentik_sdk.install_shim() is False
    assert getattr(settings, authentik_sdk.MISSING_FUNCTION) is native


def test_the_shim_answers_from_the_monitor(mocks: AuthentikHarborMocks) -> None:
    run_program(_one_provider)
    assert getattr(settings, authentik_sdk.MISSING_FUNCTION)() is True


def _transform_args(type_: str) -> pulumi.ResourceTransformArgs:
    return pulumi.ResourceTransformArgs(
        custom=True, type_=type_, name="n", props={"url": "u"}, opts=pulumi.ResourceOptions()
    )


def test_the_authentik_provider_is_given_the_package_version() -> None:
    result = authentik_sdk.pin_provider_version(_transform_args("pulumi:providers:authentik"))
    assert result is not None
    assert result.opts.version == "2025.8.1" == authentik_sdk.PACKAGE_VERSION
    assert result.props == {"url": "u"}


def test_other_resources_pass_the_version_transform_unchanged() -> None:
    for type_ in ("pulumi:providers:harbor", "authentik:index/application:Application"):
        assert authentik_sdk.pin_provider_version(_transform_args(type_)) is None


def test_the_version_transform_keeps_every_other_option() -> None:
    given = pulumi.ResourceTransformArgs(
        custom=True,
        type_="pulumi:providers:authentik",
        name="n",
        props={},
        opts=pulumi.ResourceOptions(protect=True, ignore_changes=["token"]),
    )
    result = authentik_sdk.pin_provider_version(given)
    assert result is not None
    assert (result.opts.protect, result.opts.ignore_changes) == (True, ["token"])
    assert result.opts.version == authentik_sdk.PACKAGE_VERSION
