"""Pure validation: no Pulumi runtime involved."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from harbor_sso.offline.mocks import AuthentikHarborMocks, run_program
from harbor_sso.validation import (
    ARGUMENTS,
    ConfigError,
    check_client_secret,
    got,
    resolve,
    validate,
)

BASE = {"harbor_url": "https://harbor.company", "authentik_url": "https://authentik.company"}


def problems(**args: Any) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        validate({**BASE, **args})
    return caught.value.problems


def test_defaults_match_the_guide_fixed_for_current_authentik() -> None:
    s = validate(BASE)
    assert s.redirect_uri == "https://harbor.company/c/oidc/callback"
    assert s.oidc_endpoint == "https://authentik.company/application/o/harbor/"
    assert s.discovery_url == (
        "https://authentik.company/application/o/harbor/.well-known/openid-configuration"
    )
    assert s.launch_url == "https://harbor.company/c/oidc/login"
    assert s.oidc_scope == "openid,profile,email,offline_access"
    assert (s.slug, s.application_name, s.effective_provider_name) == ("harbor", "Harbor", "Harbor")
    assert (s.oidc_provider_name, s.user_claim, s.groups_claim) == (
        "authentik",
        "preferred_username",
        "groups",
    )
    assert (s.auto_onboard, s.verify_cert, s.primary_auth_mode, s.open_in_new_tab) == (
        True,
        True,
        False,
        False,
    )
    assert s.policy_engine_mode == "any"
    assert s.authorization_flow == "default-provider-authorization-implicit-consent"
    assert s.invalidation_flow == "default-provider-invalidation-flow"
    assert s.signing_key == "authentik Self-signed Certificate"
    assert s.allowed_groups == () and s.extra_scope_mappings == ()
    assert s.admin_group is s.group_filter is s.sub_mode is None
    assert s.access_token_validity is s.refresh_token_validity is None


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("https://harbor.company/", "https://harbor.company"),
        ("https://harbor.company///", "https://harbor.company"),
        ("HTTPS://Harbor.Company:8443/", "https://harbor.company:8443"),
        ("http://harbor.lan/registry/", "http://harbor.lan/registry"),
    ],
)
def test_urls_are_normalised_once(typed: str, normalised: str) -> None:
    s = validate({**BASE, "harbor_url": typed, "authentik_url": typed})
    assert s.harbor_url == s.authentik_url == normalised
    assert s.redirect_uri == normalised + "/c/oidc/callback"
    assert s.oidc_endpoint == normalised + "/application/o/harbor/"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not-a-url", "http(s) URL"),
        ("ftp://harbor.company", "http(s) URL"),
        ("https://", "must name a host"),
        ("https://harbor.company/?x=1", "query or a fragment"),
        ("https://harbor.company/#top", "query or a fragment"),
        ("https://harbor company", "white space"),
        ("https://harbor.company:99999", "invalid port"),
    ],
)
def test_bad_urls_name_the_argument_and_value(value: str, reason: str) -> None:
    [(field, message)] = problems(harbor_url=value)
    assert field == "harbor_url"
    assert reason in message
    assert repr(value) in message


def test_url_credentials_are_rejected_and_never_echoed() -> None:
    [(field, message)] = problems(authentik_url="https://admin:hunter2@authentik.company")
    assert field == "authentik_url"
    assert "credentials" in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("slug", "har bor", "slug"),
        ("slug", "harbor/x", "slug"),
        ("slug", "h" * 51, "at most 50"),
        ("slug", "", "slug"),
        ("scopes", ["profile", "email"], "must contain 'openid'"),
        ("scopes", ["openid", "groups"], "neither an authentik managed scope"),
        ("scopes", ["openid", "openid"], "listed twice"),
        ("scopes", ["openid", "a,b"], "scope token"),
        ("group_filter", "(unclosed", "regular expression"),
        ("access_token_validity", "10 minutes", "hours=1;minutes=2;seconds=3"),
        ("access_token_validity", "minutes=ten", "bad number"),
        ("refresh_token_validity", "fortnights=2", "hours=1;minutes=2;seconds=3"),
        ("refresh_token_validity", "days=-1", "negative"),
        ("refresh_token_validity", "days=0", "longer than zero"),
        ("sub_mode", "user_nickname", "hashed_user_id"),
        ("policy_engine_mode", "most", "'any' or 'all'"),
        ("signing_key", "", "must not be empty"),
        ("user_claim", "  ", "must not be empty"),
        ("groups_claim", "", "must not be empty"),
        ("oidc_provider_name", "", "must not be empty"),
        ("application_name", "", "must not be empty"),
        ("authorization_flow", "", "must not be empty"),
        ("admin_group", " admins", "white space"),
        ("allowed_groups", ["ok", ""], "must not be empty"),
        ("allowed_groups", ["a", "a"], "listed twice"),
        ("client_id", "x" * 256, "at most 255"),
        ("client_id", "", "must not be empty"),
        ("open_in_new_tab", "yes", "boolean"),
        ("verify_cert", 1, "boolean"),
        ("slug", 7, "string"),
    ],
)
def test_rejections_name_the_argument_and_the_value(field: str, value: Any, reason: str) -> None:
    found = problems(**{field: value})
    assert found, "expected a problem"
    where, message = found[0]
    assert where.split("[")[0] == field
    assert reason in message
    assert "got" in message


def test_extra_scope_mapping_errors_point_into_the_list() -> None:
    found = problems(
        extra_scope_mappings=[
            {"scope_name": "groups", "expression": "return {}"},
            {"scope_name": "openid", "expression": "return {}"},
        ]
    )
    assert found[0][0] == "extra_scope_mappings"
    assert "managed scopes" in found[0][1]
    found = problems(extra_scope_mappings=[{"scope_name": "groups", "expression": ""}])
    assert found[0][0] == "extra_scope_mappings[0].expression"
    found = problems(extra_scope_mappings=[{"scope_name": "g", "expresion": "x"}])
    assert (
        "extra_scope_mappings[0].expresion",
        "unknown argument; did you mean 'expression'?",
    ) in found


def test_unknown_arguments_are_named_without_their_value() -> None:
    found = problems(client_secrett="s3cr3t-value", slugg="x")
    assert ("client_secrett", "unknown argument; did you mean 'client_secret'?") in found
    assert ("slugg", "unknown argument; did you mean 'slug'?") in found
    assert "s3cr3t-value" not in str(ConfigError(found))


def test_every_problem_is_reported_at_once() -> None:
    found = problems(harbor_url="nope", slug="a b", sub_mode="x")
    assert {f for f, _ in found} == {"harbor_url", "slug", "sub_mode"}


def test_none_means_default() -> None:
    s = validate({**BASE, "slug": None, "scopes": None, "verify_cert": None})
    assert (s.slug, s.verify_cert) == ("harbor", True)
    assert s.scopes == ("openid", "profile", "email", "offline_access")


def test_not_a_mapping() -> None:
    with pytest.raises(ConfigError) as caught:
        validate(["harbor_url"])  # type: ignore[arg-type]
    assert caught.value.problems[0][0] == "arguments"


def test_extra_scopes_are_requested_after_the_listed_ones() -> None:
    s = validate(
        {
            **BASE,
            "scopes": ["openid", "profile", "groups"],
            "extra_scope_mappings": [
                {"scope_name": "groups", "expression": "return {}"},
                {"scope_name": "tenant", "expression": "return {}"},
            ],
        }
    )
    assert s.oidc_scope == "openid,profile,groups,tenant"
    assert s.managed_mappings == (
        "goauthentik.io/providers/oauth2/scope-openid",
        "goauthentik.io/providers/oauth2/scope-profile",
    )


def test_client_id_is_derived_stable_and_unique_per_slug() -> None:
    a = validate(BASE).effective_client_id
    assert a == validate(BASE).effective_client_id
    assert len(a) == 40 and a.isalnum()
    assert validate({**BASE, "slug": "harbor-eu"}).effective_client_id != a
    assert validate({**BASE, "harbor_url": "https://other"}).effective_client_id == a
    assert validate({**BASE, "client_id": "mine"}).effective_client_id == "mine"


def test_validity_accepts_authentik_formats() -> None:
    s = validate(
        {
            **BASE,
            "access_token_validity": "hours=1;minutes=2;seconds=3",
            "refresh_token_validity": "days=30",
        }
    )
    assert s.access_token_validity == "hours=1;minutes=2;seconds=3"


@pytest.mark.parametrize("secret", ["", "  padded ", "x" * 256, 42])
def test_bad_client_secret_is_rejected_without_echo(secret: Any) -> None:
    with pytest.raises(ConfigError) as caught:
        check_client_secret(secret)
    assert caught.value.problems[0][0] == "client_secret"
    if isinstance(secret, str) and secret.strip():
        assert secret.strip() not in str(caught.value)


def test_arguments_table_matches_the_typed_dict() -> None:
    from harbor_sso.args import HarborAuthentikSSOArgs

    assert set(HarborAuthentikSSOArgs.__annotations__) == set(ARGUMENTS)


@pytest.mark.usefixtures("mocks")  # an Output needs the runtime's event loop
def test_outputs_defer_validation_but_plain_values_fail_now() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve({**BASE, "harbor_url": pulumi.Output.from_input("https://x"), "slug": "a b"})
    assert caught.value.problems[0][0] == "slug"


@pytest.mark.usefixtures("mocks")
def test_structural_arguments_must_be_plain() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve({**BASE, "allowed_groups": pulumi.Output.from_input(["a"])})
    assert caught.value.problems[0][0] == "allowed_groups"
    assert "plain value" in caught.value.problems[0][1]


def test_error_lines_can_rename_arguments() -> None:
    err = ConfigError([("harbor_url", "bad")])
    assert err.lines(lambda f: f.upper()) == ["HARBOR_URL: bad"]
    assert "harbor_url: bad" in str(err)


@pytest.mark.parametrize(
    ("url", "warns"),
    [
        ("http://localhost:8080", False),
        ("http://registry.localhost", False),
        ("http://127.0.0.2", False),
        ("http://[::1]:8080", False),
        ("http://harbor.company", True),
        ("http://10.0.0.5", True),
        ("http://localhost.company", True),
        ("https://harbor.company", False),
    ],
)
def test_plain_http_warns_unless_it_stays_on_this_machine(url: str, warns: bool) -> None:
    found = [w for w in validate({**BASE, "harbor_url": url}).warnings() if w[0] == "harbor_url"]
    assert bool(found) is warns


def test_a_bad_group_filter_is_reported_once_by_us_not_by_re2s_logger(
    capfd: pytest.CaptureFixture[str],
) -> None:
    assert problems(group_filter="(?=x)")[0][0] == "group_filter"
    assert capfd.readouterr().err == ""


def test_every_warning_says_why_and_what_to_do() -> None:
    settings = validate(
        {
            "harbor_url": "http://harbor.company",
            "authentik_url": "https://authentik.company",
            "scopes": ["openid"],
            "group_filter": "^ops",
            "project_roles": {"library": {"devs": "developer"}},
        }
    )
    assert settings.warnings() == [
        (
            "harbor_url",
            "http:// to harbor.company, not this machine: tokens and the client secret would "
            "cross the network unencrypted; use https://",
        ),
        (
            "scopes",
            "'offline_access' is not requested, so authentik issues no refresh token and "
            "Harbor's CLI secret for `docker login` dies with the token",
        ),
        (
            "project_roles.library.devs",
            "group 'devs' does not match group_filter '^ops': Harbor never attaches it to a "
            "user, so the role never applies",
        ),
    ]


@pytest.mark.parametrize(("given", "kind"), [([], "list"), ("harbor", "str"), (None, "NoneType")])
def test_arguments_that_are_not_a_mapping_say_what_they_are(given: Any, kind: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(given)
    assert caught.value.problems == [("arguments", f"must be a mapping; got {kind}")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("minutes=1=2", "has a bad number '1=2' for minutes"),
        ("hours=1;minutes=-1", "has a negative minutes"),
        ("minutes=0;seconds=0", "must be longer than zero"),
        (
            "1h",
            "must look like 'hours=1;minutes=2;seconds=3' with units days, hours, "
            "microseconds, milliseconds, minutes, seconds, weeks",
        ),
    ],
)
def test_validity_messages(value: str, message: str) -> None:
    assert problems(access_token_validity=value) == [
        ("access_token_validity", f"{message}; got {value!r}")
    ]


def test_validity_parts_add_up() -> None:
    # a zero part after a positive one must not reset the total
    assert validate({**BASE, "refresh_token_validity": "hours=1;minutes=0"}) is not None


def test_the_client_id_may_use_all_255_characters() -> None:
    assert validate({**BASE, "client_id": "c" * 255}).client_id == "c" * 255
    [(field, message)] = problems(client_id="c" * 256)
    assert (field, message.split(";")[0]) == ("client_id", "must be at most 255 characters")


def test_a_bad_group_filter_says_what_re2_says() -> None:
    assert problems(group_filter="(?=x)") == [
        (
            "group_filter",
            "is not a valid RE2 regular expression (invalid perl operator: (?=); got '(?=x)'",
        )
    ]


def test_a_config_error_reads_as_one_line_per_problem() -> None:
    error = ConfigError([("slug", "bad one"), ("scopes", "bad two")])
    assert str(error) == "invalid HarborAuthentikSSO arguments:\n  slug: bad one\n  scopes: bad two"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"slug": "Harbor-EU_1"}, None),
        ({"slug": "h" * 50}, None),
        ({"slug": "h" * 51}, ("slug", "must be at most 50 characters; got " + repr("h" * 51))),
        ({"slug": "a/b"}, ("slug", "must be a slug: letters, digits, '-' and '_' only; got 'a/b'")),
        (
            {"application_name": " Harbor"},
            ("application_name", "must not start or end with white space; got ' Harbor'"),
        ),
        (
            {
                "scopes": ["openid", "Team:Read"],
                "extra_scope_mappings": [{"scope_name": "Team:Read", "expression": "return {}"}],
            },
            None,
        ),
        (
            {"scopes": ["openid", "a,b"]},
            (
                "scopes[1]",
                "must be a scope token: printable ASCII, no space, quote, comma or '\\'; got 'a,b'",
            ),
        ),
    ],
)
def test_exact_messages_and_edges(args: dict[str, Any], expected: tuple[str, str] | None) -> None:
    if expected is None:
        assert validate({**BASE, **args}) is not None
    else:
        assert problems(**args) == [expected]


def test_a_required_argument_is_named() -> None:
    with pytest.raises(ConfigError) as caught:
        validate({"harbor_url": "https://harbor.company"})
    assert caught.value.problems == [("authentik_url", "is required")]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("x" * 78, "'" + "x" * 78 + "'"),  # 80 characters with the quotes: whole
        ("x" * 79, "'" + "x" * 76 + "..."),  # 81: cut to 77 and marked
        ("https://user:pw@h.example/x", "'https://[redacted]@h.example/x'"),
    ],
)
def test_got_shows_a_value_short_and_redacted(value: str, shown: str) -> None:
    assert got(value) == f"; got {shown}"
    assert got(value, secret=True) == "; got [secret]"


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (42, "must be a string; got a int"),
        ("s" * 256, "must be at most 255 characters"),
        (" s", "must be non-empty, without surrounding white space"),
    ],
)
def test_client_secret_messages_never_show_it(secret: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_client_secret(secret)
    assert caught.value.problems == [("client_secret", message)]
    check_client_secret("s" * 255)  # the longest that is fine


def test_resolve_names_outputs_where_plain_values_are_needed(mocks: AuthentikHarborMocks) -> None:
    # Outputs only inside a program on the mock engine: one made on a loop of its own
    # stays tracked by the runtime and the next program waits for it forever.
    caught: list[ConfigError] = []

    def program() -> None:
        deferred = pulumi.Output.from_input(["openid"])
        with pytest.raises(ConfigError) as error:
            resolve({**BASE, "scopes": deferred, "scopez": deferred})
        caught.append(error.value)

    run_program(program)
    assert caught[0].problems == [
        ("scopes", "must be a plain value, not an Output: it decides which resources exist"),
        ("scopez", "unknown argument; did you mean 'scopes'?"),
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://harbor company", "must not contain white space"),
        ("https://harbor.company/?x=1", "must not have a query or a fragment"),
        ("https://harbor.company/#top", "must not have a query or a fragment"),
        ("https:///path", "must name a host"),
        ("https://admin@harbor.company", "must not carry credentials"),
        ("https://admin:pw@harbor.company", "must not carry credentials"),
        ("https://harbor.company:99999", "has an invalid port"),
    ],
)
def test_url_messages(url: str, message: str) -> None:
    [(field, text)] = problems(harbor_url=url)
    assert (field, text.split(";")[0]) == ("harbor_url", message)
    assert "pw@" not in text


def test_a_url_path_keeps_everything_but_trailing_slashes() -> None:
    assert validate({**BASE, "harbor_url": "https://H.example/BOX//"}).harbor_url == (
        "https://h.example/BOX"
    )


def test_argument_names_must_be_strings() -> None:
    with pytest.raises(ConfigError) as caught:
        validate({**BASE, 7: "x"})  # type: ignore[dict-item]
    assert caught.value.problems == [("arguments", "argument names must be strings")]


def test_a_nested_unknown_key_named_like_the_key_marker_is_named() -> None:
    entry = {"scope_name": "t", "expression": "return {}", "[key]": 1}
    assert problems(extra_scope_mappings=[entry]) == [
        ("extra_scope_mappings[0].[key]", "unknown argument (a typo?)")
    ]
