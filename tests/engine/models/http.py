"""The models' HTTP client: JSON over urllib, with each Go client's way of failing.

A refused connection reads as Go's `*url.Error` does (`Put "http://…": dial tcp
127.0.0.1:N: connect: connection refused`): both Terraform providers use Go's net/http.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


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
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the same request)
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


def go_error(method: str, url: str, exc: Exception) -> str:
    """net/http's `*url.Error` text: `Op "URL": cause` (Op is the method, title-cased)."""
    parts = urlsplit(url)
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        cause = f"dial tcp {parts.hostname}:{parts.port}: connect: connection refused"
    elif isinstance(reason, ConnectionResetError | ConnectionAbortedError):
        cause = "EOF"
    else:
        cause = str(reason)
    return f'{method.title()} "{url}": {cause}'
