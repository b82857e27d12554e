"""The transport vocabulary: Go's error texts (the provider plugins) and Python's
exceptions (the live tools) read as one kind of failure each, with a fix true on the
platform it runs on.

The Go texts are what Go 1.24 and 1.26 print, taken from crypto/x509 verify.go,
crypto/tls, net/url and net (each checked against a Go client on loopback while this was
written); the real plugins pass them on inside their own words
(terraform-provider-authentik pkg/provider/utils.go `httpToDiag`, terraform-provider-harbor
client/client.go, data_project.go).
"""

from __future__ import annotations

import socket
import ssl

import pytest

from harbor_sso.transport import (
    TransportFailure,
    by_server,
    from_exception,
    from_go_error,
    origin,
    remedy,
)
from tests.live.hostile import raw_server, send


@pytest.mark.parametrize(
    ("text", "kind", "server", "cause"),
    [
        (
            'HTTP Error \'Get "https://ak.lab:9443/api/v3/flows/instances/?slug=x": tls: failed '
            "to verify certificate: x509: certificate signed by unknown authority' without "
            "http response: ",
            "untrusted",
            "https://ak.lab:9443",
            "certificate signed by unknown authority",
        ),
        (
            'Get "https://ak.lab/x": tls: failed to verify certificate: x509: certificate signed '
            'by unknown authority (possibly because of "x509: ECDSA verification failure" while '
            'trying to verify candidate authority certificate "Lab Root CA")',
            "untrusted",
            "https://ak.lab:443",
            'certificate signed by unknown authority (possibly because of "x509: ECDSA '
            'verification failure" while trying to verify candidate authority certificate '
            '"Lab Root CA")',
        ),
        (
            "invoking harbor:index/getProject:getProject: 1 error occurred:\n\t* Get "
            '"https://harbor.lab/api/v2.0/projects?name=team": tls: failed to verify '
            "certificate: x509: certificate is valid for auth.lab, localhost, not harbor.lab\n\n",
            "wrong-name",
            "https://harbor.lab:443",
            "certificate is valid for auth.lab, localhost, not harbor.lab",
        ),
        (
            'Get "https://127.0.0.1:8443/x": tls: failed to verify certificate: x509: cannot '
            "validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
            "wrong-name",
            "https://127.0.0.1:8443",
            "cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
        ),
        (
            'Get "https://ak.lab/x": tls: failed to verify certificate: x509: certificate has '
            "expired or is not yet valid: current time 2026-12-07T15:13:00Z is after "
            "2020-01-02T00:00:00Z",
            "expired",
            "https://ak.lab:443",
            "certificate has expired or is not yet valid: current time 2026-12-07T15:13:00Z is "
            "after 2020-01-02T00:00:00Z",
        ),
        (
            'Put "http://127.0.0.1:1/api/v2.0/configurations": dial tcp 127.0.0.1:1: connect: '
            "connection refused",
            "refused",
            "http://127.0.0.1:1",
            "connect: connection refused",
        ),
        (
            'Get "https://nosuch.invalid/x": dial tcp: lookup nosuch.invalid on '
            "10.255.255.53:53: no such host",
            "no-such-host",
            "https://nosuch.invalid:443",
            "lookup nosuch.invalid on 10.255.255.53:53: no such host",
        ),
        (
            'Get "http://127.0.0.1:33659/x": context deadline exceeded (Client.Timeout exceeded '
            "while awaiting headers)",
            "timeout",
            "http://127.0.0.1:33659",
            "context deadline exceeded",
        ),
        (
            'Get "https://127.0.0.1:38207/x": net/http: TLS handshake timeout',
            "timeout",
            "https://127.0.0.1:38207",
            "net/http: TLS handshake timeout",
        ),
        (
            'Get "https://127.0.0.1:8080/x": http: server gave HTTP response to HTTPS client',
            "not-tls",
            "https://127.0.0.1:8080",
            "server gave HTTP response to HTTPS client",
        ),
        ('Put "http://h.lab/api/v2.0/configurations": EOF', "closed", "http://h.lab:80", "EOF"),
    ],
)
def test_go_texts_read_as_their_failure(text: str, kind: str, server: str, cause: str) -> None:
    assert from_go_error(text) == TransportFailure(kind, server, cause)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "No matching groups found: ",
        "HTTP Error '403 Forbidden' during request 'GET /api/v3/core/groups/': \"{}\": ",
        'Get "https://ak.lab/x": proxyconnect tcp: something new',
        "x509: certificate signed by unknown authority",  # no request named: not ours to place
    ],
)
def test_other_texts_are_no_transport_failure(text: str) -> None:
    assert from_go_error(text) is None


def test_the_server_is_scheme_host_and_port_never_a_path_or_query() -> None:
    assert origin("https://ak.lab/api/v3/x?token=1") == "https://ak.lab:443"
    assert origin("http://[::1]:8080/a") == "http://[::1]:8080"
    assert by_server(
        ("https://a.lab/", "--authentik-url"),
        ("https://a.lab:443/x", "--harbor-url"),
        ("http://h.lab", "k"),
    ) == {
        "https://a.lab:443": "--authentik-url and --harbor-url",
        "http://h.lab:80": "k",
    }


def test_the_fix_for_a_ca_is_true_on_each_platform() -> None:
    linux, mac = remedy("untrusted", "k", "linux"), remedy("untrusted", "k", "darwin")
    # crypto/x509 root_unix.go reads SSL_CERT_FILE; root_darwin.go reads only the keychain
    assert "SSL_CERT_FILE" in linux and "update-ca-certificates" in linux
    assert "keychain" in mac and "security add-trusted-cert" in mac
    for text in (linux, mac):
        assert "insecure" not in text.lower() and "verification off" not in text


def test_a_line_names_side_server_key_cause_and_fix() -> None:
    failure = TransportFailure("refused", "http://h.lab:80", "connection refused", "Harbor")
    assert failure.line("--harbor-url") == (
        "Harbor reaches no server at http://h.lab:80 (--harbor-url): connection refused. Fix: "
        "check the host and port in --harbor-url, and that the server runs and listens there"
    )
    shown = TransportFailure("closed", "http://h.lab:80", "a\nb\x1b[31m" + "x" * 300)
    assert "\n" not in shown.summary() and "\x1b" not in shown.summary()


def test_python_exceptions_read_as_their_failure() -> None:
    url = "https://h.lab:8443/x?y=z"
    assert from_exception(ConnectionRefusedError(111, "refused"), url) == TransportFailure(
        "refused", "https://h.lab:8443", "connection refused"
    )
    assert from_exception(TimeoutError("no complete answer within 1 s"), url) == TransportFailure(
        "timeout", "https://h.lab:8443", "no complete answer within 1 s"
    )
    found = from_exception(socket.gaierror(socket.EAI_NONAME, "Name or service not known"), url)
    assert found is not None and found.kind == "no-such-host"
    assert from_exception(ValueError("no"), url) is None


def test_tls_to_a_plain_http_server_is_not_tls() -> None:
    with raw_server(send(b"HTTP/1.1 400 Bad Request\r\n\r\n")) as (base, _):
        host, port = base.removeprefix("http://").split(":")
        context = ssl.create_default_context()
        try:
            with socket.create_connection((host, int(port)), timeout=5) as raw:
                context.wrap_socket(raw, server_hostname=host)
        except ssl.SSLError as exc:
            failure = from_exception(exc, f"https://{host}:{port}/")
    assert failure == TransportFailure(
        "not-tls", f"https://{host}:{port}", "the answer is not TLS (wrong version number)"
    )
    assert failure.summary() == (
        f"https://{host}:{port} does not speak TLS: the answer is not TLS (wrong version number)"
    )


def test_what_python_says_too_little_or_too_much_of() -> None:
    url = "https://h.lab:8443/x"
    assert from_exception(TimeoutError(), url) == TransportFailure(
        "timeout", "https://h.lab:8443", "timed out"
    )
    unknown = ssl.SSLCertVerificationError(1, "certificate verify failed")
    unknown.verify_code, unknown.verify_message = 9999, "some new reason"
    assert from_exception(unknown, url) is None  # not one of the kinds: said as it is
    assert from_exception(ssl.SSLError(1, "[SSL: TLSV1_ALERT_INTERNAL_ERROR]"), url) is None
    long = TransportFailure("refused", "https://" + "h" * 300, "c" * 500).summary()
    server, cause = long.removeprefix("this machine reaches no server at ").split(": ")
    assert (len(server), len(cause)) == (120, 200)  # the cause is never cut off by the server
