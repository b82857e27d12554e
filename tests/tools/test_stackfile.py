"""Stack and project files read as the Pulumi engine reads them (pure, no engine).

Each case names the rule it replays: gopkg.in/yaml.v3 v3.0.1 resolve.go `resolve` and
`parseTimestamp`; pulumi sdk/go/common/resource/config/object.go `unmarshalObject` and
`MarshalString` (Go encoding/json for numbers); pulumi pkg/workspace/config.go
`createConfigValue` for project defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from harbor_sso.tools.stackfile import (
    ConfigValue,
    ProjectError,
    load_yaml,
    project_default,
    read_stack,
    stack_value,
)


class Case(NamedTuple):
    written: str
    seen: str
    rule: str
    object: bool = False


CASES = [
    Case("1:30", "1:30", "yaml.v3 has no base-60 ints (YAML 1.1 did): a string"),
    Case("yes", "yes", "resolveMap: only true/True/TRUE are bools"),
    Case("on", "on", "resolveMap: on/off are strings"),
    Case("No", "No", "resolveMap: no is a string"),
    Case("True", "true", "resolveMap True -> bool -> MarshalJSON"),
    Case("FALSE", "false", "resolveMap FALSE -> bool"),
    Case("tRue", "tRue", "not in resolveMap: a string"),
    Case("0123", "83", "strconv.ParseInt(s, 0, 64): a leading 0 is octal"),
    Case("08", "8", "ParseInt fails on 08, yamlStyleFloat takes it: 8.0 -> json 8"),
    Case("0x1F", "31", "ParseInt base 0: hex"),
    Case("0o17", "15", "ParseInt base 0: 0o octal"),
    Case("-0b11", "-3", "resolve: -0b binary"),
    Case("1_000", "1000", "resolve strips '_' before ParseInt"),
    Case("+12", "12", "ParseInt accepts a sign"),
    Case("12345678901234567890", "12345678901234567890", "ParseUint: beyond int64"),
    Case("99999999999999999999", "100000000000000000000", "beyond uint64: a float"),
    Case("1e3", "1000", "yamlStyleFloat; encoding/json prints 1000"),
    Case("1.0", "1", "float 1 -> json 1"),
    Case(".5", "0.5", "hint '.': ParseFloat"),
    Case("1e21", "1e+21", "encoding/json: exponent from 1e21"),
    Case("1e-7", "1e-7", "encoding/json: exponent below 1e-6, e-07 cleaned to e-7"),
    Case("0.000001", "0.000001", "encoding/json: 1e-6 is still fixed"),
    Case("'0123'", "0123", "quoted: a string, never resolved"),
    Case("!!str 0x1F", "0x1F", "an explicit !!str: a string"),
    Case("2024-01-02", "2024-01-02 00:00:00 +0000 UTC", "timestamp -> Go Time.String()"),
    Case(
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.1 -0500 -0500",
        "timestamp with an offset: an unnamed zone prints the offset twice",
    ),
    Case("2001-12-14 21:59:43.10", "2001-12-14 21:59:43.1 +0000 UTC", "space form: UTC"),
    Case("2024-02-30", "2024-02-30", "time.Parse rejects the date: a string"),
    Case("~", "null", "null -> object flag, JSON null", object=True),
    Case("", "null", "an empty value is null", object=True),
    Case("[a, 1, true]", '["a",1,true]', "a list -> compact JSON", object=True),
    Case("{b: 1, a: x}", '{"a":"x","b":1}', "a map -> JSON with sorted keys", object=True),
]


PROJECT = "name: harbor-sso\nruntime: python\nstackConfigDir: stacks\n"


def project(tmp_path: Path, stack: str, project_text: str = PROJECT) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(project_text)
    (tmp_path / "stacks").mkdir(exist_ok=True)
    (tmp_path / "stacks" / "Pulumi.dev.yaml").write_text(stack)
    return tmp_path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("case", CASES, ids=[f"{c.written or '<empty>'}" for c in CASES])
def test_a_value_reaches_the_program_as_the_engine_writes_it(tmp_path: Path, case: Case) -> None:
    doc = load_yaml(write(tmp_path, f"k: {case.written}\n"))
    assert stack_value(doc["k"]) == ConfigValue(case.seen, object=case.object), case.rule


def test_a_secure_value_is_kept_as_ciphertext_and_flagged(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "k:\n  secure: v1:abc\nl: [a, {secure: v1:x}]\n"))
    assert stack_value(doc["k"]) == ConfigValue("v1:abc", secure=True)
    # object.go Secure(): a structure holding a secure value is secure as a whole
    nested = stack_value(doc["l"])
    assert nested.secure
    assert nested.object


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("k: .nan", "harbor-sso:k is not a number JSON can hold"),  # json.Marshal refuses NaN
        ("k: 1\n  k: 2", "key 'k' is defined twice"),  # yaml.v3: mapping key already defined
        ("k: !!int abc", "cannot decode"),  # resolve: an explicit tag must fit
        ("k: [", "invalid YAML"),
    ],
)
def test_what_the_engine_refuses_is_an_error_naming_the_file(
    tmp_path: Path, written: str, message: str
) -> None:
    root = project(tmp_path, f"config:\n  {written}\n")
    with pytest.raises(ProjectError, match=message) as caught:
        read_stack(root, "dev")
    assert "Pulumi.dev.yaml" in str(caught.value)


@pytest.mark.parametrize(
    ("default", "seen"),
    [
        (True, "true"),
        (14, "14"),
        (1e6, "1e+06"),  # fmt %v is strconv 'g', shortest: %e from exponent 6
        (123456.0, "123456"),
        (0.5, "0.5"),
        ("days=30", "days=30"),
        (["openid", "email"], '["openid","email"]'),
    ],
)
def test_project_defaults_are_written_as_create_config_value_does(
    default: object, seen: str
) -> None:
    assert project_default(default) == seen


def test_bare_keys_belong_to_the_project(tmp_path: Path) -> None:
    # loaders.go stackConfigNamespacedWithProject
    files = read_stack(project(tmp_path, "config:\n  slug: x\n  aws:region: y\n"), "dev")
    assert files.config == {"harbor-sso:slug": "x", "aws:region": "y"}


@pytest.mark.parametrize("stack", ["", "../x", "/../../x", "a/b", "x" * 101, "dev stack"])
def test_stack_names_follow_pulumis_rule(tmp_path: Path, stack: str) -> None:
    # tokens/stack_name.go ParseStackName: 1-100 of [A-Za-z0-9-_.]; no '/' can pass
    with pytest.raises(ProjectError, match="stack name"):
        read_stack(project(tmp_path, "config: {}\n"), stack)


@pytest.mark.parametrize(
    ("project_text", "stack_text", "message"),
    [
        ("- a list\n", "config: {}\n", "must be a mapping"),
        (PROJECT, "- a list\n", "must be a mapping"),
        (PROJECT, "config: [a]\n", "config must be a mapping"),
        (PROJECT + "config: 3\n", "config: {}\n", "config must be a mapping"),
        ("name: harbor-sso\nstackConfigDir: [a]\n", "config: {}\n", "stackConfigDir"),
        ("runtime: python\n", "config: {}\n", "name must be"),
    ],
)
def test_a_file_of_the_wrong_shape_names_the_file(
    tmp_path: Path, project_text: str, stack_text: str, message: str
) -> None:
    with pytest.raises(ProjectError, match=message):
        read_stack(project(tmp_path, stack_text, project_text), "dev")


def test_non_utf8_bytes_are_an_error_not_a_traceback(tmp_path: Path) -> None:
    root = project(tmp_path, "config: {}\n")
    (root / "stacks" / "Pulumi.dev.yaml").write_bytes(b"config:\n  k: \xff\xfe\n")
    with pytest.raises(ProjectError, match="not UTF-8"):
        read_stack(root, "dev")
