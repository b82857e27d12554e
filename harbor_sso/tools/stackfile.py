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
   timestamp as Go's `Time.String()`, null and structures as compact JSON (the "object"
   flag), `{secure: <ciphertext>}` as an encrypted value.

Project defaults (Pulumi.yaml `config:`) go through pkg/workspace/config.go
`createConfigValue` instead: `fmt.Sprintf("%v")` for scalars, JSON for structures.

Encrypted values are never decrypted here: callers get which keys are encrypted and must
neither print nor validate the ciphertext.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import yaml

_PLAIN: Final = "!go-yaml-plain"  # a plain scalar, resolved below rather than by PyYAML
_TAG: Final = "tag:yaml.org,2002:"
_INT64 = range(-(2**63), 2**63)
_UINT64 = range(2**64)
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# resolve.go allowedTimestampFormats: short date fields, optional time with T/t and a zone,
# or a space and no zone (UTC); Go's time.Parse reads 1-2 digit fields and any fraction.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})"
    r"| (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?)?"
)
_NAMED = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}


class ProjectError(Exception):
    """A project or stack file is missing, unreadable or of the wrong shape."""


@dataclass(frozen=True)
class GoTime:
    """A YAML timestamp as Go holds it: the instant and the zone offset it was written in."""

    value: dt.datetime
    nanos: int

    def _clock(self, separator: str) -> str:
        """Date, time and the fraction without trailing zeros (Go's `.999999999`)."""
        text = self.value.strftime(f"%Y-%m-%d{separator}%H:%M:%S")
        return text + ("." + f"{self.nanos:09d}".rstrip("0") if self.nanos else "")

    def _offset(self, colon: str) -> str:
        """`+hh<colon>mm`, or "" in UTC."""
        offset = self.value.utcoffset() or dt.timedelta()
        minutes = int(offset.total_seconds()) // 60
        if not minutes:
            return ""
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02d}{colon}{abs(minutes) % 60:02d}"

    def go_string(self) -> str:
        """Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`."""
        # A zero offset is UTC (the engine runs in UTC); any other has no zone name, which
        # Go prints as the offset again. An engine in another local zone that matches the
        # offset would print that zone's name instead.
        numeric = self._offset("")
        return f"{self._clock(' ')} {numeric or '+0000'} {numeric or 'UTC'}"

    def rfc3339(self) -> str:
        """Go's `time.RFC3339Nano`, as the yaml encoder writes it."""
        return self._clock("T") + (self._offset(":") or "Z")


def _timestamp(text: str) -> GoTime | None:
    match = _TIMESTAMP.fullmatch(text)
    if not match:
        return None
    year, month, day, th, tm, ts, tfrac, zone, sh, sm, ss, sfrac = match.groups()
    hour, minute, second = (th, tm, ts) if th is not None else (sh or 0, sm or 0, ss or 0)
    fraction = tfrac if th is not None else sfrac
    tz = dt.UTC
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        value = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=tz
        )
    except ValueError:
        return None  # Go's time.Parse rejects it, so the scalar stays a string
    nanos = int((fraction or "0")[:9].ljust(9, "0"))
    return GoTime(value, nanos)


def _go_int(text: str) -> int | None:
    """Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint`: sign, 0x/0o/0b, leading-0 octal."""
    sign, digits = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    lower = digits.lower()
    base, body = 10, digits
    if lower.startswith(("0x", "0o", "0b")):
        base, body = {"x": 16, "o": 8, "b": 2}[lower[1]], digits[2:]
    elif len(digits) > 1 and digits[0] == "0":
        base, body = 8, digits[1:]
    if not body or not all(c in "0123456789abcdef"[:base] for c in body.lower()):
        return None
    value = int(body, base) * (-1 if sign == "-" else 1)
    if value in _INT64 or (sign != "-" and value in _UINT64):
        return value
    return None


def resolve_plain(text: str) -> Any:
    """resolve.go `resolve("", text)`: what a plain scalar decodes to in Go's `any`."""
    if text in _NAMED:
        return _NAMED[text]
    head = text[:1]
    if head == ".":
        try:
            return float(text)
        except ValueError:
            return text
    if head and (head.isdigit() or head in "+-"):
        stamp = _timestamp(text)
        if stamp is not None:
            return stamp
        plain = text.replace("_", "")
        number = _go_int(plain)
        if number is not None:
            return number
        if _YAML_FLOAT.fullmatch(plain):
            return float(plain)
    return text


class _Composer(yaml.SafeLoader):
    """PyYAML's parser and composer, with Go's resolution of plain scalars left to us."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


def _decode(node: yaml.Node, where: str) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _PLAIN:
            return resolve_plain(node.value)
        if node.tag == _TAG + "str":
            return node.value
        kind = node.tag.removeprefix(_TAG)
        value = resolve_plain(node.value)
        # resolve.go: an explicit tag must match what the text resolves to (int -> float ok)
        if kind == "float" and type(value) in (int, float):
            return float(value)
        if {"int": int, "bool": bool, "null": type(None)}.get(kind) is type(value):
            return value
        shown = "!!" + kind if node.tag.startswith(_TAG) else node.tag
        raise ProjectError(f"{where}: cannot decode {node.value!r} as {shown}")
    if isinstance(node, yaml.SequenceNode):
        return [_decode(item, f"{where}[{i}]") for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _decode(key_node, where)
            if key == "<<" and key_node.tag == _PLAIN:
                raise ProjectError(f"{where}: YAML merge keys (<<) are not supported here")
            if isinstance(key, list | dict):
                raise ProjectError(f"{where}: a key must be a scalar")
            name = _go_text(key)
            if name in result:  # yaml.v3: 'mapping key "x" already defined'
                raise ProjectError(f"{where}: key {name!r} is defined twice")
            result[name] = _decode(value_node, f"{where}.{name}" if where else name)
        return result
    raise ProjectError(f"{where}: unsupported YAML node")


def _go_text(key: Any) -> str:
    """A map key as the engine names it (`fmt.Sprintf("%v", k)`)."""
    if isinstance(key, str):
        return key
    return go_scalar(key)


def load_yaml(path: Path) -> Any:
    """One YAML file decoded as gopkg.in/yaml.v3 decodes it into `any`."""
    try:
        text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ProjectError(f"cannot read {path}: not UTF-8 text") from None
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.YAMLError as exc:
        raise ProjectError(f"cannot read {path}: invalid YAML ({_first_line(exc)})") from None
    if node is None:
        return None
    try:
        return _decode(node, "")
    except ProjectError as exc:
        raise ProjectError(f"{path}: {exc}") from None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# -- values to the strings the program sees ------------------------------------------


def _go_float_json(value: float) -> str:
    """encoding/json `floatEncoder`: shortest digits, exponent outside [1e-6, 1e21)."""
    if not math.isfinite(value):
        raise ValueError("is not a number JSON can hold (NaN or infinity)")
    if value == 0 or 1e-6 <= abs(value) < 1e21:
        return format(Decimal(repr(value)).normalize(), "f")
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    sign, digits = exponent[0], exponent[1:].lstrip("0")
    # json cleans e-07 to e-7 (only negative exponents), keeps e+21
    return f"{mantissa}e{sign}{digits if sign == '-' else digits.rjust(2, '0')}"


def _go_float_v(value: float) -> str:
    """`fmt.Sprintf("%v", f)`: strconv 'g', shortest digits; %e when the exponent is < -4
    or >= 6 (strconv/ftoa.go: "if precision was the shortest possible, use precision 6")."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    exp = len(digits) + exponent - 1
    if exp < -4 or exp >= 6:
        mantissa = str(digits[0]) + ("." + "".join(map(str, digits[1:])) if len(digits) > 1 else "")
        return f"{'-' if sign else ''}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return format(Decimal(repr(value)).normalize(), "f")


def go_scalar(value: Any) -> str:
    """A decoded scalar as `MarshalString` writes it (bool, number, string, timestamp)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float_json(value)
    if isinstance(value, GoTime):
        return value.go_string()
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, GoTime):
        return value.go_string()
    if isinstance(value, float):
        _go_float_json(value)  # raises for NaN and infinity, as json.Marshal does
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
    if value is None or isinstance(value, list | dict):
        text = json.dumps(_jsonable(value), separators=(",", ":"), sort_keys=True)
        return ConfigValue(text, secure=_has_secure(value), object=True)
    if isinstance(value, GoTime):
        # the stack file is re-encoded (RFC 3339) and decoded again before this step
        again = _timestamp(value.rfc3339())
        assert again is not None
        return ConfigValue(again.go_string())
    return ConfigValue(go_scalar(value))


def project_default(value: Any) -> str:
    """pkg/workspace/config.go `createConfigValue`: `%v` for scalars, JSON otherwise."""
    if isinstance(value, float):
        return _go_float_v(value)
    if isinstance(value, GoTime | list | dict):
        encoded = value.rfc3339() if isinstance(value, GoTime) else _jsonable(value)
        return json.dumps(encoded, separators=(",", ":"), sort_keys=True)
    if value is None:
        return "<nil>"
    return go_scalar(value)


# -- the two files ------------------------------------------------------------------


@dataclass(frozen=True)
class StackFiles:
    """The config the program would see for one stack, without credentials."""

    project: str
    stack: str
    config: dict[str, str]
    """`namespace:key` -> the string the program sees; encrypted ones hold ciphertext."""
    encrypted: frozenset[str]
    """Keys whose value is encrypted in the stack file (`secure:`)."""


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
    project = _mapping(load_yaml(project_file), str(project_file))
    name = project.get("name")
    if not isinstance(name, str) or not name:
        raise ProjectError(f"{project_file}: name must be a non-empty string")
    config_dir = project.get("stackConfigDir", ".")
    if not isinstance(config_dir, str):
        raise ProjectError(f"{project_file}: stackConfigDir must be a string")
    stack_file = project_dir / config_dir / f"Pulumi.{stack}.yaml"
    if not stack_file.is_file():
        raise ProjectError(f"cannot read {stack_file}: no such stack file")
    doc = _mapping(load_yaml(stack_file), str(stack_file))

    config: dict[str, str] = {}
    declared = _mapping(project.get("config"), f"{project_file}: config")
    for key, decl in declared.items():
        if isinstance(decl, Mapping) and "default" in decl:
            config[_namespaced(key, name)] = project_default(decl["default"])
        elif not isinstance(decl, Mapping):  # the short form `key: value` is a default too
            config[_namespaced(key, name)] = project_default(decl)
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
    return StackFiles(name, stack, config, frozenset(encrypted))
