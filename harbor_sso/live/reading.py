"""What a live authentik and Harbor pair holds, read once: the application and its OAuth2
provider, scope mappings and policy bindings, authentik's version and discovery
document; Harbor's configuration, system information, users and project members.

One GET per thing, read-only, through the bounded client (live/http.py); what cannot be
read is kept as why not, for the checks to report. API descriptions the paths and field
names follow: authentik ``schema.yml`` (as its generated client 2026.8.5 carries it),
Harbor ``api/v2.0/swagger.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..harbor_side import NO_ADMIN_GROUP
from ..validation import Settings
from .http import Fetch, NoAnswer, NotJson, Send, decode_json, get, printable
from .ping import Pinged, ping

MAX_MAPPINGS = 12
"""Scope mappings read one by one; a provider has four or five."""
MAX_USERS = 10
"""Harbor users whose OIDC issuer is read, one by one: the first page of the list."""
DISCOVERY_SUFFIX = ".well-known/openid-configuration"


def q(value: Any) -> str:
    """A server-provided value, quoted and made safe for a terminal."""
    return "'" + printable(str(value)) + "'"


def value_of(config: dict[str, Any], key: str) -> Any:
    """A Harbor configuration item's value (swagger ``StringConfigItem``/``BoolConfigItem``:
    ``{"value": ..., "editable": ...}``); None when absent."""
    item = config.get(key)
    return item.get("value") if isinstance(item, dict) else None


@dataclass(frozen=True)
class Got:
    """One read: the JSON, or why there is none; and a list's X-Total-Count."""

    value: Any = None
    why: str | None = None
    total: str | None = None
    fix: str = ""
    """When the read got no answer from its server (a certificate, a connection, a name,
    a timeout): what to do (harbor_sso/transport.py). A check shows it instead of its own."""


def _error(value: Any) -> str:
    """authentik's ``GenericError.detail`` or Harbor's ``Errors.errors[].message``."""
    if isinstance(value, dict):
        if isinstance(value.get("detail"), str):
            return f" ({q(value['detail'])})"
        errors = value.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return f" ({q(errors[0].get('message', ''))})"
    return ""


@dataclass(frozen=True)
class Reader:
    """Bounded reads of one pair, each URL under the base it was given."""

    fetch: Fetch
    settings: Settings
    keys: Mapping[str, str] = field(default_factory=dict)
    """A server (transport.origin) -> the flag or key its URL comes from."""
    send: Send | None = None
    """Requests other than GET (Harbor's OIDC ping); None: not asked."""

    @property
    def api(self) -> str:
        return self.settings.authentik_url + "/api/v3"

    @property
    def harbor_api(self) -> str:
        return self.settings.harbor_url + "/api/v2.0"

    def get(self, url: str) -> Got:
        response = get(self.fetch, url)
        if isinstance(response, NoAnswer):
            return self.no_answer(response)
        total = response.headers.get("X-Total-Count")
        try:
            value = decode_json(response.body)
        except NotJson as exc:
            return Got(why=f"GET {url} answered {response.status}, but {exc}", total=total)
        if response.status != 200:
            return Got(why=f"GET {url} answered {response.status}{_error(value)}", total=total)
        return Got(value, total=total)

    def no_answer(self, response: NoAnswer) -> Got:
        failure = response.transport
        if failure is None:
            return Got(why=str(response))
        key = self.keys.get(failure.server)
        return Got(why=failure.summary(key), fix=failure.fix(key or "the URL"))


@dataclass(frozen=True)
class Found:
    """The application and its provider, or where the search stopped."""

    slug: str
    app: dict[str, Any] | None = None
    provider: dict[str, Any] | None = None
    stopped: str | None = None
    """Why the search stopped: a failed read's text, or one of the `NO_*` reasons."""
    fix: str = ""
    """The failed read's fix, when it got no answer (:attr:`Got.fix`)."""


NO_CLIENT = "no provider with that client ID"
NO_APPLICATION_OF_CLIENT = "the provider belongs to no application"
NOT_AN_APPLICATION = "the application is not a JSON object"
NO_PROVIDER = "the application has no provider"
NOT_A_PROVIDER = "the provider is not a JSON object"


def find_application(reader: Reader, client_id: str | None) -> Found:
    """By the provider's client ID, when given, else by the slug."""
    slug = reader.settings.slug
    if client_id is not None:
        # schema.yml providers_oauth2_list: GET /providers/oauth2/?client_id=
        got = reader.get(f"{reader.api}/providers/oauth2/?client_id={quote(client_id, safe='')}")
        if got.why:
            return Found(slug, stopped=got.why, fix=got.fix)
        results = got.value.get("results") if isinstance(got.value, dict) else None
        if not isinstance(results, list) or not results:
            return Found(slug, stopped=NO_CLIENT)
        slug = str(results[0].get("assigned_application_slug") or "")
        if not slug:
            return Found(slug, stopped=NO_APPLICATION_OF_CLIENT)
    # schema.yml core_applications_retrieve: GET /core/applications/{slug}/
    got = reader.get(f"{reader.api}/core/applications/{quote(slug, safe='')}/")
    if got.why or not isinstance(got.value, dict):
        return Found(slug, stopped=got.why or NOT_AN_APPLICATION, fix=got.fix)
    app = got.value
    slug = str(app.get("slug", slug))
    pk = app.get("provider")
    if not isinstance(pk, int):
        return Found(slug, app, stopped=NO_PROVIDER)
    # schema.yml providers_oauth2_retrieve: GET /providers/oauth2/{id}/
    got = reader.get(f"{reader.api}/providers/oauth2/{pk}/")
    if got.why or not isinstance(got.value, dict):
        return Found(slug, app, stopped=got.why or NOT_A_PROVIDER, fix=got.fix)
    return Found(slug, app, got.value)


def scope_mappings(reader: Reader, provider: dict[str, Any]) -> list[dict[str, Any]]:
    """The provider's scope mappings, the first :data:`MAX_MAPPINGS`."""
    pks = [str(p) for p in provider.get("property_mappings") or []]
    found: list[dict[str, Any]] = []
    for pk in pks[:MAX_MAPPINGS]:
        # schema.yml propertymappings_provider_scope_retrieve: GET .../scope/{pm_uuid}/
        got = reader.get(f"{reader.api}/propertymappings/provider/scope/{quote(pk, safe='')}/")
        if not got.why and isinstance(got.value, dict):
            found.append(got.value)  # else a property mapping of another kind, or gone
    return found


def bindings(reader: Reader, app: dict[str, Any]) -> tuple[list[Any] | None, str | None]:
    """The application's policy bindings, or (None, why not)."""
    target = quote(str(app.get("pk", "")), safe="")
    # schema.yml policies_bindings_list: GET /policies/bindings/?target=<app uuid>
    got = reader.get(f"{reader.api}/policies/bindings/?target={target}&page_size=100")
    results = got.value.get("results") if isinstance(got.value, dict) else None
    if got.why or not isinstance(results, list):
        return None, got.why or "no binding list"
    return results, None


def project_members(reader: Reader, project: str) -> tuple[int, list[dict[str, Any]]] | str:
    """A Harbor project's number and its group memberships, or why not."""
    # swagger.yaml listProjects: GET /projects?name= is a fuzzy search; keep the exact one
    got = reader.get(f"{reader.harbor_api}/projects?name={quote(project, safe='')}&page_size=100")
    numbers = [
        p.get("project_id")
        for p in (got.value if isinstance(got.value, list) else [])
        if isinstance(p, dict) and p.get("name") == project
    ]
    if got.why or not numbers or not isinstance(numbers[0], int):
        return f"Harbor project {q(project)}: {got.why or 'no such project'}"
    # swagger.yaml listProjectMembers: GET /projects/{project_name_or_id}/members
    members = reader.get(f"{reader.harbor_api}/projects/{numbers[0]}/members?page_size=100")
    if members.why or not isinstance(members.value, list):
        return f"Harbor project {q(project)} members: {members.why or 'not a list'}"
    return numbers[0], [
        m for m in members.value if isinstance(m, dict) and m.get("entity_type") == "g"
    ]


@dataclass
class Reading:
    """Everything doctor judges, read once, in this order."""

    found: Found
    config: Got
    """Harbor's configuration (swagger getConfigurations, system admin only)."""
    info: Got
    """Harbor's system information: `external_url` and `harbor_version` only when signed
    in (src/controller/systeminfo/controller.go GetInfo, WithProtectedInfo)."""
    mappings: list[dict[str, Any]] = field(default_factory=list)
    bindings: tuple[list[Any] | None, str | None] = (None, None)
    version: Got = field(default_factory=Got)
    discovery: Got = field(default_factory=Got)
    admin_groups: Got = field(default_factory=Got)
    users: Got = field(default_factory=Got)
    user_details: list[tuple[dict[str, Any], Got]] = field(default_factory=list)
    pinged: Pinged | None = None
    """Harbor's OIDC ping of its endpoint (live/ping.py), when it could be asked."""


def read_pair(reader: Reader, client_id: str | None) -> Reading:
    found = find_application(reader, client_id)
    reading = Reading(
        found,
        config=reader.get(f"{reader.harbor_api}/configurations"),
        info=reader.get(f"{reader.harbor_api}/systeminfo"),
    )
    if found.provider is not None:
        reading.mappings = scope_mappings(reader, found.provider)
    if found.app is not None:
        reading.bindings = bindings(reader, found.app)
        # schema.yml admin_version_retrieve: GET /admin/version/ (version_current)
        reading.version = reader.get(f"{reader.api}/admin/version/")
    config = reading.config.value
    if reading.config.why or not isinstance(config, dict):
        return reading
    issuer = reader.settings.authentik_url + f"/application/o/{quote(found.slug, safe='')}/"
    reading.discovery = reader.get(issuer + DISCOVERY_SUFFIX)
    endpoint = value_of(config, "oidc_endpoint")
    if reader.send is not None and isinstance(endpoint, str) and endpoint:
        verify = value_of(config, "oidc_verify_cert") is not False
        reading.pinged = ping(reader.send, reader.settings.harbor_url, endpoint, verify)
    group = value_of(config, "oidc_admin_group")
    if group and group != NO_ADMIN_GROUP:
        # schema.yml core_groups_list: GET /core/groups/?name=
        reading.admin_groups = reader.get(
            f"{reader.api}/core/groups/?name={quote(str(group), safe='')}"
        )
    # swagger.yaml listUsers: GET /users (system admin), total in X-Total-Count; the
    # default admin is never listed (src/pkg/user/manager.go `List`, excludeDefaultAdmin)
    reading.users = reader.get(f"{reader.harbor_api}/users?page=1&page_size=10")
    if value_of(config, "auth_mode") == "oidc_auth" and isinstance(reading.users.value, list):
        for user in listed_users(reading.users.value)[:MAX_USERS]:
            # swagger.yaml getUser: oidc_user_meta (in oidc_auth), whose `secret` is the
            # user's CLI secret: read for `subiss` alone, never shown
            details = reader.get(f"{reader.harbor_api}/users/{user.get('user_id')}")
            reading.user_details.append((user, details))
    return reading


def listed_users(users: list[Any]) -> list[dict[str, Any]]:
    return [u for u in users if isinstance(u, dict) and u.get("username") != "admin"]
