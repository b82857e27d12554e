"""How an argument is named to the person who reads a message about it.

A Python program passes `allowed_groups`; a stack file sets `harbor-sso:allowedGroups`;
a TypeScript or YAML program, through the plugin, `allowedGroups`, as the schema names
it. A problem found while the component is built (a warning, a look-up's failure) is
named the way its reader wrote it: the stack program and the plugin say which names
apply, in a context variable read while the component is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Names = Callable[[str], str]

_NAMES: ContextVar[Names] = ContextVar("harbor_sso_argument_names", default=str)


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def schema_name(argument: str) -> str:
    """``extra_scope_mappings[0].scope_name`` -> ``extraScopeMappings[0].scopeName``.

    Only field names are camel-cased: in ``project_roles.<project>.<group>`` the project
    and group are the user's own names and stay as written."""
    head, *rest = argument.split(".")
    if head.startswith("extra_scope_mappings"):
        rest = [camel(part) for part in rest]
    elif head == "adopt" and rest:
        rest = [camel(rest[0]), *rest[1:]]  # adopt.configAuth; group names as written
    return ".".join([camel(head), *rest])


def argument_name(argument: str) -> str:
    """``argument`` as the reader of this program wrote it."""
    return _NAMES.get()(argument)


@contextmanager
def named(names: Names) -> Iterator[None]:
    """Within this block, arguments are named by ``names``."""
    token = _NAMES.set(names)
    try:
        yield
    finally:
        _NAMES.reset(token)
