"""Real servers on loopback for ``harbor-sso verify``.

authentik: ``oidc-provider-mock`` (a real OpenID provider from PyPI), mounted where
authentik serves a provider, ``/application/o/<slug>/``. The mock names its issuer after
the host root; authentik (issuer mode ``per_provider``) names it after the provider's
path, so the stand-in publishes that one unless ``issuer`` says otherwise.

Harbor: the two endpoints ``verify`` reads, behaving as Harbor's core does:
``/api/v2.0/systeminfo`` reports the auth mode; ``/c/oidc/login`` fetches the OIDC
endpoint's discovery document, refuses a mismatched issuer (as go-oidc does) and
redirects to ``authorization_endpoint`` with the configured client, callback and scopes.
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
import threading
import urllib.request
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import trustme
import werkzeug.serving
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from harbor_sso.validation import MANAGED_SCOPES

from .harbor_api import core_roots, fetch_issuer

with warnings.catch_warnings():
    # oidc-provider-mock imports authlib modules that authlib deprecates, and authlib
    # installs an "always" filter for those warnings on import: ours goes in front of it.
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore")
    import oidc_provider_mock

DISCOVERY = ".well-known/openid-configuration"
INTERNAL_ERROR = b'{"errors":[{"code":"UNKNOWN","message":"internal server error"}]}\n'
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no request log in test output
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _not_found(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


def _with_issuer(app: WsgiApp, issuer: Callable[[], str]) -> WsgiApp:
    """Publish ``issuer()`` in the discovery document, as authentik names it."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").endswith(DISCOVERY):
            return app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda _data: None

        document = json.loads(b"".join(app(environ, capture)))
        document["issuer"] = issuer()
        body = json.dumps(document).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    return wrapped


@dataclass
class Authentik:
    base: str
    slug: str

    @property
    def endpoint(self) -> str:
        """The provider's issuer in authentik's form, trailing slash included."""
        return f"{self.base}/application/o/{self.slug}/"


@dataclass(frozen=True)
class Tls:
    """Certificates for the stand-ins: the server side, and a client that trusts its CA."""

    server: ssl.SSLContext
    client: ssl.SSLContext
    ca_pem: str
    """The CA in PEM, for SSL_CERT_FILE."""


def tls_for(*names: str) -> Tls:
    """A fresh CA (trustme) and a server certificate for ``names``."""
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return Tls(server, client, ca.cert_pem.bytes().decode())


def _base(tls: Tls | None, port: int) -> str:
    return f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}"


@contextmanager
def authentik_stand_in(
    slug: str = "harbor",
    issuer: str | Callable[[str], str] | None = None,
    tls: Tls | None = None,
) -> Iterator[Authentik]:
    """oidc-provider-mock at ``/application/o/<slug>``; ``issuer`` overrides the published
    one, or maps the real one (`<base>/application/o/<slug>/`) to what is published."""
    prefix = f"/application/o/{slug}"
    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, _not_found, threaded=True, ssl_context=tls.server if tls else None
    )
    stand_in = Authentik(_base(tls, server.server_port), slug)

    def published() -> str:
        if callable(issuer):
            return issuer(stand_in.endpoint)
        return issuer or stand_in.endpoint

    provider = _with_issuer(oidc_provider_mock.app().wsgi_app, published)
    server.app = DispatcherMiddleware(_not_found, {prefix: provider})
    with _serving(server):
        yield stand_in


@dataclass
class HarborConfig:
    """What ``ConfigAuth`` sets, plus the external URL Harbor builds its callback from."""

    oidc_endpoint: str
    client_id: str
    scopes: list[str] = field(default_factory=lambda: list(MANAGED_SCOPES))
    auth_mode: str = "oidc_auth"
    callback: str | None = None
    """Overrides ``<harbor>/c/oidc/callback``, as a wrong ``ext_endpoint`` would."""
    core_has_ca: bool = True
    """Harbor core trusts the stand-ins' CA (over TLS); False: only the system's roots."""
    admin_password: str = ""
    """The admin's password for the OIDC ping; "" refuses every caller."""


@dataclass
class Harbor:
    url: str
    config: HarborConfig


@contextmanager
def harbor_stand_in(config: HarborConfig, tls: Tls | None = None) -> Iterator[Harbor]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(
            self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def core_trust(self) -> ssl.SSLContext:
            if tls is not None and config.core_has_ca:
                return tls.client
            if not config.core_has_ca:
                return core_roots()
            return ssl.create_default_context()

        def do_POST(self) -> None:
            # swagger pingOIDC; handler/oidc.go `PingOIDC`: system admins only
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            admin = base64.b64encode(f"admin:{config.admin_password}".encode()).decode()
            if self.path != "/api/v2.0/system/oidc/ping":
                self._send(404, b'{"errors":[{"code":"NOT_FOUND"}]}')
            elif not config.admin_password or self.headers.get("Authorization") != f"Basic {admin}":
                self._send(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}')
            elif fetch_issuer(
                str(body.get("url")), self.core_trust() if body.get("verify_cert") else None
            ) != body.get("url"):
                self._send(
                    400,
                    b'{"errors":[{"code":"BAD_REQUEST","message":"failed to verify connection"}]}',
                )
            else:
                self._send(200)

        def do_GET(self) -> None:
            if self.path == "/api/v2.0/systeminfo":
                info = {"auth_mode": config.auth_mode, "harbor_version": "v2.13.0-stand-in"}
                self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"})
            elif self.path == "/c/oidc/login" and config.auth_mode == "oidc_auth":
                self._login()
            else:
                self._send(404, b'{"errors":[{"code":"NOT_FOUND"}]}')

        def _login(self) -> None:
            discovery_url = config.oidc_endpoint.rstrip("/") + "/" + DISCOVERY
            try:
                with urllib.request.urlopen(  # noqa: S310 (loopback test server)
                    discovery_url, timeout=5, context=self.core_trust()
                ) as answer:
                    document = json.load(answer)
            except OSError:
                document = {}
            if document.get("issuer") != config.oidc_endpoint:
                # go-oidc's NewProvider fails (no document, or another issuer); Harbor logs
                # why and answers every 5xx the same (src/lib/http/error.go `SendError`)
                self._send(500, INTERNAL_ERROR, {"Content-Type": "application/json"})
                return
            query = urlencode(
                {
                    "client_id": config.client_id,
                    "redirect_uri": config.callback or f"{harbor.url}/c/oidc/callback",
                    "response_type": "code",
                    "scope": " ".join(config.scopes),
                    "state": "stand-in-state",
                }
            )
            self._send(302, headers={"Location": f"{document['authorization_endpoint']}?{query}"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls:
        server.socket = tls.server.wrap_socket(server.socket, server_side=True)
    harbor = Harbor(_base(tls, server.server_address[1]), config)
    with _serving(server):
        yield harbor


@contextmanager
def _serving(server: Any) -> Iterator[None]:
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
