"""Harbor's OIDC login, as a browser meets it: the button, the callback with the real
code exchange against authentik's token endpoint, the session, and what the session may
read; `docker login`'s token service.

Modelled on goharbor/harbor v2.14.4:
- `/c/oidc/login` (src/core/controllers/oidc.go `RedirectLogin`): 412 outside
  `oidc_auth` (`Prepare`); the provider built from the discovery document (go-oidc
  `NewProvider`: fetched with core's roots unless `oidc_verify_cert` is off, its issuer
  equal to `oidc_endpoint`), else 500; state and a PKCE S256 verifier kept in the
  session (cookie `sid`); 302 to the authorize endpoint with `client_id`,
  `redirect_uri=<external URL>/c/oidc/callback`, `response_type=code`, the scopes, state
  and the challenge (src/pkg/oidc/helper.go `AuthCodeURL`).
- `/c/oidc/callback` (`Callback`): 400 "State mismatch"; the code exchanged with basic
  auth first, then with the secret in the form (golang.org/x/oauth2 `AuthStyleAutoDetect`),
  a refusal 400 with oauth2's text (`RetrieveError`); the ID token verified (go-oidc:
  signature by the JWKS, issuer, audience, expiry), else 500; the username from
  `oidc_user_claim`, groups from `oidc_groups_claim` through `oidc_group_filter`
  (`filterGroup`: Go's regexp, unanchored), admin when `oidc_admin_group` is among them
  (helper.go `userInfoFromClaims`); then the user found by sub and issuer or onboarded
  (harbor_api.py `oidc_login`: 409 for a name taken); 302 to "/" with a new session.
- Every 5xx answers `{"errors":[{"code":"UNKNOWN","message":"internal server error"}]}`
  (src/lib/http/error.go `SendError`).
- `/service/token` (src/core/service/token/token.go): 400 "Unable to handle service: <s>"
  unless `service` is harbor-registry (creator.go; `account`, `client_id` and
  `offline_token`, which docker sends, are not read); basic auth with the user's CLI
  secret (src/pkg/oidc/secret.go `VerifySecret`): 200 with a token; without a valid one
  and no scope, 401 with an empty body.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import ssl
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from harbor_sso.transport import origin

from .authentik_login import respond
from .tokens import BadToken, b64, verify

if TYPE_CHECKING:
    from .harbor_api import HarborState
    from .http import JsonHandler

SESSION = "sid"
INTERNAL = {"errors": [{"code": "UNKNOWN", "message": "internal server error"}]}


def route(h: JsonHandler, state: HarborState, path: str, query: dict[str, list[str]]) -> bool:
    """Serve ``path`` when it is a login page or a session's read; False when not."""
    one = {k: v[0] for k, v in query.items()}
    session = state.sessions.get(cookie(h, SESSION) or "")
    if path == "/c/oidc/login":
        login(h, state, one)
    elif path == "/c/oidc/callback":
        callback(h, state, one, session)
    elif path == "/service/token":
        registry_token(h, state, one)
    elif (
        session
        and session.get("user")
        and h.command == "GET"
        and path
        in (
            "/api/v2.0/users/current",
            "/api/v2.0/projects",
        )
    ):
        if path.endswith("current"):
            user_id = state.users.index(session["user"]) + 1
            user = state.user_json(user_id, meta=True)
            h.send_json(200, {**user, "admin_role_in_auth": session["admin"]})
        else:
            h.send_json(200, projects(state, session["groups"]))
    else:
        return False
    return True


def cookie(h: JsonHandler, name: str) -> str | None:
    for part in (h.headers.get("Cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def provider(state: HarborState) -> dict[str, Any] | None:
    """go-oidc's `NewProvider` from Harbor's settings: the discovery document, or None."""
    endpoint = str(state.config.get("oidc_endpoint", ""))
    document = core_fetch(state, endpoint.rstrip("/") + "/.well-known/openid-configuration")
    if not isinstance(document, dict) or document.get("issuer") != endpoint:
        return None
    return document


def core_fetch(
    state: HarborState, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> Any:
    """JSON as Harbor core fetches it: with its own roots, unless `oidc_verify_cert` is
    off; nothing from a server it has no route to."""
    if origin(url) in state.core_blocked:
        return None
    verifying = state.config.get("oidc_verify_cert", True) is not False
    context = state.core_trust if verifying else ssl._create_unverified_context()  # noqa: S323
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5, context=context) as answer:  # noqa: S310
            return json.load(answer)
    except urllib.error.HTTPError as exc:
        try:
            return {"status": exc.code, **json.load(exc)}
        except ValueError:
            return {"status": exc.code}
    except (OSError, ValueError):
        return None


def login(h: JsonHandler, state: HarborState, params: dict[str, str]) -> None:
    if state.config.get("auth_mode") != "oidc_auth":
        h.send_json(
            412,
            {
                "errors": [
                    {
                        "code": "PRECONDITION_FAILED",
                        "message": f"auth mode: {state.config.get('auth_mode')} is not OIDC based",
                    }
                ]
            },
        )
        return
    found = provider(state)
    if found is None:
        h.send_json(500, INTERNAL)
        return
    sid, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
    state.sessions[sid] = {
        "state": secrets.token_urlsafe(16),
        "verifier": verifier,
        "redirect_url": params.get("redirect_url", ""),
    }
    scopes = str(state.config.get("oidc_scope", "")).split(",")
    query = urlencode(
        {
            "client_id": state.config.get("oidc_client_id", ""),
            "redirect_uri": f"{state.external_url or state.url}/c/oidc/callback",
            "response_type": "code",
            "scope": " ".join(s.strip() for s in scopes if s.strip()),
            "state": state.sessions[sid]["state"],
            "code_challenge": b64(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
        }
    )
    respond(
        h,
        302,
        b"",
        "text/html",
        [
            ("Location", f"{found['authorization_endpoint']}?{query}"),
            ("Set-Cookie", f"{SESSION}={sid}; Path=/; HttpOnly"),
        ],
    )


def callback(
    h: JsonHandler, state: HarborState, params: dict[str, str], session: dict[str, Any] | None
) -> None:
    def error(status: int, message: str) -> None:
        code = {400: "BAD_REQUEST", 409: "UNKNOWN"}.get(status, "UNKNOWN")
        h.send_json(status, {"errors": [{"code": code, "message": message}]})

    if session is None or params.get("state") != session.get("state"):
        error(400, "State mismatch")
        return
    found = provider(state)
    if found is None:
        h.send_json(500, INTERNAL)
        return
    answer = exchange(state, found, params.get("code", ""), session["verifier"])
    if "error" in answer:
        said = json.dumps(answer.get("error_description", ""))
        error(400, f"oauth2: {json.dumps(answer['error'])} {said}")
        return
    jwks = core_fetch(state, found["jwks_uri"])
    try:
        claims = verify(
            str(answer.get("id_token", "")),
            jwks or {},
            str(state.config["oidc_endpoint"]),
            str(state.config["oidc_client_id"]),
        )
    except BadToken:
        h.send_json(500, INTERNAL)
        return
    claim = str(state.config.get("oidc_user_claim") or "name")
    username = str(claims.get(claim, "")).replace(" ", "_")
    pattern = str(state.config.get("oidc_group_filter") or "")
    groups = [
        str(g)
        for g in claims.get(str(state.config.get("oidc_groups_claim") or ""), [])
        if not pattern or re.search(pattern, str(g))
    ]
    status, onboarded = state.oidc_login(username, claims["sub"], claims.get("email"))
    if status == 409:
        error(409, onboarded["errors"][0]["message"])
        return
    if status == 302:
        respond(
            h, 302, b"", "text/html", [("Location", f"/oidc-onboard?username={quote(username)}")]
        )
        return
    del state.sessions[cookie(h, SESSION) or ""]
    sid = secrets.token_urlsafe(24)  # SessionRegenerateID
    state.sessions[sid] = {
        "user": username,
        "groups": groups,
        "admin": state.config.get("oidc_admin_group") in groups,
    }
    respond(
        h,
        302,
        b"",
        "text/html",
        [
            ("Location", session.get("redirect_url") or "/"),
            ("Set-Cookie", f"{SESSION}={sid}; Path=/; HttpOnly"),
        ],
    )


def exchange(state: HarborState, found: dict[str, Any], code: str, verifier: str) -> dict[str, Any]:
    """oauth2's Exchange: basic auth first, then the secret in the form."""
    client_id, secret = str(state.config.get("oidc_client_id", "")), state.client_secret or ""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": f"{state.external_url or state.url}/c/oidc/callback",
    }
    basic = base64.b64encode(f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode())
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    url = found["token_endpoint"]
    answer = core_fetch(
        state,
        url,
        urlencode(form).encode(),
        {"Authorization": f"Basic {basic.decode()}", **form_type},
    )
    if isinstance(answer, dict) and "error" in answer:
        form.update(client_id=client_id, client_secret=secret)
        answer = core_fetch(state, url, urlencode(form).encode(), form_type)
    return answer if isinstance(answer, dict) else {"error": "server_error"}


def projects(state: HarborState, groups: list[str]) -> list[dict[str, Any]]:
    """handler/project.go `ListProjects` for a user: public ones and those their groups
    are members of, with `current_user_role_ids`."""
    found = []
    for name, number in sorted(state.projects.items()):
        roles = sorted(
            {
                m["role_id"]
                for m in state.members.get(number, [])
                if m["entity_type"] == "g" and m["entity_name"] in groups
            }
        )
        if roles or name == "library":
            found.append(
                {
                    "project_id": number,
                    "name": name,
                    "current_user_role_ids": roles,
                    "current_user_role_id": min(roles, default=0),
                }
            )
    return found


def registry_token(h: JsonHandler, state: HarborState, params: dict[str, str]) -> None:
    service = params.get("service", "")
    if service != "harbor-registry":  # token.go `Get`: beego's CustomAbort, text as the body
        respond(h, 400, f"Unable to handle service: {service}".encode(), "text/plain")
        return
    header = h.headers.get("Authorization") or ""
    user, _, secret = base64.b64decode(header.removeprefix("Basic ") or b"").decode().partition(":")
    meta = state.oidc_meta.get(user)
    valid = meta is not None and state.oidc_tokens_valid
    if not valid or not secrets.compare_digest(meta["secret"] if meta else "", secret):
        if "scope" not in params:
            respond(h, 401, b"", "text/plain")
            return
        user = ""
    now = int(time.time())
    h.send_json(
        200,
        {
            "token": b64(json.dumps({"sub": user, "iat": now}).encode()),
            "access_token": "",
            "expires_in": 1800,
            "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        },
    )
