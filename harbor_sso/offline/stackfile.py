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

import datetime as dt
import json
import math
import os
import re
import stat
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


# -- limits: no stack file may take the plan down ------------------------------------

MAX_FILE_BYTES: Final = 128 << 10
"""A stack or project file is a few KiB; more than 128 KiB is refused before it is parsed
(PyYAML's pure-Python parser takes seconds per MiB of dense YAML)."""

MAX_DEPTH: Final = 100
"""How deeply collections may nest, counted in the decoded value (aliases expanded).

gopkg.in/yaml.v3 v3.0.1 scannerc.go stops at 10000 (`max_flow_level` in
`yaml_parser_increase_flow_level`, `max_indents` in `yaml_parser_roll_indent`: "exceeded
max depth of 10000"). PyYAML's composer and the decoding below recurse once or more per
level in Python, whose recursion limit (1000 frames) is far below that, so this tool stops
much earlier: a config value nested 100 deep is already far past any real one."""

# gopkg.in/yaml.v3 v3.0.1 decode.go, `allowedAliasRatio` and its constants.
_ALIAS_RATIO_RANGE_LOW: Final = 400_000  # decodes: up to here 99% may come from aliases
_ALIAS_RATIO_RANGE_HIGH: Final = 4_000_000  # from here on only 10% may
_ALIAS_RATIO_RANGE: Final = float(_ALIAS_RATIO_RANGE_HIGH - _ALIAS_RATIO_RANGE_LOW)


def allowed_alias_ratio(decode_count: int) -> float:
    """decode.go `allowedAliasRatio`: the share of decodes aliases may account for."""
    if decode_count <= _ALIAS_RATIO_RANGE_LOW:
        return 0.99
    if decode_count >= _ALIAS_RATIO_RANGE_HIGH:
        return 0.10
    return 0.99 - 0.89 * (float(decode_count - _ALIAS_RATIO_RANGE_LOW) / _ALIAS_RATIO_RANGE)


class _Refused(Exception):
    """A limit was hit while reading a file; the text is completed with the file's name."""


class _Alias(yaml.Node):
    """An alias (`*name`) where it is written, as yaml.v3 keeps it (an AliasNode).

    PyYAML's composer hands back the anchored node itself, shared, so a tree of a few
    hundred nodes can stand for billions; the decoder below expands each alias again, as
    yaml.v3 does, and counts it."""

    id = "alias"

    def __init__(self, anchor: str, target: yaml.Node, mark: Any) -> None:
        super().__init__("", target, mark, mark)
        self.anchor = anchor


class _Composer(yaml.SafeLoader):
    """PyYAML's parser and composer, with Go's resolution of plain scalars left to us,
    aliases kept as `_Alias` and nesting bounded before the composer's recursion is."""

    _depth = 0

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            target = super().compose_node(parent, index)  # raises for an undefined alias
            assert target is not None
            return _Alias(str(event.anchor), target, event.start_mark)
        if not self.check_event(yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Decoder:
    """yaml.v3's decoder into `any`, with its guard against alias expansion.

    gopkg.in/yaml.v3 v3.0.1 decode.go `(*decoder).unmarshal` counts every node decoded
    (`decodeCount`), and every one decoded inside an alias expansion (`aliasCount`, while
    `aliasDepth > 0`), and fails with "document contains excessive aliasing" once
    `aliasCount > 100 && decodeCount > 1000 && aliasCount/decodeCount >
    allowedAliasRatio(decodeCount)`. `(*decoder).alias` fails with "anchor '%s' value
    contains itself" on an alias met again while expanding it."""

    def __init__(self) -> None:
        self.decode_count = 1  # the document node, decoded first (decode.go `document`)
        self.alias_count = 0
        self.alias_depth = 0
        self.expanding: set[int] = set()  # decode.go `d.aliases`: aliases being expanded

    def decode(self, node: yaml.Node, where: str, depth: int = 0) -> Any:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > allowed_alias_ratio(self.decode_count)
        ):
            raise _Refused("yaml: document contains excessive aliasing")
        if isinstance(node, _Alias):
            if id(node) in self.expanding:
                raise _Refused(f"yaml: anchor '{node.anchor}' value contains itself")
            self.expanding.add(id(node))
            self.alias_depth += 1
            try:
                return self.decode(node.value, where, depth)
            finally:
                self.alias_depth -= 1
                self.expanding.discard(id(node))
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, where)
        if depth >= MAX_DEPTH:  # only reachable through aliases: the composer counted too
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.SequenceNode):
            return [
                self.decode(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(node.value)
            ]
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.decode(key_node, where, depth + 1)
                if key == "<<" and key_node.tag == _PLAIN:
                    raise ProjectError(f"{where}: YAML merge keys (<<) are not supported here")
                if isinstance(key, list | dict):
                    raise ProjectError(f"{where}: a key must be a scalar")
                name = _go_text(key)
                if name in result:  # yaml.v3: 'mapping key "x" already defined'
                    raise ProjectError(f"{where}: key {name!r} is defined twice")
                result[name] = self.decode(
                    value_node, f"{where}.{name}" if where else name, depth + 1
                )
            return result
        raise ProjectError(f"{where}: unsupported YAML node")


def _scalar(node: yaml.ScalarNode, where: str) -> Any:
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


def _go_text(key: Any) -> str:
    """A map key as the engine names it (`fmt.Sprintf("%v", k)`)."""
    if isinstance(key, str):
        return key
    return go_scalar(key)


def _special(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    for test, name in (
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return f"a special file ({name})"
    return "a special file"


def _refuse_special(path: Path, mode: int, kind: str) -> None:
    what = _special(mode)
    if what == "a directory":
        raise ProjectError(f"cannot read {path}: is a directory, not a {kind}")
    if what is not None:
        raise ProjectError(f"cannot read {path}: is {what}, not a regular file")


def _read_regular(path: Path, kind: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; anything else is refused.

    A directory, FIFO or device is named from `stat` and never opened (opening a FIFO for
    reading blocks until a writer comes). The open is non-blocking and checked again with
    `fstat`, so a file swapped for a FIFO in between cannot block either."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ProjectError(f"cannot read {path}: no such {kind}") from None
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror or exc}") from None
    _refuse_special(path, info.st_mode, kind)
    too_big = (
        f"cannot read {path}: larger than {MAX_FILE_BYTES} bytes (128 KiB), too big for a {kind}"
    )
    if info.st_size > MAX_FILE_BYTES:
        raise ProjectError(too_big)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ProjectError(f"cannot read {path}: no such {kind}") from None
    except OSError as exc:
        raise ProjectError(f"cannot read {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as file:
        _refuse_special(path, os.fstat(fd).st_mode, kind)
        try:
            data = file.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise ProjectError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:  # it grew after the stat
        raise ProjectError(too_big)
    return data


def load_yaml(path: Path, kind: str = "file") -> Any:
    """One YAML file decoded as gopkg.in/yaml.v3 decodes it into `any`.

    `kind` ("stack file", "project file") names what the path should have been when it is
    missing or a directory."""
    try:
        text = _read_regular(path, kind).removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"cannot read {path}: not UTF-8 text") from None
    try:
        node = yaml.compose(text, Loader=_Composer)
        if node is None:
            return None
        return _Decoder().decode(node, "")
    except _Refused as exc:
        raise ProjectError(f"cannot read {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ProjectError(f"cannot read {path}: invalid YAML ({_first_line(exc)})") from None
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
    if value is None:
        # loaders.go `checkForEmptyConfig`: a key with no value "is currently treated as an
        # empty string" (and warned of); seen so by the real CLI (tests/engine)
        return ConfigValue("")
    if isinstance(value, list | dict):
        text = json.dumps(_jsonable(value), separators=(",", ":"), sort_keys=True)
        return ConfigValue(text, secure=_has_secure(value), object=True)
    if isinstance(value, GoTime):
        # the stack file is re-encoded (RFC 3339) and decoded again before this step
        again = _timestamp(value.rfc3339())
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
        return _go_float_json(value)
    if isinstance(value, GoTime):
        return value.rfc3339()
    if isinstance(value, list | dict):
        return json.dumps(_jsonable(value), separators=(",", ":"), sort_keys=True)
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
