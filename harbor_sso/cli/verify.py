"""``harbor-sso verify``: a deployment checked over HTTP, as a browser starts a login."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import EXIT_FAILED, add_timeout, flag, invalid, refuse
from .credentials import authentik, from_environment, optional_harbor

if TYPE_CHECKING:
    from ..live.http import Send
    from ..live.sign_in import SignIn
    from ..live.sign_in.flow import Login
    from ..live.verify import Expected, Keys
    from ..validation import Settings


def expected_of(args: argparse.Namespace) -> tuple[Expected, Settings | None]:
    """The expectation from a stack file (flags given beside it win), or from the flags;
    and the stack's settings, with a stack."""
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
        return Expected.from_settings(validate(given)), None

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
    settings = load(values, config.secret_keys).settings
    return Expected.from_settings(settings), settings


def run(args: argparse.Namespace) -> int:
    from ..live.http import http_fetch, redact
    from ..live.verify import REQUESTS_PER_RUN, Check, report, servers, verify
    from ..offline.stackfile import ProjectError
    from ..validation import LOGIN_PATH, ConfigError

    if not args.stack and not (args.harbor_url and args.authentik_url):
        return refuse("give --stack, or --harbor-url and --authentik-url")
    try:
        expected, stack = expected_of(args)
    except (ConfigError, ProjectError) as exc:
        # a stack's problems are named by config key already; the command line's by flag
        return invalid(exc, str if args.stack else flag)
    login = sign_in_login(args, stack) if args.sign_in is not None else None
    if isinstance(login, int):
        return login
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
    admin = client.send if harbor else None
    checks = verify(expected, client, keys, admin)
    secrets = list(harbor.secrets) if harbor else []
    started = all(c.ok for c in checks if c.name == "Harbor login redirect")
    if login is not None and not started:
        checks.append(Check("sign-in", False, "not tried: Harbor's login does not redirect"))
    elif login is not None:
        done = run_sign_in(args, expected, login, keys, admin, stack)
        checks += done.checks
        secrets += done.secrets
    for line in report(checks):
        print(redact(line, secrets), flush=True)
    return 0 if all(c.ok for c in checks) else EXIT_FAILED


def sign_in_login(args: argparse.Namespace, stack: Settings | None) -> Login | int:
    """The account to sign in with; its password from the environment only."""
    from ..live.sign_in.flow import Login

    if not args.sign_in or not args.sign_in.isprintable():
        return refuse("--sign-in needs a username of printable characters")
    env = from_environment(("HARBOR_SSO_SIGN_IN_PASSWORD",), f"--sign-in {args.sign_in!r}")
    if isinstance(env, int):
        return env
    allowed = stack.allowed_groups if stack else None
    return Login(args.sign_in, env["HARBOR_SSO_SIGN_IN_PASSWORD"], allowed)


def run_sign_in(
    args: argparse.Namespace,
    expected: Expected,
    login: Login,
    keys: Keys,
    admin: Send | None,
    stack: Settings | None,
) -> SignIn:
    """The sign-in, with a client of its own that carries no API credential (the flow
    executor is under authentik's /api/v3: a token there would sign in as its owner);
    the user's groups read from authentik when AUTHENTIK_TOKEN is set."""
    import os

    from ..live.http import http_fetch
    from ..live.sign_in import REQUESTS, groups_of, sign_in

    browser = http_fetch(timeout=args.timeout, run_timeout=REQUESTS * args.timeout)
    groups = None
    if os.environ.get("AUTHENTIK_TOKEN"):
        env = from_environment(("AUTHENTIK_TOKEN",), "verify")
        if isinstance(env, dict):
            authentik_url = expected.issuer.split("/application/o/", 1)[0]
            reader = http_fetch(timeout=args.timeout, credentials=[authentik(authentik_url, env)])
            groups = groups_of(reader, authentik_url, login.user)
    done = sign_in(expected, login, browser.send, keys, admin, groups, stack)
    done.secrets += [os.environ.get("AUTHENTIK_TOKEN", "")]
    return done


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
    v.add_argument(
        "--sign-in",
        metavar="USER",
        help="then sign USER in through Harbor's OIDC button, as a browser does, and get a "
        "registry token with the CLI secret, as docker login does; the password from "
        "HARBOR_SSO_SIGN_IN_PASSWORD (never a flag); with AUTHENTIK_TOKEN set, the user's "
        "groups are read from authentik to check the admin flag and project roles",
    )
    add_timeout(v, "; the whole run gets five times as long (the sign-in, 40 times)")
    v.set_defaults(run=run)
