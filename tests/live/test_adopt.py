"""``harbor-sso adopt`` against the API stand-ins: the printed config keeps what Harbor
keys its users on, names every difference in words, never shows the client secret, and
plans under the mock engine with each child importing its live object."""

from __future__ import annotations

import json
import os
import shlex
import stat
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from harbor_sso.cli import main
from harbor_sso.harbor_side import MATCH_ALL_GROUPS, NO_ADMIN_GROUP
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from harbor_sso.stack import program
from harbor_sso.stack.config import load
from tests.stand_ins.pair import Pair, seed

from .conftest import PASSWORD, TOKEN

SECRET = "client-secret-CANARY-0a1b2c3d4e5f"
CANARIES = (TOKEN, PASSWORD, SECRET, "CANARY")


def seeded(pair: Pair, *, old_guide: bool, **provider: Any) -> tuple[str, dict[str, Any]]:
    client_id = seed(pair, old_guide=old_guide)
    live = next(iter(pair.authentik.providers.values()))
    live.update(client_secret=SECRET, **provider)
    return client_id, live


def adopt(pair: Pair, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["adopt", "--authentik-url", pair.authentik.base,
                 "--harbor-url", pair.harbor.url, "--timeout", "5", *extra])  # fmt: skip
    out, err = capsys.readouterr()
    for canary in CANARIES:
        assert canary not in out + err
    assert "Traceback" not in out + err
    return code, out + err


def printed_config(out: str) -> dict[str, str]:
    values = {}
    for line in out.splitlines():
        if line.startswith("pulumi config set harbor-sso:"):
            _, _, _, key, value = shlex.split(line)
            values[key] = value
    return values


def plan(config: dict[str, str]) -> tuple[dict[str, str | None], AuthentikHarborMocks]:
    """The stack program on the printed config, under the mock engine: import ids."""
    cfg = load({**config, "harbor-sso:authentikToken": "fake", "harbor-sso:harborPassword": "x"})
    seen: dict[str, str | None] = {}

    def record(args: pulumi.ResourceTransformationArgs) -> None:
        seen[args.name] = args.opts.import_

    def run() -> None:
        pulumi.runtime.register_stack_transformation(record)
        program.build(cfg)

    mocks = AuthentikHarborMocks(permissive=True)
    with mock_engine(mocks):
        run_program(run)
    return seen, mocks


def inputs(mocks: AuthentikHarborMocks, kind: str) -> dict[str, Any]:
    (found,) = [r.inputs for r in mocks.resources if r.type.endswith(":" + kind)]
    return found


def test_the_old_guides_setup_is_adopted_as_it_is_and_its_fixes_are_named(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    client_id, live = seeded(
        pair, old_guide=True, sub_mode="user_email", access_token_validity="hours=1"
    )
    code, out = adopt(pair, capsys)
    assert code == 0, out
    h, a = pair.harbor.url, pair.authentik.base
    assert "Client ID, client secret, slug and sub_mode stay as they are" in out
    assert "nobody is onboarded again" in out
    assert (
        f"CHANGE  redirect URI: '{h}/c/oidc/callback/' (strict) becomes the one strict "
        f"'{h}/c/oidc/callback' (Harbor sends it without the trailing slash" in out
    )
    assert (
        f"CHANGE  Harbor OIDC endpoint: '{a}/application/o/harbor' becomes "
        f"'{a}/application/o/harbor/' (the issuer authentik publishes has the trailing slash"
    ) in out
    assert "KEEP    scopes: 'offline_access' is neither mapped nor requested: adopted" in out
    assert "KEEP    sub_mode: 'user_email' (the default is 'hashed_user_id'): adopted" in out
    assert "KEEP    access_token_validity: 'hours=1' (the default is 'minutes=10')" in out
    config = printed_config(out)
    assert config["harbor-sso:clientId"] == client_id
    assert config["harbor-sso:slug"] == "harbor"
    assert config["harbor-sso:subMode"] == "user_email"
    assert config["harbor-sso:accessTokenValidity"] == "hours=1"
    assert config["harbor-sso:refreshTokenValidity"] == "days=30"
    assert config["harbor-sso:harborUrl"] == h  # from the redirect URI, slash dropped
    assert config["harbor-sso:authentikUrl"] == a  # from Harbor's endpoint
    assert config["harbor-sso:scopes"] == '["openid","email","profile"]'  # Harbor's order
    assert config["harbor-sso:allowedGroups"] == "[]"
    assert "harbor-sso:clientSecret" not in config
    # the secret goes from authentik's API through a pipe into encrypted config
    assert (
        f'curl -fsS -H "Authorization: Bearer $AUTHENTIK_TOKEN" '
        f"{a}/api/v3/providers/oauth2/{live['pk']}/ | python3 -c"
    ) in out
    assert out.count("| pulumi config set --secret harbor-sso:clientSecret") == 1
    assert yaml.safe_load(config["harbor-sso:adopt"]) == {
        "provider": str(live["pk"]), "application": "harbor",
        "configAuth": "/configurations", "bindings": {},
    }  # fmt: skip

    seen, mocks = plan(config)
    assert seen["harbor-sso-provider"] == str(live["pk"])
    assert seen["harbor-sso-application"] == "harbor"
    assert seen["harbor-sso-config-auth"] == "/configurations"
    provider = inputs(mocks, "ProviderOauth2")
    assert provider["clientId"] == client_id
    assert provider["subMode"] == "user_email"
    assert provider["accessTokenValidity"] == "hours=1"
    assert provider["allowedRedirectUris"] == [
        {"matching_mode": "strict", "url": f"{h}/c/oidc/callback"}  # the intended fix
    ]
    assert inputs(mocks, "Application")["slug"] == "harbor"
    harbor = inputs(mocks, "ConfigAuth")
    assert harbor["oidcEndpoint"] == f"{a}/application/o/harbor/"
    assert harbor["oidcScope"] == "openid,email,profile"  # as live: no update there


def test_a_correct_setup_written_to_a_stack_file_with_bindings_and_memberships(
    pair: Pair, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    client_id, live = seeded(pair, old_guide=False)
    (binding,) = pair.authentik.bindings
    member = pair.harbor.add_group_member("library", "harbor-users", role_id=2)
    stack_file = tmp_path / "stacks" / "Pulumi.prod.yaml"
    stack_file.parent.mkdir()
    stack_file.write_text(
        "config:\n  harbor-sso:slug: registry\n  harbor-sso:protect: 'true'\n"
        "  authentik:insecure: 'false'\n"
    )
    code, out = adopt(
        pair, capsys, "--stack-file", str(stack_file), "--project", "library", "--stack", "prod"
    )
    assert code == 0, out
    text = stack_file.read_text()
    assert SECRET not in text and "clientSecret" not in text
    written = yaml.safe_load(text)["config"]
    assert written["harbor-sso:protect"] == "true"  # other keys stay
    assert written["authentik:insecure"] == "false"
    assert written["harbor-sso:slug"] == "harbor"
    assert written["harbor-sso:clientId"] == client_id
    assert written["harbor-sso:allowedGroups"] == ["harbor-users"]
    assert written["harbor-sso:projectRoles"] == {"library": {"harbor-users": "developer"}}
    assert written["harbor-sso:adopt"] == {
        "provider": str(live["pk"]), "application": "harbor", "configAuth": "/configurations",
        "bindings": {"harbor-users": binding["pk"]},
        "memberships": {"library": {"harbor-users": member}},
    }  # fmt: skip
    # the stack file said otherwise: the live value wins, in words
    assert (
        "KEEP    harbor-sso:slug: the stack file has 'registry', the live objects 'harbor': "
        "the live value is written, so no update"
    ) in out
    # a correct setup: no redirect, endpoint or scope change to announce
    assert "redirect URI" not in out and "Harbor OIDC endpoint" not in out
    assert "offline_access" not in out
    assert "--stack prod" in out

    # as the engine hands the program a stack file's maps and lists: JSON text
    as_strings = {
        k: v if isinstance(v, str) else json.dumps(v) for k, v in written.items()
        if k.startswith("harbor-sso:")
    }  # fmt: skip
    seen, mocks = plan(as_strings)
    assert seen["harbor-sso-allow-harbor-users"] == binding["pk"]
    assert seen["harbor-sso-role-library.harbor-users"] == member
    assert seen["harbor-sso-provider"] == str(live["pk"])
    assert inputs(mocks, "ProviderOauth2")["subMode"] == "hashed_user_id"


def test_set_pipes_the_secret_to_the_pulumi_cli_on_stdin_never_argv(
    pair: Pair, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded(pair, old_guide=False)
    record = tmp_path / "record"
    fake = tmp_path / "bin" / "pulumi"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@" > {record}.argv\ncat > {record}.stdin\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    code, out = adopt(pair, capsys, "--set", "--stack", "prod")
    assert code == 0, out
    assert (tmp_path / "record.argv").read_text().split() == [
        "config", "set", "--secret", "harbor-sso:clientSecret", "--stack", "prod"
    ]  # fmt: skip
    assert (tmp_path / "record.stdin").read_text() == SECRET
    assert "harbor-sso:clientSecret set (encrypted)" in out and "curl" not in out


def test_set_without_a_stack_is_bad_input(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adopt", "--authentik-url", pair.authentik.base, "--harbor-url",
                 pair.harbor.url, "--set"]) == 2  # fmt: skip
    assert "--set needs --stack" in capsys.readouterr().err
    assert pair.requests() == []


def test_a_missing_application_fails_naming_it(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded(pair, old_guide=False)
    code = main(["adopt", "--authentik-url", pair.authentik.base, "--harbor-url",
                 pair.harbor.url, "--slug", "nope"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "FAIL  authentik application" in err and "answered 404" in err
    assert SECRET not in err


def test_by_client_id_finds_the_application(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    client_id = seed(pair, old_guide=False, slug="registry")
    code, out = adopt(pair, capsys, "--client-id", client_id)
    assert code == 0
    assert printed_config(out)["harbor-sso:slug"] == "registry"
    assert "KEEP    slug: 'registry' (the default is 'harbor'): adopted, no update" in out


def test_harbor_sso_s_placeholders_are_adopted_as_no_admin_group_and_no_filter(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded(pair, old_guide=False)
    pair.harbor.config.update(oidc_admin_group=NO_ADMIN_GROUP, oidc_group_filter=MATCH_ALL_GROUPS)
    code, out = adopt(pair, capsys)
    assert code == 0, out
    config = printed_config(out)
    assert "harbor-sso:adminGroup" not in config
    assert "harbor-sso:groupFilter" not in config
    pair.harbor.config.update(oidc_admin_group="harbor-admins", oidc_group_filter="^harbor-")
    config = printed_config(adopt(pair, capsys)[1])
    assert (config["harbor-sso:adminGroup"], config["harbor-sso:groupFilter"]) == (
        "harbor-admins",
        "^harbor-",
    )
