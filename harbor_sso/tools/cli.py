"""The ``harbor-sso`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .verify import Expected

EXIT_FAILED = 1
EXIT_INVALID = 2


def _invalid(exc: Exception, rename: Callable[[str], str] = str) -> int:
    """Report a bad configuration or project (one line per problem); the exit status."""
    from ..settings import ConfigError

    lines = exc.lines(rename) if isinstance(exc, ConfigError) else [str(exc)]
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return EXIT_INVALID


def _plan(args: argparse.Namespace) -> int:
    from .plan import ConfigError, ProjectError, plan, read_stack, render_json, render_text

    try:
        result = plan(read_stack(Path(args.project_dir), args.stack))
    except (ConfigError, ProjectError) as exc:
        return _invalid(exc)
    sys.stdout.write(render_json(result) if args.json else render_text(result))
    return 0


def _expected(args: argparse.Namespace) -> Expected:
    """The expectation from a stack file, or from the URLs given on the command line."""
    from ..settings import validate
    from .verify import Expected

    if args.stack:
        from ..stack.config import load
        from .plan import read_stack

        files = read_stack(Path(args.project_dir), args.stack)
        return Expected.from_settings(load(files.config, files.secret_keys).settings)
    given = {
        "harbor_url": args.harbor_url,
        "authentik_url": args.authentik_url,
        "slug": args.slug,
        "client_id": args.client_id,
        "scopes": args.scopes.split(",") if args.scopes else None,
    }
    return Expected.from_settings(validate({k: v for k, v in given.items() if v is not None}))


def _verify(args: argparse.Namespace) -> int:
    from .plan import ConfigError, ProjectError
    from .verify import http_fetch, report, verify

    if not args.stack and not (args.harbor_url and args.authentik_url):
        print("error: give --stack, or --harbor-url and --authentik-url", file=sys.stderr)
        return EXIT_INVALID
    try:
        expected = _expected(args)
    except (ConfigError, ProjectError) as exc:
        # a stack's problems are named by config key already; the command line's by flag
        return _invalid(exc, str if args.stack else lambda f: "--" + f.replace("_", "-"))
    checks = verify(expected, http_fetch(timeout=args.timeout))
    for line in report(checks):
        print(line, flush=True)
    return 0 if all(c.ok for c in checks) else EXIT_FAILED


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

    v = commands.add_parser(
        "verify",
        help="check a deployment over HTTP: authentik's issuer, Harbor's auth mode and "
        "its OIDC login redirect (exit 1 if a check fails)",
    )
    v.add_argument("--stack", help="stack name: the expectation from stacks/Pulumi.<stack>.yaml")
    v.add_argument("--project-dir", default=".", help="folder holding Pulumi.yaml (default .)")
    v.add_argument("--harbor-url", help="without --stack: Harbor's external URL")
    v.add_argument("--authentik-url", help="without --stack: authentik's public URL")
    v.add_argument("--slug", help="without --stack: the application slug (default harbor)")
    v.add_argument("--client-id", help="without --stack: the client ID (default: derived)")
    v.add_argument("--scopes", help="without --stack: comma-separated scopes (default: all four)")
    v.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    v.set_defaults(run=_verify)
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
