"""The ``harbor-sso`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_INVALID = 2


def _plan(args: argparse.Namespace) -> int:
    from .plan import ConfigError, ProjectError, plan, read_stack, render_json, render_text

    try:
        result = plan(read_stack(Path(args.project_dir), args.stack))
    except ConfigError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_INVALID
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.write(render_json(result) if args.json else render_text(result))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harbor-sso", description="authentik single sign-on for Harbor, with Pulumi."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser(
        "plan",
        help="show what `pulumi up` would create for a stack (offline: no CLI, "
        "credentials or network)",
    )
    p.add_argument("--stack", required=True, help="stack name: reads stacks/Pulumi.<stack>.yaml")
    p.add_argument("--project-dir", default=".", help="folder holding Pulumi.yaml (default .)")
    p.add_argument("--json", action="store_true", help="stable, sorted JSON for diffing")
    p.set_defaults(run=_plan)
    return parser


def _quiet_stray_loops(unraisable: Any) -> None:
    # The SDK's mock monitor leaves an event loop in each executor thread; at exit their
    # finalizers fail on already-closed pipes. Harmless, but not for a user's terminal.
    obj = getattr(unraisable, "object", None)
    if getattr(obj, "__qualname__", "") == "BaseEventLoop.__del__":
        return
    sys.__unraisablehook__(unraisable)


def main(argv: Sequence[str] | None = None) -> int:
    sys.unraisablehook = _quiet_stray_loops
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING, stream=sys.stderr)
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
