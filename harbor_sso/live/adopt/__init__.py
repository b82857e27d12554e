"""``harbor-sso adopt``: the stack config that takes a hand-made setup over, as it is.

Harbor identifies an OIDC user by issuer and ``sub``: a new slug is a new issuer, a new
``sub_mode`` a new ``sub``, a new provider new credentials. So the component imports the
live objects (``adopt``: :class:`harbor_sso.validation.Adopt`) and keeps client ID, client
secret, slug and sub_mode. This reads the live pair (live/reading.py: one GET per thing,
read-only, the bounded HTTP layer) and derives every config value from it, so that the
import is followed by no update, except where the component always sets
something else (the strict callback, the issuer with its slash): those are listed, in
words, as the intended updates of the first ``pulumi up``.

The client secret is read (it is what the provider holds) but never printed nor written:
only a command that pipes it into ``pulumi config set --secret`` is, or, with ``--set``,
the ``pulumi`` CLI gets it on stdin. The derivation is :mod:`.derive`, what is printed
and written :mod:`.output`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ...validation import Settings
from ..doctor import REQUESTS_PER_RUN as DOCTOR_REQUESTS
from ..doctor import authentik as authentik_checks
from ..http import Fetch
from ..reading import Reader, find_application, project_members, scope_mappings
from ..reading import bindings as read_bindings
from .adoption import AdoptFailed, Adoption, Difference
from .derive import derive, memberships
from .output import compare_stack, read_stack_file, render, set_secret, write_stack_file

__all__ = [
    "REQUESTS_PER_RUN",
    "AdoptFailed",
    "Adoption",
    "Difference",
    "read_adoption",
    "run_adopt",
]

MAX_PROJECTS = 20
REQUESTS_PER_RUN = DOCTOR_REQUESTS + 2 * MAX_PROJECTS
"""doctor's reads, and two per project (the project, its members)."""


def read_adoption(
    fetch: Fetch,
    settings: Settings,
    client_id: str | None = None,
    projects: Sequence[str] = (),
    secrets: Sequence[str] = (),
    keys: Mapping[str, str] | None = None,
) -> Adoption:
    """Read the live pair; the config that adopts it and the differences, in words.
    ``keys`` name the flag each server's URL comes from.

    Raises :class:`AdoptFailed` when a thing to adopt cannot be read."""
    reader = Reader(fetch, settings, dict(keys or {}))
    found = find_application(reader, client_id)
    config = reader.get(f"{reader.harbor_api}/configurations")
    failed = [f.line() for f in authentik_checks.application(found, client_id)]
    if config.why or not isinstance(config.value, dict):
        fix = f" Fix: {config.fix}" if config.fix else ""
        failed.append(
            f"FAIL  Harbor API: {config.why or 'the configuration is not a JSON object'}{fix}"
        )
    app, provider = found.app, found.provider
    if app is None or provider is None or not isinstance(config.value, dict):
        raise AdoptFailed([line for line in failed if line.startswith("FAIL")])
    bindings, why = read_bindings(reader, app)
    if bindings is None:
        raise AdoptFailed([f"FAIL  policy bindings: {why}"])
    out = derive(settings, app, provider, config.value, scope_mappings(reader, provider), bindings)
    for project in projects[:MAX_PROJECTS]:
        members = project_members(reader, project)
        if isinstance(members, str):
            raise AdoptFailed([members])
        memberships(out, project, *members)
    return out.result()


def run_adopt(
    fetch: Fetch,
    settings: Settings,
    args: Any,
    secrets: Sequence[str] = (),
    keys: Mapping[str, str] | None = None,
) -> str:
    """The command: read, compare with ``--stack-file``, write it or print the lines."""
    adoption = read_adoption(fetch, settings, args.client_id, args.project, secrets, keys)
    extra: list[Difference] = []
    stack_file: Path | None = args.stack_file
    if stack_file is not None:
        extra = compare_stack(adoption, read_stack_file(stack_file))
        write_stack_file(stack_file, adoption)
    if args.set:
        set_secret(adoption, args.stack, stack_file.parent.parent if stack_file else None)
    return render(
        adoption,
        authentik_api=settings.authentik_url + "/api/v3",
        stack=args.stack,
        stack_file=stack_file,
        extra=extra,
        secret_set=args.set,
        secrets=secrets,
    )
