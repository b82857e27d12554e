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
import os
import runpy
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..stack import program
from ..stack.config import ENVIRONMENT as CREDENTIAL_KEYS
from ..stack.config import NAMESPACE, SECRET_KEYS, load, placeholder
from ..text import printable
from ..validation import MASK, ConfigError
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


CREDENTIAL_INPUTS = {
    "authentikToken": ("pulumi:providers:authentik", "token"),
    "harborUsername": ("pulumi:providers:harbor", "username"),
    "harborPassword": ("pulumi:providers:harbor", "password"),
}
"""Where the stack program passes each credential (stack/program.py `build`)."""


def missing_credentials(files: StackFiles) -> dict[str, str]:
    """Credential key -> how to give it, for those neither in the stack file nor in the
    environment: a real `pulumi preview` and `up` need them. Only whether each is set is
    looked at, never a value."""
    return {
        key: f"{NAMESPACE}:{key} or {env}"
        for key, env in CREDENTIAL_KEYS.items()
        if f"{NAMESPACE}:{key}" not in files.config
        and f"{NAMESPACE}:{key}" not in files.encrypted
        and not os.environ.get(env)
    }


def _mask(value: Any) -> Any:
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            return MASK
        return {k: _mask(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # Pulumi numbers are floats; authentik's ids are integers
    return value


STACK_PROGRAM = "harbor_sso.stack"
"""What the entry point of a project that runs this stack program imports."""


def check_project(files: StackFiles) -> None:
    """`plan --stack` runs the bundled stack program: refuse a project whose own program
    is another one, instead of planning the wrong program under that project's name."""
    try:
        entry = _entry_point(files)
    except ProjectError:
        return  # stack files without a program of their own: nothing else to plan
    if STACK_PROGRAM not in entry.read_text(errors="replace"):
        raise ProjectError(
            f"{entry} is not the harbor-sso stack program (it does not import "
            f"{STACK_PROGRAM}), and `plan --stack` plans only that one; to preview your "
            f"own program: harbor-sso plan --program {files.project_dir} --stack <stack>"
        )


def plan(files: StackFiles) -> dict[str, Any]:
    """Run the stack program offline; return the plan as plain, sorted, masked data.

    Raises :class:`ConfigError` (problems named by config key) before running anything.
    """
    config = program_config(files)
    load(config.values, config.secret_keys)  # fail fast, with every problem at once
    result = _run(files, program.main, config)
    missing = missing_credentials(files)
    for res in result["resources"]:
        for key, (kind, name) in CREDENTIAL_INPUTS.items():
            if key in missing and res["type"] == kind and name in res["inputs"]:
                res["inputs"][name] = f"<not set: {missing[key]}>"
    result["credentials_missing"] = sorted(missing.values())
    return result


def plan_program(files: StackFiles) -> dict[str, Any]:
    """Run a library user's own program (`main:` of their Pulumi.yaml, else its
    `__main__.py`) offline with their stack's config; encrypted values are stand-ins."""
    entry = _entry_point(files)
    values = {
        key: (placeholder(key.partition(":")[2]) if key in files.encrypted else value)
        for key, value in files.config.items()
    }
    config = ProgramConfig(values, files.encrypted, ())

    def run() -> None:
        runpy.run_path(str(entry), run_name="__main__")

    with _inside(entry.parent):
        return _run(files, run, config)


def _entry_point(files: StackFiles) -> Path:
    # pkg/engine/project.go `getPwdMain`: `main:` is a file or a folder of the project
    root = files.project_dir
    entry = (root / files.main if files.main is not None else root).resolve()
    if entry.is_dir():
        entry = entry / "__main__.py"
    if not entry.is_file():
        raise ProjectError(f"cannot run {entry}: no such program file")
    return entry


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    """As the language host runs a program: from its folder, importable from there."""
    before, path = Path.cwd(), list(sys.path)
    os.chdir(folder)
    sys.path.insert(0, str(folder.resolve()))
    try:
        yield
    finally:
        os.chdir(before)
        sys.path[:] = path


def _run(files: StackFiles, main: Callable[[], None], config: ProgramConfig) -> dict[str, Any]:
    mocks = AuthentikHarborMocks(permissive=True)
    warnings = logging.getLogger("harbor_sso.offline.plan")
    with mock_engine(
        mocks,
        project=files.project,
        stack=files.stack,
        config=config.values,
        secret_keys=config.secret_keys,
        logger=warnings,
    ):
        exports = run_program(main)
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
        "lookups": dict(sorted(mocks.labels.items())),
        "note": "authentik look-ups (flows, key pair, scope mappings, groups) are offline "
        "stand-ins; IDs are placeholders",
    }


def _shown(value: Any, lookups: Mapping[str, str]) -> str:
    """One value on one line: escaped, so no value can start a line of its own, and a
    looked-up id beside what was asked for it."""
    if isinstance(value, str):
        label = lookups.get(value)
        return _one_line(value) + (f" ({_one_line(label)})" if label else "")
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, str) and v in lookups for v in value)
    ):
        return "[" + ", ".join(_shown(v, lookups) for v in value) + "]"
    return _one_line(json.dumps(value, sort_keys=True, ensure_ascii=False))


def _one_line(text: str) -> str:
    return printable(text, limit=None)


def render_text(result: Mapping[str, Any]) -> str:
    lookups: Mapping[str, str] = result.get("lookups", {})
    lines = [
        f"Plan for stack {_one_line(result['stack'])} (project {_one_line(result['project'])}):"
        f" {len(result['resources'])} resources to create",
        f"({result['note']})",
    ]
    if result.get("credentials_missing"):
        lines.append(
            "(not set in the stack file nor in the environment, and needed by a real "
            "`pulumi preview` and `up`: " + "; ".join(result["credentials_missing"]) + ")"
        )
    if result["deferred"]:
        lines.append(
            "(encrypted in the stack file, so checked only at deploy: "
            + ", ".join(map(_one_line, result["deferred"]))
            + ")"
        )
    lines.append("")
    for res in result["resources"]:
        lines.append(f"+ {_one_line(res['type'])}  {_one_line(res['name'])}")
        for key, value in sorted(res["inputs"].items()):
            lines.append(f"      {_one_line(key)}: {_shown(value, lookups)}")
    lines += ["", "Outputs:"]
    for key, value in result["outputs"].items():
        lines.append(f"      {_one_line(key)}: {_shown(value, {})}")
    return "\n".join(lines) + "\n"


def render_json(result: Mapping[str, Any]) -> str:
    return json.dumps(result, indent=2, sort_keys=True) + "\n"


__all__ = [
    "ConfigError",
    "ProjectError",
    "check_project",
    "plan",
    "plan_program",
    "program_config",
    "render_json",
    "render_text",
]
