"""The live suite: the stack program against a real authentik and Harbor.

Runs when the environment provides them and a `pulumi` CLI: AUTHENTIK_URL,
AUTHENTIK_TOKEN, HARBOR_URL, HARBOR_USERNAME, HARBOR_PASSWORD. Otherwise it skips and
says why (pytest prints skip reasons: `-ra` is in pyproject.toml). The state lives in a
file backend in a temporary directory, encrypted with a throwaway passphrase; the
application slug is `harbor-sso-live`, so an existing `harbor` application is untouched,
but Harbor's auth configuration is the instance's one: use a scratch Harbor. `verify`
checks TLS; for a private CA, point SSL_CERT_FILE at it.

    AUTHENTIK_URL=... AUTHENTIK_TOKEN=... HARBOR_URL=... HARBOR_USERNAME=admin \\
    HARBOR_PASSWORD=... .venv/bin/python -m pytest -v tests/integration
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from harbor_sso.live.verify import Expected, report, verify
from harbor_sso.stack.config import ENVIRONMENT
from harbor_sso.validation import validate

# the URLs, then the credentials the stack program itself reads from the environment
REQUIRED = ("AUTHENTIK_URL", "HARBOR_URL", *ENVIRONMENT.values())
SLUG = "harbor-sso-live"
OIDC_NOTE = (
    "note: Harbor stays in OIDC auth mode after destroy, by design: the Harbor provider's "
    "delete does nothing, and Harbor refuses to leave OIDC once users have logged in. Its "
    "login button now leads to a removed authentik provider; reset the mode in Harbor by "
    "hand if this was a scratch instance."
)


def why_not_live(
    env: Mapping[str, str], which: Callable[[str], str | None] = shutil.which
) -> str | None:
    """The reason the live suite cannot run here, or None."""
    reasons = []
    if which("pulumi") is None:
        reasons.append("no `pulumi` CLI on PATH")
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        reasons.append(f"not set: {', '.join(missing)}")
    return "live suite skipped: " + "; ".join(reasons) if reasons else None


def test_why_not_live_names_what_is_missing() -> None:
    assert why_not_live({}, lambda _: None) == (
        "live suite skipped: no `pulumi` CLI on PATH; not set: " + ", ".join(REQUIRED)
    )
    full = dict.fromkeys(REQUIRED, "x")
    assert why_not_live(full, lambda _: "/usr/bin/pulumi") is None
    assert why_not_live({**full, "HARBOR_PASSWORD": ""}, lambda _: "/bin/pulumi") == (
        "live suite skipped: not set: HARBOR_PASSWORD"
    )


REASON = why_not_live(os.environ)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[object]:
    from pulumi import automation as auto

    from harbor_sso.stack import program

    backend = tmp_path / "state"
    backend.mkdir()
    workspace = auto.LocalWorkspaceOptions(
        work_dir=str(tmp_path),
        project_settings=auto.ProjectSettings(
            name="harbor-sso",
            runtime="python",
            backend=auto.ProjectBackend(url=f"file://{backend}"),
        ),
        env_vars={"PULUMI_CONFIG_PASSPHRASE": "live-suite-throwaway"},
    )
    created = auto.create_or_select_stack(
        stack_name="live", project_name="harbor-sso", program=program.main, opts=workspace
    )
    created.set_all_config(
        {
            "harbor-sso:harborUrl": auto.ConfigValue(os.environ["HARBOR_URL"]),
            "harbor-sso:authentikUrl": auto.ConfigValue(os.environ["AUTHENTIK_URL"]),
            "harbor-sso:slug": auto.ConfigValue(SLUG),
        }
    )
    yield created
    created.destroy(on_output=print)
    created.workspace.remove_stack("live")


@pytest.mark.live
@pytest.mark.skipif(REASON is not None, reason=REASON or "")
def test_up_verify_preview_destroy(stack: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pulumi import automation as auto

    assert isinstance(stack, auto.Stack)
    up = stack.up(on_output=print)
    assert up.summary.result == "succeeded"

    expected = Expected.from_settings(
        validate(
            {
                "harbor_url": os.environ["HARBOR_URL"],
                "authentik_url": os.environ["AUTHENTIK_URL"],
                "slug": SLUG,
            }
        )
    )
    checks = verify(expected)
    for line in report(checks):
        print(line)
    assert all(c.ok for c in checks)

    again = stack.preview(on_output=print)
    changes = {op: n for op, n in again.change_summary.items() if op != "same" and n}
    assert changes == {}, f"a second run would change {changes}"

    stack.destroy(on_output=print)
    print(OIDC_NOTE)
    assert OIDC_NOTE in capsys.readouterr().out
