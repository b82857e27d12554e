"""Checks about stack files themselves: plain-text credentials and sibling stacks that
would create the same authentik application."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from harbor_sso.cli import main
from harbor_sso.offline.stack_checks import plain_credentials, sibling_conflicts
from harbor_sso.offline.stackfile import read_stack
from tests.support import ROOT

from .conftest import put

CREDENTIALS = ["authentikToken", "harborPassword", "clientSecret"]


@pytest.mark.parametrize("key", CREDENTIALS)
def test_a_credential_in_plain_text_is_named_with_the_command_to_encrypt_it(
    project: Path, key: str
) -> None:
    put(project, "dev", **{key: "plain-canary-value"})
    found = plain_credentials(read_stack(project, "dev"))
    assert found == [
        (
            f"harbor-sso:{key}",
            "is in plain text in Pulumi.dev.yaml, which is committed: remove it there and run "
            f"`pulumi config set --secret harbor-sso:{key} <value> --stack dev`",
        )
    ]
    assert "plain-canary-value" not in repr(found)


@pytest.mark.parametrize("key", CREDENTIALS)
def test_an_encrypted_credential_is_no_warning(project: Path, key: str) -> None:
    put(project, "dev", **{key: {"secure": "v1:AAAA"}})
    assert plain_credentials(read_stack(project, "dev")) == []


def test_the_shipped_stacks_hold_no_credential() -> None:
    for stack in ("dev", "staging", "prod"):
        assert plain_credentials(read_stack(ROOT, stack)) == []


def test_plan_warns_of_a_plain_credential_and_never_shows_it(
    project: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    put(project, "dev", harborPassword="plain-canary-value")
    with caplog.at_level(logging.WARNING):
        assert main(["plan", "--stack", "dev", "--project-dir", str(project)]) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("harbor-sso:harborPassword: is in plain text") for m in messages)
    assert "plain-canary-value" not in capsys.readouterr().out + "".join(messages)


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [
        ({"slug": "shared"}, {"slug": "shared"}),
        ({"slug": "shared", "authentikUrl": "https://AUTH.example.com/"},
         {"slug": "shared", "authentikUrl": "https://auth.example.com"}),
        ({}, {}),  # both on the default slug 'harbor'
    ],
)  # fmt: skip
def test_two_stacks_with_one_slug_on_one_authentik_are_refused(
    project: Path, mine: dict[str, str], theirs: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    base = {"harborUrl": "https://h.example", "authentikUrl": "https://auth.example.com"}
    for stack in ("dev", "staging", "prod"):
        (project / "stacks" / f"Pulumi.{stack}.yaml").unlink()
    put(project, "blue", **{**base, **mine})
    put(project, "green", **{**base, "harborUrl": "https://h2.example", **theirs})
    slug = mine.get("slug", "harbor")
    assert sibling_conflicts(read_stack(project, "blue")) == [
        (
            "harbor-sso:slug",
            f"stack 'green' already uses slug {slug!r} on https://auth.example.com: authentik "
            "application slugs are unique, so the second `pulumi up` fails; give each stack "
            "its own slug",
        )
    ]
    assert main(["plan", "--stack", "blue", "--project-dir", str(project)]) == 2
    assert capsys.readouterr().err.startswith("error: harbor-sso:slug: stack 'green' already")


@pytest.mark.parametrize(
    "theirs",
    [
        {"slug": "other"},  # another application
        {"authentikUrl": "https://auth2.example.com"},  # another authentik
        {"authentikUrl": {"secure": "v1:AAAA"}},  # unknown offline: not compared
        {"authentikUrl": "not a url"},  # that stack's own error
    ],
)
def test_stacks_that_cannot_collide_pass(project: Path, theirs: dict[str, object]) -> None:
    base = {"harborUrl": "https://h.example", "authentikUrl": "https://auth.example.com"}
    put(project, "blue", **base, slug="shared")
    put(project, "green", **{**base, "slug": "shared", **theirs})
    assert sibling_conflicts(read_stack(project, "blue")) == []


def test_a_broken_sibling_stack_file_does_not_fail_this_stack(project: Path) -> None:
    (project / "stacks" / "Pulumi.broken.yaml").write_text("config: [\n")
    assert sibling_conflicts(read_stack(project, "dev")) == []


def test_the_shipped_stacks_do_not_collide() -> None:
    for stack in ("dev", "staging", "prod"):
        assert sibling_conflicts(read_stack(ROOT, stack)) == []
