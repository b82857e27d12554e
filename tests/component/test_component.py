"""HarborAuthentikSSO under the mock engine, on the real provider SDKs."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor
import pytest
from pulumi.runtime import settings as runtime_settings

from harbor_sso import ConfigError, HarborAuthentikSSO
from harbor_sso.component import OUTPUTS
from harbor_sso.harbor_side import MATCH_ALL_GROUPS, NO_ADMIN_GROUP
from harbor_sso.lookups import AuthentikLookups, LookupFailed, MissingObjectError, lookups_for
from harbor_sso.offline.mocks import (
    ApiError,
    AuthentikHarborMocks,
    mock_engine,
    run_program,
    stable_uuid,
)
from harbor_sso.validation import MANAGED_MAPPING_PREFIX, MANAGED_SCOPES, PLAIN_FIELDS
from tests.support import GUIDE, Run, is_secret_input, unwrap

Deploy = Callable[..., Run]
MANAGED = "goauthentik.io/providers/oauth2/scope-"


def is_uuid(value: str) -> bool:
    return str(uuid.UUID(value)) == value


def test_guide_example_yields_a_working_sso(deploy: Deploy) -> None:
    run = deploy()
    provider = run.one("ProviderOauth2").inputs
    assert provider["allowedRedirectUris"] == [
        {"matching_mode": "strict", "url": "https://harbor.company/c/oidc/callback"}
    ]
    assert sorted(provider["propertyMappings"]) == sorted(
        stable_uuid("mapping", MANAGED + s)
        for s in ("openid", "profile", "email", "offline_access")
    )
    assert provider["signingKey"] == stable_uuid("certificate", "authentik Self-signed Certificate")
    assert all(
        is_uuid(provider[k]) for k in ("authorizationFlow", "invalidationFlow", "signingKey")
    )
    assert provider["clientType"] == "confidential"
    assert provider["issuerMode"] == "per_provider"
    assert "clientSecret" not in provider  # authentik generates it

    app = run.one("Application").inputs
    assert app["slug"] == "harbor"
    assert app["protocolProvider"] == float(run.value("provider_id"))
    assert isinstance(run.value("provider_id"), int)

    config = run.one("ConfigAuth").inputs
    assert config["authMode"] == "oidc_auth"
    assert config["oidcName"] == "authentik"
    assert config["oidcEndpoint"] == "https://authentik.company/application/o/harbor/"
    assert config["oidcClientId"] == provider["clientId"] == run.value("client_id")
    assert is_secret_input(config["oidcClientSecret"])
    assert unwrap(config["oidcClientSecret"]) == run.value("client_secret")
    assert re.fullmatch(r"[A-Za-z0-9]{128}", run.value("client_secret"))
    assert config["oidcScope"] == "openid,profile,email,offline_access"
    assert config["oidcUserClaim"] == "preferred_username"
    assert config["oidcVerifyCert"] is True
    assert not any(key.startswith("ldap") for key in config)  # upstream #461


def test_outputs(deploy: Deploy) -> None:
    run = deploy({"slug": "registry"})
    assert run.value("oidc_endpoint") == "https://authentik.company/application/o/registry/"
    assert run.value("discovery_url") == (
        "https://authentik.company/application/o/registry/.well-known/openid-configuration"
    )
    assert run.value("redirect_uri") == "https://harbor.company/c/oidc/callback"
    assert run.value("launch_url") == "https://harbor.company/c/oidc/login"
    assert run.value("application_slug") == "registry"
    assert run.value("application_uuid") == stable_uuid("application", "registry")
    assert run.value("oidc_scope") == "openid,profile,email,offline_access"
    assert run.outputs["client_secret"].secret
    assert not any(run.outputs[k].secret for k in run.outputs if k != "client_secret")


def test_children_are_named_after_the_component(deploy: Deploy) -> None:
    # parenting: tests/component/test_wiring.py
    run = deploy(
        {
            "allowed_groups": ["harbor-users"],
            "extra_scope_mappings": [{"scope_name": "tenant", "expression": "return {}"}],
        },
        name="eu",
    )
    names = {r.name for r in run.mocks.resources}
    assert names == {
        "eu",
        "eu-provider",
        "eu-application",
        "eu-config-auth",
        "eu-allow-harbor-users",
        "eu-scope-tenant",
    }


ARGUMENT_EFFECTS: list[tuple[str, Any, str, str, Any]] = [
    # argument, value, resource kind, input, expected input value
    ("slug", "registry", "Application", "slug", "registry"),
    ("application_name", "Registry", "Application", "name", "Registry"),
    ("application_name", "Registry", "ProviderOauth2", "name", "Registry"),
    ("provider_name", "harbor-oidc", "ProviderOauth2", "name", "harbor-oidc"),
    ("application_group", "Dev tools", "Application", "group", "Dev tools"),
    ("application_icon", "https://x/i.png", "Application", "metaIcon", "https://x/i.png"),
    ("application_description", "Images", "Application", "metaDescription", "Images"),
    ("application_publisher", "Platform", "Application", "metaPublisher", "Platform"),
    ("open_in_new_tab", True, "Application", "openInNewTab", True),
    ("policy_engine_mode", "all", "Application", "policyEngineMode", "all"),
    ("client_id", "harbor-client", "ProviderOauth2", "clientId", "harbor-client"),
    ("client_id", "harbor-client", "ConfigAuth", "oidcClientId", "harbor-client"),
    ("oidc_provider_name", "Company SSO", "ConfigAuth", "oidcName", "Company SSO"),
    ("user_claim", "email", "ConfigAuth", "oidcUserClaim", "email"),
    ("groups_claim", "roles", "ConfigAuth", "oidcGroupsClaim", "roles"),
    ("admin_group", "harbor-admins", "ConfigAuth", "oidcAdminGroup", "harbor-admins"),
    ("group_filter", "^harbor-", "ConfigAuth", "oidcGroupFilter", "^harbor-"),
    ("auto_onboard", False, "ConfigAuth", "oidcAutoOnboard", False),
    ("verify_cert", False, "ConfigAuth", "oidcVerifyCert", False),
    ("primary_auth_mode", True, "ConfigAuth", "primaryAuthMode", True),
    ("access_token_validity", "minutes=5", "ProviderOauth2", "accessTokenValidity", "minutes=5"),
    ("refresh_token_validity", "days=7", "ProviderOauth2", "refreshTokenValidity", "days=7"),
    ("sub_mode", "user_uuid", "ProviderOauth2", "subMode", "user_uuid"),
    (
        "harbor_url",
        "https://r.example/",
        "ProviderOauth2",
        "allowedRedirectUris",
        [{"matching_mode": "strict", "url": "https://r.example/c/oidc/callback"}],
    ),
    (
        "harbor_url",
        "https://r.example/",
        "Application",
        "metaLaunchUrl",
        "https://r.example/c/oidc/login",
    ),
    (
        "authentik_url",
        "https://id.example/",
        "ConfigAuth",
        "oidcEndpoint",
        "https://id.example/application/o/harbor/",
    ),
    ("scopes", ["openid", "email"], "ConfigAuth", "oidcScope", "openid,email"),
]


@pytest.mark.parametrize(
    ("arg", "value", "kind", "key", "expected"),
    [e for e in ARGUMENT_EFFECTS if e[0] not in PLAIN_FIELDS],
    ids=[f"{e[0]}->{e[2]}.{e[3]}" for e in ARGUMENT_EFFECTS if e[0] not in PLAIN_FIELDS],
)
def test_an_argument_given_as_an_output_reaches_the_same_input(
    deploy: Deploy, arg: str, value: Any, kind: str, key: str, expected: Any
) -> None:
    # checked against a stand-in at construction, then for real when it resolves
    def program() -> None:
        HarborAuthentikSSO("harbor", {**GUIDE, arg: pulumi.Output.from_input(value)})  # type: ignore[misc]

    assert deploy(program=program).one(kind).inputs[key] == expected


@pytest.mark.parametrize(("arg", "value", "kind", "key", "expected"), ARGUMENT_EFFECTS)
def test_argument_effect(
    deploy: Deploy, arg: str, value: Any, kind: str, key: str, expected: Any
) -> None:
    assert deploy({arg: value}).one(kind).inputs[key] == expected


def test_optional_inputs_are_left_to_authentik_and_harbor_defaults(deploy: Deploy) -> None:
    run = deploy()
    provider, app, config = (
        run.one(k).inputs for k in ("ProviderOauth2", "Application", "ConfigAuth")
    )
    for key in ("accessTokenValidity", "refreshTokenValidity", "subMode", "clientSecret"):
        assert key not in provider
    for key in ("group", "metaIcon", "metaDescription", "metaPublisher"):
        assert key not in app
    assert (app["openInNewTab"], app["policyEngineMode"]) == (False, "any")
    # Harbor never gets an empty string (terraform-provider-harbor's omitempty): these two
    # say "none" in a way it keeps, so a removed admin group or filter stops applying
    assert (config["oidcAdminGroup"], config["oidcGroupFilter"]) == (
        NO_ADMIN_GROUP,
        MATCH_ALL_GROUPS,
    )
    assert (config["oidcGroupsClaim"], config["oidcAutoOnboard"], config["primaryAuthMode"]) == (
        "groups",
        True,
        False,
    )


def test_client_id_default_is_the_derived_one(deploy: Deploy) -> None:
    from harbor_sso.validation import validate

    expected = validate(GUIDE).effective_client_id
    run = deploy()
    assert run.one("ProviderOauth2").inputs["clientId"] == expected == run.value("client_id")


def test_scopes_select_managed_mappings(deploy: Deploy) -> None:
    run = deploy({"scopes": ["openid", "email"]})
    [lookup] = run.invokes("getPropertyMappingProviderScope")
    assert lookup.args["managedLists"] == [MANAGED + "email", MANAGED + "openid"]
    assert sorted(run.one("ProviderOauth2").inputs["propertyMappings"]) == sorted(
        stable_uuid("mapping", MANAGED + s) for s in ("openid", "email")
    )


def test_flow_and_key_names_are_looked_up(deploy: Deploy) -> None:
    run = deploy({"authorization_flow": "default-provider-authorization-explicit-consent"})
    provider = run.one("ProviderOauth2").inputs
    assert provider["authorizationFlow"] == stable_uuid(
        "flow", "default-provider-authorization-explicit-consent"
    )
    assert provider["invalidationFlow"] == stable_uuid("flow", "default-provider-invalidation-flow")
    [cert] = run.invokes("getCertificateKeyPair")
    assert cert.args == {
        "name": "authentik Self-signed Certificate",
        "fetchCertificate": False,
        "fetchKey": False,
    }


def test_extra_scope_mappings_are_created_attached_and_requested(deploy: Deploy) -> None:
    run = deploy(
        {
            "slug": "reg",
            "extra_scope_mappings": [
                {"scope_name": "tenant", "expression": "return {'tenant': 'a'}", "description": "T"}
            ],
        }
    )
    mapping = run.one("PropertyMappingProviderScope")
    assert mapping.inputs == {
        "name": "harbor-sso reg: tenant",
        "scopeName": "tenant",
        "expression": "return {'tenant': 'a'}",
        "description": "T",
    }
    mapping_id = stable_uuid(mapping.type, mapping.name)
    assert mapping_id in run.one("ProviderOauth2").inputs["propertyMappings"]
    assert run.one("ConfigAuth").inputs["oidcScope"] == "openid,profile,email,offline_access,tenant"


def test_allowed_groups_bind_each_group_to_the_application(deploy: Deploy) -> None:
    run = deploy({"allowed_groups": ["harbor-users", "ops team"]})
    bindings = sorted(run.all("PolicyBinding"), key=lambda b: b.inputs["order"])
    app_uuid = run.value("application_uuid")
    assert [(b.inputs["group"], b.inputs["order"], b.inputs["target"]) for b in bindings] == [
        (stable_uuid("group", "harbor-users"), 0, app_uuid),
        (stable_uuid("group", "ops team"), 1, app_uuid),
    ]
    assert all(i.args["includeUsers"] is False for i in run.invokes("getGroup"))


def test_no_bindings_by_default(deploy: Deploy) -> None:
    assert deploy().all("PolicyBinding") == []


def test_given_client_secret_is_secret_on_both_sides(deploy: Deploy) -> None:
    run = deploy({"client_secret": "given-secret-value-123"})
    provider_secret = run.one("ProviderOauth2").inputs["clientSecret"]
    assert is_secret_input(provider_secret)
    assert unwrap(provider_secret) == "given-secret-value-123"
    assert is_secret_input(run.one("ConfigAuth").inputs["oidcClientSecret"])
    assert unwrap(run.one("ConfigAuth").inputs["oidcClientSecret"]) == "given-secret-value-123"
    assert run.outputs["client_secret"].secret


def test_client_secret_as_output_stays_secret(deploy: Deploy) -> None:
    run = deploy({"client_secret": pulumi.Output.from_input("from-another-resource")})
    assert is_secret_input(run.one("ProviderOauth2").inputs["clientSecret"])
    assert run.outputs["client_secret"].secret


def test_urls_may_be_outputs_validated_when_they_resolve(deploy: Deploy) -> None:
    run = deploy({"harbor_url": pulumi.Output.from_input("https://late.example/")})
    assert run.one("ProviderOauth2").inputs["allowedRedirectUris"][0]["url"] == (
        "https://late.example/c/oidc/callback"
    )
    assert run.value("redirect_uri") == "https://late.example/c/oidc/callback"


def test_a_bad_output_value_fails_when_it_resolves(deploy: Deploy) -> None:
    with pytest.raises(ValueError, match="harbor_url: must be an http"):
        deploy({"harbor_url": pulumi.Output.from_input("not-a-url")})


def test_invalid_arguments_register_nothing(mocks: AuthentikHarborMocks) -> None:
    def program() -> None:
        HarborAuthentikSSO("h", {**GUIDE, "slug": "bad slug", "scopes": ["email"]})

    with pytest.raises(ConfigError) as caught:
        run_program(program)
    assert {f for f, _ in caught.value.problems} == {"slug", "scopes"}
    assert mocks.resources == [] and mocks.invokes == []


def test_missing_offline_access_warns(deploy: Deploy, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        deploy({"scopes": ["openid", "profile", "email"]})
    assert any("offline_access" in r.getMessage() for r in caplog.records)


def test_offline_access_present_does_not_warn(
    deploy: Deploy, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        deploy()
    assert not any("offline_access" in r.getMessage() for r in caplog.records)


def test_missing_managed_mapping_is_named(deploy: Deploy, mocks: AuthentikHarborMocks) -> None:
    # authentik answers HTTP 400 naming the first unknown choice (verified on 2025.8.6)
    mocks.missing_scopes = ("offline_access",)
    with pytest.raises(MissingObjectError) as caught:
        deploy()
    assert str(caught.value) == (
        "scopes: authentik has no managed scope mapping for offline_access "
        "(goauthentik.io/providers/oauth2/scope-offline_access is not one of the available "
        "choices); restore the mapping (authentik recreates its managed mappings when its "
        "worker starts) or remove the scope"
    )
    # one look-up, no per-scope probing: the API's answer already names the mapping
    assert (
        len([i for i in mocks.invokes if i.token.endswith("getPropertyMappingProviderScope")]) == 1
    )
    assert [r for r in mocks.resources if r.type.endswith("ProviderOauth2")] == []


def test_a_look_up_failure_naming_no_mapping_is_one_line_with_the_provider_s_words(
    deploy: Deploy, mocks: AuthentikHarborMocks
) -> None:
    def refuse(inputs: Any) -> dict[str, Any]:
        raise ApiError("403 Forbidden: token lacks\npermission")

    mocks._scope_mappings = refuse  # type: ignore[method-assign]
    with pytest.raises(LookupFailed) as caught:
        deploy()
    assert str(caught.value) == (
        "scopes: looking up the managed scope mappings of 'email, offline_access, openid, "
        "profile' failed: 403 Forbidden: token lacks\\npermission"
    )
    assert isinstance(caught.value, pulumi.RunError)  # reported without a traceback


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"allowed_groups": ["nobody"]}, "allowed_groups: authentik has no group named 'nobody'"),
        ({"signing_key": "k"}, "signing_key: authentik has no key pair named 'k'"),
        ({"authorization_flow": "f"}, "authorization_flow: authentik has no flow named 'f'"),
        ({"invalidation_flow": "g"}, "invalidation_flow: authentik has no flow named 'g'"),
    ],
)
def test_a_missing_object_is_one_line_naming_the_argument_and_the_name(
    deploy: Deploy, args: dict[str, Any], expected: str
) -> None:
    # the providers' texts (mocks.NotFound) name neither; authentik answers 200 with no
    # result (../shared/reference/wire/21-error-miss-group.jsonl)
    with pytest.raises(MissingObjectError) as caught:
        deploy(args)
    assert str(caught.value) == expected


def test_names_that_must_be_unique_replace_delete_first(deploy: Deploy) -> None:
    seen: dict[str, bool | None] = {}

    def record(args: pulumi.ResourceTransformationArgs) -> None:
        seen[args.name] = args.opts.delete_before_replace

    def program() -> None:
        # SDK-side transformations reach children; the mock engine runs no transforms
        HarborAuthentikSSO(
            "h",
            {**GUIDE, "extra_scope_mappings": [{"scope_name": "t", "expression": "return {}"}]},
            pulumi.ResourceOptions(transformations=[record]),
        )

    deploy(program=program)
    assert seen["h-provider"] is True
    assert seen["h-application"] is True
    assert seen["h-scope-t"] is True


def test_explicit_providers_reach_every_child_and_look_up(deploy: Deploy) -> None:
    def program() -> None:
        ak = authentik.Provider("ak", url="https://authentik.company", token="t")
        hb = harbor.Provider("hb", url="https://harbor.company", insecure=False)
        HarborAuthentikSSO(
            "h",
            {
                **GUIDE,
                "allowed_groups": ["harbor-users"],
                "extra_scope_mappings": [{"scope_name": "t", "expression": "return {}"}],
            },
            pulumi.ResourceOptions(providers={"authentik": ak, "harbor": hb}),
        )

    run = deploy(program=program)
    children = [r for r in run.mocks.resources if r.name.startswith("h-")]
    assert len(children) == 5
    for child in children:
        expected = "hb" if child.type.startswith("harbor:") else "ak"
        assert f"::{expected}::" in child.provider, (child.name, child.provider)
    assert run.mocks.invokes and all("::ak::" in i.provider for i in run.mocks.invokes)


def test_look_ups_are_shared_between_components(deploy: Deploy) -> None:
    def program() -> None:
        for i in range(5):
            HarborAuthentikSSO(
                f"h{i}", {**GUIDE, "slug": f"harbor-{i}", "allowed_groups": ["harbor-users"]}
            )

    run = deploy(program=program)
    # two flows, one key pair, one mapping list, one group: as for a single component
    assert len(run.mocks.invokes) == 5
    assert len(run.all("ProviderOauth2")) == 5


def test_one_component_costs_four_look_ups(deploy: Deploy) -> None:
    assert sorted(i.token.rsplit(":", 1)[-1] for i in deploy().mocks.invokes) == [
        "getCertificateKeyPair",
        "getFlow",
        "getFlow",
        "getPropertyMappingProviderScope",
    ]


def test_look_ups_are_per_authentik_provider(deploy: Deploy) -> None:
    def program() -> None:
        for i in range(2):
            url = f"https://a{i}.example"
            ak = authentik.Provider(f"ak{i}", url=url, token="t")
            args = {**GUIDE, "authentik_url": url}
            HarborAuthentikSSO(f"h{i}", args, pulumi.ResourceOptions(providers={"authentik": ak}))  # type: ignore[arg-type]

    assert len(deploy(program=program).mocks.invokes) == 8


def test_a_failure_naming_several_mappings_names_every_scope(
    deploy: Deploy, mocks: AuthentikHarborMocks
) -> None:
    def refuse(inputs: Any) -> dict[str, Any]:
        names = " and ".join(MANAGED_MAPPING_PREFIX + s for s in ("email", "profile"))
        raise ApiError(f"400 Bad Request: {names} are not available choices")

    mocks._scope_mappings = refuse  # type: ignore[method-assign]
    with pytest.raises(MissingObjectError, match=r"for email, profile \(") as caught:
        deploy()
    assert f"{MANAGED_MAPPING_PREFIX}email, {MANAGED_MAPPING_PREFIX}profile is not" in str(
        caught.value
    )


def test_custom_mappings_follow_the_managed_ones_on_the_provider(deploy: Deploy) -> None:
    run = deploy({"extra_scope_mappings": [{"scope_name": "tenant", "expression": "return {}"}]})
    managed = sorted(stable_uuid("mapping", MANAGED_MAPPING_PREFIX + s) for s in MANAGED_SCOPES)
    custom = stable_uuid(
        "authentik:index/propertyMappingProviderScope:PropertyMappingProviderScope",
        "harbor-scope-tenant",
    )
    assert run.one("ProviderOauth2").inputs["propertyMappings"] == [*managed, custom]


def test_components_with_different_keys_and_scopes_do_not_share_look_ups() -> None:
    mocks = AuthentikHarborMocks(permissive=True)

    def program() -> None:
        HarborAuthentikSSO("a", {**GUIDE, "slug": "a", "signing_key": "key A"})
        HarborAuthentikSSO(
            "b", {**GUIDE, "slug": "b", "signing_key": "key B", "scopes": ["openid"]}
        )

    with mock_engine(mocks):
        run_program(program)
    run = Run(mocks, {})
    providers = {p.name: p.inputs for p in run.all("ProviderOauth2")}
    assert providers["a-provider"]["signingKey"] == stable_uuid("certificate", "key A")
    assert providers["b-provider"]["signingKey"] == stable_uuid("certificate", "key B")
    assert providers["b-provider"]["propertyMappings"] == [
        stable_uuid("mapping", MANAGED_MAPPING_PREFIX + "openid")
    ]
    assert len(providers["a-provider"]["propertyMappings"]) == 4


def test_look_ups_outside_a_program_are_not_shared() -> None:
    # no resource monitor (imported, not run by the engine): a fresh table each time
    first = lookups_for(AuthentikLookups, None)
    assert isinstance(first, AuthentikLookups)
    assert lookups_for(AuthentikLookups, None) is not first


def test_the_component_registers_its_outputs_with_the_secret_kept_secret(
    deploy: Deploy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the engine stores a component's outputs from RegisterResourceOutputs; the SDK's mock
    # monitor drops them, so the request is read here
    monitor = runtime_settings.get_monitor()
    assert monitor is not None
    registered: dict[str, Any] = {}
    register = monitor.RegisterResourceOutputs

    def recording(request: Any) -> Any:
        registered[request.urn] = request.outputs
        return register(request)

    monkeypatch.setattr(monitor, "RegisterResourceOutputs", recording)
    deploy()
    [outputs] = [o for urn, o in registered.items() if urn.endswith("HarborAuthentikSSO::harbor")]
    assert sorted(outputs.fields) == sorted(OUTPUTS)
    # the wire's secret marker (pulumi sdk/go/common/resource/sig.go `Secret`)
    secret = outputs.fields["client_secret"].struct_value.fields
    assert secret["4dabf18193072939515e22adb298388d"].string_value == (
        "1b47061264138c4ac30d75fd1eb44270"
    )
