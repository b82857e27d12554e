"""``harbor-sso plan``: what `pulumi up` would do for a stack, offline."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from .common import invalid


def run(args: argparse.Namespace) -> int:
    from ..offline.plan import check_project, plan, plan_program, render_json, render_text
    from ..offline.stack_checks import plain_credentials, sibling_conflicts
    from ..offline.stackfile import ProjectError, read_stack
    from ..validation import ConfigError

    project_dir = Path(args.program or args.project_dir)
    try:
        files = read_stack(project_dir, args.stack)
        if args.program:
            result = plan_program(files)
        else:
            check_project(files)
            conflicts = sibling_conflicts(files)
            if conflicts:
                raise ConfigError(conflicts)
            for key, message in plain_credentials(files):
                logging.getLogger("harbor_sso.offline.plan").warning("%s: %s", key, message)
            result = plan(files)
    except (ConfigError, ProjectError) as exc:
        return invalid(exc)
    sys.stdout.write(render_json(result) if args.json else render_text(result))
    return 0


def add(commands: Any) -> None:
    p = commands.add_parser(
        "plan",
        help="show what `pulumi up` would create for a stack (offline: no CLI, "
        "credentials or network)",
    )
    p.add_argument("--stack", required=True, help="stack name: reads stacks/Pulumi.<stack>.yaml")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--project-dir", default=".", help="folder holding this project's Pulumi.yaml (default .)"
    )
    where.add_argument(
        "--program",
        metavar="DIR",
        help="plan your own Pulumi program instead (the project in DIR, its `main:` or "
        "__main__.py, with its stack file), under the same mock engine",
    )
    p.add_argument("--json", action="store_true", help="stable, sorted JSON for diffing")
    p.set_defaults(run=run)
