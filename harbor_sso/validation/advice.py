"""Valid arguments that are probably not what was meant: warnings, each naming the
argument as its reader wrote it."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import urls
from ..naming import argument_name
from ..text import scripts
from .errors import Problem
from .fields import group_filter_matches

if TYPE_CHECKING:
    from .models import Settings


def advise(settings: Settings) -> list[Problem]:
    """Valid but probably not what was meant: (argument, message), in a stable order."""
    found: list[Problem] = []
    for field in ("harbor_url", "authentik_url"):
        parts = urlsplit(getattr(settings, field))
        host = parts.hostname or ""  # pragma: no mutate (validated: there is a host)
        if parts.scheme == "http" and not _is_loopback(host):
            found.append(
                (
                    field,
                    f"http:// to {parts.hostname}, not this machine: tokens and the client "
                    "secret would cross the network unencrypted; use https://",
                )
            )
        for label in urls.mixed_scripts(getattr(settings, field)):
            found.append(
                (
                    field,
                    f"host label {label!r} mixes scripts ({', '.join(scripts(label))}): "
                    "it may look like another host than the one it is",
                )
            )
    if "offline_access" not in settings.scopes:
        found.append(
            (
                "scopes",
                "'offline_access' is not requested, so authentik issues no refresh token "
                "and Harbor's CLI secret for `docker login` dies with the token",
            )
        )
    admin = settings.admin_group
    if admin is not None and settings.allowed_groups and admin not in settings.allowed_groups:
        found.append(
            (
                "admin_group",
                f"group {admin!r} is not in {argument_name('allowed_groups')}: its members "
                "cannot log in, so Harbor has no OIDC administrator"
                + _same_but_case(admin, settings.allowed_groups),
            )
        )
    found += _case_twins("allowed_groups", settings.allowed_groups)
    for project, groups in sorted(settings.project_roles.items()):
        found += _case_twins(f"project_roles.{project}", tuple(groups))
    if settings.primary_auth_mode:
        found.append(
            (
                "primary_auth_mode",
                "is one-way: the Harbor provider never sends false (terraform-provider-"
                "harbor models/config.go, omitempty), so setting it false or removing it "
                "later leaves OIDC Harbor's primary login; turn it off in Harbor's "
                "Configuration page then",
            )
        )
    if settings.application_icon is not None:
        found.append(
            (
                "application_icon",
                "authentik 2025.12 and later removed the endpoint the pinned Terraform "
                "provider sets icons with (set_icon_url answers 405): on those versions "
                "every `pulumi up` that sets it fails; leave it unset there",
            )
        )
    for project, group, _ in settings.memberships:
        where = f"project_roles.{project}.{group}"
        if settings.allowed_groups and group not in settings.allowed_groups:
            found.append(
                (
                    where,
                    f"group {group!r} is not in {argument_name('allowed_groups')}: its "
                    "members cannot log in",
                )
            )
        if settings.group_filter is not None and not group_filter_matches(
            settings.group_filter, group
        ):
            found.append(
                (
                    where,
                    f"group {group!r} does not match {argument_name('group_filter')} "
                    f"{settings.group_filter!r}: "
                    "Harbor never attaches it to a user, so the role never applies",
                )
            )
    return found


def _same_but_case(name: str, names: tuple[str, ...]) -> str:
    twins = [n for n in names if n.casefold() == name.casefold()]
    return f" (did you mean {twins[0]!r}?)" if twins else ""


def _case_twins(field: str, names: tuple[str, ...]) -> list[Problem]:
    """Names that differ only in case: two groups to authentik, probably one meant."""
    seen: dict[str, str] = {}
    found: list[Problem] = []
    for name in names:
        first = seen.setdefault(name.casefold(), name)
        if first != name:
            found.append((field, f"groups {first!r} and {name!r} differ only in case: two groups"))
    return found


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
