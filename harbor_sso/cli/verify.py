"""``harbor-sso verify``: a deployment checked over HTTP, as a browser starts a login."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import EXIT_FAILED, add_timeout, flag, invalid, refuse
from .credentials import optional_harbor

if TYPE_CHECKING:
    from ..live.verify import Expected


def expected_of(args: argparse.Namespace) -> Expected:
    """The expectation from a stack file (flags given beside it win), or from the flags."""
    from ..live.verify import EXPECTATION_FIELDS, Expected
    from ..validation import validate

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

    from ..offline.plan import program_config
    from ..offline.stackfile import ProjectError, read_stack
    from ..stack.config import config_key, load

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
                flags.get(a, flag(a))
                for a in sorted(EXPECTATION_FIELDS)
                if config_key(a) in unknown
            )
        )
    return Expected.from_settings(load(values, config.secret_keys).settings)


def run(args: argparse.Namespace) -> int:
    from ..live.http import http_fetch, redact
    from ..live.verify import REQUESTS_PER_RUN, report, servers, verify
    from ..offline.stackfile import ProjectError
    from ..validation import LOGIN_PATH, ConfigError

    if not args.stack and not (args.harbor_url and args.authentik_url):
        return refuse("give --stack, or --harbor-url and --authentik-url")
    try:
        expected = expected_of(args)
    except (ConfigError, ProjectError) as exc:
        # a stack's problems are named by config key already; the command line's by flag
        return invalid(exc, str if args.stack else flag)
    names = ("harbor-sso:authentikUrl", "harbor-sso:harborUrl")
    keys = servers(expected, *(names if args.stack else ("--authentik-url", "--harbor-url")))
    harbor = optional_harbor(expected.login_url.removesuffix(LOGIN_PATH), "verify")
    if isinstance(harbor, int):
        return harbor
    client = http_fetch(
        timeout=args.timeout,
        run_timeout=REQUESTS_PER_RUN * args.timeout,
        credentials=[harbor] if harbor else [],
    )
    checks = verify(expected, client, keys, client.send if harbor else None)
    for line in report(checks):
        print(redact(line, harbor.secrets if harbor else ()), flush=True)
    return 0 if all(c.ok for c in checks) else EXIT_FAILED


def add(commands: Any) -> None:
    v = commands.add_parser(
        "verify",
        help="check a deployment over HTTP: authentik's issuer, Harbor's auth mode and "
        "its OIDC login redirect (exit 1 if a check fails); with HARBOR_PASSWORD set, a "
        "failing login asks Harbor's own view of authentik",
    )
    v.add_argument("--stack", help="stack name: the expectation from stacks/Pulumi.<stack>.yaml")
    v.add_argument("--project-dir", default=".", help="folder holding Pulumi.yaml (default .)")
    v.add_argument("--harbor-url", help="without --stack: Harbor's external URL")
    v.add_argument("--authentik-url", help="without --stack: authentik's public URL")
    v.add_argument("--slug", help="without --stack: the application slug (default harbor)")
    v.add_argument("--client-id", help="without --stack: the client ID (default: derived)")
    v.add_argument("--scopes", help="without --stack: comma-separated scopes (default: all four)")
    add_timeout(v, "; the whole run gets five times as long")
    v.set_defaults(run=run)
