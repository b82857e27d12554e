"""What a reviewer reads in a text plan cannot be forged or hidden: one line per input,
every character that is not printable escaped, look-ups named, integers as integers."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbor_sso.cli import main
from harbor_sso.offline.plan import plan, render_text
from harbor_sso.offline.stackfile import read_stack
from tests.support import ROOT, examples

from .conftest import put

# Every line of a text plan is one of these; nothing a value holds can start another.
LINE = re.compile(
    r"Plan for stack \S+ \(project .*\): \d+ resources to create"
    r"|\(.*\)|"
    r"|\+ \S+  \S+"
    r"|      [A-Za-z_]+: .*"
    r"|Outputs:"
)


def text_plan(project: Path) -> str:
    return render_text(plan(read_stack(project, "dev")))


FORGED = "x\n+ harbor:index/configAuth:ConfigAuth  spoofed\n      authMode: db_auth"


def test_a_line_break_in_a_value_cannot_forge_a_plan_entry(project: Path) -> None:
    put(project, "dev", applicationDescription=FORGED, applicationPublisher="a\rb\u2028c\u2029d")
    shown = text_plan(project)
    assert "spoofed" in shown  # shown, but inside its own line:
    assert [line for line in shown.splitlines() if line.startswith("+")] == [
        line for line in text_plan_of_dev().splitlines() if line.startswith("+")
    ]
    assert (
        "      metaDescription: x\\n+ harbor:index/configAuth:ConfigAuth  spoofed\\n"
        "      authMode: db_auth"
    ) in shown.splitlines()
    assert "      metaPublisher: a\\rb\\u2028c\\u2029d" in shown.splitlines()


def text_plan_of_dev() -> str:
    return render_text(plan(read_stack(ROOT, "dev")))


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("\u202egnp.exe", "\\u202egnp.exe"),  # a right-to-left override
        ("a\u200bb", "a\\u200bb"),  # zero-width space
        ("a\u2066b\u2069", "a\\u2066b\\u2069"),  # bidi isolates
        ("\ufeffbom", "\\ufeffbom"),
        ("tab\there", "tab\\there"),
        ("caf\u00e9 \u6e2f", "caf\u00e9 \u6e2f"),  # printable text stays as written
    ],
)
def test_invisible_and_control_characters_print_as_escapes(
    project: Path, written: str, shown: str
) -> None:
    put(project, "dev", applicationDescription=written)
    assert f"      metaDescription: {shown}" in text_plan(project).splitlines()


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    description=st.text(
        st.characters(exclude_categories=["Cc", "Cs"]) | st.sampled_from("\t\n\r"),
        min_size=1,
        max_size=40,
    )
)
def test_no_description_can_add_a_line_or_an_unprintable_character(
    project: Path, description: str
) -> None:
    # every description a Text field takes (no control character but tab and line breaks)
    put(project, "dev", applicationDescription=description)
    shown = text_plan(project)
    for line in shown.splitlines():
        assert LINE.fullmatch(line), line
        assert line.isprintable(), line


def test_each_look_up_is_shown_by_what_was_asked(project: Path) -> None:
    lines = text_plan(project).splitlines()
    flow = next(line for line in lines if line.lstrip().startswith("authorizationFlow:"))
    assert flow.endswith(" (flow default-provider-authorization-implicit-consent)")
    key = next(line for line in lines if line.lstrip().startswith("signingKey:"))
    assert key.endswith(" (key pair authentik Self-signed Certificate)")
    mappings = next(line for line in lines if line.lstrip().startswith("propertyMappings:"))
    for scope in ("openid", "profile", "email", "offline_access"):
        assert f"(scope mapping goauthentik.io/providers/oauth2/scope-{scope})" in mappings
    project_id = next(line for line in lines if line.lstrip().startswith("projectId:"))
    assert project_id.endswith(" (Harbor project library)")


def test_allowed_groups_are_shown_by_name(project: Path) -> None:
    put(project, "dev", allowedGroups=["harbor-admins", "ops team"])
    lines = text_plan(project).splitlines()
    groups = [line for line in lines if line.lstrip().startswith("group:")]
    assert any(line.endswith(" (group ops team)") for line in groups), groups


def test_integers_print_as_integers_in_text_and_json(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "--stack", "dev", "--project-dir", str(project)]) == 0
    text = capsys.readouterr().out
    assert re.search(r"protocolProvider: \d+$", text, re.MULTILINE)
    assert ".0\n" not in text
    assert main(["plan", "--stack", "dev", "--project-dir", str(project), "--json"]) == 0
    assert '"protocolProvider": 86861,' in capsys.readouterr().out


def test_an_error_line_escapes_what_a_key_holds(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "stacks" / "Pulumi.dev.yaml"
    path.write_text(path.read_text() + '  "harbor-sso:x\\nerror: all good\\u202e": 1\n')
    assert main(["plan", "--stack", "dev", "--project-dir", str(project)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "error: harbor-sso:x\\nerror: all good\\u202e: unknown config key (a typo?)"
    ]


def test_turning_primary_auth_mode_on_is_said_to_be_one_way(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # terraform-provider-harbor sends primary_auth_mode omitempty: false never reaches
    # Harbor (models/config.go `ConfigBodyAuthPost`), so "on" cannot be undone from here
    put(project, "dev", primaryAuthMode=True)
    with caplog.at_level(logging.WARNING):
        assert main(["plan", "--stack", "dev", "--project-dir", str(project)]) == 0
    assert any(
        r.getMessage().startswith("harbor-sso:primaryAuthMode: is one-way") for r in caplog.records
    )
    caplog.clear()
    put(project, "dev", primaryAuthMode=False)
    with caplog.at_level(logging.WARNING):
        main(["plan", "--stack", "dev", "--project-dir", str(project)])
    assert not any("one-way" in r.getMessage() for r in caplog.records)
