"""Harbor's API (``/api/v2.0``) and its OIDC onboarding, as a stateful loopback server.

Modelled on Harbor 2.14 (goharbor/harbor v2.14.4; ``api/v2.0/swagger.yaml`` and the
handlers cited at each route) and on what a real 2.14.4 answered to the real Terraform
provider (../shared/reference/wire/). Errors have Harbor's body,
``{"errors":[{"code": ..., "message": ...}]}`` (src/lib/http/error.go `SendError`).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import ssl
import urllib.request
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from harbor_sso.transport import origin

from . import harbor_login
from .http import JsonHandler, Log

CONFIG_KEYS = {
    "auth_mode": "db_auth",
    "primary_auth_mode": False,
    "oidc_name": "",
    "oidc_endpoint": "",
    "oidc_client_id": "",
    "oidc_groups_claim": "",
    "oidc_admin_group": "",
    "oidc_group_filter": "",
    "oidc_scope": "",
    "oidc_user_claim": "",
    "oidc_verify_cert": True,
    "oidc_auto_onboard": False,
    "oidc_extra_redirect_parms": "{}",
    "oidc_logout": False,
    "self_registration": False,
    "ldap_url": "",
    "ldap_scope": 2,
    "ldap_group_search_scope": 2,
    "ldap_verify_cert": True,
}
"""swagger.yaml ``ConfigurationsResponse``: what GET shows, with a fresh Harbor's values
(src/lib/config/metadata/metadatalist.go). ``oidc_client_secret`` is never shown."""
WRITABLE = frozenset({*CONFIG_KEYS, "oidc_client_secret"}) - {"oidc_extra_redirect_parms"}
"""Keys a PUT stores: swagger ``Configurations`` binds known keys and drops the rest."""
ROLES = {1: "projectAdmin", 2: "developer", 3: "guest", 4: "maintainer", 5: "limitedGuest"}
"""The role table (migrations 0001/0004/0015/0040/0050): role_id -> role_name."""
OIDC_GROUP = 3
"""src/common/const.go OIDCGroupType."""


def harbor_error(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message}]}


SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def core_roots() -> ssl.SSLContext:
    """Harbor core's own roots: its image's system bundle, whatever this machine's
    SSL_CERT_FILE says (the test process stands in for both)."""
    context = ssl.create_default_context(
        cafile=SYSTEM_BUNDLE if os.path.isfile(SYSTEM_BUNDLE) else None
    )
    return context


def fetch_issuer(
    url: str, trust: ssl.SSLContext | None, blocked: Collection[str] = ()
) -> str | None:
    """What go-oidc's NewProvider finds at ``url`` (the issuer of
    `<url without its trailing slash>/.well-known/openid-configuration`), or None when it
    finds nothing; ``trust`` None: no verification (Harbor's `insecureTransport`).
    ``blocked``: servers Harbor core has no route to (a firewall this machine is not behind)."""
    if origin(url) in blocked:
        return None
    context = trust or ssl._create_unverified_context()  # noqa: S323 (verify_cert false)
    try:
        with urllib.request.urlopen(  # noqa: S310 (the stand-ins' own URLs)
            url.rstrip("/") + "/.well-known/openid-configuration", timeout=5, context=context
        ) as answer:
            issuer = json.load(answer).get("issuer")
    except (OSError, ValueError):
        return None
    return issuer if isinstance(issuer, str) else None


@dataclass
class HarborState:
    password: str
    username: str = "admin"
    version: str = "v2.14.4-79a297f7"
    external_url: str | None = None
    """Harbor's ``ext_endpoint`` (harbor.yml ``hostname``); default: where it listens."""
    config: dict[str, Any] = field(default_factory=dict)
    client_secret: str | None = None
    users: list[str] = field(default_factory=lambda: ["admin"])
    """Usernames; a user's id is its index plus one (admin is 1)."""
    oidc_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    """username -> oidc_user_meta (subiss, secret) of users onboarded through OIDC."""
    projects: dict[str, int] = field(default_factory=lambda: {"library": 1})
    groups: dict[tuple[str, int], int] = field(default_factory=dict)
    """(group name, group type) -> user group id (src/pkg/usergroup)."""
    members: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    log: Log = field(default_factory=Log)
    url: str = ""
    next_member: int = 1
    core_trust: ssl.SSLContext = field(default_factory=core_roots)
    """The roots Harbor core verifies authentik with (its system bundle, plus what
    caBundleSecretName or storage_service.ca_bundle add)."""
    core_blocked: set[str] = field(default_factory=set)
    """Servers (scheme://host:port) Harbor core cannot reach."""
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """sid -> a browser's session (harbor_login.py)."""
    oidc_tokens_valid: bool = True
    """Whether the users' stored OIDC tokens are valid or can be refreshed: a CLI secret
    is refused otherwise (src/pkg/oidc/secret.go `VerifySecret` refreshes the token)."""

    def add_project(self, name: str) -> int:
        number = max(self.projects.values(), default=0) + 1
        self.projects[name] = number
        return number

    def onboard_group(self, name: str) -> int:
        """src/pkg/usergroup/manager.go `Onboard`: the group of that name and type, made
        if missing."""
        return self.groups.setdefault((name, OIDC_GROUP), len(self.groups) + 1)

    def add_group_member(self, project: str, group: str, role_id: int) -> str:
        """An OIDC group's membership (swagger ``ProjectMemberEntity``); its location."""
        return self.add_member(self.projects[project], group, role_id)

    def add_member(self, number: int, group: str, role_id: int) -> str:
        entity = self.onboard_group(group)
        member = self.next_member
        self.next_member += 1
        self.members.setdefault(number, []).append(
            {
                "id": member,
                "project_id": number,
                "entity_name": group,
                "entity_type": "g",
                "entity_id": entity,
                "role_id": role_id,
                "role_name": ROLES.get(role_id, ""),
            }
        )
        return f"/projects/{number}/members/{member}"

    def oidc_login(self, username: str, sub: str, email: str | None = None) -> tuple[int, Any]:
        """A user returning from authentik to Harbor's callback with a valid ID token.

        src/core/controllers/oidc.go `Callback`: the user is found by `sub` followed by
        the issuer (`oidc_user_meta.subiss`); otherwise, with auto-onboarding, `userOnboard`
        creates one named after the username claim, and a name or email taken already is
        HTTP 409 (pkg/user/dao `Create`: a unique-constraint violation)."""
        issuer = str(self.config.get("oidc_endpoint", ""))
        subiss = sub + issuer
        for name, meta in self.oidc_meta.items():
            if meta["subiss"] == subiss:
                return 200, {"username": name}
        if not self.config.get("oidc_auto_onboard"):
            return 302, {"location": "/oidc-onboard"}
        mail = email or f"{username}@example.test"
        if username in self.users or any(m["email"] == mail for m in self.oidc_meta.values()):
            return 409, harbor_error(
                "UNKNOWN",
                f"failed to create user record: user {username} or email {mail} already exists",
            )
        self.users.append(username)
        self.oidc_meta[username] = {
            "subiss": subiss,
            "email": mail,
            "secret": secrets.token_urlsafe(24),
        }
        return 200, {"username": username}

    def user_json(self, user_id: int, *, meta: bool) -> dict[str, Any]:
        name = self.users[user_id - 1]
        user: dict[str, Any] = {
            "user_id": user_id,
            "username": name,
            "sysadmin_flag": user_id == 1,
            "admin_role_in_auth": False,
            "email": self.oidc_meta.get(name, {}).get("email", ""),
        }
        found = self.oidc_meta.get(name)
        # handler/model/user.go `ToUserResp`: oidc_user_meta only in oidc_auth, for id > 1;
        # its secret is the user's CLI secret, in plain text
        if meta and found and self.config.get("auth_mode") == "oidc_auth" and user_id > 1:
            user["oidc_user_meta"] = {
                "id": user_id,
                "user_id": user_id,
                "subiss": found["subiss"],
                "secret": found["secret"],
            }
        return user


def harbor_handler(state: HarborState) -> type[JsonHandler]:
    class Handler(JsonHandler):
        log_to = state.log

        def authenticated(self) -> bool:
            expected = base64.b64encode(f"{state.username}:{state.password}".encode()).decode()
            return self.headers.get("Authorization") == f"Basic {expected}"

        def route(self) -> None:
            path, query, body = self.setup_request()
            state.requests.append((self.command, self.path))
            if harbor_login.route(self, state, path, query):
                return
            signed_in = self.authenticated()
            if self.headers.get("Authorization") and not signed_in:
                # Harbor's security middleware: wrong basic credentials are 401
                self.send_json(401, harbor_error("UNAUTHORIZED", "UnAuthorized"))
                return
            api = path.removeprefix("/api/v2.0")
            if self.unsupported_media(body):
                return
            if api == "/systeminfo":  # swagger: getSystemInfo (GeneralInfo)
                info: dict[str, Any] = {"auth_mode": state.config.get("auth_mode", "db_auth")}
                if signed_in:  # src/controller/systeminfo/controller.go: WithProtectedInfo
                    info["external_url"] = state.external_url or state.url
                    info["harbor_version"] = state.version
                self.send_json(200, info)
            elif not signed_in:
                self.send_json(401, harbor_error("UNAUTHORIZED", "UnAuthorized"))
            elif api == "/configurations":
                self.configurations(body)
            elif api == "/projects" and self.command == "GET":
                self.list_projects(query.get("name", [""])[0])
            elif api.startswith("/projects/") and "/members" in api:
                self.members(api, body)
            elif api == "/users" and self.command == "GET":
                self.list_users(query)
            elif api.startswith("/users/") and self.command == "GET":
                self.get_user(api.removeprefix("/users/"))
            elif api == "/system/oidc/ping" and self.command == "POST":
                self.ping_oidc(body if isinstance(body, dict) else {})
            else:
                self.send_json(404, harbor_error("NOT_FOUND", "not found"))

        def unsupported_media(self, body: Any) -> bool:
            """go-openapi's runtime checks a body's media type against the operation's
            `consumes` (all JSON in Harbor's swagger) before any handler: a missing
            Content-Type counts as application/octet-stream (runtime `ContentType`), another
            is 415 (go-openapi/errors `InvalidContentType`), which Harbor wraps as
            UNSUPPORTED_MEDIA_TYPE (src/lib/http/error.go `apiError`)."""
            given = self.headers.get("Content-Type") or "application/octet-stream"
            media = given.split(";")[0].strip().lower()
            if body is None or media == "application/json":
                return False
            message = f'unsupported media type "{media}", only [application/json] are allowed'
            self.send_json(415, harbor_error("UNSUPPORTED_MEDIA_TYPE", message))
            return True

        def configurations(self, body: Any) -> None:
            if self.command == "GET":  # swagger: getConfigurations
                values = {**CONFIG_KEYS, **state.config}
                self.send_json(200, {k: {"value": v, "editable": True} for k, v in values.items()})
                return
            # src/controller/config/controller.go `validateCfg`: a new auth_mode once a
            # user besides admin exists is refused; the same mode again is fine
            mode = body.get("auth_mode")
            current = state.config.get("auth_mode", "db_auth")
            if mode is not None and mode != current and len(state.users) > 1:
                self.send_json(
                    400,
                    harbor_error(
                        "BAD_REQUEST",
                        "the auth mode cannot be modified as new users have been inserted into "
                        "database",
                    ),
                )
                return
            if mode is not None and mode not in (
                "db_auth",
                "ldap_auth",
                "uaa_auth",
                "http_auth",
                "oidc_auth",
            ):
                self.send_json(
                    400,
                    harbor_error(
                        "BAD_REQUEST",
                        "bad request: item name auth_mode: invalid auth_mode, shoud "
                        "be one of db_auth, ldap_auth, uaa_auth, http_auth, oidc_auth",
                    ),
                )
                return
            for key, value in body.items():
                if key == "oidc_client_secret":
                    state.client_secret = value
                elif key in WRITABLE:
                    state.config[key] = value
            self.send_json(200)  # NewUpdateConfigurationsOK: no payload

        def ping_oidc(self, body: dict[str, Any]) -> None:
            # handler/oidc.go `PingOIDC` (system admins: the only account here is one),
            # pkg/oidc/helper.go `TestEndpoint`: go-oidc's NewProvider fetches the
            # discovery document and compares its issuer with the URL; any failure is 400
            # "failed to verify connection", its cause only in core's log
            url = str(body.get("url", ""))
            verify = body.get("verify_cert") is not False
            trust = state.core_trust if verify else None
            if fetch_issuer(url, trust, state.core_blocked) != url:
                self.send_json(400, harbor_error("BAD_REQUEST", "failed to verify connection"))
                return
            self.send_json(200)

        def list_projects(self, name: str) -> None:
            # handler/project.go `ListProjects`: name__icontains, page_size 10, by name
            found = sorted((p, n) for p, n in state.projects.items() if name.lower() in p.lower())
            self.send_json(
                200,
                [
                    {
                        "project_id": n,
                        "name": p,
                        "owner_id": 1,
                        "owner_name": "admin",
                        "metadata": {"public": "true" if p == "library" else "false"},
                        "repo_count": 0,
                    }
                    for p, n in found[:10]
                ],
                {"X-Total-Count": str(len(found))},
            )

        def members(self, api: str, body: Any) -> None:
            # handler/member.go; a numeric {project_name_or_id} is an id
            parts = api.split("/")  # ['', 'projects', '<p>', 'members', '<m>'?]
            project = parts[2]
            number = int(project) if project.isdigit() else state.projects.get(project)
            if number not in state.projects.values():
                self.send_json(404, harbor_error("NOT_FOUND", f"project {project} not found"))
                return
            assert number is not None
            entries = state.members.setdefault(number, [])
            if len(parts) == 4:
                if self.command == "POST":
                    self.create_member(number, project, body)
                else:
                    self.send_json(200, entries, {"X-Total-Count": str(len(entries))})
                return
            member = next((m for m in entries if str(m["id"]) == parts[4]), None)
            if self.command == "GET":
                if member is None:
                    self.send_json(
                        404,
                        harbor_error(
                            "NOT_FOUND",
                            f"the project member is not found, project id {number}, "
                            f"member id {parts[4]}",
                        ),
                    )
                else:
                    self.send_json(200, member)
            elif self.command == "PUT":  # an UPDATE of role_id, whether or not it exists
                if member is not None and isinstance(body, dict) and "role_id" in body:
                    member.update(role_id=body["role_id"], role_name=ROLES.get(body["role_id"]))
                self.send_json(200)
            elif self.command == "DELETE":  # a DELETE, whether or not it exists
                if member is not None:
                    entries.remove(member)
                self.send_json(200)

        def create_member(self, number: int, project: str, body: dict[str, Any]) -> None:
            # src/controller/member/controller.go `Create`
            group = body.get("member_group") or {}
            name, kind = str(group.get("group_name") or ""), int(group.get("group_type") or 0)
            if not name:
                self.send_json(500, harbor_error("UNKNOWN", "internal server error"))
                return
            if (name, kind) not in state.groups:
                # auth.SearchAndOnBoardGroup with the auth mode in force *now*: db_auth's
                # DefaultAuthenticateHelper.SearchGroup is NotFound(ErrNotSupported)
                # (src/core/auth/authenticator.go); oidc_auth's SearchGroup onboards any
                # name, as type OIDC whatever type was sent (src/core/auth/oidc/oidc.go)
                if state.config.get("auth_mode") != "oidc_auth":
                    self.send_json(
                        404, harbor_error("NOT_FOUND", f"{name} not found: not supported")
                    )
                    return
                state.onboard_group(name)
            entity = state.groups.get((name, kind)) or state.groups.get((name, OIDC_GROUP))
            if any(
                m["entity_id"] == entity and m["entity_type"] == "g"
                for m in state.members.get(number, [])
            ):
                self.send_json(
                    409, harbor_error("CONFLICT", "The project member specified already exist")
                )
                return
            if body.get("role_id") not in ROLES:
                self.send_json(
                    400,
                    harbor_error(
                        "BAD_REQUEST", "Failed to update project member, role is not in 1,2,3"
                    ),
                )
                return
            location = state.add_member(number, name, body["role_id"])
            member = location.rsplit("/", 1)[-1]
            self.send_json(
                201, None, {"Location": f"/api/v2.0/projects/{project}/members/{member}"}
            )

        def list_users(self, query: dict[str, list[str]]) -> None:
            # handler/user.go ListUsers: the default admin (id 1) is never listed
            # (src/pkg/user/manager.go `List`, excludeDefaultAdmin); X-Total-Count
            page = int(query.get("page", ["1"])[0])
            size = int(query.get("page_size", ["10"])[0])
            ids = list(range(2, len(state.users) + 1))
            shown = ids[(page - 1) * size : page * size]
            self.send_json(
                200,
                [state.user_json(i, meta=False) for i in shown],
                {"X-Total-Count": str(len(ids))},
            )

        def get_user(self, user_id: str) -> None:
            # handler/user.go GetUser
            if not user_id.isdigit() or not 1 <= int(user_id) <= len(state.users):
                self.send_json(404, harbor_error("NOT_FOUND", f"user {user_id} not found"))
                return
            self.send_json(200, state.user_json(int(user_id), meta=True))

    return Handler
