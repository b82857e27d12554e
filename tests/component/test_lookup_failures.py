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
from harbor_sso.transport import remedy
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


_HARBOR_DOWN = (
    'Get "https://harbor.company/api/v2.0/projects?name=library": dial tcp 10.0.0.7:443: '
    "connect: connection refused"
)
# terraform-provider-authentik v2025.8.1 pkg/provider/utils.go `httpToDiag` of Go's
# *url.Error (what a real run printed, but whole: it was cut off at 400 characters)
_UNTRUSTED = (
    "HTTP Error 'Get \"https://authentik.company/api/v3/propertymappings/provider/scope/"
    "?managed=goauthentik.io%2Fproviders%2Foauth2%2Fscope-email&managed=goauthentik.io%2F"
    "providers%2Foauth2%2Fscope-offline_access&managed=goauthentik.io%2Fproviders%2Foauth2%2F"
    'scope-openid&managed=goauthentik.io%2Fproviders%2Foauth2%2Fscope-profile": tls: failed '
    "to verify certificate: x509: certificate signed by unknown authority' without http "
    "response: "
)
_ODD = 'HTTP Error \'Get "https://authentik.company/api/v3/flows/instances/?slug=x": proxy says no'


@pytest.mark.parametrize(
    ("invoke", "text", "args", "expected"),
    [
        # terraform-provider-authentik v2025.8.1 pkg/provider/data_source_group.go: more
        # than one result is diag "Multiple groups found"
        (
            "getGroup",
            "Multiple groups found: ",
            {"allowed_groups": ["harbor-users"]},
            "allowed_groups: authentik has more than one group named 'harbor-users'; the "
            "look-up needs one",
        ),
        # any other failure keeps the provider's words, escaped
        (
            "getGroup",
            "403 Forbidden: token lacks\npermission: ",
            {"allowed_groups": ["harbor-users"]},
            "allowed_groups: looking up group 'harbor-users' failed: 403 Forbidden: token "
            "lacks\\npermission",
        ),
        # the groups text from a flow look-up is not read as groups
        (
            "getFlow",
            "Multiple groups found",
            {"allowed_groups": []},
            "authorization_flow: looking up flow "
            "'default-provider-authorization-implicit-consent' failed: Multiple groups found",
        ),
        # terraform-provider-harbor v3.10.21 provider/data_project.go `dataProjectRead`
        # returns the client's error as it is (Harbor down: the dial error): named by the
        # provider's URL, not by the look-up that met it
        (
            "getProject",
            _HARBOR_DOWN,
            {"project_roles": {"library": {"harbor-users": "developer"}}},
            "the Harbor provider's url: this machine reaches no server at "
            "https://harbor.company:443: connect: connection refused. Fix: check the host "
            "and port in the Harbor provider's url, and that the server runs and listens there",
        ),
        # a certificate this machine does not trust, met by whichever look-up runs first
        (
            "getPropertyMappingProviderScope",
            _UNTRUSTED,
            {},
            "the authentik provider's url: this machine does not trust the certificate of "
            "https://authentik.company:443: certificate signed by unknown authority. Fix: "
            + remedy("untrusted", "the authentik provider's url"),
        ),
        (
            "getFlow",
            _UNTRUSTED,
            {},
            "the authentik provider's url: this machine does not trust the certificate of "
            "https://authentik.company:443: certificate signed by unknown authority. Fix: "
            + remedy("untrusted", "the authentik provider's url"),
        ),
        # other words keep the cause in view: the URL's query is left out
        (
            "getFlow",
            _ODD,
            {},
            "authorization_flow: looking up flow 'default-provider-authorization-implicit-"
            "consent' failed: HTTP Error 'Get \"https://authentik.company/api/v3/flows/"
            'instances/": proxy says no',
        ),
    ],
    ids=[
        "several groups",
        "group: other words",
        "flow: groups text",
        "project: Harbor down",
        "scopes: untrusted",
        "flow: untrusted",
        "flow: query left out",
    ],
)
def test_a_failed_look_up_is_one_line_naming_the_argument_and_why(
    deploy: Deploy,
    mocks: AuthentikHarborMocks,
    monkeypatch: pytest.MonkeyPatch,
    invoke: str,
    text: str,
    args: dict[str, Any],
    expected: str,
) -> None:
    failing(mocks, monkeypatch, invoke, text)
    with pytest.raises(LookupFailed) as caught:
        deploy(args)
    assert str(caught.value) == expected
    assert not isinstance(caught.value, MissingObjectError)


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
