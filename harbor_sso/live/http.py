"""The live tools' HTTP client: bounded in time and size, credentials sent to their own
API alone and kept out of every message; JSON read as Go's `encoding/json` reads it (the
servers' clients are Go programs). GETs, and the few POSTs that change nothing (Harbor's
OIDC ping) or that a browser's login makes; never a redirect followed on its own."""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from ..text import printable as text_printable
from ..transport import TransportFailure, from_exception

DEFAULT_TIMEOUT = 10.0

_USERINFO = re.compile(r"(//)[^/@\s'\"]*@")


def printable(text: str) -> str:
    """Server text made safe for a terminal: control, bidi and zero-width characters
    escaped (no escape sequence reaches it), credentials in URLs redacted, length bounded."""
    return text_printable(_USERINFO.sub(r"\1[redacted]@", text))  # at most MAX_SHOWN long


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    """Case-insensitive, as HTTP header names are."""
    body: bytes


Fetch = Callable[[str], Response]
"""A GET."""
Send = Callable[[str, str, bytes | None, Mapping[str, str] | None], Response]
"""(method, url, body, extra headers) -> the answer."""


@dataclass(frozen=True)
class Client:
    """A bounded client: called with a URL it GETs (a :data:`Fetch`); ``send`` does the
    rest."""

    send: Send

    def __call__(self, url: str) -> Response:
        return self.send("GET", url, None, None)


MAX_BODY = 1 << 20
"""A discovery document or Harbor's systeminfo is a few KiB; more is not read."""
MAX_TIMEOUT = 300.0
DEFAULT_RUN_REQUESTS = 3
"""Without a ``run_timeout``, a run may take this many request timeouts (verify's run:
discovery, systeminfo, login)."""


class AnswerTooLarge(ValueError):
    """The server sent more than :data:`MAX_BODY`."""


class CredentialWithheld(OSError):
    """A request failed with a message that held a credential: the message is dropped."""


def _authorization(value: str) -> dict[str, str]:
    return {"Authorization": value}  # pragma: no mutate (header names are case-blind)


@dataclass(frozen=True)
class Credential:
    """Headers sent only to URLs under ``base`` (no other host, port or scheme sees them).

    ``secrets`` are the values never to show: the header values and what they encode.
    """

    base: str
    headers: Mapping[str, str]
    secrets: tuple[str, ...]

    @classmethod
    def bearer(cls, base: str, token: str) -> Credential:
        """authentik's API token: ``Authorization: Bearer <token>``."""
        value = f"Bearer {token}"
        return cls(base.rstrip("/"), _authorization(value), (token, value))

    @classmethod
    def basic(cls, base: str, username: str, password: str) -> Credential:
        """HTTP basic authentication (RFC 7617), as Harbor's API takes an admin's password."""
        raw = f"{username}:{password}".encode()
        encoded = base64.b64encode(raw).decode("ascii")  # pragma: no mutate (case-blind codec)
        value = f"Basic {encoded}"
        return cls(base.rstrip("/"), _authorization(value), (password, encoded, value))

    def applies_to(self, url: str) -> bool:
        return url == self.base or url.startswith(self.base + "/")


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every non-empty secret replaced."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def http_fetch(
    timeout: float = DEFAULT_TIMEOUT,
    context: ssl.SSLContext | None = None,
    run_timeout: float | None = None,
    credentials: Sequence[Credential] = (),
) -> Client:
    """Requests without following redirects, TLS verified (``SSL_CERT_FILE`` adds a CA).

    Bounded: each request must complete within ``timeout`` seconds and all of them
    within ``run_timeout`` (default :data:`DEFAULT_RUN_REQUESTS` x ``timeout``), however
    slowly a server sends; at most :data:`MAX_BODY` bytes are read.

    ``credentials`` add their headers to requests under their base URL (the longest
    base that applies wins). No exception leaving a request names a credential.
    """
    tls = context or ssl.create_default_context()
    run_ends = time.monotonic() + (
        run_timeout if run_timeout is not None else DEFAULT_RUN_REQUESTS * timeout
    )
    # as given, and as a message would quote them (repr of str or bytes escapes them)
    secrets = tuple(
        form
        for c in credentials
        for s in c.secrets
        # a shorter slice is a substring of these: it could only withhold more
        for form in (s, repr(s)[1:-1], repr(s.encode())[2:-1])  # pragma: no mutate
        if form
    )

    def send(
        method: str, url: str, body: bytes | None, extra: Mapping[str, str] | None
    ) -> Response:
        seconds = min(timeout, run_ends - time.monotonic())
        if seconds <= 0:  # pragma: no mutate (exactly 0 s left: either way it is up)
            raise TimeoutError("the run's time is up")
        applying = [c for c in credentials if c.applies_to(url)]
        headers = max(applying, key=lambda c: len(c.base)).headers if applying else {}
        try:
            return _bounded_request(method, url, seconds, tls, {**headers, **(extra or {})}, body)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            if any(s in str(exc) or s in repr(exc.args) for s in secrets):
                raise CredentialWithheld(
                    f"{type(exc).__name__} (its message held a credential: withheld)"
                ) from None
            raise

    return Client(send)


def _bounded_request(
    method: str,
    url: str,
    seconds: float,
    tls: ssl.SSLContext,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> Response:
    parts = urlsplit(url)
    # pragma: no mutate start (URLs here always have a host; the socket timeout bounds
    # connect(), before the watchdog has a socket: no loopback peer can stall a connect)
    host, port = parts.hostname or "", parts.port
    conn: http.client.HTTPConnection = (
        http.client.HTTPSConnection(host, port, timeout=seconds, context=tls)
        if parts.scheme == "https"
        else http.client.HTTPConnection(host, port, timeout=seconds)
    )
    # pragma: no mutate end
    # A socket timeout bounds each read, not the answer: a server sending a byte a second
    # would never time out. The watchdog shuts the socket at the deadline instead.
    expired = threading.Event()

    def shut() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # pragma: no mutate (the socket may be gone)
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(seconds, shut)
    watchdog.daemon = True  # pragma: no mutate (never outlives the request: cancelled below)
    watchdog.start()
    try:
        # pragma: no mutate start (every URL here has a path and no query; Accept is a
        # courtesy both APIs ignore; one byte past the cap, or two, tells the same)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request(
            method, target, body, headers={"Accept": "application/json", **(headers or {})}
        )
        answer = conn.getresponse()
        body = answer.read(MAX_BODY + 1)
        # pragma: no mutate end
        if len(body) > MAX_BODY:
            raise AnswerTooLarge(f"the answer is larger than {MAX_BODY} bytes")
        if answer.length:  # read(amt) returns short when the server closes early
            raise http.client.IncompleteRead(body, answer.length)
    except (OSError, http.client.HTTPException):
        if expired.is_set():
            raise TimeoutError(f"no complete answer within {seconds:g} s") from None
        raise
    finally:
        watchdog.cancel()
        conn.close()
    if expired.is_set():  # what the watchdog cut short is no answer, even if it parsed
        raise TimeoutError(f"no complete answer within {seconds:g} s")
    return Response(answer.status, answer.headers, body)


@dataclass(frozen=True)
class NoAnswer:
    """Why a request got no HTTP answer; ``transport`` says what failed, when it is a
    certificate, a connection, a name or a timeout (harbor_sso/transport.py)."""

    text: str
    transport: TransportFailure | None = None

    def __str__(self) -> str:
        return self.text


def get(fetch: Fetch, url: str) -> Response | NoAnswer:
    """The answer, or why there is none."""
    try:
        return fetch(url)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return no_answer("GET", url, exc)


def no_answer(method: str, url: str, exc: Exception) -> NoAnswer:
    # timeouts, refused connections and TLS failures are OSErrors; a garbage status
    # line, too many or too long headers and a cut body are HTTPExceptions
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = f"{exc.reason}: {exc.verify_message}"  # e.g. "Hostname mismatch, ..."
    else:
        reason = str(exc)
    # every exception that reaches here carries a message; the guard is for one that does not
    detail = f": {reason}" if reason else ""  # pragma: no mutate
    return NoAnswer(
        f"{method} {url} failed: {type(exc).__name__}{detail}", from_exception(exc, url)
    )


class NotJson(ValueError):
    """A body that is not UTF-8 JSON; ``detail`` says how, when more than "not JSON"."""

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail
        super().__init__(detail or "it is not JSON")


_BOMS = (
    (b"\xef\xbb\xbf", "UTF-8"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


def decode_json(body: bytes) -> Any:
    """``body`` as JSON read the way Harbor's Go client (``encoding/json``) reads it.

    Python's ``json.loads`` guesses UTF-16 and UTF-32 from a byte-order mark or NUL
    bytes; Go's ``json.Unmarshal`` does not: a BOM is "invalid character" and so is the
    NUL of UTF-16. Invalid UTF-8 inside a string Go turns into U+FFFD, so such an issuer
    never equals the configured one; saying "not UTF-8" names the cause instead.
    Raises :class:`NotJson`.
    """
    for mark, name in _BOMS:
        if body.startswith(mark):
            raise NotJson(f"it starts with a {name} byte-order mark, which JSON readers refuse")
    try:
        text = body.decode("utf-8")  # pragma: no mutate (codec names are case-blind)
    except UnicodeDecodeError as exc:
        raise NotJson(
            f"it is not UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON (NULs of UTF-16 too), or nested too deep
        raise NotJson from None


def json_of(response: Response | NoAnswer) -> Any:
    """The JSON of a 200 answer; None for any other answer, or a body that is not JSON."""
    if isinstance(response, NoAnswer) or response.status != 200:
        return None
    try:
        return decode_json(response.body)
    except ValueError:  # NotJson is one
        return None


def get_json(fetch: Fetch, url: str, what: str) -> dict[str, Any] | str | NoAnswer:
    """The JSON object at ``url``, or why there is none (``what`` names the one expected)."""
    response = get(fetch, url)
    if isinstance(response, NoAnswer):
        return response
    missing = f"GET {url} answered {response.status} without {what}"
    if response.status != 200:
        return missing
    try:
        value = decode_json(response.body)
    except NotJson as exc:
        return f"{missing}: {exc.detail}" if exc.detail else missing
    return value if isinstance(value, dict) else missing
