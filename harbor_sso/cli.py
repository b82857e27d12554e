"""The ``harbor-sso`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .live.verify import Expected

EXIT_FAILED = 1
EXIT_INVALID = 2


def _invalid(exc: Exception, rename: Callable[[str], str] = str) -> int:
    """Report a bad configuration or project (one line per problem); the exit status."""
    from .text import printable
    from .validation import ConfigError

    lines = exc.lines(rename) if isinstance(exc, ConfigError) else [str(exc)]
    for line in lines:
        # one line each, whatever a key or a path holds: no forged lines, no escapes
        print(f"error: {printable(line, limit=None)}", file=sys.stderr)
    return EXIT_INVALID


def _plan(args: argparse.Namespace) -> int:
    from .offline.plan import check_project, plan, plan_program, render_json, render_text
    from .offline.stack_checks import plain_credentials, sibling_conflicts
    from .offline.stackfile import ProjectError, read_stack
    from .validation import ConfigError

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
        return _invalid(exc)
    sys.stdout.write(render_json(result) if args.json else render_text(result))
    return 0


def _expected(args: argparse.Namespace) -> Expected:
    """The expectation from a stack file (flags given beside it win), or from the flags."""
    import json

    from .live.verify import EXPECTATION_FIELDS, Expected
    from .validation import validate

    given = {
        "harbor_url": args.harbor_url,
        "authentik_url": args.authentik_url,
        "slug": args.slug,
        "client_id": args.client_id,
        "scopes": args.scopes.split(",") if args.scopes else None,
    }
    given = {k: v for k, v in given.items() if v is not None}
    if not args.stack:
        return Expected.from_settings(validate(given))

    from .offline.plan import program_config
    from .offline.stackfile import ProjectError, read_stack
    from .stack.config import config_key, load

    config = program_config(read_stack(Path(args.project_dir), args.stack))
    values = dict(config.values)
    for argument, value in given.items():
        values[config_key(argument)] = json.dumps(value) if isinstance(value, list) else value
    # An encrypted value is never compared through its stand-in: ask for it instead.
    unknown = [
        key
        for argument in sorted(EXPECTATION_FIELDS)
        if (key := config_key(argument)) in config.deferred and argument not in given
    ]
    if unknown:
        flags = {"extra_scope_mappings": "the decrypted stack (pulumi config)"}
        raise ProjectError(
            "encrypted in the stack file, so verify cannot know "
            + ", ".join(unknown)
            + ": give "
            + ", ".join(
                flags.get(a, "--" + a.replace("_", "-"))
                for a in sorted(EXPECTATION_FIELDS)
                if config_key(a) in unknown
            )
        )
    return Expected.from_settings(load(values, config.secret_keys).settings)


def _verify(args: argparse.Namespace) -> int:
    from .live.http import http_fetch
    from .live.verify import report, verify
    from .offline.stackfile import ProjectError
    from .validation import ConfigError

    if not args.stack and not (args.harbor_url and args.authentik_url):
        print("error: give --stack, or --harbor-url and --authentik-url", file=sys.stderr)
        return EXIT_INVALID
    try:
        expected = _expected(args)
    except (ConfigError, ProjectError) as exc:
        # a stack's problems are named by config key already; the command line's by flag
        return _invalid(exc, str if args.stack else _flag)
    checks = verify(expected, http_fetch(timeout=args.timeout))
    for line in report(checks):
        print(line, flush=True)
    return 0 if all(c.ok for c in checks) else EXIT_FAILED


def _api_fetch(
    settings: Any, timeout: float, requests: int, command: str
) -> tuple[Any, list[str]] | int:
    """A bounded fetch with the API credentials from the environment, and the values never
    to show; or the exit status when one is missing or unusable (never echoed)."""
    import os

    from .live.http import Credential, http_fetch

    env = {
        "AUTHENTIK_TOKEN": os.environ.get("AUTHENTIK_TOKEN", ""),
        "HARBOR_USERNAME": os.environ.get("HARBOR_USERNAME") or "admin",
        "HARBOR_PASSWORD": os.environ.get("HARBOR_PASSWORD", ""),
    }
    for variable, value in env.items():
        if not value:
            print(f"error: set {variable} ({command} reads both APIs)", file=sys.stderr)
            return EXIT_INVALID
        # a header cannot carry these; never echo the value
        if (
            not value.isprintable()
            or value != value.strip()
            or (variable == "HARBOR_USERNAME" and ":" in value)
        ):
            print(f"error: {variable} holds characters no HTTP header can carry", file=sys.stderr)
            return EXIT_INVALID
    credentials = [
        Credential.bearer(settings.authentik_url + "/api/v3", env["AUTHENTIK_TOKEN"]),
        Credential.basic(
            settings.harbor_url + "/api/v2.0", env["HARBOR_USERNAME"], env["HARBOR_PASSWORD"]
        ),
    ]
    secrets = [s for c in credentials for s in c.secrets]
    fetch = http_fetch(timeout=timeout, run_timeout=requests * timeout, credentials=credentials)
    return fetch, secrets


def _api_settings(args: argparse.Namespace) -> Any:
    """The URLs and slug of doctor and adopt, validated; the exit status if bad."""
    from .validation import ConfigError, validate

    given = {"harbor_url": args.harbor_url, "authentik_url": args.authentik_url}
    if args.slug is not None:
        given["slug"] = args.slug
    try:
        settings = validate(given)
    except ConfigError as exc:
        return _invalid(exc, _flag)
    return settings


def _live_pair(
    args: argparse.Namespace, requests: int, command: str
) -> tuple[Any, Any, list[str]] | int:
    """doctor's and adopt's validated URLs, bounded fetch and values never to show; or
    the exit status of bad input."""
    settings = _api_settings(args)
    if isinstance(settings, int):
        return settings
    got = _api_fetch(settings, args.timeout, requests, command)
    if isinstance(got, int):
        return got
    return (settings, *got)


def _doctor(args: argparse.Namespace) -> int:
    from .live.doctor import REQUESTS_PER_RUN, diagnose, report

    live = _live_pair(args, REQUESTS_PER_RUN, "doctor")
    if isinstance(live, int):
        return live
    settings, fetch, secrets = live
    findings = diagnose(fetch, settings, args.client_id, secrets)
    for line in report(findings, secrets):
        print(line, flush=True)
    return EXIT_FAILED if any(f.status == "FAIL" for f in findings) else 0


def _adopt(args: argparse.Namespace) -> int:
    from .live.adopt import REQUESTS_PER_RUN, AdoptFailed, run_adopt

    if args.set and not args.stack:
        print("error: --set needs --stack (the stack to set the secret in)", file=sys.stderr)
        return EXIT_INVALID
    live = _live_pair(args, REQUESTS_PER_RUN, "adopt")
    if isinstance(live, int):
        return live
    settings, fetch, secrets = live
    try:
        text = run_adopt(fetch, settings, args, secrets)
    except AdoptFailed as exc:
        from .live.http import redact

        for line in exc.lines:
            print(redact(line, secrets), file=sys.stderr)
        return EXIT_FAILED
    except (OSError, ValueError) as exc:
        return _invalid(exc)
    sys.stdout.write(text)
    return 0


def _flag(argument: str) -> str:
    """An argument as the command line names it: ``harbor_url`` -> ``--harbor-url``."""
    return "--" + argument.replace("_", "-")


def _timeout(text: str) -> float:
    from .live.http import MAX_TIMEOUT

    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text[:40]!r}") from None
    if not 0 < seconds <= MAX_TIMEOUT:  # also false for NaN
        raise argparse.ArgumentTypeError(
            f"must be above 0 and at most {MAX_TIMEOUT:g} seconds, got {text[:40]!r}"
        )
    return seconds


def _add_timeout(parser: argparse.ArgumentParser, whole_run: str) -> None:
    parser.add_argument(
        "--timeout",
        type=_timeout,
        default=10.0,
        help=f"seconds per request, above 0 and at most 300 (default 10){whole_run}",
    )


def _add_live_pair(parser: argparse.ArgumentParser) -> None:
    """The flags doctor and adopt find a live pair with."""
    parser.add_argument("--authentik-url", required=True, help="authentik's public URL")
    parser.add_argument("--harbor-url", required=True, help="Harbor's external URL")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--slug", help="the authentik application's slug (default harbor)")
    which.add_argument("--client-id", help="find the application by its provider's client ID")


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
    _add_timeout(v, "; the whole run gets three times as long")
    v.set_defaults(run=_verify)

    d = commands.add_parser(
        "doctor",
        help="read a live authentik and Harbor (read-only) and name each setting that breaks "
        "the sign-on, with its fix; credentials from AUTHENTIK_TOKEN, HARBOR_USERNAME "
        "(default admin) and HARBOR_PASSWORD (exit 1 if a check fails)",
    )
    _add_live_pair(d)
    _add_timeout(d, "; the whole run gets as long as its number of requests needs")
    d.set_defaults(run=_doctor)

    a = commands.add_parser(
        "adopt",
        help="read a hand-made authentik + Harbor setup (read-only) and print the stack config "
        "that imports it with client ID, client secret, slug and sub_mode kept, and what the "
        "first `pulumi up` will change; credentials as for doctor",
    )
    _add_live_pair(a)
    a.add_argument(
        "--project",
        action="append",
        default=[],
        help="a Harbor project whose OIDC group memberships to adopt (projectRoles); repeatable",
    )
    a.add_argument("--stack", help="the stack name, for the printed `pulumi config set` lines")
    a.add_argument(
        "--stack-file",
        type=Path,
        help="write the config into this stack file (merged) instead of printing it",
    )
    a.add_argument(
        "--set",
        action="store_true",
        help="run `pulumi config set --secret harbor-sso:clientSecret --stack <stack>` "
        "(the secret on its stdin) instead of printing the command that does",
    )
    _add_timeout(a, "")
    a.set_defaults(run=_adopt)
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


if __name__ == "__main__":
    sys.exit(main())
