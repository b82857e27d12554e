"""The Go values gopkg.in/yaml.v3 v3.0.1 gives a plain scalar (resolve.go `resolve`), and
the text Go's `encoding/json` and `fmt` write for them: what the engine turns stack file
values into before the program sees them."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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


_INT64 = range(-(2**63), 2**63)
_UINT64 = range(2**64)


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


def parse_timestamp(text: str) -> GoTime | None:
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
        stamp = parse_timestamp(text)
        if stamp is not None:
            return stamp
        plain = text.replace("_", "")
        number = _go_int(plain)
        if number is not None:
            return number
        if _YAML_FLOAT.fullmatch(plain):
            return float(plain)
    return text


def go_float_json(value: float) -> str:
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
        return go_float_json(value)
    if isinstance(value, GoTime):
        return value.go_string()
    return str(value)
