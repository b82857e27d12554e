"""Names, groups and projects: what no real system takes is refused by argument; what is
valid but probably not meant is a warning (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbor_sso.text import controls, invisibles, scripts
from harbor_sso.validation import ARGUMENTS, ConfigError, suggestion, unknown_argument, validate
from tests.support import GUIDE

NAMES = [
    "application_name",
    "provider_name",
    "client_id",
    "oidc_provider_name",
    "user_claim",
    "groups_claim",
    "signing_key",
    "authorization_flow",
]
TEXTS = ["application_description", "application_publisher", "application_group"]


def problems(**args: object) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        validate({**GUIDE, **args})
    return dict(caught.value.problems)


@pytest.mark.parametrize("field", NAMES)
@given(ch=st.characters(categories=["Cc"]))
def test_a_control_character_in_a_name_is_refused_by_argument(field: str, ch: str) -> None:
    found = problems(**{field: f"a{ch}b"})
    assert (
        f"must not contain control characters ({ch.encode('unicode_escape').decode()})"
        in (found[field])
    )


@pytest.mark.parametrize("field", TEXTS)
def test_a_description_may_break_lines_but_holds_no_nul_or_escape(field: str) -> None:
    assert getattr(validate({**GUIDE, field: "one\n\ttwo\r\n"}), field) == "one\n\ttwo\r\n"
    for bad, shown in (("\x00", "\\x00"), ("\x1b[2J", "\\x1b"), ("\x7f", "\\x7f")):
        assert f"control characters ({shown})" in problems(**{field: f"a{bad}"})[field]


def test_a_scope_mapping_expression_is_code_with_line_breaks_but_no_nul() -> None:
    code = "return {\n\t'x': 1,\n}"
    mapping = {"scope_name": "x", "expression": code}
    assert (
        validate({**GUIDE, "extra_scope_mappings": [mapping]}).extra_scope_mappings[0].expression
        == code
    )
    found = problems(extra_scope_mappings=[{**mapping, "expression": "return 1\x00"}])
    assert "control characters (\\x00)" in found["extra_scope_mappings[0].expression"]


@given(st.characters(categories=["Cf"]))
def test_an_invisible_character_in_a_group_name_is_refused(ch: str) -> None:
    shown = ch.encode("unicode_escape").decode()
    found = problems(allowed_groups=[f"harbor{ch}-users"], admin_group=f"adm{ch}ins")
    assert f"invisible characters ({shown})" in found["allowed_groups[0]"]
    assert f"invisible characters ({shown})" in found["admin_group"]
    roles = problems(project_roles={"library": {f"dev{ch}s": "developer"}})
    assert f"invisible characters ({shown})" in roles[f"project_roles.library.dev{ch}s"]


@pytest.mark.parametrize(
    "project",
    [
        "Library",
        "LIBRARY",
        "my project",
        "-lib",
        "lib-",
        "lib..x",
        "lib__x",
        "a/b",
        "lib\u00e9",
        "x" * 256,
        "_x",
        "lib.-x",
    ],
)
def test_a_project_name_harbor_refuses_is_refused(project: str) -> None:
    found = problems(project_roles={project: {"devs": "developer"}})
    [(path, message)] = found.items()
    assert path == f"project_roles.{project}"
    assert "is not a Harbor project name" in message


@pytest.mark.parametrize("project", ["library", "a", "team-a.images_2", "x" * 255, "0-9"])
def test_a_project_name_harbor_takes_passes(project: str) -> None:
    assert project in validate({**GUIDE, "project_roles": {project: {"g": "guest"}}}).project_roles


def warnings(**args: object) -> list[tuple[str, str]]:
    return validate({**GUIDE, **args}).warnings()


def test_an_admin_group_outside_allowed_groups_is_a_warning() -> None:
    [(_, message)] = [
        w for w in warnings(admin_group="ops", allowed_groups=["devs"]) if w[0] == "admin_group"
    ]
    assert message == (
        "group 'ops' is not in allowed_groups: its members cannot log in, so Harbor has no "
        "OIDC administrator"
    )
    [(_, cased)] = [
        w for w in warnings(admin_group="Devs", allowed_groups=["devs"]) if w[0] == "admin_group"
    ]
    assert cased.endswith("(did you mean 'devs'?)")
    assert not [w for w in warnings(admin_group="ops") if w[0] == "admin_group"]  # all may log in
    assert not [
        w for w in warnings(admin_group="ops", allowed_groups=["ops"]) if w[0] == "admin_group"
    ]


@pytest.mark.parametrize(
    ("twins", "first", "second"),
    [
        (["devs", "Devs"], "devs", "Devs"),
        (["OPS", "x", "ops"], "OPS", "ops"),
        (["stra\u00dfe", "STRASSE"], "stra\u00dfe", "STRASSE"),
    ],
)
def test_groups_differing_only_in_case_are_a_warning(
    twins: list[str], first: str, second: str
) -> None:
    expected = f"groups {first!r} and {second!r} differ only in case: two groups"
    assert ("allowed_groups", expected) in warnings(allowed_groups=twins)
    roles = {"library": dict.fromkeys(twins, "guest")}
    assert ("project_roles.library", expected) in warnings(project_roles=roles)


def test_an_application_icon_warns_of_authentik_2025_12() -> None:
    [(_, message)] = [
        w for w in warnings(application_icon="https://x/i.png") if w[0] == "application_icon"
    ]
    assert "authentik 2025.12" in message
    assert "set_icon_url answers 405" in message
    assert not [w for w in warnings() if w[0] == "application_icon"]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("openInNewTab", "open_in_new_tab"),  # too far for difflib: found by its words
        ("HARBOR_URL", "harbor_url"),
        ("HarborUrl", "harbor_url"),
        ("Harbor-Url", "harbor_url"),
        ("slugg", "slug"),  # a typo: the closest spelling
        ("zzz", None),
    ],
)
def test_an_unknown_name_gets_the_one_meant(written: str, meant: str | None) -> None:
    assert suggestion(written, ARGUMENTS) == meant


def test_an_unknown_argument_is_named_with_the_one_meant_and_its_case_style() -> None:
    assert unknown_argument("harborUrl", ARGUMENTS) == (
        "unknown argument; did you mean 'harbor_url'? (Python arguments are snake_case)"
    )
    assert unknown_argument("slugg", ARGUMENTS) == "unknown argument; did you mean 'slug'?"
    assert unknown_argument("zzz", ARGUMENTS) == "unknown argument (a typo?)"


def test_an_error_line_is_never_cut_short() -> None:
    field, message = "project_roles." + "p" * 500, "m" * 500
    assert ConfigError([(field, message)]).lines() == [f"{field}: {message}"]


def test_a_project_name_harbor_refuses_gets_harbors_rule() -> None:
    [(_, message)] = problems(project_roles={"Team": {"g": "guest"}}).items()
    assert message == (
        "the name is not a Harbor project name: lower-case letters and digits, with single "
        "'.', '_' or '-' between them, at most 255 characters; got 'Team'"
    )


def test_the_application_icon_warning_is_worded_exactly() -> None:
    [(_, message)] = [w for w in warnings(application_icon="x") if w[0] == "application_icon"]
    assert message == (
        "authentik 2025.12 and later removed the endpoint the pinned Terraform provider sets "
        "icons with (set_icon_url answers 405): on those versions every `pulumi up` that sets "
        "it fails; leave it unset there"
    )


def test_the_primary_auth_mode_warning_says_it_is_one_way_and_why() -> None:
    # terraform-provider-harbor models/config.go ConfigBodyAuthPost: primary_auth_mode is
    # omitempty, so false never reaches Harbor
    [(_, message)] = [w for w in warnings(primary_auth_mode=True) if w[0] == "primary_auth_mode"]
    assert message == (
        "is one-way: the Harbor provider never sends false (terraform-provider-harbor "
        "models/config.go, omitempty), so setting it false or removing it later leaves OIDC "
        "Harbor's primary login; turn it off in Harbor's Configuration page then"
    )
    assert [w for w in warnings() if w[0] == "primary_auth_mode"] == []


def test_invisible_and_control_characters_are_listed_once_each_escaped() -> None:
    assert invisibles("a\u200bb\u200cc\u200b") == "\\u200b\\u200c"
    assert controls("a\x00b\nc\x1b\x00", allow="\n") == "\\x00\\x1b"
    assert scripts("h\u0430rbor-2") == ["LATIN", "CYRILLIC"]


@pytest.mark.parametrize(
    ("adopt", "path", "message"),
    [
        ({"provider": "x7"}, "adopt.provider",
         "must be the OAuth2 provider's integer primary key, such as '12'; got 'x7'"),
        ({"bindings": {"g": "X"}}, "adopt.bindings.g",
         "must be the policy binding's UUID (its pk), in lower case; got 'X'"),
        ({"memberships": {"library": {"g": "/projects/1"}}}, "adopt.memberships.library.g",
         "must be the membership's location '/projects/<n>/members/<m>'; got '/projects/1'"),
    ],
)  # fmt: skip
def test_a_bad_import_id_is_named_exactly(
    adopt: dict[str, object], path: str, message: str
) -> None:
    found = problems(adopt=adopt, allowed_groups=["g"], project_roles={"library": {"g": "guest"}})
    assert found == {path: message}
