"""Step 1 of reading a stack file as the engine does: gopkg.in/yaml.v3 v3.0.1 decoding
a file into Go values (resolve.go `resolve`): plain scalars resolved as go-yaml resolves
them, aliases, nesting and size bounded so that no file can take a tool down.
(offline/stackfile.py tells the whole reading.)"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Final

import yaml

from .go_values import go_scalar, resolve_plain

_PLAIN: Final = "!go-yaml-plain"  # a plain scalar, resolved below rather than by PyYAML
_TAG: Final = "tag:yaml.org,2002:"


class ProjectError(Exception):
    """A project or stack file is missing, unreadable or of the wrong shape."""


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
