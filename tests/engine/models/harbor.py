"""Model of the `harbor` 3.10.21 plugin (pulumiverse/pulumi-harbor).

The real plugin bridges goharbor/terraform-provider-harbor at fec5ee83 (v3.10.21)
through pulumi-terraform-bridge v3.110.0's terraform-plugin-sdk/v2 path
(`pkg/tfbridge/provider.go`). Run as `python -m tests.engine.models.harbor`.

What the bridge does, as modelled: Check fills in the schema's defaults; a ForceNew
change is a replacement; an error is the SDK's diagnostics joined by go-multierror,
`1 error occurred:\\n\\t* <message>\\n\\n` (`pkg/tfshim/sdk-v2`).
"""

from __future__ import annotations

import base64
import contextlib
from typing import Any, ClassVar

from .http import Client, Unreachable
from .provider import Field, ModelProvider, Props, ProviderError, serve

VERSION = "3.10.21"
_TOKEN = "harbor:index/"
ROLES = {"projectadmin": 1, "developer": 2, "guest": 3, "maintainer": 4, "limitedguest": 5}
"""client/project_members.go `RoleTypeNumber`; `RoleType` is the reverse."""
GROUP_TYPES = {"ldap": 1, "internal": 2, "oidc": 3}
"""client/project_members.go `GroupType`."""


def failed(message: str) -> ProviderError:
    return ProviderError(f"1 error occurred:\n\t* {message}\n\n")


class HttpError(Exception):
    """client/client.go `SendRequest`: a status other than the one expected."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Api:
    """client/client.go: `<url>/api/v2.0`, basic auth on every request, and no retry
    (a 403 is retried once with a CSRF token Harbor's API never sends)."""

    def __init__(self, url: str, username: str, password: str) -> None:
        basic = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.client = Client(
            url.strip("/") + "/api/v2.0",
            {
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/json",
                "User-Agent": "Go-http-client/1.1",
            },
        )

    def send(self, method: str, path: str, body: Any, expected: int, query: str = "") -> Any:
        """`SendRequest`: the answer when its status is ``expected``, else an error."""
        try:
            answer = self.client.send(method, path, body, query)
        except Unreachable as exc:
            raise HttpError(502, str(exc)) from None
        if answer.status == 403:
            raise HttpError(403, "[ERROR] no X-Harbor-Csrf-Token present to retry")
        if answer.status != expected:
            raise HttpError(
                answer.status,
                f"[ERROR] unexpected status code got: {answer.status} expected: {expected} "
                f"\n {answer.body}",
            )
        return answer


class ConfigAuth:
    """provider/resource_config_auth.go; the body is models/config.go
    `ConfigBodyAuthPost` (client/config.go `GetConfigAuth`)."""

    fields: ClassVar[dict[str, Field]] = {
        "authMode": Field(),
        "primaryAuthMode": Field(default=False),
        "oidcName": Field(),
        "oidcEndpoint": Field(),
        "oidcClientId": Field(),
        "oidcClientSecret": Field(sensitive=True),
        "oidcGroupFilter": Field(),
        "oidcGroupsClaim": Field(),
        "oidcAdminGroup": Field(),
        "oidcScope": Field(),
        "oidcVerifyCert": Field(),
        "oidcAutoOnboard": Field(),
        "oidcUserClaim": Field(),
        "ldapUrl": Field(),
        "ldapBaseDn": Field(),
        "ldapUid": Field(),
        "ldapVerifyCert": Field(default=False),
        "ldapSearchDn": Field(),
        "ldapSearchPassword": Field(sensitive=True),
        "ldapFilter": Field(),
        "ldapGroupUid": Field(),
        "ldapScope": Field(default="subtree"),
        "ldapGroupBaseDn": Field(),
        "ldapGroupFilter": Field(),
        "ldapGroupGid": Field(),
        "ldapGroupAdminDn": Field(),
        "ldapGroupMembership": Field(default="memberof"),
        "ldapGroupScope": Field(default="subtree"),
    }
    ID = "/configurations"

    def __init__(self, api: Api) -> None:
        self.api = api

    @staticmethod
    def body(plan: Props) -> Props:
        """The keys in the struct's order; `omitempty` drops every empty string and a
        false `primary_auth_mode`, so such a value never reaches Harbor. OIDC mode only:
        this component never sets LDAP (any other mode sends no `auth_mode` at all)."""
        oidc = plan.get("authMode") in ("oidc_auth", "oidc")
        fields: list[tuple[str, Any, bool]] = [  # (key, value, omitempty)
            ("oidc_verify_cert", bool(oidc and plan.get("oidcVerifyCert")), False),
            ("oidc_auto_onboard", bool(oidc and plan.get("oidcAutoOnboard")), False),
            ("oidc_user_claim", oidc and plan.get("oidcUserClaim"), True),
            ("auth_mode", "oidc_auth" if oidc else None, True),
            ("primary_auth_mode", oidc and plan.get("primaryAuthMode"), True),
            ("self_registration", False, False),
            ("oidc_scope", oidc and plan.get("oidcScope"), True),
            ("scan_all_policy", {"parameter": {}}, False),
            ("oidc_name", oidc and plan.get("oidcName"), True),
            ("oidc_client_id", oidc and plan.get("oidcClientId"), True),
            ("oidc_endpoint", oidc and plan.get("oidcEndpoint"), True),
            ("oidc_client_secret", oidc and plan.get("oidcClientSecret"), True),
            ("oidc_group_filter", oidc and plan.get("oidcGroupFilter"), True),
            ("oidc_groups_claim", oidc and plan.get("oidcGroupsClaim"), True),
            ("ldap_scope", 0, False),
            ("ldap_group_search_scope", 0, False),
            ("ldap_verify_cert", False, False),
            ("oidc_admin_group", oidc and plan.get("oidcAdminGroup"), True),
        ]
        return {key: value for key, value, omit in fields if value or not omit}

    def create(self, plan: Props) -> tuple[str, Props]:
        return self.ID, self.update(self.ID, {}, plan)

    def update(self, id_: str, state: Props, plan: Props) -> Props:
        # `resourceConfigAuthCreate` (also Update): PUT, exactly 200, then Read
        try:
            self.api.send("PUT", "/configurations", self.body(plan), 200)
        except HttpError as exc:
            raise failed(str(exc)) from None
        read = self.read(self.ID, plan)
        if read is None:
            raise failed("Resource not found ")
        return read

    def read(self, id_: str, state: Props) -> Props | None:
        # `resourceConfigAuthRead`: a 404 is gone; any other error is ignored, and the
        # empty body then fails to parse
        try:
            values = self.api.send("GET", "/configurations", None, 200).json()
        except HttpError as exc:
            if exc.status == 404:
                return None
            raise failed("unexpected end of JSON input") from None

        def value(key: str) -> Any:
            return (values.get(key) or {}).get("value")

        read = {
            **state,
            "id": self.ID,
            "authMode": value("auth_mode"),
            "primaryAuthMode": bool(value("primary_auth_mode")),
        }
        if value("auth_mode") in ("oidc_auth", "oidc"):
            # client/config.go `SetAuthValues`: never the secret, never the group filter
            for field, key in (
                ("oidcName", "oidc_name"),
                ("oidcEndpoint", "oidc_endpoint"),
                ("oidcClientId", "oidc_client_id"),
                ("oidcGroupsClaim", "oidc_groups_claim"),
                ("oidcScope", "oidc_scope"),
                ("oidcVerifyCert", "oidc_verify_cert"),
                ("oidcAutoOnboard", "oidc_auto_onboard"),
                ("oidcUserClaim", "oidc_user_claim"),
                ("oidcAdminGroup", "oidc_admin_group"),
            ):
                read[field] = value(key)
        return {k: v for k, v in read.items() if v is not None}

    def import_state(self, id_: str, state: Props) -> None:
        """The Importer's State function calls `resourceConfigAuthRead` itself (its result
        ignored), and the bridge's Read follows: an import reads the configuration twice
        (wire/13-adopt-preview). `ProjectMemberGroup` imports by `ImportStatePassthrough`:
        no request of its own."""
        with contextlib.suppress(ProviderError):
            self.read(id_, state)

    def delete(self, id_: str, state: Props) -> None:
        """`resourceConfigAuthDelete` sends nothing: Harbor keeps its configuration."""


def project_path(project_id: str) -> str:
    """provider/resource_robot_account.go `checkProjectid`."""
    return project_id if "/projects/" in project_id else f"/projects/{project_id}"


class ProjectMemberGroup:
    """provider/resource_project_member_group.go"""

    fields: ClassVar[dict[str, Field]] = {
        "projectId": Field(force_new=True),
        "groupName": Field(force_new=True),
        "groupId": Field(force_new=True),
        "ldapGroupDn": Field(),
        "memberId": Field(output=True),
        "role": Field(),
        "type": Field(),
    }

    def __init__(self, api: Api) -> None:
        self.api = api

    @staticmethod
    def body(plan: Props) -> Props:
        # client/project_members.go `ProjectMembersGroupBody`: member_user always {}
        group: Props = {"group_type": GROUP_TYPES.get(str(plan.get("type")), 0)}
        if plan.get("groupName"):
            group["group_name"] = plan["groupName"]
        if plan.get("groupId"):
            group["id"] = int(plan["groupId"])
        if plan.get("ldapGroupDn"):
            group["ldap_group_dn"] = plan["ldapGroupDn"]
        return {
            "role_id": ROLES.get(str(plan.get("role")), 0),
            "member_group": group,
            "member_user": {},
        }

    def create(self, plan: Props) -> tuple[str, Props]:
        # `resourceMembersGroupCreate`: POST, exactly 201, the id is Location without
        # "/api" and "/v2.0" (client.go `GetID`), then Read
        path = project_path(str(plan.get("projectId"))) + "/members"
        try:
            answer = self.api.send("POST", path, self.body(plan), 201)
        except HttpError as exc:
            raise failed(str(exc)) from None
        id_ = answer.headers["Location"].replace("/api", "").replace("/v2.0", "")
        read = self.read(id_, plan)
        if read is None:
            raise failed(f"resource not found {id_}")
        return id_, read

    def read(self, id_: str, state: Props) -> Props | None:
        # `resourceMembersGroupRead`: 404 is gone; anything else "resource not found"
        try:
            found = self.api.send("GET", id_, None, 200).json()
        except HttpError as exc:
            if exc.status == 404:
                return None
            raise failed(f"resource not found {id_}") from None
        names = {number: name for name, number in ROLES.items()}
        return {
            **state,
            "id": id_,
            "role": names.get(found["role_id"], ""),
            "projectId": project_path(str(found["project_id"])),
            "groupName": found["entity_name"],
        }

    def update(self, id_: str, state: Props, plan: Props) -> Props:
        # `resourceMembersGroupUpdate`: PUT the create body; an error is printed and
        # ignored; then Read
        with contextlib.suppress(HttpError):
            self.api.send("PUT", id_, self.body(plan), 200)
        read = self.read(id_, plan)
        if read is None:
            raise failed(f"resource not found {id_}")
        return read

    def delete(self, id_: str, state: Props) -> None:
        # `resourceMembersGroupDelete`: 200, or 404 as gone already
        try:
            self.api.send("DELETE", id_, None, 200)
        except HttpError as exc:
            if exc.status != 404:
                raise failed(str(exc)) from None


class HarborModel(ModelProvider):
    def __init__(self) -> None:
        super().__init__(version=VERSION, accept_secrets=True, defaults_in_check=True)

    def schema(self) -> Props:
        return {
            "name": "harbor",
            "version": VERSION,
            "provider": {
                "inputProperties": {
                    "url": {"type": "string"},
                    "username": {"type": "string"},
                    "password": {"type": "string", "secret": True},
                    "insecure": {"type": "boolean"},
                }
            },
        }

    def configure(self, config: Props) -> None:
        # provider.go `providerConfigure`: no request; the url is required
        url = str(config.get("url") or "")
        if not url:
            raise failed(
                "url is required and must be provided in the provider config or the "
                "HARBOR_URL environment variable"
            )
        api = Api(url, str(config.get("username") or ""), str(config.get("password") or ""))
        self.resources = {
            f"{_TOKEN}configAuth:ConfigAuth": ConfigAuth(api),
            f"{_TOKEN}projectMemberGroup:ProjectMemberGroup": ProjectMemberGroup(api),
        }

        def get_project(args: Props) -> Props:
            # data_project.go `dataProjectRead`: the name unencoded, the exact name
            # kept; none is no id and no error
            name = str(args.get("name", ""))
            try:
                projects = api.send("GET", "/projects", None, 200, query=f"name={name}").json()
            except HttpError as exc:
                raise ProviderError(
                    f"invoking {_TOKEN}getProject:getProject: 1 error occurred:\n\t* {exc}\n\n"
                ) from None
            for project in projects or []:
                if project["name"] == name:
                    metadata = project.get("metadata") or {}
                    return {
                        "id": f"/projects/{project['project_id']}",
                        "name": name,
                        "projectId": project["project_id"],
                        "public": metadata.get("public") == "true",
                        "vulnerabilityScanning": metadata.get("auto_scan") == "true",
                        "type": "ProxyCache" if "registry_id" in project else "Project",
                    }
            return {}

        self.invokes = {f"{_TOKEN}getProject:getProject": get_project}


if __name__ == "__main__":
    serve(HarborModel())
