"""A report says a failure once: a later check that failed for the same reason (one
server unreachable, seen by several checks) points to the first instead of repeating
its line and its fix."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol


class Said(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def detail(self) -> str: ...

    @property
    def failed(self) -> bool: ...

    def line(self) -> str: ...

    def head(self) -> str:
        """The line's status and name, `FAIL  <name>`."""
        ...


def once(items: Iterable[Said]) -> Iterator[str]:
    first: dict[str, str] = {}
    for item in items:
        if item.failed and item.detail in first:
            yield f"{item.head()}: as above ({first[item.detail]})"
            continue
        if item.failed:
            first[item.detail] = item.name
        yield item.line()
