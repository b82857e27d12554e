"""What a user reads when a stack value is bad or a look-up finds nothing, under the
real CLI: one `error:` line naming the config key and the value, and no traceback.

A RunError is reported by its message alone, by the language host's executor
(pulumi-language-python-exec `main`) and inline (automation/_server.py
`LanguageServer.Run`); any other exception is "Program failed with an unhandled
exception" or "python inline source runtime error" and a traceback. Measured with the
real plugins: a missing project printed about 40 lines of traceback, a missing group
`invocation of authentik:index/getGroup:getGroup returned an error: No matching groups
found:`, naming neither group nor key (real-systems.md, item 3).
"""

from __future__ import annotations

import pytest

from tests.engine.conftest import Deployment


def error_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("error:")]


def assert_one_clean_error(text: str, expected: str) -> None:
    assert expected in error_lines(text), text
    assert "Traceback" not in text
    assert "unhandled exception" not in text and "runtime error" not in text


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {"allowedGroups": ["harbor-users", "no-such-group"]},
            "error: harbor-sso:allowedGroups: authentik has no group named 'no-such-group'",
        ),
        (
            {"projectRoles": {"no-such-project": {"harbor-users": "developer"}}},
            "error: harbor-sso:projectRoles.no-such-project: Harbor has no project named "
            "'no-such-project'; create it first (projects are looked up, never created here)",
        ),
        (
            {"authorizationFlow": "no-such-flow"},
            "error: harbor-sso:authorizationFlow: authentik has no flow named 'no-such-flow'",
        ),
        (
            {"signingKey": "no-such-key"},
            "error: harbor-sso:signingKey: authentik has no key pair named 'no-such-key'",
        ),
    ],
)
def test_a_missing_object_is_one_line_naming_the_key(
    deployment: Deployment, config: dict[str, object], expected: str
) -> None:
    deployment.configure(**config)
    outcome = deployment.one("preview")
    assert not outcome.ok
    assert_one_clean_error(outcome.text, expected)


def test_a_missing_managed_scope_mapping_is_one_line_naming_the_key(
    deployment: Deployment,
) -> None:
    a = deployment.pair.authentik
    for pk in [pk for pk, m in a.mappings.items() if m["managed"] and "offline" in m["managed"]]:
        del a.mappings[pk]
    outcome = deployment.one("preview")
    assert_one_clean_error(
        outcome.text,
        "error: harbor-sso:scopes: authentik has no managed scope mapping for offline_access "
        "(goauthentik.io/providers/oauth2/scope-offline_access is not one of the available "
        "choices); restore the mapping (authentik recreates its managed mappings when its "
        "worker starts) or remove the scope",
    )


def test_a_bad_stack_value_is_named_with_the_value(deployment: Deployment) -> None:
    deployment.configure(policyEngineMode="every")
    outcome = deployment.one("preview")
    assert not outcome.ok
    assert "harbor-sso:policyEngineMode: Input should be 'any' or 'all'; got 'every'" in (
        outcome.text
    )
    assert "Traceback" not in outcome.text
    assert deployment.pair.authentik.log.exchanges == []  # nothing was asked
