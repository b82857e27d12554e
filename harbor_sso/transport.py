"""A request that got no HTTP answer: which server, what failed, and what to do.

One vocabulary for every place a URL is fetched: the provider plugins' look-ups in the
stack program (their errors are Go's text), and the live tools' own requests (Python's
exceptions). Each failure names the side that failed (this machine, or Harbor), the
server (scheme, host and port; never a path or query), the cause in a few words, and a
remedy that is true on this platform.

The texts recognised are Go's (the plugins: terraform-provider-authentik
`pkg/provider/utils.go` `httpToDiag` and terraform-provider-harbor `client/client.go`
pass net/http's `*url.Error` on as it is): `Get "<url>": <cause>` (net/url `Error`),
`tls: failed to verify certificate: x509: ...` (crypto/tls `CertificateVerificationError`;
crypto/x509 verify.go `UnknownAuthorityError`, `HostnameError`, `CertificateInvalidError`),
`dial tcp ...: connect: connection refused`, `lookup <host> ...: no such host`
(net `DNSError`), timeouts (`Client.Timeout exceeded`, `context deadline exceeded`,
`i/o timeout`, `TLS handshake timeout`). Python's are `ssl.SSLCertVerificationError` with
OpenSSL's verify codes, and the socket errors.
"""

from __future__ import annotations

import re
import socket
import ssl
import sys
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlsplit

from .text import printable

Kind = Literal[
    "untrusted", "wrong-name", "expired", "refused", "no-such-host", "timeout", "closed", "not-tls"
]
Side = Literal["this machine", "Harbor"]

PROVIDER_URLS: Final = {
    "authentik": "the authentik provider's url",
    "harbor": "the Harbor provider's url",
}
"""What a look-up's transport failure is named by when nothing better is known: the
stack program names its config keys instead (harbor_sso/stack/program.py)."""


@dataclass(frozen=True)
class TransportFailure:
    kind: Kind
    server: str
    """scheme://host:port, as the request named it."""
    cause: str
    """What failed, in the failing library's words, short."""
    side: Side = "this machine"

    def summary(self, key: str | None = None) -> str:
        """Side, server, (the key to look at,) the cause: what failed, in one clause."""
        server, cause = printable(self.server, limit=120), printable(self.cause, limit=200)
        what = {
            "untrusted": f"{self.side} does not trust the certificate of {server}",
            "wrong-name": f"the certificate of {server} is not for that name",
            "expired": f"the certificate of {server} is not valid now",
            "refused": f"{self.side} reaches no server at {server}",
            "no-such-host": f"{self.side} cannot resolve the host of {server}",
            "timeout": f"{server} did not answer {self.side} in time",
            "closed": f"{server} closed the connection from {self.side} without an answer",
            "not-tls": f"{server} does not speak TLS",
        }[self.kind]
        return f"{what}{f' ({key})' if key else ''}: {cause}"

    def fix(self, key: str) -> str:
        return remedy(self.kind, key)

    def line(self, key: str) -> str:
        """One line: what failed, then the fix."""
        return f"{self.summary(key)}. Fix: {self.fix(key)}"


def origin(url: str) -> str:
    """scheme://host:port of ``url``, the port spelled out."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port}"


def by_server(*urls_and_keys: tuple[str, str]) -> dict[str, str]:
    """Server -> the key(s) its URL comes from; two keys on one server are named together."""
    keys: dict[str, str] = {}
    for url, key in urls_and_keys:
        server = origin(url)
        keys[server] = f"{keys[server]} and {key}" if server in keys else key
    return keys


def remedy(kind: Kind, key: str, platform: str = sys.platform) -> str:
    """What to do on this machine, for ``platform`` (``sys.platform``)."""
    if kind == "untrusted":
        if platform == "darwin":
            # crypto/x509 root_darwin.go: Go asks the keychain and reads no file or
            # variable; python.org's Python has its own OpenSSL and reads SSL_CERT_FILE
            return (
                "give this Mac the CA: the Go provider plugins trust only the keychain "
                "(sudo security add-trusted-cert -d -r trustRoot -k "
                "/Library/Keychains/System.keychain ca.pem); harbor-sso's own checks read "
                "SSL_CERT_FILE=<a PEM bundle holding the CA>"
            )
        # crypto/x509 root_unix.go: SSL_CERT_FILE replaces the bundle file, the
        # /etc/ssl/certs directory is still read; Python's ssl reads SSL_CERT_FILE alone
        return (
            "give this machine the CA: export SSL_CERT_FILE=<a PEM bundle holding the CA "
            "and the public roots, e.g. the system bundle with the CA appended> (the Go "
            "provider plugins and harbor-sso both read it), or add the CA to the system "
            "store (Debian/Ubuntu: /usr/local/share/ca-certificates/ and "
            "update-ca-certificates; RHEL/Fedora: /etc/pki/ca-trust/source/anchors/ and "
            "update-ca-trust)"
        )
    return {
        "wrong-name": f"put the host name the certificate is issued for in {key}, or "
        "reissue the certificate with this host name among its subject alternative names",
        "expired": "renew the server's certificate (or correct this machine's clock)",
        "refused": f"check the host and port in {key}, and that the server runs and listens there",
        "no-such-host": f"check the host name in {key}, and this machine's DNS",
        "timeout": f"check {key}, and any firewall or proxy on the way (HTTPS_PROXY, NO_PROXY)",
        "closed": f"check that {key} is the server's own URL and scheme, and any proxy on the way",
        "not-tls": f"use http:// in {key}, or the server's HTTPS port",
    }[kind]


# -- Go's text (the provider plugins) ---------------------------------------------------

_GO_URL_ERROR = re.compile(r'\b(?:Get|Put|Post|Patch|Delete|Head) "([^"]+)": (.*)', re.DOTALL)
_GO_CAUSES: Final[tuple[tuple[re.Pattern[str], Kind], ...]] = (
    (re.compile(r"x509: (certificate signed by unknown authority[^\n]*)"), "untrusted"),
    (
        re.compile(
            r"x509: ((?:certificate is (?:valid for|not valid for any names)|cannot validate "
            r"certificate for|certificate relies on legacy Common Name)[^\n]*)"
        ),
        "wrong-name",
    ),
    (re.compile(r"x509: (certificate has expired or is not yet valid[^\n]*)"), "expired"),
    (re.compile(r"(connect: connection refused)"), "refused"),
    (re.compile(r"(lookup \S+?(?: on \S+)?: no such host)"), "no-such-host"),
    (
        re.compile(
            r"(Client\.Timeout exceeded[^)]*|context deadline exceeded|i/o timeout|"
            r"net/http: TLS handshake timeout)"
        ),
        "timeout",
    ),
    (re.compile(r"(server gave HTTP response to HTTPS client)"), "not-tls"),
    (re.compile(r"\b(EOF|connection reset by peer)\b"), "closed"),
)


def from_go_error(text: str) -> TransportFailure | None:
    """The failure a Go HTTP client reported in ``text`` (a plugin's error), if any."""
    found = _GO_URL_ERROR.search(text)
    if found is None:
        return None
    url, rest = found.groups()
    for pattern, kind in _GO_CAUSES:
        cause = pattern.search(rest)
        if cause:
            return TransportFailure(kind, origin(url), _short(cause.group(1)))
    return None


def _short(cause: str) -> str:
    # httpToDiag quotes the Go error: `HTTP Error '<it>' without http response: `
    return cause.split("' without http response")[0].strip()


# -- Python's exceptions (the live tools) -----------------------------------------------

_OPENSSL_KINDS: Final[dict[int, Kind]] = {
    # OpenSSL x509_vfy.h: the verify results Python's ssl reports as verify_code
    9: "expired",  # not yet valid
    10: "expired",
    18: "untrusted",  # self-signed certificate
    19: "untrusted",  # self-signed certificate in certificate chain
    20: "untrusted",  # unable to get local issuer certificate
    21: "untrusted",  # unable to verify the first certificate
    62: "wrong-name",  # hostname mismatch
    64: "wrong-name",  # IP address mismatch
}


def from_exception(exc: BaseException, url: str) -> TransportFailure | None:
    """The failure a Python request to ``url`` met, if it is a transport one."""
    server = origin(url)
    if isinstance(exc, ssl.SSLCertVerificationError):
        kind = _OPENSSL_KINDS.get(exc.verify_code)
        return TransportFailure(kind, server, str(exc.verify_message)) if kind else None
    if isinstance(exc, ssl.SSLError) and "WRONG_VERSION_NUMBER" in str(exc):
        return TransportFailure("not-tls", server, "the answer is not TLS (wrong version number)")
    if isinstance(exc, ConnectionRefusedError):
        return TransportFailure("refused", server, "connection refused")
    if isinstance(exc, socket.gaierror):
        return TransportFailure("no-such-host", server, f"name resolution failed ({exc.strerror})")
    if isinstance(exc, TimeoutError):
        return TransportFailure("timeout", server, str(exc) or "timed out")
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError):
        return TransportFailure("closed", server, str(exc) or type(exc).__name__)
    return None
