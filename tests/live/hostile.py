"""A raw HTTP server on loopback that answers whatever bytes a test tells it to.

For `verify` against broken and hostile servers. Every connection reads the request,
then runs ``respond``; responders stop as soon as the client goes away, and are bounded
in bytes and time, so nothing here can run long.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

Respond = Callable[[socket.socket], None]


def send(raw: bytes) -> Respond:
    def respond(conn: socket.socket) -> None:
        conn.sendall(raw)

    return respond


def drip(head: bytes, every: float, most: int) -> Respond:
    """``head``, then one byte each ``every`` seconds, ``most`` of them at the most."""

    def respond(conn: socket.socket) -> None:
        conn.sendall(head)
        for _ in range(most):
            time.sleep(every)
            conn.sendall(b"x")

    return respond


def slow(answer: bytes, delay: float) -> Respond:
    """``answer`` after ``delay`` seconds."""

    def respond(conn: socket.socket) -> None:
        time.sleep(delay)
        conn.sendall(answer)

    return respond


def flood(head: bytes, chunk: int, most_bytes: int) -> Respond:
    """``head``, then zeros until the client stops reading or ``most_bytes`` are sent."""

    def respond(conn: socket.socket) -> None:
        conn.sendall(head)
        block = b"0" * chunk
        for _ in range(most_bytes // chunk):
            conn.sendall(block)

    return respond


@contextmanager
def raw_server(respond: Respond) -> Iterator[tuple[str, list[Respond]]]:
    """`http://127.0.0.1:<port>` and a one-item list holding the responder (swappable)."""
    current = [respond]
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn, suppress(OSError):
            conn.settimeout(5)
            conn.recv(65536)
            current[0](conn)
            conn.shutdown(socket.SHUT_WR)

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", current
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
