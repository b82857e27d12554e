"""Harbor's own view of authentik: its OIDC ping, asked with and without verification.

`POST /api/v2.0/system/oidc/ping` with `{"url", "verify_cert"}` (swagger `pingOIDC`,
system administrators only) makes Harbor core fetch `<url>/.well-known/openid-configuration`
with go-oidc's `NewProvider`, which also compares the issuer with the URL
(goharbor/harbor v2.14 src/server/v2.0/handler/oidc.go `PingOIDC`, src/pkg/oidc/helper.go
`TestEndpoint`). It answers 200, or 400 "failed to verify connection" without the cause
(the cause goes to the core log). It changes nothing. Asked a second time without
verification, it tells "cannot reach" from "does not trust the certificate".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from .http import NoAnswer, Response, Send, no_answer, printable

PING_PATH = "/api/v2.0/system/oidc/ping"
REQUESTS = 2
"""At most: verified, then unverified."""

Verdict = Literal["PASS", "WARN", "FAIL"]

HARBOR_CA_FIX = (
    "give Harbor core the CA and restart core: with the Helm chart, caBundleSecretName "
    "(a Secret whose key ca.crt holds the CA; goharbor/harbor-helm values.yaml, mounted at "
    "/harbor_cust_cert/custom-ca.crt and appended to core's trust store at start, "
    "install_cert.sh); with the offline installer, storage_service.ca_bundle in harbor.yml, "
    "then ./prepare (it is shared into /harbor_cust_cert of every component, core "
    "included); check also that the certificate names the host Harbor reaches authentik by"
)
HARBOR_REACH_FIX = (
    "from Harbor core's host or pod, fetch <endpoint>.well-known/openid-configuration: check "
    "DNS, routes and firewalls, Harbor's http_proxy/https_proxy/no_proxy (harbor.yml "
    "proxy.components, or the chart's proxy values), and that the issuer authentik publishes "
    "is exactly the endpoint Harbor holds"
)


@dataclass(frozen=True)
class Pinged:
    verified: Response | NoAnswer
    unverified: Response | NoAnswer | None = None


def ping(send: Send, harbor_url: str, endpoint: str, verify_cert: bool) -> Pinged:
    """Ask Harbor to reach ``endpoint`` as its OIDC settings say; once more without
    verification when that fails over HTTPS."""

    def ask(verify: bool) -> Response | NoAnswer:
        url = harbor_url + PING_PATH
        body = json.dumps({"url": endpoint, "verify_cert": verify}).encode()
        try:
            return send("POST", url, body, {"Content-Type": "application/json"})
        except (OSError, ValueError) as exc:
            return no_answer("POST", url, exc)

    first = ask(verify_cert)
    refused = isinstance(first, Response) and first.status == 400
    if refused and verify_cert and endpoint.startswith("https://"):
        return Pinged(first, ask(False))
    return Pinged(first)


def harbor_view(
    pinged: Pinged, endpoint: str, issuer: str | None = None
) -> tuple[Verdict, str, str]:
    """(verdict, what Harbor's answer means, fix) for Harbor reaching ``endpoint``;
    ``issuer``, when known, is what authentik publishes (from this machine)."""
    shown = f"'{printable(endpoint)}'"  # Harbor's own setting: server text
    first = pinged.verified
    if isinstance(first, NoAnswer):
        return "WARN", f"Harbor's OIDC ping could not be asked: {first}", ""
    if first.status == 200:
        return "PASS", f"Harbor core fetches authentik's discovery document at {shown}", ""
    if first.status in (401, 403):
        return (
            "WARN",
            f"Harbor's OIDC ping answered {first.status}: only a system administrator may ask it",
            "set HARBOR_USERNAME/HARBOR_PASSWORD to a Harbor system administrator's",
        )
    if first.status != 400:
        return "WARN", f"Harbor's OIDC ping answered {first.status}", ""
    if issuer is not None and issuer != endpoint:
        return (
            "FAIL",
            f"Harbor refuses {shown}: authentik publishes the issuer "
            f"'{printable(issuer)}', and Harbor compares them exactly",
            f"set oidc_endpoint to '{printable(issuer)}'",
        )
    second = pinged.unverified
    if isinstance(second, Response) and second.status == 200:
        return (
            "FAIL",
            f"Harbor does not trust authentik's certificate at {shown}: Harbor core "
            "reaches it only with verification off, so every login fails",
            HARBOR_CA_FIX,
        )
    return (
        "FAIL",
        f"Harbor cannot reach authentik at {shown} (network, DNS, proxy, or an issuer "
        "that does not match it): every login fails",
        HARBOR_REACH_FIX.replace("<endpoint>", printable(endpoint)),
    )
