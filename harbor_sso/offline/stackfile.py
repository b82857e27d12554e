"""Read `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi engine does.

The program never sees YAML: it sees one string per config key. The engine gets there in
two steps, both replayed here so that `harbor-sso plan` and `verify --stack` validate
exactly what `pulumi up` would hand the program:

1. gopkg.in/yaml.v3 v3.0.1 decodes the file into `any` (resolve.go `resolve`): a plain
   scalar is null, bool (`true`/`True`/`TRUE` only: `yes`, `on` stay strings), int
   (Go `strconv.ParseInt(s, 0, 64)`: `0x1F`, `0o17`, `0b11`, and a leading `0` is octal),
   float or timestamp; anything quoted or tagged `!!str` is a string. The stack file is
   decoded, re-encoded and decoded again (pulumi sdk/go/common/workspace/loaders.go
   `LoadProjectStackBytes`), which turns a timestamp into RFC 3339 text and back.
2. sdk/go/common/resource/config/object.go `unmarshalObject` + `MarshalString` turn each
   value into a string: bools and numbers as JSON (`encoding/json` float format), a
   timestamp as Go's `Time.String()`, structures as compact JSON (the "object" flag), a
   key with no value as "", `{secure: <ciphertext>}` as an encrypted value.

Project defaults (Pulumi.yaml `config:`) go through pkg/workspace/config.go
`createConfigValue` instead: `fmt.Sprintf("%v")` for strings, ints and bools, JSON for
the rest (floats too). tests/engine/test_stack_files.py checks every case against the
real CLI.

Encrypted values are never decrypted here: callers get which keys are encrypted and must
neither print nor validate the ciphertext.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config_values import ConfigValue, project_default, stack_value
from .go_values import GoTime
from .go_yaml import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    ProjectError,
    allowed_alias_ratio,
    load_yaml,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "ConfigValue",
    "ProjectError",
    "StackFiles",
    "allowed_alias_ratio",
    "load_yaml",
    "project_default",
    "read_stack",
    "stack_value",
]


@dataclass(frozen=True)
class StackFiles:
    """The config the program would see for one stack, without credentials."""

    project: str
    stack: str
    config: dict[str, str]
    """`namespace:key` -> the string the program sees; encrypted ones hold ciphertext."""
    encrypted: frozenset[str]
    """Keys whose value is encrypted in the stack file (`secure:`)."""
    project_dir: Path = Path()
    config_dir: str = "."
    """`stackConfigDir`, relative to the project: where the project's stack files are."""
    main: str | None = None
    """`main:` of Pulumi.yaml when it is a string: the program file or folder."""


# pulumi sdk/go/common/tokens/stack_name.go `ParseStackName`: 1-100 of [a-zA-Z0-9-_.]. No
# '/' can pass, so the stack file never leaves the stack config folder.
_STACK_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProjectError(f"{what} must be a mapping; got {type(value).__name__}")
    return value


def _namespaced(key: str, project: str) -> str:
    # loaders.go stackConfigNamespacedWithProject: a bare key belongs to the project
    return key if ":" in key else f"{project}:{key}"


def read_stack(project_dir: Path, stack: str) -> StackFiles:
    """Project defaults overlaid by the stack's values, each as the program would see it."""
    if not _STACK_NAME.fullmatch(stack):
        raise ProjectError(
            f"stack name {stack[:100]!r} is not valid: 1 to 100 letters, digits, '-', '_' or '.'"
        )
    project_file = project_dir / "Pulumi.yaml"
    project = _mapping(load_yaml(project_file, "project file"), str(project_file))
    name = project.get("name")
    if not isinstance(name, str) or not name:
        raise ProjectError(f"{project_file}: name must be a non-empty string")
    config_dir = project.get("stackConfigDir", ".")
    if not isinstance(config_dir, str):
        raise ProjectError(f"{project_file}: stackConfigDir must be a string")
    stack_file = project_dir / config_dir / f"Pulumi.{stack}.yaml"
    doc = _mapping(load_yaml(stack_file, "stack file"), str(stack_file))

    config: dict[str, str] = {}
    declared = _mapping(project.get("config"), f"{project_file}: config")
    for key, decl in declared.items():
        if not isinstance(decl, Mapping) and isinstance(decl, float | GoTime):
            # the project schema's short form takes a string, integer, boolean or list
            raise ProjectError(
                f"{project_file}: config.{key}: the engine refuses a "
                f"{'number with a fraction' if isinstance(decl, float) else 'timestamp'} "
                "here; quote it, or give it as `default:`"
            )
        default = decl.get("default", decl.get("value")) if isinstance(decl, Mapping) else decl
        shown = project_default(default)  # the short form `key: value` is a default too
        if shown is not None:
            config[_namespaced(key, name)] = shown
    encrypted: set[str] = set()
    for key, value in _mapping(doc.get("config"), f"{stack_file}: config").items():
        full = _namespaced(key, name)
        try:
            stored = stack_value(value)
        except ValueError as exc:
            raise ProjectError(f"{stack_file}: config {full} {exc}") from None
        config[full] = stored.text
        if stored.secure:
            encrypted.add(full)
    # pkg/workspace/config.go `ValidateStackConfigAndApplyProjectConfig`: a key of the
    # project's namespace declared without a default (or `value:`) must be set by the stack
    # ("Stack 'dev' is missing configuration value 'harborUrl'")
    missing = [
        full
        for key in declared
        if ":" not in key and (full := _namespaced(key, name)) not in config
    ]
    if missing:
        raise ProjectError(
            f"{missing[0]}: is required: {project_file} declares it without a default and "
            f"{stack_file} does not set it"
        )
    main = project.get("main")
    return StackFiles(
        name,
        stack,
        config,
        frozenset(encrypted),
        project_dir,
        config_dir,
        main if isinstance(main, str) else None,
    )
