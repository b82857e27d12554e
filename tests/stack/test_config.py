"""Stack config -> arguments: names, types and errors by config key (pure)."""

from __future__ import annotations

import pytest

from harbor_sso.stack.config import (
    ARGUMENT_KEYS,
    BOOL_FIELDS,
    ENCRYPTED_PLACEHOLDER,
    PROGRAM_BOOL_KEYS,
    PROGRAM_KEYS,
    config_key,
    load,
    placeholder,
)
from harbor_sso.validation import PLAIN_FIELDS, ConfigError

BASE = {
    "harbor-sso:harborUrl": "https://harbor.company",
    "harbor-sso:authentikUrl": "https://authentik.company",
    "harbor-sso:authentikToken": "tok",
}


def problems(**extra: str) -> list[tuple[str, str]]:
    config = {**BASE, **{f"harbor-sso:{k}": v for k, v in extra.items()}}
    with pytest.raises(ConfigError) as caught:
        load(config, frozenset({"harbor-sso:authentikToken"}))
    return caught.value.problems


def test_keys_are_camel_case_and_typed() -> None:
    cfg = load(
        {
            **BASE,
            "harbor-sso:slug": "reg",
            "harbor-sso:verifyCert": "false",
            "harbor-sso:allowedGroups": '["a", "b"]',
            "harbor-sso:extraScopeMappings": '[{"scopeName": "x", "expression": "return {}"}]',
        }
        | {"harbor-sso:extraScopeMappings": '[{"scope_name": "x", "expression": "return {}"}]'}
    )
    assert cfg.settings.slug == "reg"
    assert cfg.settings.verify_cert is False
    assert cfg.settings.allowed_groups == ("a", "b")
    assert cfg.settings.extra_scope_mappings[0].scope_name == "x"


def test_api_urls_default_to_public_urls_and_tls_is_verified() -> None:
    cfg = load(BASE)
    assert (cfg.authentik_api_url, cfg.harbor_api_url) == (
        "https://authentik.company",
        "https://harbor.company",
    )
    assert (cfg.authentik_insecure, cfg.harbor_insecure, cfg.protect) == (False, False, False)


def test_opting_out_of_tls_is_explicit() -> None:
    cfg = load({**BASE, "harbor-sso:harborInsecure": "true"})
    assert (cfg.authentik_insecure, cfg.harbor_insecure) == (False, True)


def test_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_USERNAME", "admin")
    monkeypatch.setenv("HARBOR_PASSWORD", "pw")
    monkeypatch.setenv("AUTHENTIK_TOKEN", "env-token")
    config = {k: v for k, v in BASE.items() if not k.endswith("authentikToken")}
    assert load(config).credentials == {
        "authentikToken": "env-token",
        "harborUsername": "admin",
        "harborPassword": "pw",
    }
    # config wins over the environment
    assert load(BASE).credentials["authentikToken"] == "tok"


@pytest.mark.parametrize(
    ("extra", "key", "reason"),
    [
        ({"harborUrl": "not-a-url"}, "harbor-sso:harborUrl", "http(s) URL"),
        ({"verifyCert": "yes"}, "harbor-sso:verifyCert", "true or false"),
        ({"allowedGroups": "admins"}, "harbor-sso:allowedGroups", "YAML list"),
        ({"slugg": "x"}, "harbor-sso:slugg", "unknown config key"),
        ({"subMode": "x"}, "harbor-sso:subMode", "hashed_user_id"),
        (
            {"extraScopeMappings": '[{"scope_name": "x", "expression": ""}]'},
            "harbor-sso:extraScopeMappings[0].scopeName".replace("scopeName", "expression"),
            "must not be empty",
        ),
        ({"harborApiUrl": "ftp://x"}, "harbor-sso:harborApiUrl", "http(s) URL"),
        ({"clientSecret": " "}, "harbor-sso:clientSecret", "non-empty"),
    ],
)
def test_errors_name_the_config_key(extra: dict[str, str], key: str, reason: str) -> None:
    found = problems(**extra)
    assert any(k == key and reason in m for k, m in found), found


def test_required_keys() -> None:
    with pytest.raises(ConfigError) as caught:
        load({})
    keys = {k for k, _ in caught.value.problems}
    assert {"harbor-sso:harborUrl", "harbor-sso:authentikUrl", "harbor-sso:authentikToken"} <= keys


def test_other_namespaces_are_ignored() -> None:
    assert load({**BASE, "authentik:url": "x", "harbor:insecure": "true"}).harbor_insecure is False


@pytest.mark.parametrize(
    "key",
    sorted(
        k
        for k in [*ARGUMENT_KEYS, *PROGRAM_KEYS]
        if ARGUMENT_KEYS.get(k) not in PLAIN_FIELDS | {"client_secret"}
    ),
)
def test_the_stand_in_for_an_encrypted_key_is_valid_and_typed(key: str) -> None:
    # what plan hands the program instead of ciphertext must pass every check
    value = placeholder(key)
    cfg = load({**BASE, f"harbor-sso:{key}": value}, frozenset({f"harbor-sso:{key}"}))
    if key in PROGRAM_BOOL_KEYS or ARGUMENT_KEYS.get(key) in BOOL_FIELDS:
        assert value in ("true", "false")
    if key in ("authentikApiUrl", "harborApiUrl"):
        assert getattr(cfg, camel_to_snake(key)) == "https://deferred.invalid"
    assert value != ENCRYPTED_PLACEHOLDER or key in (
        "harborUsername",
        "authentikToken",
        "harborPassword",
    )


def camel_to_snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ('["tenant"]', ("harbor-sso:extraScopeMappings[0]", "Input should be a valid dictionary")),
        (
            '[{"scopeName": "t", "expression": "", "tenant": 1}]',
            ("harbor-sso:extraScopeMappings[0].expression", "must not be empty"),
        ),
    ],
)
def test_scope_mapping_entries_are_named_by_their_config_path(
    raw: str, problem: tuple[str, str]
) -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, "harbor-sso:extraScopeMappings": raw})
    found = {field: message for field, message in caught.value.problems}
    assert found[problem[0]].startswith(problem[1]), found


def test_exact_messages_for_a_missing_token_and_a_bad_structure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AUTHENTIK_TOKEN", raising=False)
    config = {k: v for k, v in BASE.items() if not k.endswith("Token")}
    with pytest.raises(ConfigError) as caught:
        load({**config, "harbor-sso:allowedGroups": "not json"})
    assert caught.value.problems == [
        (
            "harbor-sso:allowedGroups",
            "must be a YAML list or map (JSON when set by hand); got 'not json'",
        ),
        (
            "harbor-sso:authentikToken",
            "is required: `pulumi config set --secret harbor-sso:authentikToken ...` "
            "or AUTHENTIK_TOKEN in the environment",
        ),
    ]


@pytest.mark.parametrize(
    "key", ["authentikApiUrl", "harborApiUrl", "protect", "verifyCert", "slug"]
)
@pytest.mark.parametrize("encrypted", [True, False])
def test_a_bad_program_value_is_shown_unless_encrypted(key: str, encrypted: bool) -> None:
    full = f"harbor-sso:{key}"
    with pytest.raises(ConfigError) as caught:
        load({**BASE, full: "ftp://CANARY"}, frozenset({full}) if encrypted else frozenset())
    [(field, message)] = caught.value.problems
    assert field == full
    assert message.endswith("; got [secret]" if encrypted else "; got 'ftp://CANARY'")


def test_the_old_namespace_config_form_is_not_silently_ignored() -> None:
    # `<ns>:config:<key>`: the engine's compatibility form of a key (resource/config/key.go)
    with pytest.raises(ConfigError) as caught:
        load({**BASE, "harbor-sso:config:slug": "x"})
    assert caught.value.problems == [("harbor-sso:config:slug", "unknown config key (a typo?)")]


def test_a_scope_mapping_field_is_named_in_camel_case() -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, "harbor-sso:extraScopeMappings": '[{"scopeName": "a b", "expression": "x"}]'})
    [(field, _)] = caught.value.problems
    assert field == "harbor-sso:extraScopeMappings[0].scopeName"


def test_scope_mappings_given_as_a_map_are_refused_as_a_whole() -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, "harbor-sso:extraScopeMappings": '{"scopeName": "t"}'})
    [(field, message)] = caught.value.problems
    assert field == "harbor-sso:extraScopeMappings"
    assert message.startswith("Input should be a valid tuple")


@pytest.mark.parametrize(
    ("argument", "key"),
    [
        ("adopt", "harbor-sso:adopt"),
        ("adopt.config_auth", "harbor-sso:adopt.configAuth"),
        ("adopt.bindings.ops_team", "harbor-sso:adopt.bindings.ops_team"),  # a group, as written
        ("project_roles.team_a.dev_ops", "harbor-sso:projectRoles.team_a.dev_ops"),
        ("extra_scope_mappings[0].scope_name", "harbor-sso:extraScopeMappings[0].scopeName"),
    ],
)
def test_config_keys_camel_case_field_names_only(argument: str, key: str) -> None:
    assert config_key(argument) == key


def test_adopt_keys_are_camel_case_in_a_stack_and_unknown_ones_are_named() -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, "harbor-sso:adopt": '{"providr": "12", "configAuth": "/x"}'})
    assert sorted(caught.value.problems) == [
        (
            "harbor-sso:adopt.configAuth",
            "must be '/configurations': Harbor has one auth configuration; got '/x'",
        ),
        ("harbor-sso:adopt.providr", "unknown argument; did you mean 'provider'?"),
    ]


def test_a_project_named_like_an_adopt_key_keeps_its_name() -> None:
    with pytest.raises(ConfigError) as caught:
        load({**BASE, "harbor-sso:projectRoles": '{"configAuth": {"g": "guest"}}'})
    [(key, _)] = caught.value.problems
    assert key == "harbor-sso:projectRoles.configAuth"
