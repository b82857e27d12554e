"""API credentials from the environment: checked, never echoed, never in a message."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .common import refuse

if TYPE_CHECKING:
    from ..live.http import Credential

DEFAULT_USERNAME = "admin"


def _unusable(variable: str, value: str) -> bool:
    # a header cannot carry these; the value itself is never shown
    return (
        not value.isprintable()
        or value != value.strip()
        or (variable == "HARBOR_USERNAME" and ":" in value)
    )


def from_environment(needed: Sequence[str], command: str) -> dict[str, str] | int:
    """The variables in ``needed`` (HARBOR_USERNAME defaults to admin), or the exit
    status of a missing or unusable one."""
    found = {}
    for variable in needed:
        value = os.environ.get(variable, "")
        if variable == "HARBOR_USERNAME":
            value = value or DEFAULT_USERNAME
        if not value:
            return refuse(f"set {variable} ({command} needs it)")
        if _unusable(variable, value):
            return refuse(f"{variable} holds characters no HTTP header can carry")
        found[variable] = value
    return found


def authentik(authentik_url: str, env: dict[str, str]) -> Credential:
    from ..live.http import Credential

    return Credential.bearer(authentik_url + "/api/v3", env["AUTHENTIK_TOKEN"])


def harbor(harbor_url: str, env: dict[str, str]) -> Credential:
    from ..live.http import Credential

    return Credential.basic(
        harbor_url + "/api/v2.0", env["HARBOR_USERNAME"], env["HARBOR_PASSWORD"]
    )


def optional_harbor(harbor_url: str, command: str) -> Credential | int | None:
    """Harbor's admin credentials when HARBOR_PASSWORD is set, None when it is not, or
    the exit status of unusable ones."""
    if not os.environ.get("HARBOR_PASSWORD"):
        return None
    env = from_environment(("HARBOR_USERNAME", "HARBOR_PASSWORD"), command)
    return env if isinstance(env, int) else harbor(harbor_url, env)
