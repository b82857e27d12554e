"""``harbor-sso doctor`` and ``harbor-sso adopt``: a live pair read with both APIs'
credentials from the environment."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import EXIT_FAILED, add_timeout, flag, invalid, refuse
from .credentials import authentik, from_environment, harbor

NEEDED = ("AUTHENTIK_TOKEN", "HARBOR_USERNAME", "HARBOR_PASSWORD")


@dataclass(frozen=True)
class Pair:
    settings: Any
    client: Any
    secrets: list[str]
    keys: dict[str, str]
    """A server -> the flag its URL comes from."""


def live_pair(args: argparse.Namespace, requests: int, command: str) -> Pair | int:
    """The validated URLs and slug, a bounded client with both APIs' credentials, the
    values never to show; or the exit status of bad input."""
    from ..live.http import http_fetch
    from ..transport import by_server
    from ..validation import ConfigError, validate

    given = {"harbor_url": args.harbor_url, "authentik_url": args.authentik_url}
    if args.slug is not None:
        given["slug"] = args.slug
    try:
        settings = validate(given)
    except ConfigError as exc:
        return invalid(exc, flag)
    env = from_environment(NEEDED, f"{command} reads both APIs")
    if isinstance(env, int):
        return env
    credentials = [authentik(settings.authentik_url, env), harbor(settings.harbor_url, env)]
    client = http_fetch(
        timeout=args.timeout, run_timeout=requests * args.timeout, credentials=credentials
    )
    keys = by_server(
        (settings.authentik_url, "--authentik-url"), (settings.harbor_url, "--harbor-url")
    )
    return Pair(settings, client, [s for c in credentials for s in c.secrets], keys)


def doctor(args: argparse.Namespace) -> int:
    from ..live.doctor import REQUESTS_PER_RUN, diagnose, report

    live = live_pair(args, REQUESTS_PER_RUN, "doctor")
    if isinstance(live, int):
        return live
    findings = diagnose(
        live.client, live.settings, args.client_id, live.secrets, live.keys, live.client.send
    )
    for line in report(findings, live.secrets):
        print(line, flush=True)
    return EXIT_FAILED if any(f.status == "FAIL" for f in findings) else 0


def adopt(args: argparse.Namespace) -> int:
    from ..live.adopt import REQUESTS_PER_RUN, AdoptFailed, run_adopt
    from ..live.http import redact

    if args.set and not args.stack:
        return refuse("--set needs --stack (the stack to set the secret in)")
    live = live_pair(args, REQUESTS_PER_RUN, "adopt")
    if isinstance(live, int):
        return live
    try:
        text = run_adopt(live.client, live.settings, args, live.secrets, live.keys)
    except AdoptFailed as exc:
        for line in exc.lines:
            print(redact(line, live.secrets), file=sys.stderr)
        return EXIT_FAILED
    except (OSError, ValueError) as exc:
        return invalid(exc)
    sys.stdout.write(text)
    return 0


def _add_live_pair(parser: argparse.ArgumentParser) -> None:
    """The flags doctor and adopt find a live pair with."""
    parser.add_argument("--authentik-url", required=True, help="authentik's public URL")
    parser.add_argument("--harbor-url", required=True, help="Harbor's external URL")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--slug", help="the authentik application's slug (default harbor)")
    which.add_argument("--client-id", help="find the application by its provider's client ID")


def add(commands: Any) -> None:
    d = commands.add_parser(
        "doctor",
        help="read a live authentik and Harbor and name each setting that breaks the "
        "sign-on, with its fix; asks Harbor to test its own OIDC endpoint (a ping that "
        "changes nothing); credentials from AUTHENTIK_TOKEN, HARBOR_USERNAME (default "
        "admin) and HARBOR_PASSWORD (exit 1 if a check fails)",
    )
    _add_live_pair(d)
    add_timeout(d, "; the whole run gets as long as its number of requests needs")
    d.set_defaults(run=doctor)

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
    add_timeout(a, "")
    a.set_defaults(run=adopt)
