"""Hostile input, determinism, TLS defaults and secret rotation."""

from __future__ import annotations

from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbor_sso import ConfigError, HarborAuthentikSSO, HarborAuthentikSSOArgs
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from harbor_sso.stack.config import ARGUMENT_KEYS, PROGRAM_KEYS, load
from harbor_sso.validation import ARGUMENTS, validate
from tests.support import GUIDE, Run, examples, unwrap

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["https://h.example", "openid", "any", "days=1", "(", "", " x "]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.lists(st.dictionaries(st.text(max_size=12), SCALARS, max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=12), SCALARS, max_size=3),
)
KEYS = st.one_of(st.sampled_from(sorted(ARGUMENTS)), st.text(max_size=15))
ARGS = st.dictionaries(KEYS, VALUES, max_size=8).map(lambda extra: {**GUIDE, **extra})


@settings(max_examples=examples(300), deadline=None)
@given(ARGS)
def test_any_arguments_validate_or_name_a_field(args: dict[str, Any]) -> None:
    try:
        validate(args)
    except ConfigError as exc:
        assert exc.problems
        for field, _ in exc.problems:
            if field in args:  # an unknown key, named as given
                continue
            head = field.split(".")[0].split("[")[0]
            assert head in ARGUMENTS or head in args or head == "''", field


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARGS)
def test_invalid_arguments_never_register_a_child(args: dict[str, Any]) -> None:
    def program() -> None:
        HarborAuthentikSSO("h", cast(HarborAuthentikSSOArgs, args))  # invalid on purpose

    mocks = AuthentikHarborMocks(permissive=True)
    with mock_engine(mocks):
        try:
            run_program(program)
        except ConfigError:
            assert mocks.resources == []
            assert mocks.invokes == []


CONFIG_KEYS = st.one_of(
    st.sampled_from(sorted({*ARGUMENT_KEYS, *PROGRAM_KEYS})).map(lambda k: f"harbor-sso:{k}"),
    st.text(max_size=12).map(lambda k: f"harbor-sso:{k}"),
)


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(CONFIG_KEYS, st.text(max_size=30), max_size=8))
def test_any_stack_config_loads_or_names_a_key(config: dict[str, str]) -> None:
    try:
        load(config)
    except ConfigError as exc:
        for key, _ in exc.problems:
            assert key.startswith("harbor-sso:"), key


def _inputs(run: Run) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for r in run.mocks.resources:
        inputs = dict(r.inputs)
        if "oidcClientSecret" in inputs:  # authentik generates a new one each time
            inputs["oidcClientSecret"] = "generated"
        out[(r.type, r.name)] = inputs
    return out


RICH = {
    "slug": "reg",
    "allowed_groups": ["harbor-users", "ops team"],
    "admin_group": "harbor-admins",
    "extra_scope_mappings": [{"scope_name": "tenant", "expression": "return {}"}],
    "refresh_token_validity": "days=7",
}


def _deploy_once(args: dict[str, Any]) -> Run:
    mocks = AuthentikHarborMocks(groups=("harbor-users", "ops team"))
    with mock_engine(mocks):

        def program() -> None:
            HarborAuthentikSSO("h", cast(HarborAuthentikSSOArgs, {**GUIDE, **args}))

        return Run(mocks, run_program(program))


def test_same_arguments_same_inputs() -> None:
    first, second = _deploy_once(RICH), _deploy_once(RICH)
    assert _inputs(first) == _inputs(second)
    assert len(_inputs(first)) == 7


def test_tls_is_verified_by_default_on_both_providers() -> None:
    from harbor_sso.offline.plan import plan
    from harbor_sso.offline.stackfile import read_stack
    from tests.support import ROOT

    for stack in ("dev", "staging", "prod"):
        result = plan(read_stack(ROOT, stack))
        providers = {
            r["name"]: r["inputs"]
            for r in result["resources"]
            if r["type"].startswith("pulumi:providers:")
        }
        assert providers["authentik"]["insecure"] == "false"
        assert providers["harbor"]["insecure"] == "false"


def test_a_stack_opts_out_of_tls_explicitly() -> None:
    from harbor_sso.stack.program import main

    config = {
        "harbor-sso:harborUrl": "https://harbor.company",
        "harbor-sso:authentikUrl": "https://authentik.company",
        "harbor-sso:authentikToken": "t",
        "harbor-sso:harborInsecure": "true",
    }
    mocks = AuthentikHarborMocks()
    with mock_engine(mocks, config=config):
        run_program(main)
    providers = {r.name: r.inputs for r in mocks.resources if r.type.startswith("pulumi:prov")}
    assert providers["harbor"]["insecure"] == "true"
    assert providers["authentik"]["insecure"] == "false"


@pytest.mark.parametrize("old", [None, "old-secret-1"])
def test_rotation_reaches_both_sides_in_one_up(old: str | None) -> None:
    before = _deploy_once({} if old is None else {"client_secret": old})
    after = _deploy_once({"client_secret": "new-secret-2"})
    provider = after.one("ProviderOauth2").inputs
    config = after.one("ConfigAuth").inputs
    assert unwrap(provider["clientSecret"]) == "new-secret-2"
    assert unwrap(config["oidcClientSecret"]) == "new-secret-2"
    assert unwrap(before.one("ConfigAuth").inputs["oidcClientSecret"]) != "new-secret-2"
    # nothing else changes: the rotation is an in-place update of both
    for key in ("clientId", "name", "allowedRedirectUris"):
        assert before.one("ProviderOauth2").inputs[key] == provider[key]
