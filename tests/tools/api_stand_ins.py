"""The authentik and Harbor APIs ``harbor-sso doctor`` reads, as stateful loopback servers.

They model two APIs, not two products: the read endpoints doctor uses, answering the
shapes the servers' own API descriptions give (authentik ``schema.yml``, v2026.8 as its
generated client ``authentik-client`` 2026.8.5 carries it; Harbor
``api/v2.0/swagger.yaml``), with what the servers compute: integer provider pks, uuid4
UUIDs, a generated client secret, 403 (authentik) or 401 (Harbor) for bad credentials,
404 for what does not exist. Every request is logged as (method, path with query).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MANAGED = "goauthentik.io/providers/oauth2/scope-"


@dataclass
class AuthentikState:
    token: str
    version: str = "2026.2.2"
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    providers: dict[int, dict[str, Any]] = field(default_factory=dict)
    mappings: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    bindings: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    base: str = ""

    def add_mapping(self, scope_name: str, managed: bool = True) -> str:
        pk = str(uuid.uuid4())
        self.mappings[pk] = {
            "pk": pk,
            "managed": MANAGED + scope_name if managed else None,
            "name": f"authentik default OAuth Mapping: OpenID '{scope_name}'",
            "expression": "return {}",
            "scope_name": scope_name,
            "description": "",
        }
        return pk

    def add_provider(self, client_id: str, **fields: Any) -> int:
        pk = max(self.providers, default=0) + 1
        self.providers[pk] = {
            "pk": pk,
            "name": "Harbor",
            "client_type": "confidential",
            "client_id": client_id,
            # authentik generates one when none is given (providers/oauth2/models.py)
            "client_secret": fields.pop("client_secret", None) or secrets.token_urlsafe(96),
            "access_code_validity": "minutes=1",
            "access_token_validity": "minutes=10",
            "refresh_token_validity": "days=30",
            "signing_key": str(uuid.uuid4()),
            "redirect_uris": [],
            "property_mappings": [],
            "sub_mode": "hashed_user_id",
            "issuer_mode": "per_provider",
            "assigned_application_slug": None,
            **fields,
        }
        return pk

    def add_application(self, slug: str, provider: int | None, **fields: Any) -> str:
        pk = str(uuid.uuid4())
        self.applications[slug] = {
            "pk": pk,
            "name": "Harbor",
            "slug": slug,
            "provider": provider,
            "meta_icon": None,
            "meta_launch_url": "",
            "policy_engine_mode": "any",
            **fields,
        }
        if provider is not None:
            self.providers[provider]["assigned_application_slug"] = slug
        return pk

    def add_group(self, name: str) -> str:
        pk = str(uuid.uuid4())
        self.groups[pk] = {"pk": pk, "num_pk": len(self.groups) + 1, "name": name}
        return pk

    def bind_group(self, target: str, group: str, order: int = 0) -> None:
        self.bindings.append(
            {
                "pk": str(uuid.uuid4()),
                "policy": None,
                "group": group,
                "user": None,
                "group_obj": self.groups[group],
                "user_obj": None,
                "policy_obj": None,
                "target": target,
                "negate": False,
                "enabled": True,
                "order": order,
            }
        )


@dataclass
class HarborState:
    password: str
    username: str = "admin"
    version: str = "v2.13.2-abcdef12"
    external_url: str | None = None
    """Harbor's ``ext_endpoint`` (harbor.yml ``hostname``); default: where it listens."""
    config: dict[str, Any] = field(default_factory=dict)
    users: list[str] = field(default_factory=lambda: ["admin"])
    projects: dict[str, int] = field(default_factory=lambda: {"library": 1})
    members: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""

    def add_group_member(self, project: str, group: str, role_id: int) -> str:
        """An OIDC group's membership (swagger ``ProjectMemberEntity``); its location."""
        number = self.projects[project]
        entries = self.members.setdefault(number, [])
        member = 100 + sum(len(m) for m in self.members.values())
        entries.append({"id": member, "project_id": number, "entity_name": group,
                        "entity_type": "g", "entity_id": member + 1000, "role_id": role_id,
                        "role_name": ""})  # fmt: skip
        return f"/projects/{number}/members/{member}"


def _paginated(results: list[dict[str, Any]]) -> dict[str, Any]:
    """authentik's list shape (schema.yml ``Pagination``, ``Paginated...List``)."""
    count = len(results)
    pagination = {"next": 0, "previous": 0, "count": count, "current": 1, "total_pages": 1,
                  "start_index": 1 if count else 0, "end_index": count}  # fmt: skip
    return {"pagination": pagination, "results": results, "autocomplete": {}}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, header in (headers or {}).items():
            self.send_header(key, header)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _authentik_handler(state: AuthentikState) -> type[_Handler]:
    class Handler(_Handler):
        def do_GET(self) -> None:
            state.requests.append(("GET", self.path))
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            discovery = path.removeprefix("/application/o/")
            if discovery.endswith("/.well-known/openid-configuration"):
                # authentik/providers/oauth2/views/provider.py ProviderInfoView (anonymous)
                slug = discovery.split("/", 1)[0]
                if slug not in state.applications:
                    self.send_json(404, {"detail": "Not found."})
                    return
                issuer = f"{state.base}/application/o/{slug}/"
                self.send_json(200, {
                    "issuer": issuer,
                    "authorization_endpoint": f"{state.base}/application/o/authorize/",
                    "token_endpoint": f"{state.base}/application/o/token/",
                    "jwks_uri": f"{issuer}jwks/",
                })  # fmt: skip
                return
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                # schema.yml: every /api/v3 operation answers 403 GenericError without a token
                self.send_json(403, {"detail": "Token invalid/expired"})
                return
            api = path.removeprefix("/api/v3")
            found: Any = None
            if api == "/admin/version/":  # schema.yml admin_version_retrieve
                found = {"version_current": state.version, "version_latest": state.version,
                         "version_latest_valid": True, "build_hash": "", "outdated": False,
                         "outpost_outdated": False}  # fmt: skip
            elif api.startswith("/core/applications/"):  # core_applications_retrieve {slug}
                found = state.applications.get(api.split("/")[3])
            elif api == "/providers/oauth2/":  # providers_oauth2_list ?client_id=
                wanted = query.get("client_id", [None])[0]
                found = _paginated(
                    [p for p in state.providers.values() if wanted in (None, p["client_id"])]
                )
            elif api.startswith("/providers/oauth2/"):  # providers_oauth2_retrieve {id}
                pk = api.split("/")[3]
                found = state.providers.get(int(pk)) if pk.isdigit() else None
            elif api.startswith("/propertymappings/provider/scope/"):
                # propertymappings_provider_scope_retrieve {pm_uuid}
                found = state.mappings.get(api.split("/")[4])
            elif api == "/policies/bindings/":  # policies_bindings_list ?target=
                target = query.get("target", [None])[0]
                found = _paginated([b for b in state.bindings if target in (None, b["target"])])
            elif api == "/core/groups/":  # core_groups_list ?name= (exact)
                name = query.get("name", [None])[0]
                found = _paginated([g for g in state.groups.values() if name in (None, g["name"])])
            if found is None:
                self.send_json(404, {"detail": "No Application matches the given query."})
            else:
                self.send_json(200, found)

        def do_POST(self) -> None:
            state.requests.append(("POST", self.path))
            if self.path.startswith("/api/v3/core/applications/") and self.path.endswith(
                "/set_icon_url/"
            ):
                # terraform-provider-authentik v2025.8.1 resource_application.go sets
                # meta_icon through CoreApplicationsSetIconUrlCreate; authentik 2025.12
                # removed the action: 405 with an empty body (seen on a real 2026.2.2)
                self.send_response(405)
                self.send_header("Allow", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_json(405, {"detail": 'Method "POST" not allowed.'})

    return Handler


CONFIG_KEYS = {
    "auth_mode": "db_auth", "primary_auth_mode": False, "oidc_name": "", "oidc_endpoint": "",
    "oidc_client_id": "", "oidc_groups_claim": "", "oidc_admin_group": "",
    "oidc_group_filter": "", "oidc_scope": "", "oidc_user_claim": "",
    "oidc_verify_cert": True, "oidc_auto_onboard": False, "oidc_extra_redirect_parms": "{}",
    "oidc_logout": False, "self_registration": False, "ldap_url": "",
}  # fmt: skip
"""swagger.yaml ``ConfigurationsResponse``: the keys doctor reads and a few beside them.
``oidc_client_secret`` is not among them: Harbor never returns it."""


def _harbor_handler(state: HarborState) -> type[_Handler]:
    class Handler(_Handler):
        def authenticated(self) -> bool:
            expected = base64.b64encode(f"{state.username}:{state.password}".encode()).decode()
            return self.headers.get("Authorization") == f"Basic {expected}"

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path))
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            signed_in = self.authenticated()
            if self.headers.get("Authorization") and not signed_in:
                # Harbor's security middleware: wrong basic credentials are 401
                self.send_json(
                    401, {"errors": [{"code": "UNAUTHORIZED", "message": "UnAuthorized"}]}
                )
                return
            if path == "/api/v2.0/systeminfo":  # swagger: getSystemInfo (GeneralInfo)
                info: dict[str, Any] = {"auth_mode": state.config.get("auth_mode", "db_auth")}
                if signed_in:  # src/controller/systeminfo/controller.go: WithProtectedInfo
                    info["external_url"] = state.external_url or state.url
                    info["harbor_version"] = state.version
                self.send_json(200, info)
            elif not signed_in:
                self.send_json(
                    401, {"errors": [{"code": "UNAUTHORIZED", "message": "UnAuthorized"}]}
                )
            elif path == "/api/v2.0/configurations":  # swagger: getConfigurations
                values = {**CONFIG_KEYS, **state.config}
                self.send_json(200, {k: {"value": v, "editable": True} for k, v in values.items()})
            elif path == "/api/v2.0/projects":  # swagger: listProjects ?name= (fuzzy)
                name = query.get("name", [""])[0]
                self.send_json(200, [{"project_id": n, "name": p}
                                     for p, n in state.projects.items() if name in p])  # fmt: skip
            elif path.startswith("/api/v2.0/projects/") and path.endswith("/members"):
                # swagger: listProjectMembers {project_name_or_id}
                number = path.split("/")[4]
                if not number.isdigit() or int(number) not in state.projects.values():
                    self.send_json(404, {"errors": [{"code": "NOT_FOUND", "message": "no"}]})
                else:
                    self.send_json(200, state.members.get(int(number), []))
            elif path == "/api/v2.0/users":  # swagger: listUsers (X-Total-Count header)
                page = int(query.get("page", ["1"])[0])
                size = int(query.get("page_size", ["10"])[0])
                shown = state.users[(page - 1) * size : page * size]
                users = [{"user_id": state.users.index(u) + 1, "username": u} for u in shown]
                self.send_json(200, users, {"X-Total-Count": str(len(state.users))})
            else:
                self.send_json(404, {"errors": [{"code": "NOT_FOUND", "message": "not found"}]})

    return Handler


@dataclass
class Pair:
    authentik: AuthentikState
    harbor: HarborState

    def requests(self) -> list[tuple[str, str]]:
        return self.authentik.requests + self.harbor.requests


@contextmanager
def api_stand_ins(token: str, password: str) -> Iterator[Pair]:
    """Empty authentik and Harbor APIs on loopback; seed them with :func:`seed`."""
    authentik = AuthentikState(token)
    harbor = HarborState(password)
    servers = [
        ThreadingHTTPServer(("127.0.0.1", 0), _authentik_handler(authentik)),
        ThreadingHTTPServer(("127.0.0.1", 0), _harbor_handler(harbor)),
    ]
    authentik.base = f"http://127.0.0.1:{servers[0].server_address[1]}"
    harbor.url = f"http://127.0.0.1:{servers[1].server_address[1]}"
    threads = [
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        for s in servers
    ]
    for thread in threads:
        thread.start()
    try:
        yield Pair(authentik, harbor)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join()


def seed(pair: Pair, *, old_guide: bool, slug: str = "harbor", admin_group: str = "") -> str:
    """The setup as the component makes it, or (``old_guide``) as the older guide's text
    has one make it by hand: redirect URI with a trailing slash, OIDC endpoint without
    one, no ``offline_access`` mapping nor scope. Returns the client ID."""
    a, h = pair.authentik, pair.harbor
    client_id = "harbor-" + secrets.token_hex(8)
    scopes = ["openid", "email", "profile"] + ([] if old_guide else ["offline_access"])
    callback = f"{h.url}/c/oidc/callback" + ("/" if old_guide else "")
    provider = a.add_provider(
        client_id,
        redirect_uris=[{"matching_mode": "strict", "url": callback}],
        property_mappings=[a.add_mapping(s) for s in scopes],
    )
    app = a.add_application(slug, provider)
    endpoint = f"{a.base}/application/o/{slug}" + ("" if old_guide else "/")
    h.config.update(
        auth_mode="oidc_auth",
        oidc_name="authentik",
        oidc_endpoint=endpoint,
        oidc_client_id=client_id,
        oidc_scope=",".join(scopes),
        oidc_verify_cert=True,
        oidc_auto_onboard=True,
        oidc_user_claim="preferred_username",
        oidc_groups_claim="groups",
        oidc_admin_group=admin_group,
    )
    if not old_guide:
        a.bind_group(app, a.add_group("harbor-users"))
        if admin_group:
            a.add_group(admin_group)
    return client_id
