"""What both API stand-ins share: a JSON request handler that logs every exchange, and
a loopback server that can be stopped and started again on the same port (a server
that goes down mid-deploy and comes back)."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Exchange:
    """One request as the server saw it, and its answer's status."""

    method: str
    path: str
    query: dict[str, list[str]]
    body_keys: tuple[str, ...]
    status: int
    agent: str

    def line(self) -> str:
        """`METHOD path -> status`."""
        return f"{self.method} {self.path} -> {self.status}"

    def wire(self) -> str:
        return wire_line(
            self.method,
            self.path,
            {key: values[0] if len(values) == 1 else values for key, values in self.query.items()},
            self.status,
            self.body_keys,
        )


def wire_line(
    method: str, path: str, query: dict[str, Any], status: int, body_keys: Iterable[str]
) -> str:
    """A request as ../shared/reference/wire/README.md lists it: the query's values (a
    repeated key's as a list), and a write's body keys, sorted."""
    shown = "&".join(f"{key}={value}" for key, value in query.items())
    line = f"{method} {path}{'?' + shown if shown else ''} -> {status}"
    if method in ("POST", "PUT"):
        line += "  body keys: " + ", ".join(sorted(body_keys))
    return line


@dataclass
class Log:
    exchanges: list[Exchange] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    """Exceptions of the stand-in itself: a test that sees one has found a bug here."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, exchange: Exchange) -> None:
        with self.lock:
            self.exchanges.append(exchange)


class JsonHandler(BaseHTTPRequestHandler):
    """Parses path, query and JSON body; ``answer`` is set by the subclass's route."""

    log_to: Log

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def route(self) -> None:
        raise NotImplementedError

    def answer(self) -> None:
        """The route's answer; a fault of the stand-in itself is a 500 that says so.

        A server that is :meth:`Server.hang_up` reads the request and closes the
        connection unanswered, logged with status 0: what the held-out recording shows for
        a Harbor core stopped behind its front proxy (wire/17-fault-up-harbor-down)."""
        if self.command != "GET":
            time.sleep(getattr(self.server, "write_latency", 0.0))
        if getattr(self.server, "hanging_up", False):
            self.setup_request()
            self.close_connection = True
            self._log(0)
            return
        try:
            self.route()
        except Exception as exc:
            self.log_to.faults.append(f"{self.command} {self.path}: {exc!r}")
            self.send_json(500, {"detail": f"stand-in fault: {exc!r}"})

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def setup_request(self) -> tuple[str, dict[str, list[str]], Any]:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw.strip() else None
        except ValueError:
            body = raw.decode(errors="replace")
        self._exchange = (parts.path, parse_qs(parts.query, keep_blank_values=True), body)
        return self._exchange

    def send_json(
        self, status: int, value: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        body = b"" if value is None else (json.dumps(value) + "\n").encode()
        self.send_response(status)
        if value is not None:
            self.send_header("Content-Type", "application/json")
        for key, header in (headers or {}).items():
            self.send_header(key, header)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self._log(status)

    def _log(self, status: int) -> None:
        path, query, request = getattr(self, "_exchange", (self.path, {}, None))
        keys = tuple(sorted(request)) if isinstance(request, dict) else ()
        self.log_to.add(
            Exchange(self.command, path, query, keys, status, self.headers.get("User-Agent", ""))
        )


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that refuses the certificate or hangs up is no fault of the stand-in."""


class Server:
    """A ThreadingHTTPServer on loopback that keeps its port across a stop and a start;
    over HTTPS with ``tls`` (a server context whose certificate names `localhost`)."""

    def __init__(self, handler: type[JsonHandler], tls: ssl.SSLContext | None = None) -> None:
        self.handler, self.tls = handler, tls
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}" if self.tls else f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        server = _Quiet(("127.0.0.1", self.port), self.handler)
        if self.tls:  # the handshake in the handler's thread, not in the accepting loop
            server.socket = self.tls.wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def hang_up(self, on: bool = True) -> None:
        """Keep listening, but close every connection unanswered (status 0 in the log)."""
        assert self._server is not None
        self._server.hanging_up = on  # type: ignore[attr-defined]

    def slow_writes(self, seconds: float) -> None:
        """Answer every write only after ``seconds``: a real server's writes take time, and
        what a failure elsewhere leaves unstarted depends on it (the engine stops
        starting steps once one fails)."""
        assert self._server is not None
        self._server.write_latency = seconds  # type: ignore[attr-defined]

    def stop(self) -> None:
        """Down: connections to the port are refused until :meth:`start`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
