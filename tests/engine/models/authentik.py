"""Model of the `terraform-provider` 0.12.0 plugin parameterized as `authentik` 2025.8.1.

The real plugin is pulumi-terraform-bridge's dynamic provider (v3.110.0, the Plugin
Framework bridge `pkg/pf/tfbridge`) running goauthentik/terraform-provider-authentik
v2025.8.1 (`pkg/provider/*.go`, cited per function below). Run as
`python -m tests.engine.models.authentik <engine address>`.

What the bridge does, as modelled:
- Parameterize answers `authentik` 2025.8.1 for the value pulumi-authentik sends
  (`dynamic/main.go` `XParamaterize`); Configure asks `GET /api/v3/root/config/` and
  ignores its failure (`provider.go` `providerConfigure`); secrets are not accepted
  (`pkg/pf/tfbridge/provider_configure.go`: acceptSecrets false).
- Check adds no Terraform default; the plan does, so Diff and the writes see them.
- Nothing is ForceNew: every change is an update in place.
- An error is the diagnostic's summary and its empty detail: `<summary>: `
  (`pkg/pf/tfbridge/provider_diagnostics.go` `processDiagnostics`).
"""

from __future__ import annotations

import base64
import contextlib
import json
from typing import Any, ClassVar
from urllib.parse import quote_plus, urlencode, urlsplit

from pulumi.runtime.proto import provider_pb2

from .http import Client, Unreachable
from .provider import Field, ModelProvider, Props, ProviderError, serve

VERSION = "0.12.0"
PACKAGE = ("authentik", "2025.8.1")
USER_AGENT = "authentik-terraform@2025.8.1"
REMOTE = {"url": "registry.opentofu.org/goauthentik/authentik", "version": PACKAGE[1]}
"""The parameter pulumi-authentik embeds (its `pulumi-plugin.json`)."""
_TOKEN = "authentik:index/"


class Gone(Exception):
    """HTTP 404: `httpToDiag` clears the id and reports nothing (utils.go)."""


class Api:
    """The Go API client as the provider configures it: scheme and host of `url`, the
    path always `/api/v3` (provider.go `providerConfigure`)."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.client = Client(
            f"{parts.scheme}://{parts.netloc}/api/v3",
            {
                "Authorization": f"Bearer {token}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )

    def call(self, method: str, path: str, body: Any = None, query: str = "") -> Any:
        """The answer's JSON; 404 raises :class:`Gone`; any other failure is
        `httpToDiag`'s summary (pkg/provider/utils.go)."""
        try:
            answer = self.client.send(method, path, body, query)
        except Unreachable as exc:
            raise diagnostic(f"HTTP Error '{exc}' without http response") from None
        if answer.status == 404:
            raise Gone(path)
        if answer.status >= 300:
            raise diagnostic(
                f"HTTP Error '{answer.status} {answer.reason}' during request "
                f"'{method} /api/v3{path}': \"{answer.body.rstrip()}\""
            )
        return answer.json()


def diagnostic(summary: str) -> ProviderError:
    """A Summary-only diagnostic (`diag.Errorf`) as the bridge formats it."""
    return ProviderError(f"{summary}: ")


def merge(old: list[Any], new: list[Any]) -> list[Any]:
    """utils.go `listConsistentMerge`: what the state held, in its order, then the rest."""
    return [x for x in old if x in new] + [x for x in new if x not in old]


class ApiResource:
    """A resource whose Create, Read, Update and Delete are the API's POST, GET, PUT and
    DELETE under one path, as every resource of this provider does: each write is read
    back, a 404 on Read is "gone" (`httpToDiag`), a 404 on Delete is done."""

    path: ClassVar[str]
    fields: ClassVar[dict[str, Field]]

    def __init__(self, api: Api) -> None:
        self.api = api

    def body(self, plan: Props) -> Props:
        raise NotImplementedError

    def state(self, found: Props, prior: Props) -> Props:
        """The attributes the provider's Read sets from the API's answer."""
        raise NotImplementedError

    def id_of(self, written: Props) -> str:
        return str(written["pk"])

    def after_write(self, written: Props, plan: Props) -> None:
        """What the provider does after a successful POST or PUT."""

    def create(self, plan: Props) -> tuple[str, Props]:
        made = self.api.call("POST", self.path, self.body(plan))
        self.after_write(made, plan)
        id_ = self.id_of(made)
        return id_, self._read(id_, plan)

    def read(self, id_: str, state: Props) -> Props | None:
        try:
            return self._read(id_, state)
        except Gone:
            return None

    def _read(self, id_: str, prior: Props) -> Props:
        found = self.api.call("GET", f"{self.path}{id_}/")
        read = {**prior, "id": self.id_of(found), **self.state(found, prior)}
        return {k: v for k, v in read.items() if v is not None}  # no nulls in outputs

    def update(self, id_: str, state: Props, plan: Props) -> Props:
        written = self.api.call("PUT", f"{self.path}{id_}/", self.body(plan))
        self.after_write(written, plan)
        return self._read(self.id_of(written), plan)

    def delete(self, id_: str, state: Props) -> None:
        with contextlib.suppress(Gone):
            self.api.call("DELETE", f"{self.path}{id_}/")


class OAuth2Provider(ApiResource):
    """resource_provider_oauth2.go: the id is the integer pk; `client_secret` is Optional
    and Computed, so the secret read back is sent again on every PUT."""

    path = "/providers/oauth2/"
    fields: ClassVar[dict[str, Field]] = {
        "name": Field(),
        "authenticationFlow": Field(),
        "authorizationFlow": Field(),
        "invalidationFlow": Field(),
        "propertyMappings": Field(),
        "clientType": Field(default="confidential"),
        "clientId": Field(),
        "clientSecret": Field(computed=True, sensitive=True),
        "accessCodeValidity": Field(default="minutes=1"),
        "accessTokenValidity": Field(default="minutes=10"),
        "refreshTokenValidity": Field(default="days=30"),
        "includeClaimsInIdToken": Field(default=True),
        "signingKey": Field(),
        "encryptionKey": Field(),
        "allowedRedirectUris": Field(),
        "backchannelLogoutUri": Field(),
        "subMode": Field(default="hashed_user_id"),
        "issuerMode": Field(default="per_provider"),
        "jwtFederationSources": Field(),
        "jwtFederationProviders": Field(),
    }
    _OPTIONAL = (
        ("authenticationFlow", "authentication_flow"),
        ("clientSecret", "client_secret"),
        ("backchannelLogoutUri", "backchannel_logout_uri"),
        ("signingKey", "signing_key"),
        ("encryptionKey", "encryption_key"),
    )

    def body(self, plan: Props) -> Props:
        """`resourceProviderOAuth2SchemaToProvider`: defaults and lists always, the
        optional strings only when set."""
        body = {
            "name": plan.get("name"),
            "authorization_flow": plan.get("authorizationFlow"),
            "invalidation_flow": plan.get("invalidationFlow"),
            "access_code_validity": plan["accessCodeValidity"],
            "access_token_validity": plan["accessTokenValidity"],
            "refresh_token_validity": plan["refreshTokenValidity"],
            "include_claims_in_id_token": plan["includeClaimsInIdToken"],
            "client_id": plan.get("clientId"),
            "issuer_mode": plan["issuerMode"],
            "sub_mode": plan["subMode"],
            "client_type": plan["clientType"],
            "property_mappings": list(plan.get("propertyMappings") or []),
            "jwt_federation_sources": list(plan.get("jwtFederationSources") or []),
            "redirect_uris": [
                {"matching_mode": u.get("matching_mode"), "url": u.get("url")}
                for u in plan.get("allowedRedirectUris") or []
            ],
            "jwt_federation_providers": [int(p) for p in plan.get("jwtFederationProviders") or []],
        }
        body.update({api: plan[key] for key, api in self._OPTIONAL if plan.get(key)})
        return body

    def state(self, found: Props, prior: Props) -> Props:
        # `resourceProviderOAuth2Read`: lists merged in the prior order
        uris = [
            {"matching_mode": u["matching_mode"], "url": u["url"]} for u in found["redirect_uris"]
        ]
        read = {
            "name": found["name"],
            "authenticationFlow": found.get("authentication_flow"),
            "authorizationFlow": found["authorization_flow"],
            "invalidationFlow": found["invalidation_flow"],
            "clientId": found["client_id"],
            "clientSecret": found.get("client_secret"),
            "clientType": found["client_type"],
            "includeClaimsInIdToken": found["include_claims_in_id_token"],
            "issuerMode": found["issuer_mode"],
            "backchannelLogoutUri": found.get("backchannel_logout_uri"),
            "allowedRedirectUris": merge(prior.get("allowedRedirectUris") or [], uris),
            "subMode": found["sub_mode"],
            "accessCodeValidity": found["access_code_validity"],
            "accessTokenValidity": found["access_token_validity"],
            "refreshTokenValidity": found["refresh_token_validity"],
        }
        for key, api in (
            ("propertyMappings", "property_mappings"),
            ("jwtFederationSources", "jwt_federation_sources"),
            ("jwtFederationProviders", "jwt_federation_providers"),
        ):
            read[key] = merge(prior.get(key) or [], found[api])
        for key, api in (("signingKey", "signing_key"), ("encryptionKey", "encryption_key")):
            if api in found:  # set only when the key is in the answer (`IsSet`)
                read[key] = found[api]
        return read


class Application(ApiResource):
    """resource_application.go: the id is the slug; a PUT goes to the old slug, and the
    icon and the id then follow the new one."""

    path = "/core/applications/"
    fields: ClassVar[dict[str, Field]] = {
        "name": Field(),
        "group": Field(),
        "uuid": Field(computed=True),
        "slug": Field(),
        "protocolProvider": Field(),
        "backchannelProviders": Field(),
        "metaLaunchUrl": Field(),
        "metaIcon": Field(),
        "metaDescription": Field(),
        "metaPublisher": Field(),
        "policyEngineMode": Field(default="any"),
        "openInNewTab": Field(default=False),
    }

    def id_of(self, written: Props) -> str:
        return str(written["slug"])

    def body(self, plan: Props) -> Props:
        """`resourceApplicationSchemaToModel`: the text fields always, as "" when unset;
        `provider` null when unset; never `meta_icon`."""
        provider = plan.get("protocolProvider")
        texts = (
            ("group", "group"),
            ("meta_launch_url", "metaLaunchUrl"),
            ("meta_description", "metaDescription"),
            ("meta_publisher", "metaPublisher"),
        )
        return {
            "name": plan.get("name"),
            "slug": plan.get("slug"),
            "open_in_new_tab": plan["openInNewTab"],
            "policy_engine_mode": plan["policyEngineMode"],
            "provider": int(provider) if provider else None,
            "backchannel_providers": [int(p) for p in plan.get("backchannelProviders") or []],
            **{api: plan.get(key) or "" for api, key in texts},
        }

    def after_write(self, written: Props, plan: Props) -> None:
        # only when set: POST .../set_icon_url/ (gone in authentik 2025.12: 405)
        if plan.get("metaIcon"):
            self.api.call(
                "POST", f"{self.path}{written['slug']}/set_icon_url/", {"url": plan["metaIcon"]}
            )

    def state(self, found: Props, prior: Props) -> Props:
        # `resourceApplicationRead`
        read = {
            "uuid": found["pk"],
            "name": found["name"],
            "group": found.get("group"),
            "slug": found["slug"],
            "openInNewTab": found["open_in_new_tab"],
            "protocolProvider": found["provider"] or 0,
            "metaLaunchUrl": found["meta_launch_url"],
            "metaDescription": found["meta_description"],
            "metaPublisher": found["meta_publisher"],
            "policyEngineMode": found["policy_engine_mode"],
            "backchannelProviders": found["backchannel_providers"],
        }
        if "meta_icon" in found:
            read["metaIcon"] = found["meta_icon"]
        return read


class PolicyBinding(ApiResource):
    """resource_policy_binding.go: the id is the binding's UUID."""

    path = "/policies/bindings/"
    fields: ClassVar[dict[str, Field]] = {
        "target": Field(),
        "policy": Field(),
        "user": Field(),
        "group": Field(),
        "order": Field(),
        "negate": Field(default=False),
        "enabled": Field(default=True),
        "timeout": Field(default=30),
        "failureResult": Field(default=False),
    }

    def body(self, plan: Props) -> Props:
        # policy, user and group: the value when set, else JSON null
        user = plan.get("user")
        return {
            "target": plan.get("target"),
            "order": int(plan.get("order") or 0),
            "negate": plan["negate"],
            "enabled": plan["enabled"],
            "timeout": int(plan["timeout"]),
            "failure_result": plan["failureResult"],
            "policy": plan.get("policy") or None,
            "group": plan.get("group") or None,
            "user": int(user) if user else None,
        }

    def state(self, found: Props, prior: Props) -> Props:
        read = {
            "target": found["target"],
            "order": found["order"],
            "negate": found["negate"],
            "enabled": found["enabled"],
            "timeout": found["timeout"],
            "failureResult": found["failure_result"],
        }
        read.update({key: found[key] for key in ("policy", "user", "group") if key in found})
        return read


class ScopeMapping(ApiResource):
    """resource_property_mapping_provider_scope.go: the id is the mapping's UUID."""

    path = "/propertymappings/provider/scope/"
    fields: ClassVar[dict[str, Field]] = {
        "name": Field(),
        "scopeName": Field(),
        "description": Field(),
        "expression": Field(),
    }

    def body(self, plan: Props) -> Props:
        body = {
            "name": plan.get("name"),
            "scope_name": plan.get("scopeName"),
            "expression": plan.get("expression"),
        }
        if plan.get("description"):
            body["description"] = plan["description"]
        return body

    def state(self, found: Props, prior: Props) -> Props:
        return {
            "name": found["name"],
            "expression": found["expression"],
            "scopeName": found["scope_name"],
            "description": found.get("description") or None,
        }


class AuthentikModel(ModelProvider):
    """The plugin: its resources, its data sources, its configuration."""

    def __init__(self) -> None:
        super().__init__(version=VERSION, accept_secrets=False, defaults_in_check=False)
        self.api: Api | None = None

    def parameterize(self, request: provider_pb2.ParameterizeRequest) -> tuple[str, str]:
        # dynamic/parameterize/value.go `ParseValue` (the remote form pulumi-authentik
        # embeds), or the arguments a YAML program's `packages:` entry gives
        # (`goauthentik/authentik 2025.8.1`); the model serves that one version only
        if request.WhichOneof("parameters") == "args":
            asked = list(request.args.args)
            remote = {"url": f"registry.opentofu.org/{asked[0]}", "version": asked[-1]}
        else:
            remote = json.loads(request.value.value or b"{}").get("remote", {})
        if remote != REMOTE:
            raise ProviderError(f"failed to parse parameterized value: model serves only {PACKAGE}")
        return PACKAGE

    def schema(self) -> Props:
        return {
            "name": PACKAGE[0],
            "version": PACKAGE[1],
            "parameterization": {
                "baseProvider": {"name": "terraform-provider", "version": VERSION},
                # the value a later Parameterize gets back (`dynamic/main.go` `GetSchema`)
                "parameter": base64.b64encode(json.dumps({"remote": REMOTE}).encode()).decode(),
            },
            "provider": {
                "inputProperties": {
                    "url": {"type": "string"},
                    "token": {"type": "string", "secret": True},
                    "insecure": {"type": "boolean"},
                }
            },
        }

    def configure(self, config: Props) -> None:
        api = Api(str(config.get("url", "")), str(config.get("token", "")))
        # provider.go `providerConfigure`: asked once, any failure ignored
        with contextlib.suppress(ProviderError, Gone):
            api.call("GET", "/root/config/")
        self.api = api
        self.resources = {
            f"{_TOKEN}providerOauth2:ProviderOauth2": OAuth2Provider(api),
            f"{_TOKEN}application:Application": Application(api),
            f"{_TOKEN}policyBinding:PolicyBinding": PolicyBinding(api),
            f"{_TOKEN}propertyMappingProviderScope:PropertyMappingProviderScope": ScopeMapping(api),
        }
        self.invokes = {
            f"{_TOKEN}getFlow:getFlow": self.get_flow,
            f"{_TOKEN}getCertificateKeyPair:getCertificateKeyPair": self.get_key_pair,
            f"{_TOKEN}getPropertyMappingProviderScope:getPropertyMappingProviderScope": (
                self.get_scope_mappings
            ),
            f"{_TOKEN}getGroup:getGroup": self.get_group,
        }

    def _list(self, path: str, query: list[tuple[str, str]]) -> list[Props]:
        # the Go client sorts query keys (url.Values.Encode) and QueryEscapes values
        encoded = urlencode(sorted(query, key=lambda kv: kv[0]), quote_via=quote_plus)
        assert self.api is not None
        try:
            found = self.api.call("GET", path, query=encoded)
        except Gone:
            raise ProviderError(
                "cannot decode state from a call to ReadDataSource: Internal error: "
                "DecodePropertyMap expected the decoder to return an Object."
            ) from None
        results: list[Props] = found["results"]
        return results

    def get_flow(self, args: Props) -> Props:
        # data_source_flow.go: ?slug= (&designation=); none is an error, the first wins
        query = [("slug", args["slug"])] if args.get("slug") else []
        if args.get("designation"):
            query.append(("designation", args["designation"]))
        found = self._list("/flows/instances/", query)
        if not found:
            raise diagnostic("No matching flows found")
        flow = found[0]
        return {
            "id": flow["pk"],
            "slug": flow["slug"],
            "name": flow["name"],
            "title": flow["title"],
            "designation": flow["designation"],
            "authentication": flow.get("authentication"),
        }

    def get_key_pair(self, args: Props) -> Props:
        # data_source_certificate_key_pair.go: the "groups" text is the provider's own
        found = self._list(
            "/crypto/certificatekeypairs/",
            [("include_details", "true"), ("name", args.get("name", ""))],
        )
        if not found:
            raise diagnostic("No matching groups found")
        if args.get("fetchCertificate", True) or args.get("fetchKey", True):
            raise ProviderError("model: fetching a key pair's certificate or key is not modelled")
        pair = found[0]
        return {
            "id": pair["pk"],
            "name": pair["name"],
            "subject": pair["cert_subject"],
            "fingerprint1": pair["fingerprint_sha1"],
            "fetchCertificate": False,
            "fingerprint256": pair["fingerprint_sha256"],
            "fetchKey": False,
        }

    def get_scope_mappings(self, args: Props) -> Props:
        # data_source_property_mapping_provider_scope.go: one `managed=` per entry of
        # managed_list, ids in the API's order, id "-1"
        managed = list(args.get("managedLists") or [])
        query = [("managed", m) for m in managed] or (
            [("managed", args["managed"])] if args.get("managed") else []
        )
        found = self._list("/propertymappings/provider/scope/", query)
        if not found:
            raise diagnostic("No matching mappings found")
        if managed:
            return {"id": "-1", "ids": [m["pk"] for m in found], "managedLists": managed}
        first = found[0]
        return {
            "id": first["pk"],
            "ids": [m["pk"] for m in found],
            "name": first["name"],
            "scopeName": first["scope_name"],
            "expression": first["expression"],
        }

    def get_group(self, args: Props) -> Props:
        # data_source_group.go `dataSourceGroupReadByName`: exactly one, or an error
        include = args.get("includeUsers", True)
        found = self._list(
            "/core/groups/",
            [("include_users", "true" if include else "false"), ("name", args.get("name", ""))],
        )
        if not found:
            raise diagnostic("No matching groups found")
        if len(found) > 1:
            raise diagnostic("Multiple groups found")
        group = found[0]
        return {
            "id": group["pk"],
            "pk": group["pk"],
            "numPk": group["num_pk"],
            "name": group["name"],
            "isSuperuser": group["is_superuser"],
            "parent": "",
            "parentName": "",
            "attributes": json.dumps(group.get("attributes") or {}),
            "includeUsers": include,
            "users": group.get("users", []),
        }


if __name__ == "__main__":
    serve(AuthentikModel())
