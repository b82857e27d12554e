"""Resource options and neighbours: a typo in `opts.providers`, and two components
claiming one application slug on one authentik (mock engine)."""

from __future__ import annotations

import asyncio
import gc

import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor
import pytest
from pulumi.runtime import settings as runtime_settings

from harbor_sso import ConfigError, HarborAuthentikSSO
from harbor_sso.offline.mocks import AuthentikHarborMocks, run_program
from tests.support import GUIDE


def providers() -> tuple[authentik.Provider, harbor.Provider]:
    return (
        authentik.Provider("ak", url="https://authentik.company", token="t"),
        harbor.Provider("hb", url="https://harbor.company", insecure=False),
    )


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("harbour", "; did you mean 'harbor'?"),
        ("Harbor", "; did you mean 'harbor'?"),
        ("authentic", "; did you mean 'authentik'?"),
        ("pulumiverse_harbor", ""),
        ("registry", ""),
    ],
)
def test_an_unknown_provider_key_fails_before_anything_is_registered(
    mocks: AuthentikHarborMocks, key: str, hint: str
) -> None:
    def program() -> None:
        ak, hb = providers()
        HarborAuthentikSSO("h", GUIDE, pulumi.ResourceOptions(providers={"authentik": ak, key: hb}))

    with pytest.raises(ConfigError) as caught:
        run_program(program)
    assert caught.value.problems == [
        (
            f"opts.providers[{key!r}]",
            f"unknown provider key{hint} The component takes 'authentik' and 'harbor'",
        )
    ]
    assert sorted(r.type for r in mocks.resources) == [
        "pulumi:providers:authentik",
        "pulumi:providers:harbor",
    ]  # the program's own providers, and nothing of the component


def test_the_two_keys_and_a_provider_list_are_accepted(mocks: AuthentikHarborMocks) -> None:
    def program() -> None:
        ak, hb = providers()
        HarborAuthentikSSO(
            "a", GUIDE, pulumi.ResourceOptions(providers={"authentik": ak, "harbor": hb})
        )
        HarborAuthentikSSO("b", {**GUIDE, "slug": "b"}, pulumi.ResourceOptions(providers=[ak, hb]))

    run_program(program)
    configs = [r for r in mocks.resources if r.type.endswith(":ConfigAuth")]
    assert len(configs) == 2
    assert [r.provider.split("::")[-2] for r in configs] == ["hb", "hb"]


@pytest.mark.parametrize("second_provider", [False, True], ids=["one provider", "two providers"])
def test_two_components_with_one_slug_on_one_authentik_are_refused(
    mocks: AuthentikHarborMocks, second_provider: bool
) -> None:
    # an authentik is its URL, not a provider object: one per environment in one program
    # reaches the same authentik, which answers the second application with 400
    def program() -> None:
        ak, hb = providers()
        other = authentik.Provider("ak2", url="https://authentik.company", token="t")
        first = pulumi.ResourceOptions(providers={"authentik": ak, "harbor": hb})
        second = pulumi.ResourceOptions(providers={"authentik": other if second_provider else ak})
        HarborAuthentikSSO("first", {**GUIDE, "slug": "registry"}, first)
        HarborAuthentikSSO(
            "second",
            {**GUIDE, "authentik_url": "https://Authentik.company/", "slug": "registry"},
            second,
        )

    with pytest.raises(ConfigError) as caught:
        run_program(program)
    assert caught.value.problems == [
        (
            "slug",
            "'registry' is already the slug of component 'first' on the same authentik "
            "(https://authentik.company); application slugs are unique in authentik, so give "
            "each component its own",
        )
    ]
    applications = [r for r in mocks.resources if r.type.endswith(":Application")]
    assert [r.name for r in applications] == ["first-application"]  # the second made nothing


def test_one_slug_on_two_authentiks_is_allowed(mocks: AuthentikHarborMocks) -> None:
    def program() -> None:
        ak, hb = providers()
        other = authentik.Provider("ak2", url="https://id2.company", token="t")
        HarborAuthentikSSO(
            "a", GUIDE, pulumi.ResourceOptions(providers={"authentik": ak, "harbor": hb})
        )
        HarborAuthentikSSO(
            "b",
            {**GUIDE, "authentik_url": "https://id2.company"},
            pulumi.ResourceOptions(providers={"authentik": other, "harbor": hb}),
        )

    run_program(program)
    assert len([r for r in mocks.resources if r.type.endswith(":Application")]) == 2


def test_a_slug_given_as_an_output_is_left_to_authentik(mocks: AuthentikHarborMocks) -> None:
    def program() -> None:
        HarborAuthentikSSO("a", GUIDE)
        HarborAuthentikSSO("b", {**GUIDE, "slug": pulumi.Output.from_input("harbor")})

    run_program(program)  # unknown at construction: authentik refuses it at deploy
    assert len([r for r in mocks.resources if r.type.endswith(":Application")]) == 2


def test_an_authentik_url_given_as_an_output_is_left_to_authentik(
    mocks: AuthentikHarborMocks,
) -> None:
    # two authentiks known only at deploy: at construction both URLs are the same stand-in,
    # which must not make the one slug look taken
    def program() -> None:
        for name, url in (("a", "https://id1.company"), ("b", "https://id2.company")):
            HarborAuthentikSSO(name, {**GUIDE, "authentik_url": pulumi.Output.from_input(url)})

    run_program(program)
    assert len([r for r in mocks.resources if r.type.endswith(":Application")]) == 2


# the SDK queues each registration for an engine that never comes
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_outside_a_pulumi_run_nothing_is_claimed() -> None:
    # no monitor (a user's own unit test without mocks): the SDK registers nothing, and
    # two constructions of one slug are not two applications
    assert runtime_settings.get_monitor() is None
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # the SDK makes its futures on the current loop
    try:
        HarborAuthentikSSO("a", GUIDE)
        HarborAuthentikSSO("b", GUIDE)
    finally:
        runtime_settings.reset_options()  # drop the queued registrations with their loop
        asyncio.set_event_loop(None)
        loop.close()
        gc.collect()  # their coroutines are never awaited: warn here, not in a later test
