"""Text a person reads, and characters no real system takes.

A value shown in a plan, a report or an error passes :func:`printable` first, so a line
break cannot forge a plan entry and no escape sequence, bidi override or zero-width
character reaches a terminal or a pull-request comment.
"""

from __future__ import annotations

import unicodedata
from typing import Final

MAX_SHOWN: Final = 400


def escaped(ch: str) -> str:
    """One character as a Python escape: `\\n`, `\\x00`, `\\u202e`."""
    return ch.encode("unicode_escape").decode("ascii")  # pragma: no mutate (case-blind names)


def printable(text: str, limit: int | None = MAX_SHOWN) -> str:
    """``text`` with every non-printable character escaped, at most ``limit`` long
    (None: all of it).

    `str.isprintable` is false for control (Cc), format (Cf: bidi controls, zero-width
    characters, the BOM), separator (Zl, Zp, Zs but the space), private-use and
    unassigned characters: all of them print as escapes.
    """
    shown = "".join(ch if ch.isprintable() else escaped(ch) for ch in text)
    return shown if limit is None or len(shown) <= limit else shown[: limit - 3] + "..."


def controls(value: str, *, allow: str = "") -> str:  # pragma: no mutate (X is no control)
    """The control characters (Unicode Cc: NUL, line breaks, ESC, DEL, C1) in ``value``
    other than those in ``allow``, escaped and joined; "" if none."""
    found = dict.fromkeys(
        ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in allow
    )
    return "".join(escaped(ch) for ch in found)


def invisibles(value: str) -> str:
    """The format characters (Unicode Cf: zero-width, bidi controls, the BOM) in
    ``value``, escaped and joined; "" if none. They make two names that look the same."""
    found = dict.fromkeys(ch for ch in value if unicodedata.category(ch) == "Cf")
    return "".join(escaped(ch) for ch in found)


# UTS #39's "highly restrictive" level lets Han mix with these: Japanese and Korean names
_WITH_HAN: Final = dict.fromkeys(
    ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HANGUL", "BOPOMOFO"), "CJK"
)


def scripts(label: str) -> list[str]:
    """The scripts of the letters in ``label`` (LATIN, CYRILLIC, ...), in order of first
    appearance; digits and punctuation belong to none; Han with kana or Hangul is one."""
    words = (unicodedata.name(ch).partition(" ")[0] for ch in label if ch.isalpha())
    return list(dict.fromkeys(_WITH_HAN.get(word, word) for word in words))
