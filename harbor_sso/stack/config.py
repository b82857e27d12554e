"""Stack configuration (``harbor-sso:<camelCase>`` keys) to component arguments.

Validation is the component's own (:mod:`harbor_sso.validation`); only the names differ:
every problem is reported under its config key, such as ``harbor-sso:harborUrl``.
"""

from __future__ import annotations

import json
import os
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..naming import camel, schema_name
from ..validation import (
    PLAIN_FIELDS,
    SECRET_FIELDS,
    Adopt,
    ConfigError,
    Problem,
    ScopeMapping,
    Settings,
    check_client_secret,
    got,
    snake,
    stand_in,
    suggestion,
    validate,
)

NAMESPACE: Final = "harbor-sso"


def config_key(argument: str) -> str:
    """``extra_scope_mappings[0].scope_name`` -> ``harbor-sso:extraScopeMappings[0].scopeName``."""
    return f"{NAMESPACE}:" + schema_name(argument)


BOOL_FIELDS: Final = frozenset(
    name for name, info in Settings.model_fields.items() if info.annotation is bool
)
JSON_FIELDS: Final = frozenset(
    name
    for name, info in Settings.model_fields.items()
    if typing.get_origin(info.annotation) in (tuple, dict) or info.annotation is Adopt
)
ARGUMENT_KEYS: Final = {camel(f): f for f in [*Settings.model_fields, *SECRET_FIELDS]}

# Keys of the stack program itself, beside the component's arguments.
PROGRAM_KEYS: Final = {
    "authentikToken": "the authentik API token (secret); else AUTHENTIK_TOKEN",
    "harborUsername": "the Harbor admin user; else HARBOR_USERNAME",
    "harborPassword": "the Harbor admin password (secret); else HARBOR_PASSWORD",
    "authentikApiUrl": "the URL the authentik provider talks to; default authentikUrl",
    "harborApiUrl": "the URL the Harbor provider talks to; default harborUrl",
    "authentikInsecure": "skip TLS verification towards authentik (default false)",
    "harborInsecure": "skip TLS verification towards Harbor (default false)",
    "protect": "protect the managed objects against deletion (default false)",
}
PROGRAM_BOOL_KEYS: Final = frozenset({"authentikInsecure", "harborInsecure", "protect"})
SECRET_KEYS: Final = frozenset({"authentikToken", "harborPassword", "clientSecret"})
ENVIRONMENT: Final = {
    "authentikToken": "AUTHENTIK_TOKEN",
    "harborUsername": "HARBOR_USERNAME",
    "harborPassword": "HARBOR_PASSWORD",
}


KEYS: Final = frozenset(ARGUMENT_KEYS) | frozenset(PROGRAM_KEYS)
# `harbor_sso:` (the Python package's spelling), `harborsso:`, `Harbor-SSO:` ...
_NEAR_MISS: Final = re.compile(r"harbor[-_. ]?sso", re.IGNORECASE)


def _unknown_key(key: str) -> str:
    meant = suggestion(key, KEYS)
    if meant is None:
        return "unknown config key (a typo?)"
    hint = " (stack config keys are camelCase)" if snake(meant) == key != meant else ""
    return f"unknown config key; did you mean {NAMESPACE}:{meant}?{hint}"


@dataclass(frozen=True)
class StackConfig:
    """What the stack program needs, validated."""

    args: dict[str, Any]
    """The component's arguments (client_secret included when configured)."""
    settings: Settings
    secret_args: frozenset[str]
    """Arguments whose config value is secret: the program passes them as secrets."""
    credentials: dict[str, str] = field(repr=False)
    """authentikToken, harborUsername, harborPassword, from config or the environment."""
    authentik_api_url: str = ""
    harbor_api_url: str = ""
    secret_api_urls: frozenset[str] = frozenset()
    """`authentikApiUrl`/`harborApiUrl` whose value comes from encrypted config."""
    api_url_keys: dict[str, str] = field(default_factory=dict)
    """Package -> the key its provider's URL comes from (`harbor-sso:authentikApiUrl`,
    or `harbor-sso:authentikUrl` when no API URL is set)."""
    authentik_insecure: bool = False
    harbor_insecure: bool = False
    protect: bool = False


def _parse_bool(key: str, raw: str, problems: list[Problem], secret: bool) -> bool | None:
    # As pulumi's `Config.get_bool` (sdk/python/lib/pulumi/config.py `_get_bool`).
    if raw in ("true", "True", "false", "False"):
        return raw in ("true", "True")
    problems.append((key, "must be true or false" + got(raw, secret=secret)))
    return None


ENCRYPTED_PLACEHOLDER: Final = "encrypted-stack-value"
"""What offline tools hand the program for an encrypted credential or client secret."""


def placeholder(key: str) -> str:
    """A valid value for config ``key`` (camelCase) whose real value is encrypted, so an
    offline run checks everything else and never the ciphertext."""
    if key in PROGRAM_BOOL_KEYS:
        return "false"
    if key in ("authentikApiUrl", "harborApiUrl"):
        return str(stand_in("harbor_url"))
    argument = ARGUMENT_KEYS.get(key)
    if argument is None or argument in SECRET_FIELDS:
        return ENCRYPTED_PLACEHOLDER
    value = stand_in(argument)
    if isinstance(value, bool):  # never shown, only valid: either is fine
        return "true" if value else "false"  # pragma: no mutate
    return str(value)


_MAPPING_KEYS: Final = {camel(f): f for f in ScopeMapping.model_fields}
_ADOPT_KEYS: Final = {camel(f): f for f in Adopt.model_fields}


def _entries_in_snake_case(argument: str, value: Any) -> Any:
    """`extraScopeMappings` entries and `adopt` are written in camelCase like every key of
    the stack (`scopeName`, `configAuth`); the component takes snake_case. Other keys are
    left for validation to report, by their config path."""
    if argument == "adopt" and isinstance(value, dict):
        return {_ADOPT_KEYS.get(k, k): v for k, v in value.items()}
    if argument != "extra_scope_mappings" or not isinstance(value, list):
        return value
    return [
        {_MAPPING_KEYS.get(k, k): v for k, v in entry.items()} if isinstance(entry, dict) else entry
        for entry in value
    ]


def load(config: Mapping[str, str], secret_keys: frozenset[str] = frozenset()) -> StackConfig:
    """Turn raw config (``harbor-sso:key`` -> string, as Pulumi stores it) into a StackConfig.

    Raises :class:`ConfigError` whose problems are named by config key. Secret values
    are never shown.
    """
    problems: list[Problem] = []
    args: dict[str, Any] = {}
    program: dict[str, str] = {}
    secret_args: set[str] = set()
    for full_key, raw in sorted(config.items()):
        namespace, _, key = full_key.partition(":")
        if namespace != NAMESPACE:
            if _NEAR_MISS.fullmatch(namespace):
                problems.append(
                    (
                        full_key,
                        f"namespace {namespace!r} is not this project's, so the key is "
                        f"ignored; write it as {NAMESPACE}:{suggestion(key, KEYS) or key}",
                    )
                )
            continue  # other namespaces (providers' own config) are not ours
        secret = full_key in secret_keys or key in SECRET_KEYS
        if key in PROGRAM_KEYS:
            program[key] = raw
        elif key not in ARGUMENT_KEYS:
            problems.append((full_key, _unknown_key(key)))
        elif secret and ARGUMENT_KEYS[key] in PLAIN_FIELDS:
            problems.append((full_key, "must not be encrypted: it decides which resources exist"))
        elif (argument := ARGUMENT_KEYS[key]) in BOOL_FIELDS:
            args[argument] = _parse_bool(full_key, raw, problems, secret)
        elif argument in JSON_FIELDS:
            try:
                args[argument] = _entries_in_snake_case(argument, json.loads(raw))
            except ValueError:
                problems.append(
                    (
                        full_key,
                        # never secret here: an encrypted structure was refused above
                        "must be a YAML list or map (JSON when set by hand)" + got(raw),
                    )
                )
        else:
            args[argument] = raw
        if secret and key in ARGUMENT_KEYS:
            secret_args.add(ARGUMENT_KEYS[key])

    credentials = {
        key: value
        for key, env in ENVIRONMENT.items()
        if (value := program.get(key) or os.environ.get(env))
    }
    if "authentikToken" not in credentials:
        problems.append(
            (
                f"{NAMESPACE}:authentikToken",
                "is required: `pulumi config set --secret harbor-sso:authentikToken ...` "
                "or AUTHENTIK_TOKEN in the environment",
            )
        )
    flags = {
        key: _parse_bool(
            f"{NAMESPACE}:{key}",
            program.get(key, "false"),
            problems,
            f"{NAMESPACE}:{key}" in secret_keys,
        )
        for key in sorted(PROGRAM_BOOL_KEYS)
    }
    settings = None  # pragma: no mutate (read only when problems is empty: then it is set)
    try:
        check_client_secret(args.get("client_secret"))
    except ConfigError as exc:
        problems += exc.renamed(config_key)
    try:
        settings = validate(args, frozenset(secret_args))
    except ConfigError as exc:
        problems += exc.renamed(config_key)
    for key in ("authentikApiUrl", "harborApiUrl"):
        if key in program:
            try:
                hide = frozenset({"harbor_url"} if f"{NAMESPACE}:{key}" in secret_keys else ())
                validate({"harbor_url": program[key], "authentik_url": program[key]}, hide)
            except ConfigError as exc:
                problems.append((f"{NAMESPACE}:{key}", exc.problems[0][1]))
    if problems or settings is None:
        raise ConfigError(problems)

    return StackConfig(
        args=args,
        settings=settings,
        secret_args=frozenset(secret_args),
        credentials=credentials,
        authentik_api_url=program.get("authentikApiUrl", settings.authentik_url),
        harbor_api_url=program.get("harborApiUrl", settings.harbor_url),
        secret_api_urls=frozenset(
            key
            for key, source in (
                ("authentikApiUrl", "authentik_url"),
                ("harborApiUrl", "harbor_url"),
            )
            if (f"{NAMESPACE}:{key}" in secret_keys if key in program else source in secret_args)
        ),
        api_url_keys={
            package: f"{NAMESPACE}:{key if key in program else fallback}"
            for package, key, fallback in (
                ("authentik", "authentikApiUrl", "authentikUrl"),
                ("harbor", "harborApiUrl", "harborUrl"),
            )
        },
        authentik_insecure=bool(flags["authentikInsecure"]),
        harbor_insecure=bool(flags["harborInsecure"]),
        protect=bool(flags["protect"]),
    )
