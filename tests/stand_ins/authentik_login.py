"""authentik's login side, as a browser meets it: the authorize endpoint, the flow pages
and the flow executor with their real challenges, the token, userinfo and keys endpoints.

Modelled on goauthentik/authentik version/2026.2.2 (each behaviour cites its file):
- authorize (providers/oauth2/views/authorize.py `AuthorizationFlowInitView`): an
  unknown client or a redirect URI the provider does not hold is an HTML error page,
  400; no session: 302 `/if/flow/default-authentication-flow/?<query>&next=<authorize>`
  (policies/views.py `handle_no_permission`, flows/planner.py `to_redirect`); a user the
  application's bindings refuse: HTML, 200, "Request has been denied." (policies/denied.py);
  else the provider's authorization flow: none of its stages (implicit consent) and a
  302 to the redirect URI with `code` and `state`, or the consent flow's page.
- the executor (flows/views/executor.py): GET is the stage's challenge, a good POST a 302
  back to the executor, a bad one the challenge with `response_errors`; the end an
  `xak-flow-redirect`. The default authentication flow (blueprints/default/
  flow-default-authentication-flow.yaml): identification (username or email), password
  ("Invalid password"), MFA validation (skipped without an authenticator), user login
  (no challenge; sets `authentik_csrf`). Once logged in, a POST without
  `X-authentik-CSRF` equal to that cookie is a flow error.
- token (providers/oauth2/views/token.py): client secret by basic auth or form; every
  error 400 `{"error", "error_description", "request_id"}`; the ID token with the claims
  of the provider's scope mappings (blueprints/system/providers-oauth2.yaml).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from .tokens import SigningKey

if TYPE_CHECKING:
    from .authentik_api import AuthentikState
    from .http import JsonHandler

AUTHENTICATION_FLOW = "default-authentication-flow"
CONSENT_FLOW = "default-provider-authorization-explicit-consent"
SESSION, CSRF = "authentik_session", "authentik_csrf"
DENIED_PAGE = (
    b"<html><head><title>Permission denied</title></head><body><h1>Permission denied</h1>"
    b"<p>Request has been denied.</p></body></html>"
)
INVALID_CLIENT = (
    "invalid_client",
    "Client authentication failed (e.g., unknown client, no client authentication "
    "included, or unsupported authentication method)",
)
INVALID_GRANT = (
    "invalid_grant",
    "The provided authorization grant or refresh token is invalid, expired, revoked, does "
    "not match the redirection URI used in the authorization request, or was issued to "
    "another client",
)


@dataclass
class User:
    username: str
    password: str
    email: str
    groups: list[str] = field(default_factory=list)
    """Group pks."""
    mfa: bool = False
    """An authenticator: the MFA stage then asks for it."""

    @property
    def sub(self) -> str:
        # core/models.py User.uid: a sha256 hex (sub_mode hashed_user_id)
        return hashlib.sha256(f"stand-in-{self.username}".encode()).hexdigest()


@dataclass
class Web:
    """What authentik holds for logins: users, sessions, codes, tokens, the signing key."""

    users: dict[str, User] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    consents: set[tuple[str, str]] = field(default_factory=set)
    key: SigningKey = field(default_factory=SigningKey)


def route(
    h: JsonHandler, state: AuthentikState, path: str, query: dict[str, list[str]], body: Any
) -> bool:
    """Serve ``path`` when it is a login page or endpoint; False when it is not one."""
    one = {k: v[0] for k, v in query.items()}
    if path == "/application/o/authorize/":
        authorize(h, state, one, urlsplit(h.path).query)
    elif path.startswith("/if/flow/"):
        respond(h, 200, b"<html><body>authentik flow</body></html>", "text/html")
    elif path.startswith("/api/v3/flows/executor/"):
        Executor(h, state, path.removeprefix("/api/v3/flows/executor/").strip("/")).run(one, body)
    elif path == "/application/o/token/" and h.command == "POST":
        token(h, state, body)
    elif path == "/application/o/userinfo/":
        userinfo(h, state)
    elif path.endswith("/jwks/") and path.startswith("/application/o/"):
        h.send_json(200, state.web.key.jwks())
    else:
        return False
    return True


def respond(
    h: JsonHandler, status: int, body: bytes, kind: str, headers: Sequence[tuple[str, str]] = ()
) -> None:
    h.send_response(status)
    h.send_header("Content-Type", kind)
    for name, value in headers:
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)
    h._log(status)  # the stand-in's own log of exchanges


def session_of(h: JsonHandler, state: AuthentikState) -> tuple[str, dict[str, Any], bool]:
    """The browser's session (id, data, whether it is new)."""
    cookies = dict(
        part.strip().split("=", 1)
        for part in (h.headers.get("Cookie") or "").split(";")
        if "=" in part
    )
    sid = cookies.get(SESSION, "")
    if sid in state.web.sessions:
        return sid, state.web.sessions[sid], False
    sid = secrets.token_urlsafe(24)
    state.web.sessions[sid] = {"csrf": cookies.get(CSRF)}
    return sid, state.web.sessions[sid], True


def set_session(sid: str, data: dict[str, Any], new: bool) -> list[tuple[str, str]]:
    headers = [("Set-Cookie", f"{SESSION}={sid}; Path=/; HttpOnly")] if new else []
    if data.pop("set_csrf", False):
        headers.append(("Set-Cookie", f"{CSRF}={data['csrf']}; Path=/"))
    return headers


def redirect(h: JsonHandler, location: str, cookies: list[tuple[str, str]]) -> None:
    respond(h, 302, b"", "text/html", [("Location", location), *cookies])


def authorize(h: JsonHandler, state: AuthentikState, params: dict[str, str], raw: str) -> None:
    provider = next(
        (p for p in state.providers.values() if p["client_id"] == params.get("client_id")), None
    )
    uris = [u["url"] for u in (provider or {}).get("redirect_uris", [])]
    if provider is None or params.get("redirect_uri") not in uris:
        # bad_request_message: if/error.html, 400
        respond(h, 400, b"<html><body>Redirect URI Error</body></html>", "text/html")
        return
    sid, session, new = session_of(h, state)
    cookies = set_session(sid, session, new)
    user = state.web.users.get(session.get("user") or "")
    if user is None:
        next_ = quote(f"/application/o/authorize/?{raw}", safe="")
        redirect(h, f"/if/flow/{AUTHENTICATION_FLOW}/?{raw}&next={next_}", cookies)
        return
    app = next(a for a in state.applications.values() if a["provider"] == provider["pk"])
    if not may_open(state, app, user):
        respond(h, 200, DENIED_PAGE, "text/html", cookies)
        return
    flow = state.flows[provider["authorization_flow"]]["slug"]
    if flow == CONSENT_FLOW and (user.username, app["slug"]) not in state.web.consents:
        session["authorize"] = params
        redirect(h, f"/if/flow/{flow}/?{raw}", cookies)
        return
    redirect(h, code_redirect(state, provider, user, params), cookies)


def may_open(state: AuthentikState, app: dict[str, Any], user: User) -> bool:
    """The application's policy bindings (group bindings here), combined by its policy
    engine mode; none: everyone may (policies/engine.py `PolicyEngine`)."""
    bound = [b for b in state.bindings if b["target"] == app["pk"] and b.get("enabled", True)]
    if not bound:
        return True
    results = [b["group"] in user.groups for b in bound]
    return all(results) if app["policy_engine_mode"] == "all" else any(results)


def code_redirect(
    state: AuthentikState, provider: dict[str, Any], user: User, params: dict[str, str]
) -> str:
    """providers/oauth2/views/authorize.py `OAuthFulfillmentStage.create_response_uri`."""
    code = uuid.uuid4().hex
    state.web.codes[code] = {
        "provider": provider["pk"],
        "user": user.username,
        "scope": params.get("scope", "").split(),
        "redirect_uri": params.get("redirect_uri"),
        "challenge": params.get("code_challenge"),
        "expires": time.time() + 60,
    }
    return (
        params["redirect_uri"] + "?" + urlencode({"code": code, "state": params.get("state", "")})
    )


class Executor:
    """flows/views/executor.py `FlowExecutorView`, over one session."""

    def __init__(self, h: JsonHandler, state: AuthentikState, slug: str) -> None:
        self.h, self.state, self.slug = h, state, slug
        self.sid, self.session, self.new = session_of(h, state)

    def send(self, challenge: dict[str, Any]) -> None:
        body = {"flow_info": {"title": self.slug, "layout": "stacked"}, **challenge}
        cookies = set_session(self.sid, self.session, self.new)
        respond(self.h, 200, json_bytes(body), "application/json", cookies)

    def run(self, query: dict[str, str], body: Any) -> None:
        plan = self.session.get("plan")
        if plan is None or plan["flow"] != self.slug:
            get = {k: v[0] for k, v in parse_qs(query.get("query", "")).items()}
            plan = self.session["plan"] = {"flow": self.slug, "stage": 0, "get": get}
        if self.h.command == "POST":
            media = (self.h.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if media != "application/json" or (
                self.session.get("user")
                and self.h.headers.get("X-authentik-CSRF") != self.session["csrf"]
            ):
                # authentik parses only JSON (root/settings.py DEFAULT_PARSER_CLASSES:
                # ORJSONParser), so another body is DRF's UnsupportedMediaType when the
                # stage reads request.data (flows/stage.py `post`); a logged-in session
                # without its token is DRF SessionAuthentication's "CSRF Failed"; either
                # exception becomes the executor's flow error (executor.py handle_exception)
                self.send({"component": "ak-stage-flow-error", "request_id": uuid.uuid4().hex})
                return
            errors = self.answer(plan, body if isinstance(body, dict) else {})
            if errors:
                self.send({**self.challenge(plan), "response_errors": errors})
                return
            cookies = set_session(self.sid, self.session, self.new)
            redirect(self.h, self.h.path, cookies)  # to_stage_response: a plain 302 to itself
            return
        self.send(self.challenge(plan))

    def stages(self) -> list[str]:
        if self.slug == CONSENT_FLOW:
            return ["ak-stage-consent"]
        return ["ak-stage-identification", "ak-stage-password", "mfa", "login"]

    def challenge(self, plan: dict[str, Any]) -> dict[str, Any]:
        while plan["stage"] < len(self.stages()):
            stage = self.stages()[plan["stage"]]
            user = self.state.web.users.get(plan.get("pending_user") or "")
            if stage == "mfa" and (user is None or not user.mfa):
                plan["stage"] += 1  # not_configured_action skip: no authenticator
                continue
            if stage == "mfa":
                return {
                    "component": "ak-stage-authenticator-validate",
                    "device_challenges": [
                        {"device_class": "totp", "device_uid": "1", "challenge": {}}
                    ],
                    "configuration_stages": [],
                }
            if stage == "login":  # user_login stage: no challenge without remember-me
                assert user is not None
                self.session.update(user=user.username, csrf=secrets.token_urlsafe(16))
                self.session["set_csrf"] = True
                plan["stage"] += 1
                continue
            return self.show(stage, plan)
        return self.done(plan)

    def show(self, stage: str, plan: dict[str, Any]) -> dict[str, Any]:
        if stage == "ak-stage-identification":
            return {
                "component": stage,
                "user_fields": ["email", "username"],
                "password_fields": False,
                "primary_action": "Log in",
                "sources": [],
                "show_source_labels": False,
            }
        if stage == "ak-stage-password":
            return {"component": stage, "pending_user": plan["pending_user"]}
        plan["token"] = str(uuid.uuid4())
        return {
            "component": stage,
            "header_text": "You're about to sign into Harbor.",
            "permissions": [],
            "additional_permissions": [],
            "token": plan["token"],
        }

    def answer(self, plan: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        stage = self.stages()[plan["stage"]] if plan["stage"] < len(self.stages()) else ""
        if body.get("component") != stage:
            return {
                "non_field_errors": [{"string": "Invalid challenge response", "code": "invalid"}]
            }
        users = self.state.web.users.values()
        if stage == "ak-stage-identification":
            uid = str(body.get("uid_field", ""))
            found = [u for u in users if uid in (u.username, u.email)]
            if not found:  # stages/identification/stage.py
                return {
                    "non_field_errors": [{"string": "Failed to authenticate.", "code": "invalid"}]
                }
            plan["pending_user"] = found[0].username
        elif stage == "ak-stage-password":
            if self.state.web.users[plan["pending_user"]].password != body.get("password"):
                return {"password": [{"string": "Invalid password", "code": "invalid"}]}
        elif stage == "ak-stage-consent" and body.get("token") != plan.get("token"):
            return {
                "token": [{"string": "Invalid consent token, re-showing prompt", "code": "invalid"}]
            }
        plan["stage"] += 1
        return {}

    def done(self, plan: dict[str, Any]) -> dict[str, Any]:
        """`_flow_done`: the consent flow fulfils the authorization, any other goes `next`."""
        self.session.pop("plan", None)
        if self.slug == CONSENT_FLOW:
            params = self.session.pop("authorize")
            user = self.state.web.users[self.session["user"]]
            provider = next(
                p for p in self.state.providers.values() if p["client_id"] == params["client_id"]
            )
            app = next(
                a for a in self.state.applications.values() if a["provider"] == provider["pk"]
            )
            self.state.web.consents.add((user.username, app["slug"]))
            return {
                "component": "xak-flow-redirect",
                "to": code_redirect(self.state, provider, user, params),
            }
        return {"component": "xak-flow-redirect", "to": plan["get"].get("next", "/")}


def json_bytes(value: Any) -> bytes:
    return (json.dumps(value) + "\n").encode()


def client_of(h: JsonHandler, form: dict[str, str]) -> tuple[str, str]:
    """providers/oauth2/utils.py `extract_client_auth`: basic auth (each part
    percent-decoded), else the form's client_id and client_secret."""
    header = h.headers.get("Authorization") or ""
    if header.startswith("Basic "):
        user, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        return unquote(user), unquote(secret)
    return form.get("client_id", ""), form.get("client_secret", "")


def token(h: JsonHandler, state: AuthentikState, body: Any) -> None:
    form = {k: v[0] for k, v in parse_qs(body if isinstance(body, str) else "").items()}

    def error(reason: tuple[str, str]) -> None:
        h.send_json(
            400,
            {"error": reason[0], "error_description": reason[1], "request_id": uuid.uuid4().hex},
        )

    client_id, secret = client_of(h, form)
    provider = next((p for p in state.providers.values() if p["client_id"] == client_id), None)
    if provider is None or not secrets.compare_digest(provider["client_secret"], secret):
        error(INVALID_CLIENT)
        return
    if form.get("redirect_uri") not in [u["url"] for u in provider["redirect_uris"]]:
        error(INVALID_CLIENT)
        return
    code = state.web.codes.pop(form.get("code", ""), None)
    verifier = form.get("code_verifier", "")
    challenge = b64(hashlib.sha256(verifier.encode()).digest())
    if (
        code is None
        or code["provider"] != provider["pk"]
        or code["expires"] < time.time()
        or (code["challenge"] and challenge != code["challenge"])
    ):
        error(INVALID_GRANT)
        return
    user = state.web.users[code["user"]]
    claims = user_claims(state, provider, user, code["scope"])
    access = secrets.token_urlsafe(32)
    state.web.access_tokens[access] = claims
    app = next(a for a in state.applications.values() if a["provider"] == provider["pk"])
    now = int(time.time())
    id_token = state.web.key.sign(
        {
            **claims,
            "iss": f"{state.base}/application/o/{app['slug']}/",
            "aud": client_id,
            "exp": now + 600,
            "iat": now,
            "auth_time": now,
        }
    )
    answer = {
        "access_token": access,
        "token_type": "Bearer",
        "scope": " ".join(code["scope"]),
        "expires_in": 600,
        "id_token": id_token,
    }
    if "offline_access" in code["scope"]:
        answer["refresh_token"] = secrets.token_urlsafe(32)
    h.send_json(200, answer, {"Cache-Control": "no-store"})


def user_claims(
    state: AuthentikState, provider: dict[str, Any], user: User, scopes: list[str]
) -> dict[str, Any]:
    """The claims of the scopes asked for that the provider maps (blueprints/system/
    providers-oauth2.yaml): email; profile with `groups` (the groups' names)."""
    mapped = {
        state.mappings[pk]["scope_name"]
        for pk in provider["property_mappings"]
        if pk in state.mappings
    }
    claims: dict[str, Any] = {"sub": user.sub}
    if "email" in scopes and "email" in mapped:
        claims.update(email=user.email, email_verified=False)
    if "profile" in scopes and "profile" in mapped:
        groups = [state.groups[g]["name"] for g in user.groups if g in state.groups]
        claims.update(
            name=user.username,
            given_name=user.username,
            preferred_username=user.username,
            nickname=user.username,
            groups=groups,
        )
    return claims


def userinfo(h: JsonHandler, state: AuthentikState) -> None:
    header = h.headers.get("Authorization") or ""
    claims = state.web.access_tokens.get(header.removeprefix("Bearer "))
    if claims is None:
        h.send_json(401, {"error": "invalid_token"})
        return
    h.send_json(200, claims)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
