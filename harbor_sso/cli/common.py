"""What every sub-command shares: exit statuses, one-line errors, the timeout flag."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

EXIT_FAILED = 1
EXIT_INVALID = 2


def invalid(exc: Exception, rename: Callable[[str], str] = str) -> int:
    """Report a bad configuration or project (one line per problem); the exit status."""
    from ..text import printable
    from ..validation import ConfigError

    lines = exc.lines(rename) if isinstance(exc, ConfigError) else [str(exc)]
    for line in lines:
        # one line each, whatever a key or a path holds: no forged lines, no escapes
        print(f"error: {printable(line, limit=None)}", file=sys.stderr)
    return EXIT_INVALID


def refuse(message: str) -> int:
    """Bad input that is not a value to show: one line, exit 2."""
    print(f"error: {message}", file=sys.stderr)
    return EXIT_INVALID


def flag(argument: str) -> str:
    """An argument as the command line names it: ``harbor_url`` -> ``--harbor-url``."""
    return "--" + argument.replace("_", "-")


def timeout(text: str) -> float:
    from ..live.http import MAX_TIMEOUT

    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text[:40]!r}") from None
    if not 0 < seconds <= MAX_TIMEOUT:  # also false for NaN
        raise argparse.ArgumentTypeError(
            f"must be above 0 and at most {MAX_TIMEOUT:g} seconds, got {text[:40]!r}"
        )
    return seconds


def add_timeout(parser: argparse.ArgumentParser, whole_run: str) -> None:
    parser.add_argument(
        "--timeout",
        type=timeout,
        default=10.0,
        help=f"seconds per request, above 0 and at most 300 (default 10){whole_run}",
    )
