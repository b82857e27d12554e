"""The real CLI reads project and stack files; `harbor_sso.offline.stackfile` must agree.

`plan` and `verify --stack` validate what `stackfile.read_stack` says the program will
see. Here the engine itself answers (`pulumi config --json`), for every case the pure
table replays (tests/offline/test_stackfile.py), for project defaults, the shipped stacks,
what the engine refuses, and a value the CLI encrypts itself.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from harbor_sso.cli import main
from harbor_sso.offline.stackfile import ProjectError, read_stack
from tests.engine.conftest import Cli
from tests.offline.test_stackfile import CASES
from tests.support import ROOT

PROJECT = "name: harbor-sso\nruntime: python\nstackConfigDir: stacks\n"


def project(cli: Cli, text: str = PROJECT) -> None:
    (cli.project / "Pulumi.yaml").write_text(text)
    (cli.project / "stacks").mkdir(exist_ok=True)


def values(cli: Cli, stack: str) -> dict[str, str]:
    return {key: entry["value"] for key, entry in cli.config(stack).items()}


def test_every_stack_value_reaches_the_program_as_stackfile_says(cli: Cli) -> None:
    project(cli)
    lines = [f"  harbor-sso:c{i}: {case.written}" for i, case in enumerate(CASES)]
    cli.stack("cases", "config:\n" + "\n".join(lines) + "\n  bare: x")
    engine = values(cli, "cases")
    ours = read_stack(cli.project, "cases").config
    for i, case in enumerate(CASES):
        key = f"harbor-sso:c{i}"
        assert (ours[key], engine[key]) == (case.seen, case.seen), (case.written, case.rule)
    assert engine["harbor-sso:bare"] == ours["harbor-sso:bare"] == "x"  # the project's namespace


DEFAULTS = {
    "flag": ("true", "true"),
    "count": ("14", "14"),
    # pkg/workspace/config.go `createConfigValue`: only string, int and bool take `%v`;
    # a float is JSON (`1e6` -> 1000000, not %v's 1e+06)
    "big": ("1e6", "1000000"),
    "whole": ("123456.0", "123456"),
    "half": ("0.5", "0.5"),
    "huge": ("1e21", "1e+21"),
    "text": ("days=30", "days=30"),
    "list": ("[openid, email]", '["openid","email"]'),
    "map": ("{b: 1, a: x}", '{"a":"x","b":1}'),
}


def test_project_defaults_reach_the_program_as_stackfile_says(cli: Cli) -> None:
    declared = "".join(
        f"  {key}:\n    default: {written}\n" for key, (written, _) in DEFAULTS.items()
    )
    project(cli, PROJECT + "config:\n" + declared)
    cli.stack("defaults", "config: {}")
    engine = values(cli, "defaults")
    ours = read_stack(cli.project, "defaults").config
    for key, (written, seen) in DEFAULTS.items():
        full = f"harbor-sso:{key}"
        assert (ours[full], engine[full]) == (seen, seen), written


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_the_shipped_stacks_read_as_the_engine_reads_them(cli: Cli, stack: str) -> None:
    project(cli, (ROOT / "Pulumi.yaml").read_text())
    cli.stack(stack, (ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())
    assert read_stack(cli.project, stack).config == values(cli, stack)


@pytest.mark.parametrize(
    "written",
    [
        "k: .nan",  # encoding/json refuses NaN
        "k: 1\n  k: 2",  # yaml.v3: mapping key already defined
        "k: !!int abc",  # an explicit tag must fit
        "k: [",
    ],
)
def test_what_the_engine_refuses_stackfile_refuses(cli: Cli, written: str) -> None:
    project(cli)
    cli.stack("bad", f"config:\n  {written}\n")
    refused = cli.run("config", "--json", "--stack", "bad", check=False)
    assert refused.returncode != 0, refused.stdout
    with pytest.raises(ProjectError):
        read_stack(cli.project, "bad")


def test_a_value_the_cli_encrypts_is_never_shown_by_plan(
    cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    canary = "engine-canary-7f3a9c"
    project(cli, (ROOT / "Pulumi.yaml").read_text())
    stack_file = cli.stack("dev", (ROOT / "stacks" / "Pulumi.dev.yaml").read_text())
    cli.run("config", "set", "--secret", "harbor-sso:harborPassword", canary, "--stack", "dev")
    cli.run("config", "set", "--secret", "harbor-sso:clientSecret", canary, "--stack", "dev")
    assert canary not in stack_file.read_text()
    engine = cli.config("dev")
    assert engine["harbor-sso:harborPassword"]["secret"] is True

    files = read_stack(cli.project, "dev")
    assert {"harbor-sso:harborPassword", "harbor-sso:clientSecret"} <= files.encrypted
    assert main(["plan", "--stack", "dev", "--project-dir", str(cli.project)]) == 0
    shown = capsys.readouterr()
    assert canary not in shown.out + shown.err
    assert "oidcClientSecret: [secret]" in shown.out
    assert "password: [secret]" in shown.out
    assert "plain text" not in shown.err  # encrypted by the CLI: no plain-text warning


def test_a_credential_set_in_plain_text_is_warned_of_with_the_command_to_fix_it(
    cli: Cli, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    project(cli, (ROOT / "Pulumi.yaml").read_text())
    cli.stack("dev", (ROOT / "stacks" / "Pulumi.dev.yaml").read_text())
    cli.run("config", "set", "harbor-sso:authentikToken", "plain-token-1", "--stack", "dev")
    with caplog.at_level(logging.WARNING):
        assert main(["plan", "--stack", "dev", "--project-dir", str(cli.project)]) == 0
    shown = capsys.readouterr()
    logged = [r.getMessage() for r in caplog.records]
    assert "plain-token-1" not in shown.out + shown.err + "".join(logged)
    assert (
        "harbor-sso:authentikToken: is in plain text in Pulumi.dev.yaml, which is "
        "committed: remove it there and run `pulumi config set --secret "
        "harbor-sso:authentikToken <value> --stack dev`"
    ) in logged


def test_the_engine_loads_the_root_project_file(cli: Cli, tmp_path: Path) -> None:
    # the project schema check of sdk/go/common/workspace/loaders.go, on the real file
    project(cli, (ROOT / "Pulumi.yaml").read_text())
    cli.stack(
        "empty",
        "config:\n  harbor-sso:harborUrl: https://h.example\n"
        "  harbor-sso:authentikUrl: https://a.example",
    )
    engine = values(cli, "empty")
    assert engine["harbor-sso:slug"] == "harbor"  # a declared default
    assert engine["harbor-sso:scopes"] == '["openid","profile","email","offline_access"]'


def test_a_real_program_sees_what_stackfile_says(cli: Cli) -> None:
    """`pulumi config` cannot show everything (a timestamp default fails its --json), so
    a program run by the real engine through the YAML language host reports what it got."""
    if shutil.which("pulumi-language-yaml") is None:
        pytest.skip("no pulumi-language-yaml on PATH (scripts/engine builds it)")
    keys = {"when": "2024-01-02", "big": "1e6", "none": "null"}
    declared = "".join(f"  {k}:\n    default: {v}\n" for k, v in keys.items())
    shown = "".join(f"  {k}: ${{{k}}}\n" for k in ("when", "big", "empty", "nested", "stamp"))
    (cli.project / "Pulumi.yaml").write_text(
        f"name: harbor-sso\nruntime: yaml\nconfig:\n{declared}outputs:\n{shown}"
    )
    stack = "config:\n  harbor-sso:empty: ~\n  harbor-sso:nested: [a, ~]\n  none: set\n"
    cli.stack("seen", stack + "  harbor-sso:stamp: 2001-12-14 21:59:43.10", config_dir=".")
    cli.run("up", "--yes", "--stack", "seen")
    outputs = json.loads(cli.run("stack", "output", "--json", "--stack", "seen").stdout)
    ours = read_stack(cli.project, "seen").config
    assert outputs["when"] == ours["harbor-sso:when"] == "2024-01-02T00:00:00Z"
    assert str(outputs["big"]) == ours["harbor-sso:big"] == "1000000"
    assert outputs["empty"] == ours["harbor-sso:empty"] == ""
    assert outputs["nested"] == json.loads(ours["harbor-sso:nested"]) == ["a", None]
    assert outputs["stamp"] == ours["harbor-sso:stamp"] == "2001-12-14 21:59:43.1 +0000 UTC"
    # a null default is no default: the key is required, and `pulumi up` says so
    (cli.project / "Pulumi.seen.yaml").write_text(
        (cli.project / "Pulumi.seen.yaml").read_text().replace("  none: set\n", "")
    )
    refused = cli.run("up", "--yes", "--stack", "seen", check=False)
    assert "Stack 'seen' is missing configuration value 'none'" in refused.stderr
    with pytest.raises(ProjectError, match="harbor-sso:none: is required"):
        read_stack(cli.project, "seen")


def test_an_alias_bomb_is_refused_by_the_engine_and_by_stackfile_alike(cli: Cli) -> None:
    project(cli)
    lines = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"  l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 10)]
    cli.stack("bomb", "config:\n" + "\n".join(lines).replace("  l", "  harbor-sso:l"))
    refused = cli.run("config", "--json", "--stack", "bomb", check=False)
    assert refused.returncode != 0
    assert "excessive aliasing" in refused.stderr
    with pytest.raises(ProjectError, match="yaml: document contains excessive aliasing"):
        read_stack(cli.project, "bomb")


@pytest.mark.parametrize(("depth", "engine_reads_it"), [(150, True), (10_001, False)])
def test_nesting_is_bounded_at_least_as_tightly_as_the_engine_bounds_it(
    cli: Cli, depth: int, engine_reads_it: bool
) -> None:
    # scannerc.go max_flow_level: 10,000; stackfile stops at 100 (Python's recursion)
    project(cli)
    cli.stack("deep", "config:\n  harbor-sso:k: " + "[" * depth + "]" * depth)
    answer = cli.run("config", "--json", "--stack", "deep", check=False)
    assert (answer.returncode == 0) is engine_reads_it, answer.stderr
    if not engine_reads_it:
        assert "exceeded max depth of 10000" in answer.stderr
    with pytest.raises(ProjectError, match="nested deeper than 100 levels"):
        read_stack(cli.project, "deep")
