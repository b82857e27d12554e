"""`harbor-sso plan` on the shipped project and on broken copies of it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harbor_sso.cli import main
from harbor_sso.offline.plan import plan, render_json, render_text
from harbor_sso.offline.stackfile import read_stack
from tests.offline.conftest import put

ROOT = Path(__file__).resolve().parents[2]
STACKS = sorted(p.name.split(".")[1] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
GOLDEN = Path(__file__).parent / "golden"


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_three_environments_ship() -> None:
    assert STACKS == ["dev", "prod", "staging"]


@pytest.mark.parametrize("stack", STACKS)
def test_every_stack_validates_and_plans(stack: str) -> None:
    result = plan(read_stack(ROOT, stack))
    by_type = {r["type"].rsplit(":", 1)[-1]: r for r in result["resources"]}
    doc = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())["config"]
    harbor = doc["harbor-sso:harborUrl"].rstrip("/")
    assert by_type["ProviderOauth2"]["inputs"]["allowedRedirectUris"] == [
        {"matching_mode": "strict", "url": f"{harbor}/c/oidc/callback"}
    ]
    assert by_type["ConfigAuth"]["inputs"]["oidcVerifyCert"] is True
    assert by_type["authentik"]["inputs"]["insecure"] == "false"
    assert by_type["harbor"]["inputs"]["insecure"] == "false"
    assert result["outputs"]["client_secret"] == "[secret]"


def test_dev_plan_shows_the_callback_and_the_issuer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli("plan", "--stack", "dev", "--project-dir", str(ROOT), capsys=capsys)
    assert code == 0
    assert "https://harbor.dev.example.com/c/oidc/callback" in out
    assert "https://auth.dev.example.com/application/o/harbor-dev/" in out


@pytest.mark.parametrize(("flag", "golden"), [((), "dev.txt"), (("--json",), "dev.json")])
def test_dev_plan_matches_golden(
    flag: tuple[str, ...], golden: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        "plan", "--stack", "dev", "--project-dir", str(ROOT), *flag, capsys=capsys
    )
    assert code == 0
    assert out == (GOLDEN / golden).read_text(), (
        f"regenerate with: harbor-sso plan --stack dev {' '.join(flag)}"
    )


def test_json_is_stable_across_processes() -> None:
    cmd = [
        sys.executable,
        "-m",
        "harbor_sso.cli",
        "plan",
        "--stack",
        "dev",
        "--project-dir",
        str(ROOT),
        "--json",
    ]
    first, second = (
        subprocess.run(cmd, check=True, capture_output=True, text=True).stdout for _ in range(2)
    )
    assert first == second
    json.loads(first)


@pytest.fixture
def copy(project: Path) -> Path:
    return project  # tests/offline/conftest.py


def edit_dev(project: Path, **changes: object) -> None:
    path = project / "stacks" / "Pulumi.dev.yaml"
    doc = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        if value is None:
            doc["config"].pop(f"harbor-sso:{key}", None)
        else:
            doc["config"][f"harbor-sso:{key}"] = value
    path.write_text(yaml.safe_dump(doc))


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"harborUrl": "not-a-url"}, "harbor-sso:harborUrl"),
        ({"authentikUrl": None}, "harbor-sso:authentikUrl"),
        ({"verifyCert": "maybe"}, "harbor-sso:verifyCert"),
        ({"allowedGroups": "everyone"}, "harbor-sso:allowedGroups"),
        ({"harborUrll": "https://x"}, "harbor-sso:harborUrll"),
    ],
)
def test_invalid_config_exits_2_with_one_line_per_problem(
    copy: Path, changes: dict[str, object], key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_dev(copy, **changes)
    code, out, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {key}: ")
    assert "Traceback" not in err


def test_missing_stack_file(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli("plan", "--stack", "qa", "--project-dir", str(copy), capsys=capsys)
    assert code == 2
    assert "Pulumi.qa.yaml" in err


def test_encrypted_values_are_never_decrypted_and_print_masked(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_dev(
        copy,
        clientSecret={"secure": "v1:AAAAciphertext"},
        harborPassword={"secure": "v1:BBBBciphertext"},
    )
    for flag in ((), ("--json",)):
        code, out, _ = run_cli(
            "plan", "--stack", "dev", "--project-dir", str(copy), *flag, capsys=capsys
        )
        assert code == 0
        assert "ciphertext" not in out
        assert "encrypted-stack-value" not in out
        assert "[secret]" in out


def test_text_and_json_render_the_same_plan() -> None:
    result = plan(read_stack(ROOT, "dev"))
    assert json.loads(render_json(result)) == result
    for res in result["resources"]:
        assert f"+ {res['type']}  {res['name']}" in render_text(result)


def planned(out: str, kind: str) -> dict[str, Any]:
    """The one resource of ``kind`` in a `plan --json` output."""
    [found] = [r for r in json.loads(out)["resources"] if r["type"].endswith(":" + kind)]
    return dict(found)


def append_dev(project: Path, text: str) -> None:
    """Write YAML by hand: safe_dump would quote what the engine must resolve."""
    path = project / "stacks" / "Pulumi.dev.yaml"
    path.write_text(path.read_text() + text)


def test_scalars_reach_the_program_as_the_engine_resolves_them(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PyYAML made 90 of 1:30 and a date of 2024-01-02 (a crash in --json)
    append_dev(
        copy, "  harbor-sso:applicationPublisher: 1:30\n  harbor-sso:applicationIcon: 2024-01-02\n"
    )
    code, out, _ = run_cli(
        "plan", "--stack", "dev", "--project-dir", str(copy), "--json", capsys=capsys
    )
    assert code == 0
    app = planned(out, "Application")
    assert app["inputs"]["metaPublisher"] == "1:30"
    assert app["inputs"]["metaIcon"] == "2024-01-02 00:00:00 +0000 UTC"


def test_yes_is_not_a_boolean_to_the_engine(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append_dev(copy, "  harbor-sso:openInNewTab: yes\n")
    code, _, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert code == 2
    assert err == "error: harbor-sso:openInNewTab: must be true or false; got 'yes'\n"


def test_true_capitalised_is_a_boolean_as_for_config_get_bool(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append_dev(copy, "  harbor-sso:openInNewTab: 'True'\n")  # quoted: the string True
    code, out, _ = run_cli(
        "plan", "--stack", "dev", "--project-dir", str(copy), "--json", capsys=capsys
    )
    assert code == 0
    app = planned(out, "Application")
    assert app["inputs"]["openInNewTab"] is True


def test_encrypted_url_and_boolean_are_never_validated_nor_shown(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_dev(
        copy,
        harborUrl={"secure": "v1:URLciphertext"},
        verifyCert={"secure": "v1:BOOLciphertext"},
    )
    code, out, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert (code, err) == (0, "")
    assert "ciphertext" not in out
    assert (
        "checked only at deploy: harbor-sso:harborUrl, harbor-sso:verifyCert" in out.splitlines()[3]
    )
    # what derives from the encrypted URL is secret in the plan, as it will be in state
    assert "harbor.dev.example.com" not in out
    assert "deferred.invalid" not in out


def test_an_encrypted_structural_key_is_refused_by_name(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_dev(copy, allowedGroups={"secure": "v1:LISTciphertext"})
    code, out, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert code == 2
    assert err == (
        "error: harbor-sso:allowedGroups: must not be encrypted: it decides which resources exist\n"
    )
    assert "ciphertext" not in out + err


def test_credentials_are_stood_in_under_the_programs_namespace(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The program reads harbor-sso:authentikToken whatever the project is called. (With
    # this project's `config:` declarations a renamed project fails: they would declare
    # registry-sso:harborUrl, which the stack does not set; see the next test.)
    project = copy / "Pulumi.yaml"
    project.write_text("name: registry-sso\nruntime: python\nstackConfigDir: stacks\n")
    code, _, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert (code, err) == (0, "")


def test_a_declared_key_without_a_default_is_required_as_the_engine_requires_it(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy / "Pulumi.yaml"
    project.write_text(project.read_text().replace("name: harbor-sso", "name: registry-sso", 1))
    code, out, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"error: registry-sso:harborUrl: is required: {project} declares it without a "
        f"default and {copy / 'stacks' / 'Pulumi.dev.yaml'} does not set it\n"
    )


@pytest.mark.parametrize("stack", ["/../../../x", "../dev", "a b"])
def test_a_stack_name_pulumi_refuses_is_refused(
    copy: Path, stack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli("plan", "--stack", stack, "--project-dir", str(copy), capsys=capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("error: stack name ")


def test_project_roles_from_the_stack_file_reach_the_plan(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_dev(copy, projectRoles=None)  # replace the dev stack's own
    append_dev(
        copy,
        "  harbor-sso:projectRoles:\n"
        "    library:\n      harbor-admins: projectadmin\n      dev_team: developer\n",
    )
    code, out, _ = run_cli(
        "plan", "--stack", "dev", "--project-dir", str(copy), "--json", capsys=capsys
    )
    assert code == 0
    members = {
        r["name"]: r["inputs"]
        for r in json.loads(out)["resources"]
        if r["type"] == "harbor:index/projectMemberGroup:ProjectMemberGroup"
    }
    assert {name: m["role"] for name, m in members.items()} == {
        "harbor-sso-role-library.harbor-admins": "projectadmin",
        "harbor-sso-role-library.dev_5Fteam": "developer",
    }
    assert {m["groupName"] for m in members.values()} == {"harbor-admins", "dev_team"}


def test_a_bad_role_in_the_stack_file_is_named_by_its_config_path(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_dev(copy, projectRoles=None)
    append_dev(copy, "  harbor-sso:projectRoles:\n    library:\n      dev_team: owner\n")
    code, out, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert (code, out) == (2, "")
    assert err.startswith("error: harbor-sso:projectRoles.library.dev_team: Input should be ")
    assert err.rstrip().endswith("got 'owner'")


@pytest.mark.parametrize(
    ("project_text", "stack_bytes", "names"),
    [
        ("- not a mapping\n", b"config: {}\n", "Pulumi.yaml must be a mapping"),
        (None, b"- not a mapping\n", "Pulumi.dev.yaml must be a mapping"),
        (None, b"config: [a, b]\n", "Pulumi.dev.yaml: config must be a mapping"),
        ("name: harbor-sso\nstackConfigDir: {a: 1}\n", b"config: {}\n", "stackConfigDir"),
        (None, b"config:\n  harbor-sso:slug: \xff\n", "not UTF-8"),
        (
            None,
            b"config:\n  7: x\n  harborUrl: https://h.example\n  authentikUrl: https://a.example\n",
            "harbor-sso:7: unknown config key",
        ),
        (None, b"config:\n  7: x\n", "harbor-sso:harborUrl: is required"),
    ],
)
def test_a_file_of_the_wrong_shape_exits_2_naming_it(
    copy: Path,
    project_text: str | None,
    stack_bytes: bytes,
    names: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if project_text is not None:
        (copy / "Pulumi.yaml").write_text(project_text)
        (copy / "Pulumi.dev.yaml").write_bytes(stack_bytes)  # stackConfigDir unset: "."
    (copy / "stacks" / "Pulumi.dev.yaml").write_bytes(stack_bytes)
    code, out, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert (code, out) == (2, "")
    assert names in err
    assert "Traceback" not in err


ENCRYPTABLE = [
    "harborUrl", "authentikUrl", "slug", "applicationName", "clientId", "clientSecret",
    "verifyCert", "autoOnboard", "openInNewTab", "policyEngineMode", "subMode",
    "accessTokenValidity", "adminGroup", "groupFilter", "authentikApiUrl", "harborApiUrl",
    "authentikInsecure", "harborInsecure", "protect", "authentikToken", "harborPassword",
    "harborUsername",
]  # fmt: skip


@pytest.mark.parametrize("key", ENCRYPTABLE)
def test_any_key_that_may_be_encrypted_plans_from_a_valid_stand_in(
    copy: Path, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_dev(copy, **{key: {"secure": "v1:KEYciphertext"}})
    code, out, err = run_cli(
        "plan", "--stack", "dev", "--project-dir", str(copy), "--json", capsys=capsys
    )
    assert (code, err) == (0, "")
    assert "KEYciphertext" not in out
    result = json.loads(out)
    credentials = ("clientSecret", "authentikToken", "harborPassword")
    assert result["deferred"] == ([] if key in credentials else [f"harbor-sso:{key}"])


def billion_laughs() -> bytes:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 10)]
    return ("\n".join(lines) + "\nconfig:\n  harbor-sso:slug: *l9\n").encode()


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("stack_bytes", "says"),
    [
        (billion_laughs(), "yaml: document contains excessive aliasing"),
        (
            b"config:\n  harbor-sso:slug: " + b"[" * 400 + b"]" * 400 + b"\n",
            "nested deeper than 100 levels",
        ),
        (None, "is a FIFO, not a regular file"),
    ],
    ids=["billion-laughs", "deep", "fifo"],
)
def test_a_hostile_stack_file_exits_2_fast_without_a_traceback(
    copy: Path, stack_bytes: bytes | None, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import os  # imported here: this test was appended without touching the file's head

    stack = copy / "stacks" / "Pulumi.dev.yaml"
    stack.unlink()
    if stack_bytes is None:
        os.mkfifo(stack)  # opened for reading, it would block until the timeout
    else:
        stack.write_bytes(stack_bytes)
    code, out, err = run_cli("plan", "--stack", "dev", "--project-dir", str(copy), capsys=capsys)
    assert (code, out) == (2, "")
    assert err == f"error: cannot read {stack}: {says}\n"  # one line: no traceback


def test_the_plan_says_which_credentials_a_real_preview_still_needs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTHENTIK_TOKEN", "tok-CANARY-plan")
    monkeypatch.setenv("HARBOR_USERNAME", "user-CANARY-plan")
    assert main(["plan", "--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert "CANARY" not in out  # whether each is set, never a value
    assert (
        "(not set in the stack file nor in the environment, and needed by a real `pulumi "
        "preview` and `up`: harbor-sso:harborPassword or HARBOR_PASSWORD)"
    ) in out.splitlines()
    assert "      token: [secret]" in out.splitlines()
    assert "      password: <not set: harbor-sso:harborPassword or HARBOR_PASSWORD>" in out


def test_credentials_in_the_stack_file_are_not_asked_for(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put(project, "dev", harborUsername="admin")
    stack = project / "stacks" / "Pulumi.dev.yaml"
    stack.write_text(
        stack.read_text()
        + "  harbor-sso:authentikToken:\n    secure: v1:AAAA\n"
        + "  harbor-sso:harborPassword:\n    secure: v1:BBBB\n"
    )
    assert main(["plan", "--stack", "dev", "--project-dir", str(project)]) == 0
    assert "not set" not in capsys.readouterr().out
