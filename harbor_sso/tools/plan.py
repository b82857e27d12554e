"""``harbor-sso plan``: what ``pulumi up`` would create for a stack, offline.

It reads ``Pulumi.yaml`` and the stack file the way Pulumi does (project defaults, then
stack values), runs the real stack program under the SDK's mock engine with
deterministic stand-ins for the authentik look-ups, and prints every resource with its
inputs. It needs no Pulumi CLI, no credentials and no network. Encrypted stack values
are never decrypted: they, and every secret input, print as ``[secret]``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..settings import ConfigError
from ..stack import program
from ..stack.config import ENVIRONMENT as CREDENTIAL_KEYS
from ..stack.config import SECRET_KEYS, load
from .mocks import SECRET_SIG, SIG_KEY, AuthentikHarborMocks, mock_engine, run_program

MASK = "[secret]"
ENCRYPTED_STAND_IN = "encrypted-stack-value"  # what the program sees for a `secure:` value


class ProjectError(Exception):
    """The project or stack file is missing or unreadable."""


@dataclass(frozen=True)
class StackFiles:
    project: str
    stack: str
    config: dict[str, str]
    secret_keys: frozenset[str]


def _as_config_string(value: Any) -> str:
    """Pulumi keeps top-level config values as strings; structures as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def read_stack(project_dir: Path, stack: str) -> StackFiles:
    """Project defaults overlaid by the stack's values, as the Pulumi CLI merges them."""
    project_file = project_dir / "Pulumi.yaml"
    try:
        project = yaml.safe_load(project_file.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ProjectError(f"cannot read {project_file}: {exc}") from None
    name = str(project.get("name", ""))
    stack_file = project_dir / project.get("stackConfigDir", ".") / f"Pulumi.{stack}.yaml"
    try:
        stack_doc = yaml.safe_load(stack_file.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ProjectError(f"cannot read {stack_file}: {exc}") from None

    config: dict[str, str] = {}
    for key, decl in (project.get("config") or {}).items():
        full = key if ":" in key else f"{name}:{key}"
        if isinstance(decl, Mapping) and "default" in decl:
            config[full] = _as_config_string(decl["default"])
    secret_keys: set[str] = set()
    for key, value in (stack_doc.get("config") or {}).items():
        full = key if ":" in key else f"{name}:{key}"
        if isinstance(value, Mapping) and set(value) == {"secure"}:
            config[full] = ENCRYPTED_STAND_IN
            secret_keys.add(full)
        else:
            config[full] = _as_config_string(value)
    # No credentials offline: secret stand-ins, which also shadow any in the environment.
    for key, env in CREDENTIAL_KEYS.items():
        full = f"{name}:{key}"
        if full not in config:
            config[full] = f"<{env}>" if key not in SECRET_KEYS else ENCRYPTED_STAND_IN
            if key in SECRET_KEYS:
                secret_keys.add(full)
    return StackFiles(name, stack, config, frozenset(secret_keys))


def _mask(value: Any) -> Any:
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            return MASK
        return {k: _mask(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def plan(files: StackFiles) -> dict[str, Any]:
    """Run the stack program offline; return the plan as plain, sorted, masked data.

    Raises :class:`ConfigError` (problems named by config key) before running anything.
    """
    load(files.config, files.secret_keys)  # fail fast, with every problem at once
    mocks = AuthentikHarborMocks(permissive=True)
    warnings = logging.getLogger("harbor_sso.tools.plan")
    with mock_engine(
        mocks,
        project=files.project,
        stack=files.stack,
        config=files.config,
        secret_keys=files.secret_keys,
        logger=warnings,
    ):
        exports = run_program(program.main)
    resources = sorted(
        (
            {"type": r.type, "name": r.name, "inputs": _mask(r.inputs)}
            for r in mocks.resources
            if r.type != "pulumi:pulumi:Stack"
        ),
        key=lambda r: (r["name"], r["type"]),
    )
    outputs = {
        name: MASK if exported.secret else _mask(exported.value)
        for name, exported in sorted(exports.items())
    }
    return {
        "project": files.project,
        "stack": files.stack,
        "resources": resources,
        "outputs": outputs,
        "note": "authentik look-ups (flows, key pair, scope mappings, groups) are offline "
        "stand-ins; IDs are placeholders",
    }


def render_text(result: Mapping[str, Any]) -> str:
    lines = [
        f"Plan for stack {result['stack']} (project {result['project']}): "
        f"{len(result['resources'])} resources to create",
        f"({result['note']})",
        "",
    ]
    for res in result["resources"]:
        lines.append(f"+ {res['type']}  {res['name']}")
        for key, value in sorted(res["inputs"].items()):
            shown = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
            lines.append(f"      {key}: {shown}")
    lines += ["", "Outputs:"]
    for key, value in result["outputs"].items():
        lines.append(f"      {key}: {value}")
    return "\n".join(lines) + "\n"


def render_json(result: Mapping[str, Any]) -> str:
    return json.dumps(result, indent=2, sort_keys=True) + "\n"


__all__ = ["ConfigError", "ProjectError", "plan", "read_stack", "render_json", "render_text"]
