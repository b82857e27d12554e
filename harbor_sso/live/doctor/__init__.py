"""``harbor-sso doctor``: a read-only diagnosis of a live authentik + Harbor pair.

It reads what the pair holds once (live/reading.py), then judges it: authentik's side
(:mod:`.authentik`) and Harbor's (:mod:`.harbor`), each check a function from what was
read to findings (:mod:`.findings`), set against what the component would set and what a
login needs. Nothing is written.

Why plain HTTP and not authentik's generated client ``authentik-client`` (PyPI 2026.8.x):
it would bypass the bounded HTTP layer (per-request and per-run deadlines, 1 MiB cap, no
redirects, credentials kept out of every message); ``import authentik_client`` takes
about 9.5 s (its ``__init__`` imports every model, measured 2026-12-01, see
domain-facts); and its pydantic models check enums strictly, so a server newer than the
client (a new ``sub_mode``, ``client_type`` or ``redirect_uri_type``) would fail the read
instead of being reported. Doctor reads a dozen fields; plain JSON is enough.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...validation import Settings
from ..http import Fetch, Send
from ..ping import REQUESTS as PING_REQUESTS
from ..reading import MAX_MAPPINGS, MAX_USERS, Reader, read_pair
from . import authentik, harbor
from .findings import Finding, report

FIXED_REQUESTS = 10 + PING_REQUESTS
"""application, provider (and its look-up by client ID), bindings, version, discovery,
Harbor's configuration, system information and users, the admin group; Harbor's OIDC
ping, twice at most."""
REQUESTS_PER_RUN = FIXED_REQUESTS + MAX_MAPPINGS + MAX_USERS
"""The run's deadline is this many request timeouts."""

__all__ = ["REQUESTS_PER_RUN", "Finding", "diagnose", "report"]


def diagnose(
    fetch: Fetch,
    settings: Settings,
    client_id: str | None = None,
    secrets: Sequence[str] = (),
    keys: Mapping[str, str] | None = None,
    send: Send | None = None,
) -> list[Finding]:
    """Every finding about the pair, authentik's side first. ``keys`` name the flag each
    server's URL comes from; ``send`` lets Harbor be asked its own view (its OIDC ping)."""
    reading = read_pair(Reader(fetch, settings, dict(keys or {}), send), client_id)
    found = reading.found
    findings = authentik.application(found, client_id)
    harbor_found, external_url = harbor.harbor_api(reading, settings)
    findings += harbor_found
    if found.provider is not None:
        findings += authentik.redirects(found.provider, external_url)
        findings += authentik.client(found.provider)
        findings += authentik.mappings(found.provider, reading.mappings)
        findings += authentik.tokens(found.provider)
    if found.app is not None:
        findings += authentik.who_may_log_in(found.app, reading.bindings)
        findings += authentik.version(found.app, reading.version)
    findings += harbor.harbor(reading, settings)
    return findings
