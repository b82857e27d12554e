"""`harbor-sso plan --program DIR`: a library user's own program, offline; and
`plan --project-dir` refusing another program instead of planning the wrong one."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from harbor_sso.cli import main
from tests.support import ROOT

PROGRAM = """\
import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor
from harbor_sso import HarborAuthentikSSO

config = pulumi.Config()
ak = authentik.Provider(
    "ak", url=config.require("authentikUrl"), token=config.require_secret("token")
)
hb = harbor.Provider("hb", url=config.require("harborUrl"), insecure=False)
sso = HarborAuthentikSSO(
    "registry",
    {"harbor_url": config.require("harborUrl"), "authentik_url": config.require("authentikUrl"),
     "slug": "registry"},
    pulumi.ResourceOptions(providers={"authentik": ak, "harbor": hb}),
)
pulumi.export("issuer", sso.oidc_endpoint)
"""


def user_project(tmp_path: Path, main_key: str | None = None) -> Path:
    folder = tmp_path / "platform"
    folder.mkdir()
    program = folder / (main_key or "__main__.py")
    program.parent.mkdir(parents=True, exist_ok=True)
    if program.suffix != ".py":
        program = program / "__main__.py"
        program.parent.mkdir(parents=True, exist_ok=True)
    program.write_text(PROGRAM)
    (folder / "helpers.py").write_text("VALUE = 1\n")
    main_line = f"main: {main_key}\n" if main_key else ""
    (folder / "Pulumi.yaml").write_text(f"name: platform\nruntime: python\n{main_line}")
    (folder / "Pulumi.prod.yaml").write_text(
        textwrap.dedent(
            """\
            config:
              platform:harborUrl: https://registry.example.org
              platform:authentikUrl: https://id.example.org
              platform:token:
                secure: v1:AAAAbm90IGEgcmVhbCBjaXBoZXJ0ZXh0
            """
        )
    )
    return folder


@pytest.mark.parametrize("main_key", [None, "infra", "infra/main.py"])
def test_a_users_own_program_is_planned_with_its_stack(
    tmp_path: Path, main_key: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_project(tmp_path, main_key)
    assert main(["plan", "--program", str(folder), "--stack", "prod"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Plan for stack prod (project platform):")
    assert "+ harbor-sso:index:HarborAuthentikSSO  registry" in out
    assert "      url: https://id.example.org" in out
    assert "token: [secret]" in out
    assert "v1:AAAA" not in out  # the ciphertext is never shown
    assert "      issuer: https://id.example.org/application/o/registry/" in out


def test_a_users_program_that_fails_validation_exits_with_its_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_project(tmp_path)
    stack = folder / "Pulumi.prod.yaml"
    stack.write_text(stack.read_text().replace("https://registry.example.org", "registry"))
    assert main(["plan", "--program", str(folder), "--stack", "prod"]) == 2
    assert capsys.readouterr().err == (
        "error: harbor_url: must be an http(s) URL such as https://host.example; got 'registry'\n"
    )


def test_a_program_folder_without_a_program_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_project(tmp_path)
    (folder / "__main__.py").unlink()
    assert main(["plan", "--program", str(folder), "--stack", "prod"]) == 2
    assert (
        capsys.readouterr().err
        == f"error: cannot run {folder / '__main__.py'}: no such program file\n"
    )


def test_plan_stack_refuses_a_project_whose_program_is_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_project(tmp_path)
    (folder / "Pulumi.yaml").write_text("name: platform\nruntime: python\n")
    shutil.copy(folder / "Pulumi.prod.yaml", folder / "Pulumi.dev.yaml")
    assert main(["plan", "--stack", "dev", "--project-dir", str(folder)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"error: {folder / '__main__.py'} is not the harbor-sso stack program (it does not "
        "import harbor_sso.stack), and `plan --stack` plans only that one; to preview your "
        f"own program: harbor-sso plan --program {folder} --stack <stack>\n"
    )


def test_plan_stack_runs_on_this_project_and_on_stack_files_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "--stack", "dev", "--project-dir", str(ROOT)]) == 0
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "stacks", tmp_path / "stacks")
    assert main(["plan", "--stack", "dev", "--project-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


def test_program_and_project_dir_are_one_or_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["plan", "--stack", "x", "--program", "a", "--project-dir", "b"])
    assert caught.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_a_relative_program_folder_is_run_from_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    user_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "--program", "platform", "--stack", "prod"]) == 0
    assert "+ harbor-sso:index:HarborAuthentikSSO  registry" in capsys.readouterr().out
    assert Path.cwd() == tmp_path  # and the folder the command ran in is restored
