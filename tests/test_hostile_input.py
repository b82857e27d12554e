"""Hostile and careless input, round two: each test pins a defect that was found with
about 250 such cases (secrets in messages, tracebacks, the wrong regex dialect, ...)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbor_sso import ConfigError, HarborAuthentikSSO
from harbor_sso.cli import main
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from harbor_sso.stack.config import load
from harbor_sso.validation import validate
from tests.support import GUIDE, ROOT, examples

CANARY = "CANARY-7f3a9"
CIPHERTEXT = "v1:CIPHER-5b2e"
"""Only ever written as `{secure: ...}`: must never be printed."""
BASE = {
    "harbor-sso:harborUrl": "https://harbor.company",
    "harbor-sso:authentikUrl": "https://authentik.company",
    "harbor-sso:authentikToken": "tok",
}


def build(args: dict[str, Any], secret: tuple[str, str] | None = None) -> AuthentikHarborMocks:
    """One component; ``secret`` = (argument, value) is passed as a secret Output, made
    inside the program, on the engine's loop."""
    mocks = AuthentikHarborMocks()

    def program() -> None:
        given = dict(args)
        if secret is not None:
            given[secret[0]] = pulumi.Output.secret(secret[1])
        HarborAuthentikSSO("h", {**GUIDE, **given})  # type: ignore[typeddict-item]

    with mock_engine(mocks):
        run_program(program)
    return mocks


@pytest.mark.parametrize(
    ("argument", "bad"),
    [
        ("client_id", CANARY + "x" * 300),  # too long
        ("harbor_url", f"ftp://{CANARY}.example"),
        ("application_name", f" {CANARY} "),
    ],
)
def test_a_secret_output_is_never_shown_in_its_error(argument: str, bad: str) -> None:
    # validated when it resolves: the SDK wraps the error on its way out, text intact
    with pytest.raises(Exception, match=rf"\n  {argument}: .*; got \[secret\]") as caught:
        build({}, secret=(argument, bad))
    assert CANARY not in str(caught.value)


def test_an_encrypted_config_value_is_never_shown_in_its_error() -> None:
    config = {**BASE, "harbor-sso:harborUrl": f"ftp://{CANARY}", "harbor-sso:verifyCert": CANARY}
    with pytest.raises(ConfigError) as caught:
        load(config, frozenset({"harbor-sso:harborUrl", "harbor-sso:verifyCert"}))
    assert [p[0] for p in caught.value.problems] == [
        "harbor-sso:verifyCert",
        "harbor-sso:harborUrl",
    ]
    assert CANARY not in str(caught.value)


@pytest.mark.parametrize("secret", ["", "   ", f" {CANARY} ", CANARY * 40])
def test_a_client_secret_output_is_checked_when_it_resolves(secret: str) -> None:
    with pytest.raises(Exception, match=r"\n  client_secret: must be") as caught:
        build({}, secret=("client_secret", secret))
    assert CANARY not in str(caught.value)


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        (r"^harbor-(?=admins)", False),  # look-ahead: Python's re takes it, Go's does not
        (r"^(a)\1$", False),  # back-reference
        (r"^\p{L}+$", True),  # Unicode class: Go takes it, Python's re does not
        (r"^harbor-", True),
    ],
)
def test_group_filter_is_checked_in_harbors_dialect(pattern: str, valid: bool) -> None:
    args = {**GUIDE, "group_filter": pattern}
    if valid:
        assert validate(args).group_filter == pattern
    else:
        with pytest.raises(ConfigError, match="group_filter: is not a valid RE2"):
            validate(args)


@pytest.mark.parametrize("name", ["function-x", "[key]"])
def test_an_unknown_argument_named_like_pydantics_own_markers_is_named(name: str) -> None:
    # pydantic writes 'function-after[...]' and '[key]' into error locations itself
    with pytest.raises(ConfigError) as caught:
        validate({**GUIDE, name: 1})
    assert caught.value.problems == [(name, "unknown argument (a typo?)")]


def test_extra_scope_mappings_take_camel_case_keys_in_stack_config() -> None:
    cfg = load(
        {
            **BASE,
            "harbor-sso:extraScopeMappings": '[{"scopeName": "team", "expression": "return {}"}]',
        }
    )
    assert cfg.settings.extra_scope_mappings[0].scope_name == "team"


def test_http_to_another_host_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        build({"harbor_url": "http://harbor.company", "authentik_url": "http://127.0.0.1:9000"})
    warned = [r.getMessage() for r in caplog.records if "http://" in r.getMessage()]
    assert len(warned) == 1
    assert warned[0].startswith("harbor_url: http:// to harbor.company, not this machine")


# -- the project and stack files: any document, exit 0 or 2, never a traceback -----------

YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["1:30", "yes", "0x1F", "2024-01-02", ".nan", "~", CANARY]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=3)
    ),
    max_leaves=8,
)
CONFIG_KEYS = st.sampled_from(
    ["harbor-sso:harborUrl", "harbor-sso:slug", "harbor-sso:verifyCert", "harbor-sso:scopes",
     "harbor-sso:projectRoles", "harbor-sso:clientSecret", "slug", "other:key", "harbor-sso:x"]
)  # fmt: skip


@st.composite
def documents(draw: Any) -> tuple[str, str]:
    """A project file and a stack file: mostly plausible, sometimes anything at all."""
    project: Any = {"name": "harbor-sso", "runtime": "python", "stackConfigDir": "stacks"}
    if draw(st.booleans()):
        project[draw(st.sampled_from(["name", "stackConfigDir", "config"]))] = draw(YAML_VALUES)
    config = draw(st.dictionaries(CONFIG_KEYS, YAML_VALUES | st.just({"secure": CIPHERTEXT})))
    stack: Any = {"config": {**BASE, **config}} if draw(st.booleans()) else draw(YAML_VALUES)
    raw = draw(st.sampled_from(["", "- [\n", "a: b: c\n", "\xff", "k: v\nk: w\n"]))
    return _dump(project), _dump(stack) if draw(st.integers(0, 9)) else raw


def _dump(doc: Any) -> str:
    return str(yaml.safe_dump(doc, allow_unicode=True))


@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(docs=documents())
def test_any_project_and_stack_file_plan_or_fail_cleanly(
    docs: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path_factory.mktemp("doc")
    (root / "stacks").mkdir()
    (root / "Pulumi.yaml").write_text(docs[0])
    (root / "stacks" / "Pulumi.dev.yaml").write_text(docs[1], encoding="utf-8", errors="replace")
    capsys.readouterr()
    code = main(["plan", "--stack", "dev", "--project-dir", str(root)])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    assert "Traceback" not in out + err
    assert "CIPHER-5b2e" not in out + err


def test_the_shipped_stacks_still_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "stacks", tmp_path / "stacks")
    for stack in ("dev", "staging", "prod"):
        assert main(["plan", "--stack", stack, "--project-dir", str(tmp_path)]) == 0
    capsys.readouterr()
