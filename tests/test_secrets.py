"""Secrets audit: the client secret (given and generated), the authentik token and the
Harbor password never show in plain text: not in outputs, plan output, errors or logs."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pulumi
import pytest
import yaml

from harbor_sso.cli import main
from harbor_sso.offline.mocks import AuthentikHarborMocks, mock_engine, run_program
from harbor_sso.stack.config import load
from harbor_sso.stack.program import main as stack_main
from harbor_sso.validation import ConfigError, check_client_secret, resolve
from tests.support import GUIDE, ROOT, Run, is_secret_input

TOKEN = "ak-token-0123456789-SENTINEL"
PASSWORD = "harbor-pass-SENTINEL-42"
GIVEN = "client-secret-SENTINEL-xyz"


def test_every_carrier_of_a_given_secret_is_secret(deploy: Callable[..., Run]) -> None:
    run = deploy({"client_secret": GIVEN})
    assert is_secret_input(run.one("ProviderOauth2").inputs["clientSecret"])
    assert is_secret_input(run.one("ConfigAuth").inputs["oidcClientSecret"])
    assert run.outputs["client_secret"].secret
    plain = [k for k, v in run.outputs.items() if not v.secret]
    assert all(GIVEN not in str(run.outputs[k].value) for k in plain)


def test_every_carrier_of_a_generated_secret_is_secret(deploy: Callable[..., Run]) -> None:
    run = deploy()
    generated = run.value("client_secret")
    assert run.outputs["client_secret"].secret
    assert is_secret_input(run.one("ConfigAuth").inputs["oidcClientSecret"])
    for name, out in run.outputs.items():
        if name != "client_secret":
            assert generated not in str(out.value)


def _stack_config() -> dict[str, str]:
    return {
        "harbor-sso:harborUrl": "https://harbor.company",
        "harbor-sso:authentikUrl": "https://authentik.company",
        "harbor-sso:authentikToken": TOKEN,
        "harbor-sso:harborUsername": "admin",
        "harbor-sso:harborPassword": PASSWORD,
        "harbor-sso:clientSecret": GIVEN,
    }


def test_stack_program_keeps_credentials_secret(caplog: pytest.LogCaptureFixture) -> None:
    config = _stack_config()
    secret_keys = [
        "harbor-sso:authentikToken",
        "harbor-sso:harborPassword",
        "harbor-sso:clientSecret",
    ]
    mocks = AuthentikHarborMocks()
    # INFO and up: what `pulumi up` shows. At DEBUG, pulumi < 3.258's own SDK logs the
    # serialized inputs, secrets included (upstream behaviour; see the closing note).
    with caplog.at_level(logging.INFO), mock_engine(mocks, config=config, secret_keys=secret_keys):
        exports = run_program(stack_main)
    providers = {r.name: r.inputs for r in mocks.resources if r.type.startswith("pulumi:providers")}
    assert is_secret_input(providers["authentik"]["token"])
    assert is_secret_input(providers["harbor"]["password"])
    assert exports["client_secret"].secret
    for value in (TOKEN, PASSWORD, GIVEN):
        assert value not in caplog.text
        assert all(value not in str(e.value) for e in exports.values() if not e.secret)


def test_environment_credentials_are_secret_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    config = {
        k: v
        for k, v in _stack_config().items()
        if not k.endswith(("Token", "Password", "clientSecret"))
    }
    mocks = AuthentikHarborMocks()
    with mock_engine(mocks, config=config):
        run_program(stack_main)
    providers = {r.name: r.inputs for r in mocks.resources if r.type.startswith("pulumi:providers")}
    assert is_secret_input(providers["authentik"]["token"])
    assert is_secret_input(providers["harbor"]["password"])


def test_plan_output_never_shows_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # plain-text secrets in a stack file (a mistake) and in the environment
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "stacks", tmp_path / "stacks")
    path = tmp_path / "stacks" / "Pulumi.dev.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["config"]["harbor-sso:clientSecret"] = GIVEN
    path.write_text(yaml.safe_dump(doc))
    for flag in ((), ("--json",)):
        assert main(["plan", "--stack", "dev", "--project-dir", str(tmp_path), *flag]) == 0
        out, err = capsys.readouterr()
        for value in (TOKEN, PASSWORD, GIVEN):
            assert value not in out + err
        assert "[secret]" in out


def test_errors_never_show_a_secret() -> None:
    for bad in (" " + GIVEN, GIVEN * 20):
        with pytest.raises(ConfigError) as caught:
            check_client_secret(bad)
        assert GIVEN not in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        resolve({**GUIDE, "client_secrett": GIVEN})
    assert GIVEN not in str(caught.value)
    config = {
        **_stack_config(),
        "harbor-sso:harborPasword": PASSWORD,
        "harbor-sso:clientSecret": " " + GIVEN,
    }
    with pytest.raises(ConfigError) as caught:
        load(config, frozenset())
    text = "\n".join(caught.value.lines())
    assert "harbor-sso:harborPasword" in text
    assert "harbor-sso:clientSecret" in text
    assert PASSWORD not in text
    assert GIVEN not in text


def test_a_failing_program_does_not_leak_the_secret(mocks: AuthentikHarborMocks) -> None:
    def program() -> None:
        from harbor_sso import HarborAuthentikSSO

        HarborAuthentikSSO(
            "h",
            {
                **GUIDE,
                "client_secret": pulumi.Output.secret(GIVEN),
                "harbor_url": pulumi.Output.from_input("nope"),
            },
        )

    with pytest.raises(Exception) as caught:  # noqa: PT011 (any failure; its text is checked)
        run_program(program)
    assert "harbor_url" in str(caught.value)
    assert GIVEN not in str(caught.value)


CANARIES = {
    "secret Output": "canary-output-3c1d",
    "encrypted config key": "canary-encrypted-8e2f",
    "client secret": "canary-client-5a7b",
    "authentik token": "canary-token-9d4e",
    "Harbor password": "canary-password-1f6c",
}


def _plain(value: object) -> str:
    """What of a registered input is not wrapped as a secret, as text."""
    if is_secret_input(value):
        return ""
    if isinstance(value, dict):
        return " ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_plain(v) for v in value)
    return str(value)


@pytest.mark.parametrize("broken", ["nothing", "stack config", "secret Output"])
def test_a_canary_in_every_secret_channel_never_surfaces(
    broken: str, caplog: pytest.LogCaptureFixture
) -> None:
    valid = broken != "stack config"
    config = {
        "harbor-sso:harborUrl": "https://harbor.company" if valid else "ftp://harbor.company",
        "harbor-sso:authentikUrl": "https://authentik.company",
        "harbor-sso:authentikToken": CANARIES["authentik token"],
        "harbor-sso:harborUsername": "admin",
        "harbor-sso:harborPassword": CANARIES["Harbor password"],
        "harbor-sso:clientSecret": CANARIES["client secret"],
        # an encrypted key the program decrypts; invalid as a slug when not `valid`
        "harbor-sso:slug": "harbor" if valid else CANARIES["encrypted config key"],
        "harbor-sso:applicationDescription": CANARIES["encrypted config key"],
    }
    secret_keys = [
        "harbor-sso:authentikToken",
        "harbor-sso:harborPassword",
        "harbor-sso:clientSecret",
        "harbor-sso:slug",
        "harbor-sso:applicationDescription",
    ]

    def program() -> None:
        from harbor_sso import HarborAuthentikSSO

        stack_main()
        # secret Outputs handed to the component by a consumer program
        HarborAuthentikSSO(
            "consumer",
            {
                **GUIDE,
                "slug": "consumer",
                "application_publisher": pulumi.Output.secret(CANARIES["secret Output"]),
                "client_id": pulumi.Output.secret(
                    CANARIES["secret Output"] * (20 if broken == "secret Output" else 1)
                ),
            },
        )

    mocks = AuthentikHarborMocks()
    seen = ""
    with caplog.at_level(logging.INFO), mock_engine(mocks, config=config, secret_keys=secret_keys):
        try:
            exports = run_program(program)
            seen += " ".join(str(e.value) for e in exports.values() if not e.secret)
        except Exception as exc:  # the failure's text is what is checked
            assert broken != "nothing", exc
            seen += str(exc)
        else:
            assert broken == "nothing"
    seen += caplog.text + " ".join(_plain(r.inputs) for r in mocks.resources)
    for channel, canary in CANARIES.items():
        assert canary not in seen, channel
    if broken == "nothing":
        assert len([r for r in mocks.resources if r.type.endswith("ConfigAuth")]) == 2
