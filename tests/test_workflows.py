"""The GitHub workflows: two offline linters from PyPI, and what the workflows promise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
STACKS = sorted(p.name.split(".")[1] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
FILES = sorted(WORKFLOWS.glob("*.yml"))
CHECK_JSONSCHEMA = (str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load(name: str) -> dict[Any, Any]:
    doc: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    doc["on"] = doc.pop(True)  # YAML 1.1 reads the key `on` as true
    return doc


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = job.get("steps", [])
    return found


def lint(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_the_three_workflows_and_the_stack_steps_exist() -> None:
    assert [f.name for f in FILES] == ["ci.yml", "deploy-stack.yml", "deploy.yml", "preview.yml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_check_jsonschema_accepts_the_workflow(path: Path) -> None:
    result = lint(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_offline_finds_nothing() -> None:
    result = lint(str(BIN / "zizmor"), "--offline", "--no-progress", ".github")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_the_linters_do_catch_a_bad_workflow(tmp_path: Path) -> None:
    # Negative control: the two checks above would fail on a careless workflow.
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request\n"
        "permissions: write-all\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    zizmor = lint(str(BIN / "zizmor"), "--offline", "--no-progress", ".github", cwd=tmp_path)
    assert zizmor.returncode != 0
    for audit in ("unpinned-uses", "artipacked", "template-injection"):
        assert audit in zizmor.stdout, audit
    bad.write_text("on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    step: []\n")
    schema = lint(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(bad)
    )
    assert schema.returncode != 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path: Path) -> None:
    doc = load(path.name)
    assert doc["permissions"] == {}, "nothing by default; each job asks for what it needs"
    for name, job in doc["jobs"].items():
        assert set(job.get("permissions", {}).values()) <= {"read", "write"}, name
        assert job["permissions"].get("contents") == "read", name
        for step in steps(job):
            uses = step.get("uses")
            if uses and not uses.startswith("./"):
                assert PINNED.match(uses), f"{name}: {uses} is not pinned to a commit"
            if uses and uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_ci_runs_the_checks_and_plans_every_stack() -> None:
    doc = load("ci.yml")
    assert set(doc["on"]) == {"pull_request", "push"}
    check = doc["jobs"]["check"]
    assert any(s.get("run") == "./scripts/check" for s in steps(check))  # what .ci/run runs
    plan = doc["jobs"]["plan"]
    assert plan["strategy"]["matrix"]["stack"] == ["dev", "staging", "prod"]
    assert sorted(plan["strategy"]["matrix"]["stack"]) == STACKS
    assert "${{ matrix.stack }}" in plan["concurrency"]["group"]
    assert any('harbor-sso plan --stack "$STACK"' in s.get("run", "") for s in steps(plan))


def test_preview_comments_on_the_pr_and_skips_without_secrets() -> None:
    doc = load("preview.yml")
    assert list(doc["on"]) == ["pull_request"]  # never pull_request_target
    job = doc["jobs"]["preview"]
    assert sorted(job["strategy"]["matrix"]["stack"]) == STACKS
    assert "${{ matrix.stack }}" in job["concurrency"]["group"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    names = [s.get("name") or s.get("uses") for s in steps(job)]
    install = names.index("install the project into .venv")
    preview = names.index("pulumi preview --diff")
    assert install < preview, "the action installs no Python dependencies itself"
    action = steps(job)[preview]
    assert action["uses"].startswith("pulumi/actions@")
    assert action["with"]["command"] == "preview"
    assert action["with"]["diff"] is True and action["with"]["comment-on-pr"] is True
    assert action["if"] == "steps.credentials.outputs.ready == 'true'"
    check = steps(job)[names.index("check credentials")]["run"]
    assert "::notice title=preview skipped::" in check and "offline plan" in check
    assert action["with"]["pulumi-version-file"] == ".pulumi.version"
    plan = steps(job)[names.index("offline plan")]
    assert "if" not in plan, "the offline plan runs with or without secrets"


def test_deploy_goes_dev_then_staging_on_main_and_prod_on_a_tag() -> None:
    doc = load("deploy.yml")
    assert doc["on"] == {"push": {"branches": ["main"], "tags": ["v*"]}}
    jobs = {name: job for name, job in doc["jobs"].items() if name != "release-tag"}
    assert {name: job["with"]["stack"] for name, job in jobs.items()} == {
        "dev": "dev",
        "staging": "staging",
        "prod": "prod",
    }
    assert jobs["dev"]["if"] == "github.ref_type == 'branch'"
    assert jobs["staging"]["needs"] == "dev"
    assert jobs["prod"]["if"] == "github.ref_type == 'tag'"
    assert {job["uses"] for job in jobs.values()} == {"./.github/workflows/deploy-stack.yml"}


def test_prod_deploys_only_a_tag_that_is_the_package_s_version(tmp_path: Path) -> None:
    jobs = load("deploy.yml")["jobs"]
    assert jobs["prod"]["needs"] == "release-tag"
    check = jobs["release-tag"]
    assert check["if"] == "github.ref_type == 'tag'"
    (step,) = [s for s in steps(check) if "run" in s]
    assert step["env"] == {"TAG": "${{ github.ref_name }}"}
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for tag, passes in ((f"v{version}", True), (f"v{version}.1", False), (version, False)):
        done = subprocess.run(
            ["/bin/bash", "-c", step["run"]], cwd=tmp_path, env={**os.environ, "TAG": tag},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert (done.returncode == 0) is passes, (tag, done.stdout)


def test_each_stack_deploys_behind_its_environment_then_verifies() -> None:
    doc = load("deploy-stack.yml")
    assert list(doc["on"]) == ["workflow_call"]
    job = doc["jobs"]["up"]
    assert job["environment"] == "${{ inputs.stack }}"  # prod's reviewers gate it
    assert job["concurrency"] == {
        "group": "deploy-${{ inputs.stack }}",
        "cancel-in-progress": False,
    }
    names = [s.get("name") for s in steps(job)]
    assert names.index("install the project into .venv") < names.index("pulumi up")
    assert names.index("pulumi up") + 1 == names.index("harbor-sso verify")
    up = steps(job)[names.index("pulumi up")]
    assert up["with"]["command"] == "up"
    verify = steps(job)[names.index("harbor-sso verify")]
    assert verify["run"] == '.venv/bin/harbor-sso verify --stack "$STACK"'


def test_a_verification_account_signs_in_after_up_when_one_is_set() -> None:
    job = load("deploy-stack.yml")["jobs"]["up"]
    names = [s.get("name") for s in steps(job)]
    assert names.index("harbor-sso verify") + 1 == names.index("harbor-sso verify --sign-in")
    sign_in = steps(job)[names.index("harbor-sso verify --sign-in")]
    assert sign_in["run"] == (
        '.venv/bin/harbor-sso verify --stack "$STACK" --sign-in "$SIGN_IN_USER"'
    )
    # the password only in this step's environment, never on a command line; the step
    # only when both the account and its password are set
    assert sign_in["env"] == {
        "SIGN_IN_USER": "${{ vars.HARBOR_SSO_SIGN_IN_USER }}",
        "HARBOR_SSO_SIGN_IN_PASSWORD": "${{ secrets.HARBOR_SSO_SIGN_IN_PASSWORD }}",
    }
    assert sign_in["if"] == "env.SIGN_IN == 'true'"
    assert job["env"]["SIGN_IN"] == (
        "${{ secrets.HARBOR_SSO_SIGN_IN_PASSWORD != '' && vars.HARBOR_SSO_SIGN_IN_USER != '' }}"
    )


def go_line(path: Path) -> tuple[int, ...]:
    """The Go a go.mod needs: its `toolchain` line if any (what setup-go installs then),
    else its `go` line."""
    text = path.read_text()
    found = re.search(r"^toolchain go([\d.]+)$", text, re.M) or re.search(
        r"^go ([\d.]+)$", text, re.M
    )
    assert found, path
    return tuple(int(p) for p in found.group(1).split("."))


def test_ci_installs_the_go_every_engine_module_needs_and_keeps_its_caches() -> None:
    job = load("ci.yml")["jobs"]["check"]
    names = [str(s.get("uses", s.get("run", ""))) for s in steps(job)]
    setup = steps(job)[next(i for i, n in enumerate(names) if n.startswith("actions/setup-go@"))]
    installed = go_line(ROOT / setup["with"]["go-version-file"])
    modules = sorted((ROOT / "scripts" / "engine-modules").glob("*/go.mod"))
    assert len(modules) == 2
    for module in modules:  # GOTOOLCHAIN=local in scripts/engine: no other Go is fetched
        assert go_line(module) <= installed, module
    # setup-go's cache: the module and build caches, keyed on every engine go.sum
    assert setup["with"]["cache-dependency-path"] == "scripts/engine-modules/*/go.sum"
    cache = steps(job)[next(i for i, n in enumerate(names) if n.startswith("actions/cache@"))]
    assert cache["with"]["path"] == "~/.cache/harbor-sso-engine/bin"
    for keyed in ("scripts/engine", "scripts/engine-modules/**", ".pulumi.version"):
        assert f"'{keyed}'" in cache["with"]["key"]
    assert names.index("./scripts/check") > max(
        names.index(setup["uses"]), names.index(cache["uses"])
    )


def test_a_relaxed_zizmor_rule_says_why() -> None:
    text = (ROOT / ".github" / "zizmor.yml").read_text()
    for rule in yaml.safe_load(text)["rules"]:
        block = text.split(f"\n  {rule}:\n", 1)[1].split("\n  \\S", 1)[0]
        reason = " ".join(line.strip(" #") for line in block.splitlines() if "#" in line)
        assert len(reason) > 40, f"{rule}: relaxed without a reason"


# Each pinned action, checked against its own repository (the tag's commit, and its
# action.yml `runs.using: node24`; GitHub is removing Node 20).
NODE24 = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "pulumi/actions": ("8e5e406f4007fca908480587cb9893c07090f58d", "v7.0.0"),
    "actions/setup-go": ("b7ad1dad31e06c5925ef5d2fc7ad053ef454303e", "v7.0.0"),
    "actions/cache": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
}
CREDENTIALS = ["PULUMI_ACCESS_TOKEN", "AUTHENTIK_TOKEN", "HARBOR_USERNAME", "HARBOR_PASSWORD"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_action_is_a_node_24_release_pinned_by_commit(path: Path) -> None:
    for line in path.read_text().splitlines():
        match = re.search(r"uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)$", line)
        if "uses:" in line and "./" not in line:
            assert match, f"unpinned or uncommented: {line.strip()}"
            action, sha, version = match.groups()
            assert NODE24[action] == (sha, version), line.strip()


def pulumi_steps() -> list[dict[str, Any]]:
    return [
        step
        for path in FILES
        for job in load(path.name)["jobs"].values()
        for step in steps(job)
        if str(step.get("uses", "")).startswith("pulumi/actions@")
    ]


def test_the_pulumi_cli_version_is_pinned_in_one_file() -> None:
    assert len(pulumi_steps()) == 2  # preview and up
    for step in pulumi_steps():
        assert step["with"]["pulumi-version-file"] == ".pulumi.version"
        assert "pulumi-version" not in step["with"]
    version = (ROOT / ".pulumi.version").read_text().strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    floor = re.search(r'"pulumi>=([\d.]+),', (ROOT / "pyproject.toml").read_text())
    assert floor is not None

    def key(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in v.split("."))

    # at least the SDK floor the suite runs on, and terraform-provider's minimum (3.147.0)
    assert key(version) >= max(key(floor.group(1)), key("3.147.0"))


def test_deploy_declares_passes_and_checks_the_credentials() -> None:
    called = load("deploy-stack.yml")
    declared = called["on"]["workflow_call"]["secrets"]
    assert declared == {
        **{name: {"required": True} for name in CREDENTIALS},
        "HARBOR_SSO_SIGN_IN_PASSWORD": {"required": False},
    }
    job = called["jobs"]["up"]
    assert {k: v for k, v in job["env"].items() if k != "SIGN_IN"} == {
        "STACK": "${{ inputs.stack }}",
        **{name: f"${{{{ secrets.{name} }}}}" for name in CREDENTIALS},
    }
    first = steps(job)[0]
    assert first["name"] == "check credentials"
    assert all(name in first["run"] for name in CREDENTIALS)
    assert "::error" in first["run"] and "exit 1" in first["run"]
    passed = [*CREDENTIALS, "HARBOR_SSO_SIGN_IN_PASSWORD"]
    for name, caller in load("deploy.yml")["jobs"].items():
        if "uses" not in caller:
            continue  # the tag check: no stack, no secrets
        assert caller["secrets"] == {n: f"${{{{ secrets.{n} }}}}" for n in passed}, name


def test_a_same_repo_preview_without_secrets_fails_a_fork_one_skips() -> None:
    job = load("preview.yml")["jobs"]["preview"]
    assert job["env"]["HEAD_REPO"] == "${{ github.event.pull_request.head.repo.full_name }}"
    assert job["env"]["THIS_REPO"] == "${{ github.repository }}"
    check = next(s["run"] for s in steps(job) if s.get("name") == "check credentials")
    same_repo, fork = check.split("elif", 1)
    assert '"$HEAD_REPO" = "$THIS_REPO"' in same_repo
    assert "::error" in same_repo and "exit 1" in same_repo
    assert "::notice title=preview skipped::" in fork and "exit 1" not in fork.split("else")[0]


def test_dependabot_watches_the_actions_and_the_python_dependencies() -> None:
    doc = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in doc["updates"]} == {"github-actions", "pip"}
