"""Step 2 of reading a stack file as the engine does: each decoded value to the one string
the program sees (sdk/go/common/resource/config/object.go `unmarshalObject`,
`MarshalString`), and a project default's string (pkg/workspace/config.go
`createConfigValue`). (offline/stackfile.py tells the whole reading.)"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .go_values import GoTime, go_float_json, go_scalar, parse_timestamp


def _jsonable(value: Any) -> Any:
    if isinstance(value, GoTime):
        return value.go_string()
    if isinstance(value, float):
        go_float_json(value)  # raises for NaN and infinity, as json.Marshal does
        return value
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _is_secure(value: Any) -> bool:
    """object.go `isSecureValue`: a one-key map `{secure: <string>}`."""
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get("secure"), str)


def _has_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, list):
        return any(_has_secure(v) for v in value)
    if isinstance(value, dict):
        return any(_has_secure(v) for v in value.values())
    return False


@dataclass(frozen=True)
class ConfigValue:
    """One config value as the engine stores it for the program."""

    text: str
    """What the program sees (for a secure value: the ciphertext, never to be shown)."""
    secure: bool = False
    object: bool = False


def stack_value(value: Any) -> ConfigValue:
    """object.go `unmarshalObject` then `MarshalString`, for a stack file's value."""
    if _is_secure(value):
        return ConfigValue(value["secure"], secure=True)
    if value is None:
        # loaders.go `checkForEmptyConfig`: a key with no value "is currently treated as an
        # empty string" (and warned of); seen so by the real CLI (tests/engine)
        return ConfigValue("")
    if isinstance(value, list | dict):
        text = json.dumps(_jsonable(value), separators=(",", ":"), sort_keys=True)
        return ConfigValue(text, secure=_has_secure(value), object=True)
    if isinstance(value, GoTime):
        # the stack file is re-encoded (RFC 3339) and decoded again before this step
        again = parse_timestamp(value.rfc3339())
        assert again is not None
        return ConfigValue(again.go_string())
    return ConfigValue(go_scalar(value))


def project_default(value: Any) -> str | None:
    """pkg/workspace/config.go `createConfigValue`: `%v` for a string, int or bool
    (`isPrimitiveValue`), JSON for anything else, a float too (`1e6` -> `1000000`); a
    timestamp as its RFC 3339 text. None: no default (`hasDefault` is `Default != nil`).
    Each checked against the real CLI in tests/engine/test_stack_files.py."""
    if value is None:
        return None
    if isinstance(value, float):
        return go_float_json(value)
    if isinstance(value, GoTime):
        return value.rfc3339()
    if isinstance(value, list | dict):
        return json.dumps(_jsonable(value), separators=(",", ":"), sort_keys=True)
    return go_scalar(value)
