"""The error vocabulary: a problem is (argument path, message); values enter a message
only through :func:`got`, short and with credentials withheld; unknown names get a
suggestion."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeAlias

from ..text import printable

_USERINFO = re.compile(r"//[^/@\s]*@")
Problem: TypeAlias = tuple[str, str]
"""(argument path, message)."""


class ConfigError(ValueError):
    """Invalid arguments: one (argument, message) problem per entry, never a secret value."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "invalid HarborAuthentikSSO arguments:\n"
            + "\n".join(f"  {line}" for line in self.lines())
        )

    def renamed(self, rename: Callable[[str], str]) -> list[Problem]:
        """The problems with each argument renamed, e.g. to its stack config key."""
        return [(rename(field), message) for field, message in self.problems]

    def lines(self, rename: Callable[[str], str] = str) -> list[str]:
        """One ``name: message`` line per problem, the argument renamed by ``rename``;
        a name is the user's own text (a group, a project), so it is shown escaped."""
        return [
            f"{printable(field, limit=None)}: {printable(message, limit=None)}"
            for field, message in self.renamed(rename)
        ]


MASK: Final = "[secret]"
"""How a secret value is shown anywhere: messages, plans, outputs."""


def got(value: Any, *, secret: bool = False) -> str:
    """The one way a value enters an error message: `; got <value>`, short, credentials
    in URLs redacted, and for a secret (a secret field, an encrypted config key, a value
    given as an Output) only `[secret]`."""
    if secret:
        return f"; got {MASK}"
    text = _USERINFO.sub("//[redacted]@", repr(value))
    return "; got " + (text if len(text) <= 80 else text[:77] + "...")


def snake(name: str) -> str:
    """``harborUrl`` -> ``harbor_url``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def suggestion(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` was probably meant as: the same words in another case
    style first, else the closest spelling."""
    names = sorted(known)
    folded = {snake(k).replace("_", ""): k for k in names}
    same = folded.get(snake(name).replace("_", "").replace("-", ""))
    if same is not None:
        return same
    # n: only the best one is read, whatever the length of the list
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)  # pragma: no mutate
    return close[0] if close else None


def unknown_argument(name: str, known: Iterable[str]) -> str:
    """The message for an unknown argument: a suggestion, never its value."""
    meant = suggestion(name, known)
    if meant is None:
        return "unknown argument (a typo?)"
    hint = " (Python arguments are snake_case)" if snake(name) == meant else ""
    return f"unknown argument; did you mean {meant!r}?{hint}"
