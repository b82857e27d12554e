"""The component's resource options, checked before anything is registered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import pulumi

from .validation import ConfigError, suggestion

PROVIDER_KEYS: Final = ("authentik", "harbor")
"""The `opts.providers` keys the component reads: the packages of its children."""


def check_providers(opts: pulumi.ResourceOptions | None) -> None:
    """An unknown key in a `providers` mapping is a typo: Pulumi would silently use the
    default provider for that package, and the Harbor SDK's default has TLS off."""
    providers = opts.providers if opts is not None else None
    if not isinstance(providers, Mapping):
        return  # a list names each provider's package itself
    problems = []
    for key in sorted(k for k in providers if k not in PROVIDER_KEYS):
        meant = suggestion(str(key), PROVIDER_KEYS)
        hint = f"; did you mean {meant!r}?" if meant else ""
        problems.append(
            (
                f"opts.providers[{key!r}]",
                f"unknown provider key{hint} The component takes 'authentik' and 'harbor'",
            )
        )
    if problems:
        raise ConfigError(problems)


def adopting(opts: pulumi.ResourceOptions, import_id: str | None) -> pulumi.ResourceOptions:
    """``opts`` importing the existing object ``import_id`` (no change when None).

    pulumi/pulumi pkg/resource/deploy/step_generator.go `generateResourceSteps`: a goal
    with an ID is an import only while the state holds no resource of that URN with that
    import ID; once imported, the same option is a no-op and the usual diff applies.
    """
    if import_id is None:
        return opts
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(import_=import_id))
