"""adopt's output: the lines to print, the stack file merged, the client secret piped
into encrypted config (never printed, never written)."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ...stack.config import NAMESPACE
from ..http import redact
from ..reading import q
from .adoption import KEEPS, SECRET_KEY, AdoptFailed, Adoption, Difference


def config_text(value: Any) -> str:
    """A value as `pulumi config set` stores it: text, `true`/`false`, JSON for the rest."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def compare_stack(adoption: Adoption, stack: Mapping[str, Any]) -> list[Difference]:
    """Where a stack file's values differ from the live ones (which are written)."""
    found = []
    for key, value in adoption.config.items():
        full = f"{NAMESPACE}:{key}"
        if full in stack and config_text(stack[full]) != config_text(value):
            found.append(
                Difference(
                    True,
                    full,
                    f"the stack file has {q(config_text(stack[full]))}, the live objects "
                    f"{q(config_text(value))}: the live value is written, so no update",
                )
            )
    return found


def read_stack_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    document = yaml.safe_load(path.read_text()) or {}
    config = document.get("config") if isinstance(document, dict) else None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ValueError(f"{path}: `config` is not a mapping")
    return config


def write_stack_file(path: Path, adoption: Adoption) -> None:
    """Merge the adopted keys into ``path`` (other keys, secure ones too, stay)."""
    document: Any = yaml.safe_load(path.read_text()) if path.exists() else None
    if not isinstance(document, dict):
        document = {}
    config = document.setdefault("config", {})
    for key, value in adoption.config.items():
        config[f"{NAMESPACE}:{key}"] = value
    path.write_text(yaml.safe_dump(document, sort_keys=True, allow_unicode=True))


def secret_command(adoption: Adoption, authentik_api: str, stack: str | None) -> str:
    """A command that pipes the provider's secret from authentik into the stack's encrypted
    config: the secret is on no command line and in no terminal."""
    url = f"{authentik_api}/providers/oauth2/{adoption.provider_pk}/"
    reader = "import json,sys; sys.stdout.write(json.load(sys.stdin)['client_secret'])"
    target = f" --stack {shlex.quote(stack)}" if stack else ""
    return (
        f'curl -fsS -H "Authorization: Bearer $AUTHENTIK_TOKEN" {shlex.quote(url)} '
        f"| python3 -c {shlex.quote(reader)} "
        f"| pulumi config set --secret {SECRET_KEY}{target}"
    )


def render(
    adoption: Adoption,
    *,
    authentik_api: str,
    stack: str | None = None,
    stack_file: Path | None = None,
    extra: Sequence[Difference] = (),
    secret_set: bool = False,
    secrets: Sequence[str] = (),
) -> str:
    a = adoption.config["adopt"]
    lines = [
        f"Adopting authentik application {q(a['application'])} (OAuth2 provider "
        f"{a['provider']}) and Harbor's OIDC configuration.",
        KEEPS,
        "",
        "Differences from what the component sets by default (KEEP: adopted as it is, no "
        "update; CHANGE: the first `pulumi up` changes it, a shown, intended update):",
    ]
    lines += [f"  {d.line()}" for d in [*adoption.differences, *extra]]
    lines.append("")
    if stack_file is not None:
        lines.append(f"Written to {stack_file}: " + ", ".join(adoption.config) + ".")
    else:
        lines.append("Stack config (run in the project folder):")
        target = f" --stack {shlex.quote(stack)}" if stack else ""
        for key, value in adoption.config.items():
            lines.append(
                f"pulumi config set{target} {NAMESPACE}:{key} {shlex.quote(config_text(value))}"
            )
    if secret_set:
        lines.append(f"{SECRET_KEY} set (encrypted) by `pulumi config set --secret`, from stdin.")
    else:
        lines += [
            "The client secret, encrypted, without showing it (AUTHENTIK_TOKEN set):",
            secret_command(adoption, authentik_api, stack),
        ]
    lines += [
        "",
        "Then `pulumi preview` shows an import of each object, followed only by the "
        "CHANGE updates above.",
    ]
    text = "\n".join(lines) + "\n"
    return redact(text, [*secrets, adoption.client_secret])


def set_secret(adoption: Adoption, stack: str, cwd: Path | None = None) -> None:
    """``pulumi config set --secret harbor-sso:clientSecret --stack <stack>``, the value
    on stdin, never in argv. Raises :class:`AdoptFailed` naming what went wrong."""
    import shutil
    import subprocess

    pulumi = shutil.which("pulumi")
    if pulumi is None:
        raise AdoptFailed(["--set: no `pulumi` CLI on PATH"])
    done = subprocess.run(  # noqa: S603 (a fixed argv; the secret goes on stdin)
        [pulumi, "config", "set", "--secret", SECRET_KEY, "--stack", stack],
        input=adoption.client_secret,
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        said = redact(done.stderr.strip() or done.stdout.strip(), [adoption.client_secret])
        raise AdoptFailed([f"--set: `pulumi config set --secret` failed: {said[-400:]}"])
