"""The ``harbor-sso`` command: each sub-command in a module of its own (plan: offline;
verify, doctor and adopt: live). The one place that knows both the offline and the live
tools."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from . import pair, plan, verify
from .common import EXIT_FAILED, EXIT_INVALID

__all__ = ["EXIT_FAILED", "EXIT_INVALID", "build_parser", "main", "quiet_stray_loops"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harbor-sso", description="authentik single sign-on for Harbor, with Pulumi."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    plan.add(commands)
    verify.add(commands)
    pair.add(commands)
    return parser


def quiet_stray_loops(unraisable: Any) -> None:
    # The SDK's mock monitor leaves an event loop in each executor thread; at exit their
    # finalizers fail on already-closed pipes. Harmless, but not for a user's terminal.
    obj = getattr(unraisable, "object", None)
    if getattr(obj, "__qualname__", "") == "BaseEventLoop.__del__":
        return
    sys.__unraisablehook__(unraisable)


def main(argv: Sequence[str] | None = None) -> int:
    sys.unraisablehook = quiet_stray_loops
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING, stream=sys.stderr)
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code
