"""A browser's session across the two configured servers, for the sign-in check.

Every request goes through the live tools' bounded client (live/http.py: deadlines per
request and per run, a size cap, credentials kept out of every message). On top of it:
cookies, kept per server and sent only back to it; redirects, followed only between the
two configured servers (a third is a failure, never a request). What it holds (cookies,
the URLs of a redirect with their code and state) is never shown: a URL is shown as its
server and path only.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..transport import origin
from .http import NoAnswer, Response, Send, no_answer

MAX_REDIRECTS = 10
REDIRECTS = (301, 302, 303, 307, 308)


class Offsite(Exception):
    """A redirect to a server that is neither of the configured two."""

    def __init__(self, url: str) -> None:
        super().__init__(shown(url))
        self.server = origin(url)


def shown(url: str) -> str:
    """A URL as it may be printed: server and path, never its query (codes, states)."""
    parts = urlsplit(url)
    return f"{origin(url)}{parts.path}"


def redirected_to(url: str, response: Response) -> str:
    """The absolute URL a redirect answer to ``url`` points at; "" without a Location."""
    location = response.headers.get("Location")  # pragma: no mutate (names are case-blind)
    return urljoin(url, location) if location else ""


class Browser:
    def __init__(
        self, send: Send, servers: Collection[str], keys: Mapping[str, str] | None = None
    ) -> None:
        """``servers``: the origins (transport.origin) of the only servers visited;
        ``keys``: origin -> the key or flag its URL comes from (for what failed)."""
        self._send = send
        self.keys = dict(keys or {})
        # one jar per server visited: its keys are the only servers there are
        self._jar: dict[str, dict[str, str]] = {server: {} for server in servers}
        self._held: dict[str, None] = {}  # every value ever set, in order

    def cookie(self, url: str, name: str) -> str | None:
        return self._jar.get(origin(url), {}).get(name)

    def secrets(self) -> list[str]:
        """Every cookie value held, those replaced or expired since included: never to be
        shown."""
        return list(self._held)

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response | NoAnswer:
        server = origin(url)
        if server not in self._jar:
            raise Offsite(url)
        jar = self._jar[server]
        sent = dict(headers or {})
        if jar:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        try:
            response = self._send(method, url, body, sent)
        except (OSError, ValueError) as exc:
            return no_answer(method, shown(url), exc)  # the query can hold a code or state
        self._keep(server, response)
        return response

    def post_json(
        self, url: str, value: Any, headers: Mapping[str, str] | None = None
    ) -> Response | NoAnswer:
        body = json.dumps(value).encode()
        return self.request(
            "POST", url, body, {"Content-Type": "application/json", **(headers or {})}
        )

    def follow(self, url: str, until: str | None = None) -> tuple[str, Response | NoAnswer]:
        """GET ``url`` and the redirects after it, between the two servers only; stop at
        an answer that is no redirect, or at a redirect to a URL starting with ``until``
        (not requested). Returns the last URL and its answer."""
        for _ in range(MAX_REDIRECTS):
            response = self.request("GET", url)
            if not isinstance(response, Response) or response.status not in REDIRECTS:
                return url, response
            target = redirected_to(url, response)
            if not target:
                return url, response
            if until is not None and target.startswith(until):
                return target, response
            url = target
        return url, NoAnswer(f"more than {MAX_REDIRECTS} redirects from {shown(url)}")

    def _keep(self, server: str, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            try:
                parsed = SimpleCookie(header)
            except CookieError:
                continue
            for name, morsel in parsed.items():
                gone = morsel["max-age"] in ("0", "-1") or not morsel.value
                if gone:
                    self._jar[server].pop(name, None)
                else:
                    self._jar[server][name] = morsel.value
                    self._held[morsel.value] = None
