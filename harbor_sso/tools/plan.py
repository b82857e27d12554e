"""``harbor-sso plan``: what ``pulumi up`` would create for a stack, offline.

It reads ``Pulumi.yaml`` and the stack file as the engine does (:mod:`.stackfile`),
runs the real stack program under the SDK's mock engine with deterministic stand-ins
for the authentik look-ups, and prints every resource with its inputs. It needs no
Pulumi CLI, no credentials and no network. Encrypted stack values are never decrypted
nor validated: the program gets a valid stand-in, marked secret, and they and every
secret input print as ``[secret]``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..settings import MASK, ConfigError
from ..stack import program
from ..stack.config import ENVIRONMENT as CREDENTIAL_KEYS
from ..stack.config import NAMESPACE, SECRET_KEYS, load, placeholder
from .mocks import SECRET_SIG, SIG_KEY, AuthentikHarborMocks, mock_engine, run_program
from .stackfile import ProjectError, StackFiles


@dataclass(frozen=True)
class ProgramConfig:
    """The config an offline run hands the stack program."""

    values: dict[str, str]
    secret_keys: frozenset[str]
    deferred: tuple[str, ...]
    """Encrypted keys of ours, checked only at deploy, where the program decrypts them."""


def program_config(files: StackFiles) -> ProgramConfig:
    """Stand-ins for what only a deploy has: decrypted values and credentials."""
    values = dict(files.config)
    secret = set(files.encrypted)
    deferred = []
    for full in sorted(files.encrypted):
        namespace, _, key = full.partition(":")
        if namespace == NAMESPACE:
            values[full] = placeholder(key)
            if key not in SECRET_KEYS:
                deferred.append(full)
    # No credentials offline: stand-ins, which also shadow any in the environment.
    for key, env in CREDENTIAL_KEYS.items():
        full = f"{NAMESPACE}:{key}"
        if full not in values:
            values[full] = placeholder(key) if key in SECRET_KEYS else f"<{env}>"
            if key in SECRET_KEYS:
                secret.add(full)
    return ProgramConfig(values, frozenset(secret), tuple(deferred))


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
    config = program_config(files)
    load(config.values, config.secret_keys)  # fail fast, with every problem at once
    mocks = AuthentikHarborMocks(permissive=True)
    warnings = logging.getLogger("harbor_sso.tools.plan")
    with mock_engine(
        mocks,
        project=files.project,
        stack=files.stack,
        config=config.values,
        secret_keys=config.secret_keys,
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
        "deferred": list(config.deferred),
        "note": "authentik look-ups (flows, key pair, scope mappings, groups) are offline "
        "stand-ins; IDs are placeholders",
    }


def render_text(result: Mapping[str, Any]) -> str:
    lines = [
        f"Plan for stack {result['stack']} (project {result['project']}): "
        f"{len(result['resources'])} resources to create",
        f"({result['note']})",
    ]
    if result["deferred"]:
        lines.append(
            "(encrypted in the stack file, so checked only at deploy: "
            + ", ".join(result["deferred"])
            + ")"
        )
    lines.append("")
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


__all__ = ["ConfigError", "ProjectError", "plan", "program_config", "render_json", "render_text"]
