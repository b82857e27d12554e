"""Stack and project files read as the Pulumi engine reads them (pure, no engine).

Each case names the rule it replays: gopkg.in/yaml.v3 v3.0.1 resolve.go `resolve` and
`parseTimestamp`; pulumi sdk/go/common/resource/config/object.go `unmarshalObject` and
`MarshalString` (Go encoding/json for numbers); pulumi pkg/workspace/config.go
`createConfigValue` for project defaults.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from harbor_sso.offline.stackfile import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    ConfigValue,
    ProjectError,
    allowed_alias_ratio,
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
    Case("~", "", "loaders.go checkForEmptyConfig: no value is an empty string"),
    Case("", "", "an empty value is null, so an empty string too"),
    Case("[a, ~]", '["a",null]', "null inside a structure stays JSON null", object=True),
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
        # createConfigValue: only string, int and bool take %v; a float is JSON
        (1e6, "1000000"),
        (1e21, "1e+21"),
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


def test_a_timestamp_default_is_its_rfc3339_text_and_null_is_no_default(
    tmp_path: Path,
) -> None:
    # what a real program saw (tests/engine/test_stack_files.py, through the YAML host)
    text = PROJECT + "config:\n  when:\n    default: 2024-01-02\n  none:\n    default: null\n"
    files = read_stack(project(tmp_path, "config:\n  none: x\n", text), "dev")
    assert files.config["harbor-sso:when"] == "2024-01-02T00:00:00Z"
    assert files.config["harbor-sso:none"] == "x"
    # no default: the stack must set it, as the engine requires
    with pytest.raises(ProjectError, match="harbor-sso:none: is required: "):
        read_stack(project(tmp_path, "config: {}\n", text), "dev")


@pytest.mark.parametrize(
    ("short", "what"), [("1.5", "number with a fraction"), ("2024-01-02", "timestamp")]
)
def test_a_short_form_value_the_project_schema_refuses_is_refused(
    tmp_path: Path, short: str, what: str
) -> None:
    root = project(tmp_path, "config: {}\n", PROJECT + f"config:\n  k: {short}\n")
    with pytest.raises(ProjectError, match=f"config.k: the engine refuses a {what} here"):
        read_stack(root, "dev")


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


# -- limits: no stack file can take the plan down ----------------------------------------
# gopkg.in/yaml.v3 v3.0.1 decode.go `(*decoder).unmarshal` / `allowedAliasRatio` bound alias
# expansion; scannerc.go bounds nesting (10000; this tool: MAX_DEPTH); the files themselves
# must be regular files of at most MAX_FILE_BYTES.


def laughs_mappings() -> str:
    """The classic billion laughs: nine levels of nine aliases each, in block mappings."""
    lines = ["l0: &l0 {a: lol, b: lol, c: lol, d: lol, e: lol, f: lol, g: lol, h: lol, i: lol}"]
    for level in range(1, 10):
        keys = ", ".join(f"{k}: *l{level - 1}" for k in "abcdefghi")
        lines.append(f"l{level}: &l{level} {{{keys}}}")
    return "\n".join(lines) + "\nconfig:\n  harbor-sso:slug: *l9\n"


def laughs_sequences() -> str:
    """The same class, other shape: block sequences, three aliases wide, 20 levels deep."""
    lines = ["s0: &s0\n  - lol\n  - lol"]
    for level in range(1, 21):
        lines.append(f"s{level}: &s{level}\n" + f"  - *s{level - 1}\n" * 3)
    return "".join(f"{line.rstrip()}\n" for line in lines) + "config:\n  k: *s20\n"


def laughs_flat() -> str:
    """No alias inside an anchor: one wide anchor aliased many times over."""
    return (
        "w: &w [" + ", ".join(["x"] * 500) + "]\nconfig:\n  k: [" + ", ".join(["*w"] * 400) + "]\n"
    )


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "text",
    [laughs_mappings(), laughs_sequences(), laughs_flat()],
    ids=["mappings", "sequences", "flat"],
)
def test_excessive_aliasing_fails_fast_as_yaml_v3_does(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProjectError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"cannot read {path}: yaml: document contains excessive aliasing"


def near_the_ratio(aliases: int) -> str:
    # 4,007 plain decodes + `aliases` alias nodes, each expanding 1,000 nodes
    return (
        "a: &a [" + ",".join(["1"] * 999) + "]\n"
        "pad: [" + ",".join(["1"] * 3000) + "]\n"
        "b: [" + ",".join(["*a"] * aliases) + "]\n"
    )


@pytest.mark.timeout(60)
def test_the_alias_ratio_boundary_is_yaml_v3s(tmp_path: Path) -> None:
    # Both files checked with yaml.v3 v3.0.1 yaml.Unmarshal into `any`: 399 aliases decode
    # (398,406 decodes at a 98.9% alias share), 400 fail (past 400,000 the allowed share
    # shrinks below the document's).
    assert len(load_yaml(write(tmp_path, near_the_ratio(399)))["b"]) == 399
    path = write(tmp_path, near_the_ratio(400))
    with pytest.raises(ProjectError, match=r"^cannot read .*: yaml: document contains excessive"):
        load_yaml(path)


@pytest.mark.parametrize(
    ("decodes", "ratio"),
    [(1000, 0.99), (400_000, 0.99), (2_200_000, 0.99 - 0.89 / 2), (4_000_000, 0.10), (10**8, 0.10)],
)
def test_allowed_alias_ratio_is_yaml_v3s(decodes: int, ratio: float) -> None:
    assert allowed_alias_ratio(decodes) == pytest.approx(ratio)


def test_a_few_aliases_still_decode_as_copies(tmp_path: Path) -> None:
    text = "base: &base {a: 1, b: [x, y]}\nconfig:\n  k: *base\n  l: [*base, *base, &n 3, *n]\n"
    base = {"a": 1, "b": ["x", "y"]}
    assert load_yaml(write(tmp_path, text)) == {
        "base": base,
        "config": {"k": base, "l": [base, base, 3, 3]},
    }


def test_an_anchor_containing_itself_is_yaml_v3s_error(tmp_path: Path) -> None:
    path = write(tmp_path, "config:\n  k: &a [x, *a]\n")  # PyYAML composes a cycle
    with pytest.raises(ProjectError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"cannot read {path}: yaml: anchor 'a' value contains itself"


NESTING = {
    "flow sequences": lambda n: "k: " + "[" * n + "]" * n,
    "flow mappings": lambda n: "k: " + "{k: " * n + "v" + "}" * n,
    "block sequences": lambda n: "k:\n" + "- " * n + "x\n",
    "block mappings": lambda n: "".join(" " * i + "k:\n" for i in range(n)) + " " * n + "v\n",
    "explicit keys": lambda n: "? " * n + "x\n",  # block mappings 5,000 deep in 10 kB
}


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("shape", "depth"),
    [
        (shape, depth)
        for shape in sorted(NESTING)
        for depth in (400, 5000)
        if (shape, depth) != ("block mappings", 5000)  # 12 MB indented: see explicit keys
    ],
)
def test_deep_nesting_is_refused_by_depth(tmp_path: Path, shape: str, depth: int) -> None:
    path = write(tmp_path, NESTING[shape](depth))
    with pytest.raises(ProjectError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"cannot read {path}: nested deeper than {MAX_DEPTH} levels"


@pytest.mark.parametrize("shape", sorted(set(NESTING) - {"explicit keys"}))
def test_nesting_50_deep_decodes(tmp_path: Path, shape: str) -> None:
    value = load_yaml(write(tmp_path, NESTING[shape](50)))
    depth = 0
    while isinstance(value, dict | list):
        value = value["k"] if isinstance(value, dict) else value[0] if value else None
        depth += 1
    assert depth >= 50


def test_the_depth_bound_is_exact(tmp_path: Path) -> None:
    at_limit = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_yaml(write(tmp_path, at_limit)) is not None
    path = write(tmp_path, "[" + at_limit + "]")
    with pytest.raises(ProjectError, match=f"nested deeper than {MAX_DEPTH} levels"):
        load_yaml(path)


def test_depth_counts_through_aliases(tmp_path: Path) -> None:
    # each anchor is 60 deep, within the bound; expanded, the value is 120 deep
    text = "a: &a " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 59 + "*a" + "]" * 59 + "\n"
    path = write(tmp_path, text)
    with pytest.raises(ProjectError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"cannot read {path}: nested deeper than {MAX_DEPTH} levels"


def stack_path(root: Path) -> Path:
    return root / "stacks" / "Pulumi.dev.yaml"


def test_a_stack_file_that_is_a_directory_is_named_so(tmp_path: Path) -> None:
    root = project(tmp_path, "config: {}\n")
    stack_path(root).unlink()
    stack_path(root).mkdir()
    with pytest.raises(ProjectError) as caught:
        read_stack(root, "dev")
    assert str(caught.value) == f"cannot read {stack_path(root)}: is a directory, not a stack file"


@pytest.mark.timeout(10)
def test_a_stack_file_that_is_a_fifo_is_named_and_never_opened(tmp_path: Path) -> None:
    root = project(tmp_path, "config: {}\n")
    stack_path(root).unlink()
    os.mkfifo(stack_path(root))  # opening it to read would block: the timeout guards that
    with pytest.raises(ProjectError) as caught:
        read_stack(root, "dev")
    assert str(caught.value) == f"cannot read {stack_path(root)}: is a FIFO, not a regular file"


def test_a_stack_file_that_is_a_device_is_named(tmp_path: Path) -> None:
    root = project(tmp_path, "config: {}\n")
    stack_path(root).unlink()
    stack_path(root).symlink_to(os.devnull)  # stat follows the link, as the engine's read does
    with pytest.raises(ProjectError) as caught:
        read_stack(root, "dev")
    assert str(caught.value) == (
        f"cannot read {stack_path(root)}: is a special file (character device), not a regular file"
    )


def test_a_symlink_to_a_regular_stack_file_is_read(tmp_path: Path) -> None:
    root = project(tmp_path, "config: {}\n")
    (tmp_path / "real.yaml").write_text("config:\n  slug: x\n")
    stack_path(root).unlink()
    stack_path(root).symlink_to(tmp_path / "real.yaml")
    assert read_stack(root, "dev").config == {"harbor-sso:slug": "x"}


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("make", "says"),
    [
        (Path.mkdir, "is a directory, not a project file"),
        (os.mkfifo, "is a FIFO, not a regular file"),
        (
            lambda p: p.symlink_to(os.devnull),
            "is a special file (character device), not a regular file",
        ),
        (lambda p: None, "no such project file"),
    ],
    ids=["directory", "fifo", "device", "missing"],
)
def test_a_project_file_that_is_not_a_regular_file_is_named(
    tmp_path: Path, make: Callable[[Path], object], says: str
) -> None:
    root = project(tmp_path, "config: {}\n")
    (root / "Pulumi.yaml").unlink()
    make(root / "Pulumi.yaml")
    with pytest.raises(ProjectError) as caught:
        read_stack(root, "dev")
    assert str(caught.value) == f"cannot read {root / 'Pulumi.yaml'}: {says}"


def test_a_missing_stack_file_is_still_no_such_stack_file(tmp_path: Path) -> None:
    root = project(tmp_path, "config: {}\n")
    stack_path(root).unlink()
    with pytest.raises(ProjectError) as caught:
        read_stack(root, "dev")
    assert str(caught.value) == f"cannot read {stack_path(root)}: no such stack file"


def test_an_oversize_stack_file_is_refused_unparsed(tmp_path: Path) -> None:
    root = project(tmp_path, "config: {}\n")
    stack_path(root).write_bytes(b"config: {}\n" + b"#" * MAX_FILE_BYTES)
    with pytest.raises(ProjectError) as caught:
        read_stack(root, "dev")
    assert str(caught.value) == (
        f"cannot read {stack_path(root)}: larger than {MAX_FILE_BYTES} bytes (128 KiB),"
        " too big for a stack file"
    )
    stack_path(root).write_bytes(b"config: {}\n".ljust(MAX_FILE_BYTES, b"\n"))  # at the limit
    assert read_stack(root, "dev").config == {}
