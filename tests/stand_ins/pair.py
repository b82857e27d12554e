"""An authentik and a Harbor stand-in side by side, and the setups to seed them with."""

from __future__ import annotations

import secrets
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .authentik_api import AuthentikState, authentik_handler
from .harbor_api import HarborState, harbor_handler
from .http import Server


@dataclass
class Pair:
    authentik: AuthentikState
    harbor: HarborState
    harbor_server: Server
    authentik_server: Server

    def requests(self) -> list[tuple[str, str]]:
        return self.authentik.requests + self.harbor.requests


@contextmanager
def api_stand_ins(
    token: str,
    password: str,
    authentik_tls: ssl.SSLContext | None = None,
    harbor_tls: ssl.SSLContext | None = None,
) -> Iterator[Pair]:
    """A fresh authentik and an empty Harbor on loopback, each over HTTPS when given a
    server context; seed them with :func:`seed`."""
    authentik = AuthentikState(token)
    harbor = HarborState(password)
    servers = [
        Server(authentik_handler(authentik), authentik_tls),
        Server(harbor_handler(harbor), harbor_tls),
    ]
    authentik.base, harbor.url = servers[0].url, servers[1].url
    try:
        yield Pair(authentik, harbor, harbor_server=servers[1], authentik_server=servers[0])
    finally:
        for server in servers:
            server.stop()


def seed(
    pair: Pair,
    *,
    old_guide: bool,
    slug: str = "harbor",
    admin_group: str = "",
    scopes: tuple[str, ...] | None = None,
) -> str:
    """The setup as the component makes it, or (``old_guide``) as the older guide's text
    has one make it by hand: redirect URI with a trailing slash, OIDC endpoint without
    one, no ``offline_access`` mapping nor scope. ``scopes`` overrides the scopes either
    way. Returns the client ID."""
    a, h = pair.authentik, pair.harbor
    client_id = "harbor-" + secrets.token_hex(8)
    if scopes is None:
        scopes = ("openid", "email", "profile") + (() if old_guide else ("offline_access",))
    callback = f"{h.url}/c/oidc/callback" + ("/" if old_guide else "")
    provider = a.add_provider(
        client_id,
        redirect_uris=[{"matching_mode": "strict", "url": callback}],
        property_mappings=[a.add_mapping(s) for s in scopes],
    )
    app = a.add_application(slug, provider)
    h.client_secret = a.providers[provider]["client_secret"]
    endpoint = f"{a.base}/application/o/{slug}" + ("" if old_guide else "/")
    h.config.update(
        auth_mode="oidc_auth",
        oidc_name="authentik",
        oidc_endpoint=endpoint,
        oidc_client_id=client_id,
        oidc_scope=",".join(scopes),
        oidc_verify_cert=True,
        oidc_auto_onboard=True,
        oidc_user_claim="preferred_username",
        oidc_groups_claim="groups",
        oidc_admin_group=admin_group,
    )
    if not old_guide:
        a.bind_group(app, a.add_group("harbor-users"))
        if admin_group:
            a.add_group(admin_group)
    return client_id
