"""How a look-up that fails reaches the user: one error naming the argument, in the
provider's words where they say more than "not found" (mock engine; the real CLI's
rendering of the same errors is tests/engine/test_errors.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi.runtime.settings import SETTINGS

from harbor_sso.lookups import AuthentikLookups, LookupFailed, MissingObjectError
from harbor_sso.offline.mocks import AuthentikHarborMocks, EngineInvokeError
from tests.support import Run

Deploy = Callable[..., Run]


def failing(
    mocks: AuthentikHarborMocks, monkeypatch: pytest.MonkeyPatch, invoke: str, text: str
) -> None:
    """The invoke ``invoke`` fails as the engine reports a provider's error."""
    answer = mocks.call

    def call(args: pulumi.runtime.MockCallArgs) -> Any:
        if args.token.endswith(f":{invoke}"):
            raise EngineInvokeError(args.token, text)
        return answer(args)

    monkeypatch.setattr(mocks, "call", call)


def test_several_groups_of_one_name_are_named_as_such(
    deploy: Deploy, mocks: AuthentikHarborMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    # terraform-provider-authentik v2025.8.1 pkg/provider/data_source_group.go: more than
    # one result is diag "Multiple groups found"
    failing(mocks, monkeypatch, "getGroup", "Multiple groups found: ")
    with pytest.raises(LookupFailed) as caught:
        deploy({"allowed_groups": ["harbor-users"]})
    assert str(caught.value) == (
        "allowed_groups: authentik has more than one group named 'harbor-users'; the look-up "
        "needs one"
    )
    assert not isinstance(caught.value, MissingObjectError)


def test_another_failure_of_a_group_look_up_keeps_the_provider_s_words_escaped(
    deploy: Deploy, mocks: AuthentikHarborMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing(mocks, monkeypatch, "getGroup", "403 Forbidden: token lacks\npermission: ")
    with pytest.raises(LookupFailed) as caught:
        deploy({"allowed_groups": ["harbor-users"]})
    assert str(caught.value) == (
        "allowed_groups: looking up group 'harbor-users' failed: 403 Forbidden: token "
        "lacks\\npermission"
    )


def test_the_several_groups_text_from_a_flow_look_up_is_not_read_as_groups(
    deploy: Deploy, mocks: AuthentikHarborMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing(mocks, monkeypatch, "getFlow", "Multiple groups found")
    with pytest.raises(LookupFailed) as caught:
        deploy({"allowed_groups": []})
    assert str(caught.value) == (
        "authorization_flow: looking up flow 'default-provider-authorization-implicit-consent' "
        "failed: Multiple groups found"
    )


def test_a_project_look_up_that_fails_names_the_project_and_the_provider_s_words(
    deploy: Deploy, mocks: AuthentikHarborMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    # terraform-provider-harbor v3.10.21 provider/data_project.go `dataProjectRead`
    # returns the client's error as it is (Harbor down: the dial error)
    text = 'Get "https://harbor.company/api/v2.0/projects?name=library": connection refused'
    failing(mocks, monkeypatch, "getProject", text)
    with pytest.raises(LookupFailed) as caught:
        deploy({"project_roles": {"library": {"harbor-users": "developer"}}})
    assert str(caught.value) == (
        f"project_roles.library: looking up Harbor project 'library' failed: {text}"
    )


def test_only_the_last_provider_text_is_kept_however_the_engine_nests_it(
    deploy: Deploy, mocks: AuthentikHarborMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a provider whose own text quotes another invoke's failure: the innermost words
    failing(mocks, monkeypatch, "getGroup", "x returned an error: No matching groups found: ")
    with pytest.raises(MissingObjectError) as caught:
        deploy({"allowed_groups": ["harbor-users"]})
    assert str(caught.value) == "allowed_groups: authentik has no group named 'harbor-users'"


def test_a_failed_look_up_leaves_only_its_own_error_for_the_sdk_to_report(
    mocks: AuthentikHarborMocks,
) -> None:
    """The SDK re-raises every failed Output it still tracks when the program ends
    (pulumi/runtime/stack.py `wait_for_rpcs`): the invoke's own failure must not be one
    of them, or it can reach the user as the provider's bare text with a traceback."""

    async def ask() -> list[BaseException]:
        found = AuthentikLookups(None).group("nobody")
        with pytest.raises(MissingObjectError):
            await found.future()
        tracked = list(SETTINGS.outputs)
        return [t.exception() for t in tracked if t.done() and t.exception() is not None]

    failures = asyncio.get_event_loop().run_until_complete(ask())
    assert failures
    assert all(isinstance(f, MissingObjectError) for f in failures), failures
