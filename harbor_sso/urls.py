"""Harbor's and authentik's base URLs: normalised, and the pasted mistakes refused.

A user coming from authentik's guide pastes the URL they see there: Harbor's callback,
an application's issuer, a discovery document. Each is refused with the base URL to use,
since the component appends those paths itself and would otherwise deploy
`.../c/oidc/callback/c/oidc/callback`.
"""

from __future__ import annotations

import encodings.idna
import re
from typing import Final
from urllib.parse import urlsplit, urlunsplit

from .text import controls, invisibles, scripts

LABEL_MAX: Final = 63
HOST_MAX: Final = 253
# Paths under a base URL that name something of the product, not the product itself.
# Harbor: src/core routes (/c/oidc/*, /c/login), the API (/api/v2.0), the UI (/harbor,
# /account). authentik: the OAuth2 endpoints (/application/o/*), the UI (/if/*), the API
# (/api/v3), flows (/flows), health (/-/).
_HARBOR_PATHS: Final = re.compile(r"/(c/(oidc|login|log_out)|api/v2\.0|harbor|account)(/|$)")
_AUTHENTIK_PATHS: Final = re.compile(r"/(application/(o|saml)|if|api/v3|flows|-|\.well-known)(/|$)")
_WHAT: Final = {
    "harbor": "a page or API of Harbor, not its external URL",
    "authentik": "an endpoint of authentik (an application's issuer, a discovery document, "
    "the UI or the API), not authentik's URL",
}


def normalise(value: str, product: str) -> str:
    """``value`` as a base URL: scheme and host lower case, no trailing slash; raises
    ValueError naming the problem (``product`` is "harbor" or "authentik")."""
    bad = controls(value)
    if bad:
        raise ValueError(f"must not contain control characters ({bad})")
    if any(ch.isspace() for ch in value):
        raise ValueError("must not contain white space")
    if "?" in value or "#" in value:
        raise ValueError("must not have a query or a fragment")
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError("must be an http(s) URL such as https://host.example")
    if not parts.hostname:
        raise ValueError("must name a host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not carry credentials")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError("has an invalid port") from exc
    if port == 0:
        raise ValueError("has port 0, which no server listens on")
    host = parts.hostname.lower()
    _check_host(host)  # an IP address passes it too
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    path = parts.path.rstrip("/")
    pasted = (_HARBOR_PATHS if product == "harbor" else _AUTHENTIK_PATHS).search(path)
    if pasted:
        base = urlunsplit((scheme, netloc, path[: pasted.start()], "", ""))
        raise ValueError(f"is {_WHAT[product]}: use {base!r}, the component adds the paths")
    return urlunsplit((scheme, netloc, path, "", ""))


def _check_host(host: str) -> None:
    hidden = invisibles(host)
    if hidden:
        raise ValueError(f"has invisible characters in its host ({hidden})")
    if len(host) > HOST_MAX:
        raise ValueError(f"has a host name longer than {HOST_MAX} characters")
    labels = host.split(".")
    if host.endswith("."):
        labels.pop()  # a trailing dot: a fully qualified name
    for label in labels:
        if not label:
            raise ValueError("has an empty label in its host name ('..')")
        if len(label) > LABEL_MAX:
            raise ValueError(f"has a host label longer than {LABEL_MAX} characters")
        # The socket layer encodes a host with the IDNA codec (RFC 3490); an `xn--` label
        # must also decode as Punycode, or no DNS name matches it.
        try:
            ascii_label = encodings.idna.ToASCII(label)
            if ascii_label.lower().startswith(b"xn--"):
                encodings.idna.ToUnicode(ascii_label)
        except UnicodeError:
            raise ValueError(f"has a host label that cannot be IDNA-encoded: {label!r}") from None


def mixed_scripts(url: str) -> list[str]:
    """The host labels of ``url``, a URL :func:`normalise` took, that mix scripts (a
    Cyrillic 'a', U+0430, among Latin letters looks like the real host and is another
    one); punycode is decoded first (normalise checked that it decodes)."""
    host = urlsplit(url).hostname or ""  # pragma: no mutate (normalise requires a host)
    mixed = []
    for label in host.split("."):
        # pragma: no mutate start (codec names are case-blind)
        shown = label.encode("ascii").decode("idna") if label.startswith("xn--") else label
        # pragma: no mutate end
        if len(scripts(shown)) > 1:
            mixed.append(shown)
    return mixed
