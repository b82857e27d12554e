"""From raw arguments to :class:`Settings`: plain values checked at once, Outputs when
they resolve, the client secret on its own and never shown."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import pulumi
from pydantic import ValidationError

from .adoption import Adopt
from .errors import ConfigError, Problem, got, unknown_argument
from .fields import CLIENT_ID_MAX
from .models import ARGUMENTS, PLAIN_FIELDS, SECRET_FIELDS, ScopeMapping, Settings

T = TypeVar("T")
# pydantic names a validator's step in an error location: 'function-after[_slug(), str]'
_VALIDATOR_LOC = re.compile(r"function-(after|before|wrap|plain)\[.*\]\Z", re.DOTALL)


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        name = str(part) or "''"  # an empty key still needs a visible name
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


def _problems(exc: ValidationError, hidden: frozenset[str] = frozenset()) -> list[Problem]:
    """One problem per pydantic error; values of ``hidden`` fields (secret) never shown."""
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _VALIDATOR_LOC.match(p)))
        # a mapping key's own error: pydantic appends '[key]' after the key (an unknown
        # argument may be named '[key]' too: that is extra_forbidden, at any depth)
        # (field, key, "[key]") at least
        is_key = err["type"] != "extra_forbidden" and len(loc) >= 3 and loc[-1] == "[key]"
        loc = loc[:-1] if is_key else loc
        field = _path(loc) or "arguments"  # pragma: no mutate (no model-level validator yet)
        if err["type"] == "extra_forbidden":
            # the value of an unknown key may well be a mistyped secret: never show it
            nested = Adopt.model_fields if loc[0] == "adopt" else ScopeMapping.model_fields
            known = nested if len(loc) > 1 else ARGUMENTS
            problems.append((field, unknown_argument(str(loc[-1]), known)))
            continue
        if err["type"] == "missing":
            problems.append((field, "is required"))
            continue
        message = err["msg"].removeprefix("Value error, ")
        message = f"the name {message}" if is_key else message
        secret = bool(loc) and loc[0] in hidden
        problems.append((field, message + got(err["input"], secret=secret)))
    return problems


def validate(
    args: Mapping[str, Any],
    hidden: frozenset[str] = frozenset(),
    stand_ins: frozenset[str] = frozenset(),
) -> Settings:
    """Validate plain arguments; raises :class:`ConfigError` naming every bad argument.

    ``None`` means "use the default", as for an absent key. ``client_secret`` is checked
    by :func:`check_client_secret`, never here. The values of ``hidden`` arguments (given
    as secrets) are never shown in a message; ``stand_ins`` hold no real value yet, so
    nothing is compared with them.
    """
    if not isinstance(args, Mapping):
        raise ConfigError([("arguments", f"must be a mapping; got {type(args).__name__}")])
    bad_keys = [k for k in args if not isinstance(k, str)]
    if bad_keys:
        raise ConfigError([("arguments", "argument names must be strings")])
    given = {k: v for k, v in args.items() if v is not None and k not in SECRET_FIELDS}
    try:
        settings = Settings.model_validate(given)
    except ValidationError as exc:
        raise ConfigError(_problems(exc, hidden)) from None
    problems = settings.adopt.problems(settings, check_slug="slug" not in stand_ins)
    if problems:
        raise ConfigError(problems)
    return settings


def check_client_secret(value: Any) -> None:
    """Reject an unusable plain secret without ever showing it."""
    if value is None or isinstance(value, pulumi.Output):
        return
    if not isinstance(value, str):
        raise ConfigError([("client_secret", f"must be a string; got a {type(value).__name__}")])
    if not value.strip() or value != value.strip():
        raise ConfigError([("client_secret", "must be non-empty, without surrounding white space")])
    if len(value) > CLIENT_ID_MAX:
        raise ConfigError([("client_secret", f"must be at most {CLIENT_ID_MAX} characters")])


def client_secret_input(value: Any) -> pulumi.Output[str] | None:
    """The client secret as a secret Output, checked when it resolves with the rules a
    plain one was checked with by :func:`resolve`, before anything was registered."""
    if value is None:
        return None

    def checked(secret: Any) -> str:
        check_client_secret(secret)
        return str(secret)

    return pulumi.Output.secret(pulumi.Output.from_input(value).apply(checked))


_STAND_INS: Final = {
    "harbor_url": "https://deferred.invalid",
    "authentik_url": "https://deferred.invalid",
    # valid values of their own type: "deferred" is no validity and no sub mode
    "access_token_validity": "minutes=10",
    "refresh_token_validity": "days=30",
    "sub_mode": "hashed_user_id",
}


def stand_in(field: str) -> Any:
    """A valid value for a field not known yet (an Output, an encrypted config value), so
    that the others can be checked now. Never seen: derived values wait for the real one."""
    if field in _STAND_INS:
        return _STAND_INS[field]
    default = Settings.model_fields[field].default
    return default if default is not None else "deferred"  # pragma: no mutate (any valid Name)


@dataclass(frozen=True)
class Resolved:
    """Validated arguments, some of which may only be known once Outputs resolve."""

    known: Settings
    """Every plain argument; an argument given as an Output holds a valid stand-in here.
    The structural fields (:data:`PLAIN_FIELDS`) are always real."""
    later: pulumi.Output[Settings] | None = None
    """All arguments, validated again once their Outputs resolve; None if none is one."""

    def pick(self, read: Callable[[Settings], T]) -> pulumi.Input[T]:
        """A derived value: plain where possible, so previews show it."""
        return read(self.known) if self.later is None else self.later.apply(read)


def resolve(args: Mapping[str, Any]) -> Resolved:
    """Validate ``args``, some of which may be Outputs.

    Plain values are checked at once, so a bad one fails before anything is registered.
    Outputs are checked when they resolve.
    """
    if not isinstance(args, Mapping):
        validate(args)  # raises the mapping error
    check_client_secret(args.get("client_secret"))
    deferred = {
        k: v for k, v in args.items() if isinstance(v, pulumi.Output) and k not in SECRET_FIELDS
    }
    problems = [
        (k, "must be a plain value, not an Output: it decides which resources exist")
        for k in sorted(set(deferred) & PLAIN_FIELDS)
    ] + [(k, unknown_argument(k, ARGUMENTS)) for k in sorted(set(deferred) - ARGUMENTS)]
    if problems:
        raise ConfigError(problems)
    plain = {k: v for k, v in args.items() if k not in deferred}
    known = validate({**plain, **{k: stand_in(k) for k in deferred}}, stand_ins=frozenset(deferred))
    if not deferred:
        return Resolved(known)
    # An Output may be secret, and that is not known here: never show a deferred value.
    hidden = frozenset(deferred)
    later = pulumi.Output.all(**deferred).apply(
        lambda values: validate({**plain, **values}, hidden)
    )
    return Resolved(known, later)
