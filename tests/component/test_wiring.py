"""The wiring between the children: each reads what the other holds, not what we meant
to send. The mocks compute what authentik computes (numeric ids, UUIDs, a generated
secret); where authentik keeps a value as given (the client ID), a probe makes the value
it holds differ, so that reading the settings instead of the output shows."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from harbor_sso import HarborAuthentikSSO
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, numeric_id, run_program
from tests.support import GUIDE, Run, unwrap


class Held(AuthentikHarborMocks):
    """authentik answering with values of its own: what it holds is what counts."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        pid, outputs = super().new_resource(args)
        if args.typ.endswith(":ProviderOauth2"):
            outputs["clientId"] = f"held-{args.inputs['clientId']}"
            outputs["clientSecret"] = "held-secret"
        return pid, outputs


def deploy(mocks: AuthentikHarborMocks, args: dict[str, Any] | None = None) -> Run:
    def program() -> None:
        sso = HarborAuthentikSSO("harbor", {**GUIDE, **(args or {})})  # type: ignore[typeddict-item]
        pulumi.export("client_id", sso.client_id)
        pulumi.export("client_secret", sso.client_secret)
        pulumi.export("provider_id", sso.provider_id)
        pulumi.export("application_uuid", sso.application_uuid)

    with mock_engine(mocks):
        return Run(mocks, run_program(program))


@pytest.mark.parametrize("given", [None, "given-secret"])
def test_harbor_takes_the_client_id_and_secret_authentik_holds(given: str | None) -> None:
    run = deploy(Held(), {} if given is None else {"client_secret": given})
    provider = run.one("ProviderOauth2").inputs
    config = run.one("ConfigAuth").inputs
    assert config["oidcClientId"] == f"held-{provider['clientId']}"
    assert unwrap(config["oidcClientSecret"]) == "held-secret"
    assert run.value("client_id") == f"held-{provider['clientId']}"
    assert run.value("client_secret") == "held-secret"


def test_a_generated_secret_reaches_harbor() -> None:
    run = deploy(AuthentikHarborMocks())
    assert "clientSecret" not in run.one("ProviderOauth2").inputs  # authentik generates it
    secret = unwrap(run.one("ConfigAuth").inputs["oidcClientSecret"])
    assert len(secret) == 128
    assert secret == run.value("client_secret")


def test_the_application_points_at_the_providers_numeric_id() -> None:
    run = deploy(AuthentikHarborMocks())
    provider_id = int(numeric_id("harbor-provider"))  # authentik's integer primary key
    assert run.one("Application").inputs["protocolProvider"] == provider_id
    assert run.value("provider_id") == provider_id


def test_bindings_target_the_uuid_authentik_gave_the_application() -> None:
    run = deploy(
        AuthentikHarborMocks(groups=("harbor-users",)), {"allowed_groups": ["harbor-users"]}
    )
    uuid = run.value("application_uuid")
    assert uuid not in (None, "", run.one("Application").inputs["slug"])
    assert run.one("PolicyBinding").inputs["target"] == uuid


def test_the_provider_is_what_the_guide_asks_for() -> None:
    run = deploy(AuthentikHarborMocks())
    provider = run.one("ProviderOauth2").inputs
    assert provider["clientType"] == "confidential"
    assert (
        provider["issuerMode"] == "per_provider"
    )  # the issuer is <authentik>/application/o/<slug>/
    # Harbor's user and group claims must be in the ID token (auto-onboarding reads them)
    assert provider["includeClaimsInIdToken"] is True
    flows = {i.args["slug"]: i for i in run.invokes("getFlow")}
    assert set(flows) == {
        "default-provider-authorization-implicit-consent",
        "default-provider-invalidation-flow",
    }


def test_children_are_parented_to_the_component() -> None:
    parents: dict[str, str | None] = {}

    def record(args: pulumi.ResourceTransformationArgs) -> None:
        parent = args.opts.parent
        parents[args.name] = None if parent is None else parent._name

    def program() -> None:
        HarborAuthentikSSO(
            "eu",
            {**GUIDE, "allowed_groups": ["harbor-users"]},
            pulumi.ResourceOptions(transformations=[record]),
        )

    mocks = AuthentikHarborMocks(groups=("harbor-users",))
    with mock_engine(mocks):
        run_program(program)
    assert parents == {
        "eu": None,  # the component itself: the stack's
        "eu-provider": "eu",
        "eu-application": "eu",
        "eu-config-auth": "eu",
        "eu-allow-harbor-users": "eu",
    }


def test_a_client_secret_output_reaches_both_sides_with_its_value() -> None:
    def program() -> None:
        HarborAuthentikSSO(
            "harbor", {**GUIDE, "client_secret": pulumi.Output.from_input("s3cret-value")}
        )

    mocks = AuthentikHarborMocks()
    with mock_engine(mocks):
        run_program(program)
    run = Run(mocks, {})
    assert unwrap(run.one("ProviderOauth2").inputs["clientSecret"]) == "s3cret-value"
    assert unwrap(run.one("ConfigAuth").inputs["oidcClientSecret"]) == "s3cret-value"


@pytest.mark.parametrize("bad", ["", "  padded  ", "x" * 256])
def test_a_bad_plain_client_secret_registers_nothing(bad: str) -> None:
    mocks = AuthentikHarborMocks()

    def program() -> None:
        HarborAuthentikSSO("harbor", {**GUIDE, "client_secret": bad})

    with mock_engine(mocks), pytest.raises(Exception, match="client_secret: must be"):
        run_program(program)
    assert mocks.resources == []


def test_memberships_are_parented_and_replaced_delete_first() -> None:
    seen: dict[str, tuple[str | None, bool | None]] = {}

    def record(args: pulumi.ResourceTransformationArgs) -> None:
        parent = args.opts.parent
        seen[args.name] = (
            None if parent is None else parent._name,
            args.opts.delete_before_replace,
        )

    def program() -> None:
        HarborAuthentikSSO(
            "eu",
            {**GUIDE, "project_roles": {"library": {"devs": "developer"}}},
            pulumi.ResourceOptions(transformations=[record]),
        )

    with mock_engine(AuthentikHarborMocks()):
        run_program(program)
    # a second membership of one group in one project is an error in Harbor
    # (member controller Create, ErrDuplicateProjectMember): delete the old one first
    assert seen["eu-role-library.devs"] == ("eu", True)
