"""authentik's API (``/api/v3``) and discovery documents, as a stateful loopback server.

Modelled on the API description authentik publishes (``schema.yml``, as its generated
client ``authentik-client`` 2026.8.5 carries it) and on what a real 2026.2.2 answered to
the real Terraform provider (../shared/reference/wire/): a fresh install's flows, key pair
and managed scope mappings; integer provider pks; UUIDs for everything else; a generated
client secret; DRF's 400 bodies (``{"field": ["message"]}``), 403 without a valid token,
404 ``{"detail": "No <Model> matches the given query."}``.
"""

from __future__ import annotations

import secrets
import string
import uuid
from dataclasses import dataclass, field
from typing import Any

from . import authentik_login
from .authentik_login import User, Web
from .http import JsonHandler, Log

MANAGED = "goauthentik.io/providers/oauth2/scope-"
STOCK_FLOWS = {
    "default-authentication-flow": ("Welcome to authentik!", "authentication"),
    "default-provider-authorization-implicit-consent": ("Authorize Application", "authorization"),
    "default-provider-authorization-explicit-consent": ("Authorize Application", "authorization"),
    "default-provider-invalidation-flow": ("Logged out of application", "invalidation"),
}
STOCK_KEY_PAIR = "authentik Self-signed Certificate"
# the order authentik's blueprint creates them in (blueprints/system/providers-oauth2.yaml)
STOCK_SCOPES = ("openid", "email", "profile", "offline_access")
USER_AGENT = "authentik-terraform@2025.8.1"
"""What terraform-provider-authentik 2025.8.1 sends (pkg/provider/provider.go
`providerConfigure`)."""

PROVIDER_FIELDS = (
    "name",
    "authorization_flow",
    "invalidation_flow",
    "client_type",
    "client_id",
    "access_code_validity",
    "access_token_validity",
    "refresh_token_validity",
    "include_claims_in_id_token",
    "signing_key",
    "redirect_uris",
    "property_mappings",
    "sub_mode",
    "issuer_mode",
    "jwt_federation_sources",
    "jwt_federation_providers",
)
APPLICATION_FIELDS = (
    "name",
    "slug",
    "provider",
    "group",
    "meta_launch_url",
    "meta_description",
    "meta_publisher",
    "open_in_new_tab",
    "policy_engine_mode",
    "backchannel_providers",
)
BINDING_FIELDS = (
    "policy",
    "group",
    "user",
    "target",
    "negate",
    "enabled",
    "order",
    "timeout",
    "failure_result",
)


def generate_secret() -> str:
    """authentik/lib/generators.py `generate_id(128)`: letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(128))


@dataclass
class AuthentikState:
    token: str
    version: str = "2026.2.2"
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)
    key_pairs: dict[str, dict[str, Any]] = field(default_factory=dict)
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    providers: dict[int, dict[str, Any]] = field(default_factory=dict)
    mappings: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    bindings: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(method, path with query) of every request, in order."""
    log: Log = field(default_factory=Log)
    base: str = ""
    next_pk: int = 1
    web: Web = field(default_factory=Web)
    """Users, sessions and codes of the login side (authentik_login.py)."""

    def __post_init__(self) -> None:
        # a fresh install (authentik/blueprints/system): the default flows, the
        # self-signed key pair, the managed OAuth scope mappings
        for slug, (name, designation) in STOCK_FLOWS.items():
            pk = str(uuid.uuid4())
            self.flows[pk] = {
                "pk": pk,
                "slug": slug,
                "name": name,
                "title": name,
                "designation": designation,
                "layout": "stacked",
                "authentication": "none",
                "policy_engine_mode": "any",
            }
        pk = str(uuid.uuid4())
        self.key_pairs[pk] = {
            "pk": pk,
            "name": STOCK_KEY_PAIR,
            "key_type": "rsa",
            "cert_expiry": "2027-12-04T20:57:59Z",
            "cert_subject": f"OU=Self-signed,O=authentik,CN={STOCK_KEY_PAIR}",
            "fingerprint_sha256": "c9:50",
            "fingerprint_sha1": "94:80",
            "private_key_available": True,
            "managed": None,
        }
        for scope in STOCK_SCOPES:
            self.add_mapping(scope)

    # -- seeding (objects made by hand, as a user would) -----------------------------

    def add_user(
        self, username: str, password: str, groups: tuple[str, ...] = (), mfa: bool = False
    ) -> User:
        """A user in the named groups (which must exist), with ``mfa``: an authenticator."""
        pks = [pk for name in groups for pk, g in self.groups.items() if g["name"] == name]
        user = User(username, password, f"{username}@example.test", pks, mfa)
        self.web.users[username] = user
        return user

    def add_mapping(self, scope_name: str, managed: bool = True) -> str:
        """A scope mapping; the managed one of ``scope_name`` if it exists already."""
        for pk, mapping in self.mappings.items():
            if managed and mapping["managed"] == MANAGED + scope_name:
                return pk
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
        pk = self.next_pk
        self.next_pk += 1
        self.providers[pk] = {
            "pk": pk,
            "name": "Harbor",
            "authorization_flow": self.flow_pk("default-provider-authorization-implicit-consent"),
            "invalidation_flow": self.flow_pk("default-provider-invalidation-flow"),
            "client_type": "confidential",
            "client_id": client_id,
            # authentik generates one when none is given (providers/oauth2/models.py)
            "client_secret": fields.pop("client_secret", None) or generate_secret(),
            "access_code_validity": "minutes=1",
            # a provider made through the API or UI: authentik's own model default
            # (the Terraform provider always sends minutes=10)
            "access_token_validity": "hours=1",
            "refresh_token_validity": "days=30",
            "include_claims_in_id_token": True,
            "signing_key": next(iter(self.key_pairs)),
            "redirect_uris": [],
            "property_mappings": [],
            "sub_mode": "hashed_user_id",
            "issuer_mode": "per_provider",
            "jwt_federation_sources": [],
            "jwt_federation_providers": [],
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
            "group": "",
            "meta_icon": None,
            "meta_launch_url": "",
            "meta_description": "",
            "meta_publisher": "",
            "open_in_new_tab": False,
            "policy_engine_mode": "any",
            "backchannel_providers": [],
            **fields,
        }
        if provider is not None:
            self.providers[provider]["assigned_application_slug"] = slug
        return pk

    def add_group(self, name: str) -> str:
        pk = str(uuid.uuid4())
        # core/models.py Group.num_pk: the first five digits of the UUID as an integer
        self.groups[pk] = {
            "pk": pk,
            "num_pk": int(str(uuid.UUID(pk).int)[:5]),
            "name": name,
            "is_superuser": False,
            "attributes": {},
        }
        return pk

    def bind_group(self, target: str, group: str, order: int = 0) -> str:
        pk = str(uuid.uuid4())
        self.bindings.append(
            {
                "pk": pk,
                "policy": None,
                "group": group,
                "user": None,
                "target": target,
                "negate": False,
                "enabled": True,
                "order": order,
                "timeout": 30,
                "failure_result": False,
            }
        )
        return pk

    def flow_pk(self, slug: str) -> str:
        return next(pk for pk, f in self.flows.items() if f["slug"] == slug)

    def owned(self) -> dict[str, int]:
        """How many objects a deployment made: providers, applications, bindings and
        custom scope mappings (what a destroy must leave at zero)."""
        return {
            "providers": len(self.providers),
            "applications": len(self.applications),
            "bindings": len(self.bindings),
            "custom scope mappings": sum(m["managed"] is None for m in self.mappings.values()),
        }

    # -- what the API shows -------------------------------------------------------------

    def provider_view(self, provider: dict[str, Any]) -> dict[str, Any]:
        # property_mappings in the server's order (the mappings' creation order), not the
        # order sent: terraform-provider-authentik merges them back (utils.go
        # `listConsistentMerge`)
        order = list(self.mappings)
        mappings = sorted(provider["property_mappings"], key=order.index)
        return {
            **provider,
            "property_mappings": mappings,
            "authentication_flow": None,
            "encryption_key": None,
            "logout_uri": "",
            "logout_method": "backchannel",
            "refresh_token_threshold": "seconds=0",
        }

    def application_view(self, app: dict[str, Any]) -> dict[str, Any]:
        launch = app["meta_launch_url"]
        return {
            **app,
            "launch_url": launch or None,
            "meta_icon_url": None,
            "backchannel_providers_obj": [],
        }

    def binding_view(self, binding: dict[str, Any]) -> dict[str, Any]:
        group = self.groups.get(binding["group"] or "")
        return {**binding, "group_obj": group, "policy_obj": None, "user_obj": None}


def _paginated(results: list[dict[str, Any]]) -> dict[str, Any]:
    """authentik's list shape (schema.yml ``Pagination``, ``Paginated...List``)."""
    count = len(results)
    pagination = {
        "next": 0,
        "previous": 0,
        "count": count,
        "current": 1,
        "total_pages": 1,
        "start_index": 1 if count else 0,
        "end_index": count,
    }
    return {"pagination": pagination, "results": results, "autocomplete": {}}


def _not_found(model: str) -> dict[str, str]:
    # django.shortcuts.get_object_or_404 through DRF's exception handler
    return {"detail": f"No {model} matches the given query."}


def _invalid(body: dict[str, Any], required: tuple[str, ...]) -> dict[str, list[str]]:
    return {k: ["This field is required."] for k in required if body.get(k) in (None, "")}


def authentik_handler(state: AuthentikState) -> type[JsonHandler]:
    class Handler(JsonHandler):
        log_to = state.log

        def route(self) -> None:
            path, query, body = self.setup_request()
            state.requests.append((self.command, self.path))
            discovery = path.removeprefix("/application/o/")
            if self.command == "GET" and discovery.endswith("/.well-known/openid-configuration"):
                self.discovery(discovery.split("/", 1)[0])
                return
            if authentik_login.route(self, state, path, query, body):
                return
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                # schema.yml: every /api/v3 operation answers 403 GenericError without a token
                self.send_json(403, {"detail": "Token invalid/expired"})
                return
            api = path.removeprefix("/api/v3")
            for prefix, handle in (
                ("/root/config/", self.root_config),
                ("/admin/version/", self.admin_version),
                ("/flows/instances/", self.flows),
                ("/crypto/certificatekeypairs/", self.key_pairs),
                ("/propertymappings/provider/scope/", self.scope_mappings),
                ("/core/groups/", self.groups),
                ("/core/users/", self.users),
                ("/providers/oauth2/", self.providers),
                ("/core/applications/", self.applications),
                ("/policies/bindings/", self.bindings),
            ):
                if api.startswith(prefix):
                    rest = api.removeprefix(prefix).strip("/")
                    handle(rest, query, body)
                    return
            self.send_json(404, {"detail": "Not found."})

        def discovery(self, slug: str) -> None:
            # authentik/providers/oauth2/views/provider.py ProviderInfoView (anonymous)
            if slug not in state.applications:
                self.send_json(404, _not_found("Application"))
                return
            issuer = f"{state.base}/application/o/{slug}/"
            self.send_json(
                200,
                {
                    "issuer": issuer,
                    "authorization_endpoint": f"{state.base}/application/o/authorize/",
                    "token_endpoint": f"{state.base}/application/o/token/",
                    "userinfo_endpoint": f"{state.base}/application/o/userinfo/",
                    "jwks_uri": f"{issuer}jwks/",
                    "response_types_supported": ["code"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                },
            )

        def root_config(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            # schema.yml root_config_retrieve (Config); error reporting off
            self.send_json(
                200,
                {
                    "error_reporting": {
                        "enabled": False,
                        "environment": "customer",
                        "send_pii": False,
                        "traces_sample_rate": 0.1,
                    },
                    "capabilities": ["can_impersonate"],
                    "cache_timeout": 300,
                    "cache_timeout_flows": 300,
                    "cache_timeout_policies": 300,
                },
            )

        def admin_version(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            # schema.yml admin_version_retrieve
            self.send_json(
                200,
                {
                    "version_current": state.version,
                    "version_latest": state.version,
                    "version_latest_valid": True,
                    "build_hash": "",
                    "outdated": False,
                    "outpost_outdated": False,
                },
            )

        def flows(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            # flows_instances_list ?slug= (exact)
            slug = query.get("slug", [None])[0]
            self.send_json(
                200, _paginated([f for f in state.flows.values() if slug in (None, f["slug"])])
            )

        def key_pairs(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            # crypto_certificatekeypairs_list ?name= (exact) &include_details=
            name = query.get("name", [None])[0]
            self.send_json(
                200,
                _paginated([k for k in state.key_pairs.values() if name in (None, k["name"])]),
            )

        def groups(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            if self.command == "POST" and not rest:
                self.create_group(body if isinstance(body, dict) else {})
                return
            # core_groups_list ?name= (exact) &include_users=
            name = query.get("name", [None])[0]
            self.send_json(
                200, _paginated([g for g in state.groups.values() if name in (None, g["name"])])
            )

        def create_group(self, body: dict[str, Any]) -> None:
            # core_groups_create: core/api/groups.py GroupSerializer, a ModelSerializer of
            # core/models.py Group, whose `name` is a TextField(unique=True). DRF makes it a
            # CharField: trim_whitespace (str.strip), no blank, no NUL, unique.
            raw = body.get("name")
            if raw is None:
                self.send_json(400, {"name": ["This field is required."]})
                return
            name = str(raw).strip()
            if not name:
                self.send_json(400, {"name": ["This field may not be blank."]})
            elif "\x00" in name:
                self.send_json(400, {"name": ["Null characters are not allowed."]})
            elif any(g["name"] == name for g in state.groups.values()):
                self.send_json(400, {"name": ["group with this name already exists."]})
            else:
                self.send_json(201, state.groups[state.add_group(name)])

        def users(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            # core_users_list ?username= (exact): each user with `groups_obj`
            name = query.get("username", [None])[0]
            self.send_json(
                200,
                _paginated(
                    [
                        {
                            "pk": index + 1,
                            "username": u.username,
                            "email": u.email,
                            "is_active": True,
                            "groups": u.groups,
                            "groups_obj": [
                                {"pk": g, "name": state.groups[g]["name"]}
                                for g in u.groups
                                if g in state.groups
                            ],
                        }
                        for index, u in enumerate(state.web.users.values())
                        if name in (None, u.username)
                    ]
                ),
            )

        def scope_mappings(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            if not rest:
                if self.command == "POST":
                    self.create_mapping(body)
                    return
                # propertymappings_provider_scope_list ?managed= (repeatable, a
                # MultipleChoiceFilter: an unknown choice is 400, never a partial match)
                known = {m["managed"] for m in state.mappings.values() if m["managed"]}
                for wanted in query.get("managed", []):
                    if wanted not in known:
                        self.send_json(
                            400,
                            {
                                "managed": [
                                    f"Select a valid choice. {wanted} is not one of the available "
                                    "choices."
                                ]
                            },
                        )
                        return
                managed = set(query.get("managed", []))
                found = [
                    m for m in state.mappings.values() if not managed or m["managed"] in managed
                ]
                self.send_json(200, _paginated(sorted(found, key=lambda m: m["name"])))
                return
            mapping = state.mappings.get(rest)
            if mapping is None:
                self.send_json(404, _not_found("ScopeMapping"))
            elif self.command == "GET":
                self.send_json(200, mapping)
            elif self.command == "PUT":
                missing = _invalid(body, ("name", "scope_name", "expression"))
                if missing:
                    self.send_json(400, missing)
                    return
                mapping.update({k: body[k] for k in ("name", "scope_name", "expression")})
                mapping["description"] = body.get("description", mapping["description"])
                self.send_json(200, mapping)
            elif self.command == "DELETE":
                del state.mappings[rest]
                self.send_json(204)

        def create_mapping(self, body: dict[str, Any]) -> None:
            missing = _invalid(body, ("name", "scope_name", "expression"))
            if missing:
                self.send_json(400, missing)
                return
            pk = str(uuid.uuid4())
            state.mappings[pk] = {
                "pk": pk,
                "managed": None,
                "name": body["name"],
                "scope_name": body["scope_name"],
                "expression": body["expression"],
                "description": body.get("description", ""),
            }
            self.send_json(201, state.mappings[pk])

        def providers(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            if not rest:
                if self.command == "POST":
                    self.write_provider(None, body)
                    return
                # providers_oauth2_list ?client_id=
                wanted = query.get("client_id", [None])[0]
                self.send_json(
                    200,
                    _paginated(
                        [
                            state.provider_view(p)
                            for p in state.providers.values()
                            if wanted in (None, p["client_id"])
                        ]
                    ),
                )
                return
            provider = state.providers.get(int(rest)) if rest.isdigit() else None
            if provider is None:
                self.send_json(404, _not_found("OAuth2Provider"))
            elif self.command == "GET":
                self.send_json(200, state.provider_view(provider))
            elif self.command == "PUT":
                self.write_provider(provider, body)
            elif self.command == "DELETE":
                del state.providers[provider["pk"]]
                for app in state.applications.values():  # Application.provider SET_DEFAULT
                    if app["provider"] == provider["pk"]:
                        app["provider"] = None
                self.send_json(204)

        def write_provider(self, provider: dict[str, Any] | None, body: dict[str, Any]) -> None:
            # providers/oauth2/api/providers.py OAuth2ProviderSerializer
            errors = _invalid(body, ("name", "authorization_flow", "invalidation_flow"))
            others = [p for p in state.providers.values() if p is not provider]
            if any(p["name"] == body.get("name") for p in others):  # Provider.name unique
                errors["name"] = ["provider with this name already exists."]
            if any(p["client_id"] == body.get("client_id") for p in others):
                errors["client_id"] = ["o auth2 provider with this client id already exists."]
            for key in ("authorization_flow", "invalidation_flow"):
                if body.get(key) and body[key] not in state.flows:
                    errors[key] = [f'Invalid pk "{body[key]}" - object does not exist.']
            for uri in body.get("redirect_uris") or []:
                if uri.get("matching_mode") not in ("strict", "regex"):
                    errors["redirect_uris"] = [
                        f'"{uri.get("matching_mode")}" is not a valid choice.'
                    ]
            if errors:
                self.send_json(400, errors)
                return
            fields = {k: body[k] for k in PROVIDER_FIELDS if k in body and k != "client_id"}
            if provider is None:
                pk = state.add_provider(
                    body["client_id"], client_secret=body.get("client_secret"), **fields
                )
                self.send_json(201, state.provider_view(state.providers[pk]))
                return
            provider.update(fields, client_id=body.get("client_id", provider["client_id"]))
            if body.get("client_secret"):
                provider["client_secret"] = body["client_secret"]
            self.send_json(200, state.provider_view(provider))

        def applications(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            if not rest:
                if self.command == "POST":
                    self.write_application(None, body)
                else:
                    # core_applications_list: only what the requester may open, unless
                    # superuser_full_list=true (seen on a real 2026.2.2)
                    self.send_json(
                        200,
                        _paginated(
                            [state.application_view(a) for a in state.applications.values()]
                        ),
                    )
                return
            slug, _, action = rest.partition("/")
            app = state.applications.get(slug)
            if action == "set_icon_url" and self.command == "POST":
                # terraform-provider-authentik v2025.8.1 resource_application.go sets
                # meta_icon through CoreApplicationsSetIconUrlCreate; authentik 2025.12
                # removed the action: 405 with an empty body (seen on a real 2026.2.2)
                self.send_response(405)
                self.send_header("Allow", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if app is None:
                self.send_json(404, _not_found("Application"))
            elif self.command == "GET":
                self.send_json(200, state.application_view(app))
            elif self.command == "PUT":
                self.write_application(app, body)
            elif self.command == "DELETE":
                del state.applications[slug]
                if app["provider"] in state.providers:
                    state.providers[app["provider"]]["assigned_application_slug"] = None
                # PolicyBinding.target: on_delete CASCADE
                state.bindings[:] = [b for b in state.bindings if b["target"] != app["pk"]]
                self.send_json(204)

        def write_application(self, app: dict[str, Any] | None, body: dict[str, Any]) -> None:
            # core/api/applications.py ApplicationSerializer; slug and provider are unique
            errors = _invalid(body, ("name", "slug"))
            others = [a for a in state.applications.values() if a is not app]
            if any(a["slug"] == body.get("slug") for a in others):
                errors["slug"] = ["application with this slug already exists."]
            if body.get("provider") is not None:
                if body["provider"] not in state.providers:
                    errors["provider"] = [
                        f'Invalid pk "{body["provider"]}" - object does not exist.'
                    ]
                elif any(a["provider"] == body["provider"] for a in others):
                    errors["provider"] = ["application with this provider already exists."]
            if errors:
                self.send_json(400, errors)
                return
            fields = {k: body[k] for k in APPLICATION_FIELDS if k in body}
            if app is None:
                extra = {k: v for k, v in fields.items() if k not in ("slug", "provider")}
                state.add_application(body["slug"], body.get("provider"), **extra)
                self.send_json(201, state.application_view(state.applications[body["slug"]]))
                return
            old_slug, old_provider = app["slug"], app["provider"]
            app.update(fields)
            if app["slug"] != old_slug:
                state.applications[app["slug"]] = state.applications.pop(old_slug)
            if old_provider in state.providers:
                state.providers[old_provider]["assigned_application_slug"] = None
            if app["provider"] in state.providers:
                state.providers[app["provider"]]["assigned_application_slug"] = app["slug"]
            self.send_json(200, state.application_view(app))

        def bindings(self, rest: str, query: dict[str, list[str]], body: Any) -> None:
            if not rest:
                if self.command == "POST":
                    self.write_binding(None, body)
                    return
                # policies_bindings_list ?target=
                target = query.get("target", [None])[0]
                self.send_json(
                    200,
                    _paginated(
                        [
                            state.binding_view(b)
                            for b in state.bindings
                            if target in (None, b["target"])
                        ]
                    ),
                )
                return
            binding = next((b for b in state.bindings if b["pk"] == rest), None)
            if binding is None:
                self.send_json(404, _not_found("PolicyBinding"))
            elif self.command == "GET":
                self.send_json(200, state.binding_view(binding))
            elif self.command == "PUT":
                self.write_binding(binding, body)
            elif self.command == "DELETE":
                state.bindings.remove(binding)
                self.send_json(204)

        def write_binding(self, binding: dict[str, Any] | None, body: dict[str, Any]) -> None:
            # policies/api/bindings.py PolicyBindingSerializer: exactly one of policy,
            # group or user; the target must exist
            errors = _invalid(body, ("target", "order"))
            targets = {a["pk"] for a in state.applications.values()}
            if body.get("target") and body["target"] not in targets:
                errors["target"] = [f'Invalid pk "{body["target"]}" - object does not exist.']
            if body.get("group") and body["group"] not in state.groups:
                errors["group"] = [f'Invalid pk "{body["group"]}" - object does not exist.']
            given = [k for k in ("policy", "group", "user") if body.get(k) is not None]
            if len(given) != 1:
                errors["non_field_errors"] = ["Only one of 'policy', 'group' or 'user' can be set."]
            if errors:
                self.send_json(400, errors)
                return
            fields = {k: body[k] for k in BINDING_FIELDS if k in body}
            if binding is None:
                pk = state.bind_group(body["target"], body["group"], body["order"])
                binding = next(b for b in state.bindings if b["pk"] == pk)
                binding.update(fields)
                self.send_json(201, state.binding_view(binding))
                return
            binding.update(fields)
            self.send_json(200, state.binding_view(binding))

    return Handler
