"""The models' HTTP client: JSON over urllib, with each Go client's way of failing and
Go's way of finding the roots it trusts.

Both Terraform providers use Go's net/http (terraform-provider-authentik
`pkg/provider/provider.go` `GetTLSTransport`, terraform-provider-harbor
`client/client.go` `sendRequestWithHeaders`), with the system roots and no CA option of
their own. A failure reads as Go's `*url.Error` does: `Put "http://…": dial tcp
127.0.0.1:N: connect: connection refused`, `Get "https://…": tls: failed to verify
certificate: x509: certificate signed by unknown authority` (crypto/tls
`CertificateVerificationError`, crypto/x509 `UnknownAuthorityError`).
"""

from __future__ import annotations

import functools
import json
import os
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CERT_FILES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
)
"""crypto/x509 root_linux.go `certFiles`: the first readable one is read."""
CERT_DIRECTORIES = ("/etc/ssl/certs", "/etc/pki/tls/certs")
"""root_linux.go `certDirectories`: every file in each is read."""


@functools.cache
def go_roots() -> ssl.SSLContext:
    """The roots a Go program trusts on Linux (crypto/x509 root_unix.go
    `loadSystemRoots`): `SSL_CERT_FILE` instead of the bundle files, when set; then every
    file of `SSL_CERT_DIR` (colon-separated) or of the default directories. Hostnames are
    verified."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    given = os.environ.get("SSL_CERT_FILE")
    for name in [given] if given else CERT_FILES:
        try:
            context.load_verify_locations(cafile=name)
            break
        except (OSError, ssl.SSLError):
            continue
    directories = os.environ.get("SSL_CERT_DIR")
    for directory in directories.split(":") if directories else CERT_DIRECTORIES:
        for path in sorted(Path(directory).glob("*")) if Path(directory).is_dir() else []:
            try:
                context.load_verify_locations(cafile=str(path))
            except (OSError, ssl.SSLError, ValueError):
                continue  # not a certificate
    return context


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None


class Unreachable(Exception):
    """No HTTP answer at all; the text is Go's for the same failure."""


@dataclass
class Client:
    base: str
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, method: str, path: str, body: Any = None, query: str = "") -> Answer:
        url = self.base + path + (f"?{query}" if query else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 (http to loopback, by construction)
            url, data=data, method=method, headers=self.headers
        )
        try:
            with urllib.request.urlopen(  # noqa: S310 (the same request)
                request, timeout=30, context=go_roots() if url.startswith("https:") else None
            ) as response:
                return Answer(
                    response.status,
                    response.reason,
                    response.read().decode(),
                    dict(response.headers),
                )
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, exc.reason, exc.read().decode(), dict(exc.headers))
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise Unreachable(go_error(method, url, exc)) from None


UNKNOWN = (18, 19, 20, 21)
"""OpenSSL's verify results for a chain to no trusted root: Go's unknown authority. (Go
checks the host name first; the stand-ins' certificates always name `localhost`, so the
two agree on every certificate used here.)"""


def go_error(method: str, url: str, exc: Exception) -> str:
    """net/http's `*url.Error` text: `Op "URL": cause` (Op is the method, title-cased)."""
    parts = urlsplit(url)
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        cause = f"dial tcp {parts.hostname}:{parts.port}: connect: connection refused"
    elif isinstance(reason, ssl.SSLCertVerificationError) and reason.verify_code in UNKNOWN:
        cause = "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    elif isinstance(reason, ConnectionResetError | ConnectionAbortedError):
        cause = "EOF"
    else:
        cause = str(reason)
    return f'{method.title()} "{url}": {cause}'
