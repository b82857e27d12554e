"""One application slug per authentik, however many provider objects reach it.

authentik refuses a second application with the same slug (HTTP 400 "application with
this slug already exists"), mid-deploy. An authentik is its public URL, the issuer's
base: two provider objects for the same authentik (one per environment in one program,
say) still share its slugs.
"""

from __future__ import annotations

import weakref

from pulumi.runtime import settings as runtime_settings

from .validation import ConfigError

# One table per resource monitor, so separate programs (and tests) never share claims.
_CLAIMS: weakref.WeakKeyDictionary[object, dict[tuple[str, str], str]] = weakref.WeakKeyDictionary()


def claim_slug(authentik_url: str, slug: str, component: str) -> None:
    """Claim ``slug`` on the authentik at ``authentik_url`` (normalised) for ``component``;
    refuse it, before anything is registered, when another component holds it."""
    monitor = runtime_settings.get_monitor()
    claims = _CLAIMS.setdefault(monitor, {}) if monitor is not None else {}
    other = claims.setdefault((authentik_url, slug), component)
    if other != component:
        raise ConfigError(
            [
                (
                    "slug",
                    f"{slug!r} is already the slug of component {other!r} on the same "
                    f"authentik ({authentik_url}); application slugs are unique in "
                    "authentik, so give each component its own",
                )
            ]
        )
