"""``harbor-sso adopt``: the stack config that takes a hand-made setup over, as it is.

Harbor identifies an OIDC user by issuer and ``sub``: a new slug is a new issuer, a new
``sub_mode`` a new ``sub``, a new provider new credentials. So the component imports the
live objects (``adopt``: :class:`harbor_sso.validation.Adopt`) and keeps client ID, client
secret, slug and sub_mode. This reads the live pair through doctor's reader (one GET per
thing, read-only, the same bounded HTTP layer) and derives every config value from it, so
that the import is followed by no update, except where the component always sets
something else (the strict callback, the issuer with its slash): those are listed, in
words, as the intended updates of the first ``pulumi up``.

The client secret is read (it is what the provider holds) but never printed nor written:
only a command that pipes it into ``pulumi config set --secret`` is, or, with ``--set``,
the ``pulumi`` CLI gets it on stdin.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from ..harbor_side import MATCH_ALL_GROUPS, NO_ADMIN_GROUP
from ..stack.config import NAMESPACE
from ..validation import (
    CALLBACK_PATH,
    CONFIG_AUTH_ID,
    LOGIN_PATH,
    MANAGED_MAPPING_PREFIX,
    MANAGED_SCOPES,
    Settings,
)
from .doctor import REQUESTS_PER_RUN as DOCTOR_REQUESTS
from .doctor import Doctor, _value, q
from .http import Fetch, redact

MAX_PROJECTS = 20
REQUESTS_PER_RUN = DOCTOR_REQUESTS + 2 * MAX_PROJECTS
"""doctor's reads, and two per project (the project, its members)."""
ROLES_BY_ID = {1: "projectadmin", 2: "developer", 3: "guest", 4: "maintainer", 5: "limitedguest"}
"""Harbor's role IDs (src/common/const.go; terraform-provider-harbor client `RoleTypeNumber`)."""
DEFAULTS = Settings(harbor_url="https://h.invalid", authentik_url="https://a.invalid")
SECRET_KEY = f"{NAMESPACE}:clientSecret"
KEEPS = (
    "Client ID, client secret, slug and sub_mode stay as they are: Harbor keeps issuer "
    "and subject of every OIDC user, so nobody is onboarded again."
)


@dataclass(frozen=True)
class Difference:
    kept: bool
    """True: adopted as it is (no update); False: the first `pulumi up` changes it."""
    what: str
    detail: str

    def line(self) -> str:
        return f"{'KEEP  ' if self.kept else 'CHANGE'}  {self.what}: {self.detail}"


@dataclass
class Adoption:
    config: dict[str, Any]
    """camelCase key (``harbor-sso:`` left out) -> value, ``adopt`` included."""
    differences: list[Difference]
    provider_pk: int
    client_secret: str = field(repr=False)


class AdoptFailed(Exception):
    """The live objects could not be read; one line per reason."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


def _strip(url: str, suffix: str) -> str:
    url = url.rstrip("/")
    return url[: -len(suffix)] if url.endswith(suffix) else url


class _Reader(Doctor):
    """Doctor's reader, for a few more things: Harbor's project memberships."""

    def project_memberships(self, project: str) -> tuple[int, list[dict[str, Any]]]:
        # swagger.yaml listProjects: GET /projects?name= is a fuzzy search; keep the exact one
        found, why = self.read(
            f"{self.harbor_api}/projects?name={quote(project, safe='')}&page_size=100", "projects"
        )
        numbers = [
            p.get("project_id")
            for p in (found if isinstance(found, list) else [])
            if isinstance(p, dict) and p.get("name") == project
        ]
        if why or not numbers or not isinstance(numbers[0], int):
            raise AdoptFailed([f"Harbor project {q(project)}: {why or 'no such project'}"])
        # swagger.yaml listProjectMembers: GET /projects/{project_name_or_id}/members
        members, why = self.read(
            f"{self.harbor_api}/projects/{numbers[0]}/members?page_size=100", "members"
        )
        if why or not isinstance(members, list):
            raise AdoptFailed([f"Harbor project {q(project)} members: {why or 'not a list'}"])
        groups = [m for m in members if isinstance(m, dict) and m.get("entity_type") == "g"]
        return numbers[0], groups


def read_adoption(
    fetch: Fetch,
    settings: Settings,
    client_id: str | None = None,
    projects: Sequence[str] = (),
    secrets: Sequence[str] = (),
) -> Adoption:
    """Read the live pair; the config that adopts it and the differences, in words.

    Raises :class:`AdoptFailed` when a thing to adopt cannot be read."""
    reader = _Reader(fetch, settings, client_id, secrets, slug=settings.slug)
    app, provider = reader.find_application()
    harbor, _ = reader.read_harbor()
    bindings, why = reader.read_bindings(app) if app is not None else (None, "no application")
    failed = [f.line() for f in reader.findings if f.status == "FAIL"]
    if app is None or provider is None or harbor is None or bindings is None:
        raise AdoptFailed(failed or [f"FAIL  policy bindings: {why}"])
    mappings = reader.read_scope_mappings(provider)
    out = _Derive(settings, app, provider, harbor, mappings, bindings)
    for project in projects[:MAX_PROJECTS]:
        number, members = reader.project_memberships(project)
        out.memberships(project, number, members)
    return out.result()


class _Derive:
    def __init__(
        self,
        given: Settings,
        app: dict[str, Any],
        provider: dict[str, Any],
        harbor: dict[str, Any],
        mappings: list[dict[str, Any]],
        bindings: list[Any],
    ) -> None:
        self.app, self.provider, self.harbor = app, provider, harbor
        self.config: dict[str, Any] = {}
        self.differences: list[Difference] = []
        self.adopt: dict[str, Any] = {
            "provider": str(provider.get("pk")),
            "application": str(app.get("slug")),
            "configAuth": CONFIG_AUTH_ID,
        }
        self.slug = str(app.get("slug"))
        self.urls(given)
        self.authentik_side(mappings)
        self.bindings(bindings)
        self.harbor_side()

    def keep(self, what: str, detail: str) -> None:
        self.differences.append(Difference(True, what, detail))

    def change(self, what: str, detail: str) -> None:
        self.differences.append(Difference(False, what, detail))

    # -- URLs ------------------------------------------------------------------------

    def urls(self, given: Settings) -> None:
        uris = [
            u
            for u in self.provider.get("redirect_uris") or []
            if isinstance(u, dict) and u.get("redirect_uri_type", "authorization") != "logout"
        ]
        launch = str(self.app.get("meta_launch_url") or "")
        harbor_url = given.harbor_url
        if (
            uris
            and isinstance(uris[0].get("url"), str)
            and uris[0].get("matching_mode") == "strict"
        ):
            harbor_url = _strip(uris[0]["url"], CALLBACK_PATH)
        elif launch:
            harbor_url = _strip(launch, LOGIN_PATH)
        endpoint = str(_value(self.harbor, "oidc_endpoint") or "")
        authentik_url = (
            _strip(endpoint, f"/application/o/{self.slug}") if endpoint else given.authentik_url
        )
        self.config["harborUrl"] = harbor_url
        self.config["authentikUrl"] = authentik_url
        callback = harbor_url + CALLBACK_PATH
        shown = [f"{q(u.get('url', ''))} ({u.get('matching_mode')})" for u in uris]
        if [(u.get("matching_mode"), u.get("url")) for u in uris] != [("strict", callback)]:
            slash = any(u.get("url") == callback + "/" for u in uris)
            self.change(
                "redirect URI",
                f"{', '.join(shown) or 'none'} becomes the one strict {q(callback)}"
                + (
                    " (Harbor sends it without the trailing slash: today's login fails with "
                    "'Redirect URI Error', after it works)"
                    if slash
                    else ""
                ),
            )
        if launch and launch != harbor_url + LOGIN_PATH:
            self.change("launch URL", f"{q(launch)} becomes {q(harbor_url + LOGIN_PATH)}")
        issuer = f"{authentik_url}/application/o/{self.slug}/"
        if endpoint != issuer:
            slash = endpoint + "/" == issuer
            self.change(
                "Harbor OIDC endpoint",
                f"{q(endpoint)} becomes {q(issuer)}"
                + (
                    " (the issuer authentik publishes has the trailing slash, and Harbor "
                    "compares them exactly)"
                    if slash
                    else ""
                ),
            )

    # -- authentik ---------------------------------------------------------------------

    def authentik_side(self, mappings: list[dict[str, Any]]) -> None:
        p, app = self.provider, self.app
        self.config["slug"] = self.slug
        self.config["clientId"] = str(p.get("client_id"))
        mode = str(p.get("sub_mode"))
        self.config["subMode"] = mode
        if self.slug != DEFAULTS.slug:
            self.keep("slug", f"{q(self.slug)} (the default is 'harbor'): adopted, no update")
        if mode != "hashed_user_id":
            self.keep(
                "sub_mode", f"{q(mode)} (the default is 'hashed_user_id'): adopted, no update"
            )
        for key, field_name, default in (
            ("accessTokenValidity", "access_token_validity", "minutes=10"),
            ("refreshTokenValidity", "refresh_token_validity", "days=30"),
        ):
            value = str(p.get(field_name))
            self.config[key] = value
            if value != default:
                self.keep(field_name, f"{q(value)} (the default is {q(default)}): adopted")
        self.config["applicationName"] = str(app.get("name"))
        self.config["providerName"] = str(p.get("name"))
        self.config["policyEngineMode"] = str(app.get("policy_engine_mode") or "any")
        if isinstance(app.get("open_in_new_tab"), bool):
            self.config["openInNewTab"] = app["open_in_new_tab"]
        for key, api in (
            ("applicationGroup", "group"),
            ("applicationDescription", "meta_description"),
            ("applicationPublisher", "meta_publisher"),
        ):
            if isinstance(app.get(api), str) and app[api]:
                self.config[key] = app[api]
        if app.get("meta_icon"):
            self.change(
                "application icon",
                f"{q(app['meta_icon'])} is not adopted (the pinned provider cannot set icons "
                "on authentik 2025.12 and later): the first `pulumi up` clears it; set it "
                "again in authentik's UI",
            )
        for api, want, why in (
            ("client_type", "confidential", "tokens need the secret"),
            ("issuer_mode", "per_provider", "WARNING: this changes the issuer, and so every "
             "user's identity in Harbor; fix it by hand before adopting"),
            ("include_claims_in_id_token", True, "Harbor onboards users from the ID token"),
        ):  # fmt: skip
            if api in p and p[api] != want:
                self.change(api, f"{q(p[api])} becomes {q(want)} ({why})")
        if not p.get("signing_key"):
            self.change(
                "signing key",
                f"none; becomes {q(DEFAULTS.signing_key)} (Harbor needs RS256 ID tokens)",
            )
        self.keep(
            "flows and signing key",
            "looked up by name (authorizationFlow, invalidationFlow, signingKey; defaults "
            f"{q(DEFAULTS.authorization_flow)}, {q(DEFAULTS.invalidation_flow)}, "
            f"{q(DEFAULTS.signing_key)}) and not compared here: if the provider uses others, "
            "set those keys, or the first `pulumi up` switches it to these",
        )
        self.scopes(mappings)

    def scopes(self, mappings: list[dict[str, Any]]) -> None:
        mapped = [
            m["managed"].removeprefix(MANAGED_MAPPING_PREFIX)
            for m in mappings
            if isinstance(m.get("managed"), str) and m["managed"].startswith(MANAGED_MAPPING_PREFIX)
        ]
        for m in mappings:
            if not (isinstance(m.get("managed"), str) and m["managed"]):
                self.change(
                    "custom scope mapping",
                    f"{q(m.get('name', ''))} (scope {q(m.get('scope_name', ''))}) is not "
                    "adopted: the first `pulumi up` detaches it from the provider; declare "
                    "it in extraScopeMappings to have the component create its own",
                )
        asked = [s.strip() for s in str(_value(self.harbor, "oidc_scope") or "").split(",")]
        scopes = [s for s in asked if s in MANAGED_SCOPES] or list(mapped)
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        self.config["scopes"] = scopes
        dropped = [s for s in asked if s and s not in MANAGED_SCOPES]
        if dropped:
            self.change(
                "Harbor OIDC scope",
                f"{', '.join(q(s) for s in dropped)} are no managed scopes: no longer requested",
            )
        if sorted(mapped) != sorted(scopes):
            self.change(
                "scope mappings",
                f"the provider maps {', '.join(q(s) for s in mapped) or 'none'}; it will map "
                f"exactly the scopes Harbor requests: {', '.join(q(s) for s in scopes)}",
            )
        if "offline_access" not in scopes:
            self.keep(
                "scopes",
                "'offline_access' is neither mapped nor requested: adopted as it is, so still no "
                "refresh token (Harbor's CLI secret for `docker login` dies with the token). "
                "To add it, put offline_access in harbor-sso:scopes: an update of both sides, "
                "and authentik then asks users for consent once",
            )

    def bindings(self, bindings: list[Any]) -> None:
        groups: list[tuple[int, str, str]] = []
        for b in bindings:
            if not isinstance(b, dict):
                continue
            group = b.get("group_obj")
            if (
                isinstance(group, dict)
                and b.get("enabled", True)
                and not b.get("negate")
                and isinstance(group.get("name"), str)
            ):
                groups.append((int(b.get("order") or 0), group["name"], str(b.get("pk"))))
            else:
                self.keep(
                    "policy binding",
                    f"{q(b.get('pk', ''))} (not an enabled, plain group binding) stays in "
                    "authentik, outside the stack",
                )
        groups.sort()
        self.config["allowedGroups"] = [name for _, name, _ in groups]
        self.adopt["bindings"] = {name: pk for _, name, pk in groups}
        renumbered = [name for i, (order, name, _) in enumerate(groups) if order != i]
        if renumbered:
            self.change(
                "binding order",
                f"{', '.join(q(n) for n in renumbered)} renumbered 0, 1, ...: same groups, "
                "same access",
            )

    # -- Harbor ----------------------------------------------------------------------

    def harbor_side(self) -> None:
        h = self.harbor
        mode = _value(h, "auth_mode")
        if mode != "oidc_auth":
            self.change("Harbor auth mode", f"{q(mode)} becomes 'oidc_auth'")
        if _value(h, "oidc_client_id") != self.config["clientId"]:
            self.change(
                "Harbor client ID",
                f"{q(_value(h, 'oidc_client_id'))} becomes the provider's "
                f"{q(self.config['clientId'])}",
            )
        self.change(
            "Harbor client secret",
            "Harbor never returns its copy, so the first `pulumi up` sends it the provider's "
            "secret, the same one: a shown update without effect on users",
        )
        for key, api, default in (
            ("oidcProviderName", "oidc_name", DEFAULTS.oidc_provider_name),
            ("userClaim", "oidc_user_claim", DEFAULTS.user_claim),
            ("groupsClaim", "oidc_groups_claim", DEFAULTS.groups_claim),
        ):
            value = _value(h, api)
            if isinstance(value, str) and value:
                self.config[key] = value
            else:
                self.change(api, f"empty; becomes {q(default)}")
        for key, api, none in (
            ("adminGroup", "oidc_admin_group", NO_ADMIN_GROUP),
            ("groupFilter", "oidc_group_filter", MATCH_ALL_GROUPS),
        ):
            value = _value(h, api)
            if isinstance(value, str) and value and value != none:
                self.config[key] = value
        for key, api in (
            ("verifyCert", "oidc_verify_cert"),
            ("autoOnboard", "oidc_auto_onboard"),
            ("primaryAuthMode", "primary_auth_mode"),
        ):
            value = _value(h, api)
            if isinstance(value, bool):
                self.config[key] = value
        if self.config.get("verifyCert") is False:
            self.keep("oidc_verify_cert", "off: adopted as it is; turn it on when you can")

    def memberships(self, project: str, number: int, members: list[dict[str, Any]]) -> None:
        roles = self.config.setdefault("projectRoles", {}).setdefault(project, {})
        ids = self.adopt.setdefault("memberships", {}).setdefault(project, {})
        for m in members:
            role = ROLES_BY_ID.get(m.get("role_id", 0))
            name, member = m.get("entity_name"), m.get("id")
            if role is None or not isinstance(name, str) or not isinstance(member, int):
                continue
            roles[name] = role
            ids[name] = f"/projects/{number}/members/{member}"

    def result(self) -> Adoption:
        self.config["adopt"] = self.adopt
        return Adoption(
            config=dict(sorted(self.config.items())),
            differences=self.differences,
            provider_pk=int(self.provider.get("pk") or 0),
            client_secret=str(self.provider.get("client_secret") or ""),
        )


# -- output --------------------------------------------------------------------------


def config_text(value: Any) -> str:
    """A value as `pulumi config set` stores it: text, `true`/`false`, JSON for the rest."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def compare_stack(adoption: Adoption, stack: Mapping[str, Any]) -> list[Difference]:
    """Where a stack file's values differ from the live ones (which are written)."""
    found = []
    for key, value in adoption.config.items():
        full = f"{NAMESPACE}:{key}"
        if full in stack and config_text(stack[full]) != config_text(value):
            found.append(
                Difference(
                    True,
                    full,
                    f"the stack file has {q(config_text(stack[full]))}, the live objects "
                    f"{q(config_text(value))}: the live value is written, so no update",
                )
            )
    return found


def read_stack_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    document = yaml.safe_load(path.read_text()) or {}
    config = document.get("config") if isinstance(document, dict) else None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ValueError(f"{path}: `config` is not a mapping")
    return config


def write_stack_file(path: Path, adoption: Adoption) -> None:
    """Merge the adopted keys into ``path`` (other keys, secure ones too, stay)."""
    document: Any = yaml.safe_load(path.read_text()) if path.exists() else None
    if not isinstance(document, dict):
        document = {}
    config = document.setdefault("config", {})
    for key, value in adoption.config.items():
        config[f"{NAMESPACE}:{key}"] = value
    path.write_text(yaml.safe_dump(document, sort_keys=True, allow_unicode=True))


def secret_command(adoption: Adoption, authentik_api: str, stack: str | None) -> str:
    """A command that pipes the provider's secret from authentik into the stack's encrypted
    config: the secret is on no command line and in no terminal."""
    url = f"{authentik_api}/providers/oauth2/{adoption.provider_pk}/"
    reader = "import json,sys; sys.stdout.write(json.load(sys.stdin)['client_secret'])"
    target = f" --stack {shlex.quote(stack)}" if stack else ""
    return (
        f'curl -fsS -H "Authorization: Bearer $AUTHENTIK_TOKEN" {shlex.quote(url)} '
        f"| python3 -c {shlex.quote(reader)} "
        f"| pulumi config set --secret {SECRET_KEY}{target}"
    )


def render(
    adoption: Adoption,
    *,
    authentik_api: str,
    stack: str | None = None,
    stack_file: Path | None = None,
    extra: Sequence[Difference] = (),
    secret_set: bool = False,
    secrets: Sequence[str] = (),
) -> str:
    a = adoption.config["adopt"]
    lines = [
        f"Adopting authentik application {q(a['application'])} (OAuth2 provider "
        f"{a['provider']}) and Harbor's OIDC configuration.",
        KEEPS,
        "",
        "Differences from what the component sets by default (KEEP: adopted as it is, no "
        "update; CHANGE: the first `pulumi up` changes it, a shown, intended update):",
    ]
    lines += [f"  {d.line()}" for d in [*adoption.differences, *extra]]
    lines.append("")
    if stack_file is not None:
        lines.append(f"Written to {stack_file}: " + ", ".join(adoption.config) + ".")
    else:
        lines.append("Stack config (run in the project folder):")
        target = f" --stack {shlex.quote(stack)}" if stack else ""
        for key, value in adoption.config.items():
            lines.append(
                f"pulumi config set{target} {NAMESPACE}:{key} {shlex.quote(config_text(value))}"
            )
    if secret_set:
        lines.append(f"{SECRET_KEY} set (encrypted) by `pulumi config set --secret`, from stdin.")
    else:
        lines += [
            "The client secret, encrypted, without showing it (AUTHENTIK_TOKEN set):",
            secret_command(adoption, authentik_api, stack),
        ]
    lines += [
        "",
        "Then `pulumi preview` shows an import of each object, followed only by the "
        "CHANGE updates above.",
    ]
    text = "\n".join(lines) + "\n"
    return redact(text, [*secrets, adoption.client_secret])


def set_secret(adoption: Adoption, stack: str, cwd: Path | None = None) -> None:
    """``pulumi config set --secret harbor-sso:clientSecret --stack <stack>``, the value
    on stdin, never in argv. Raises :class:`AdoptFailed` naming what went wrong."""
    import shutil
    import subprocess

    pulumi = shutil.which("pulumi")
    if pulumi is None:
        raise AdoptFailed(["--set: no `pulumi` CLI on PATH"])
    done = subprocess.run(  # noqa: S603 (a fixed argv; the secret goes on stdin)
        [pulumi, "config", "set", "--secret", SECRET_KEY, "--stack", stack],
        input=adoption.client_secret,
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        said = redact(done.stderr.strip() or done.stdout.strip(), [adoption.client_secret])
        raise AdoptFailed([f"--set: `pulumi config set --secret` failed: {said[-400:]}"])


def run_adopt(fetch: Fetch, settings: Settings, args: Any, secrets: Sequence[str] = ()) -> str:
    """The command: read, compare with ``--stack-file``, write it or print the lines."""
    adoption = read_adoption(fetch, settings, args.client_id, args.project, secrets)
    extra: list[Difference] = []
    stack_file: Path | None = args.stack_file
    if stack_file is not None:
        extra = compare_stack(adoption, read_stack_file(stack_file))
        write_stack_file(stack_file, adoption)
    if args.set:
        set_secret(adoption, args.stack, stack_file.parent.parent if stack_file else None)
    return render(
        adoption,
        authentik_api=settings.authentik_url + "/api/v3",
        stack=args.stack,
        stack_file=stack_file,
        extra=extra,
        secret_set=args.set,
        secrets=secrets,
    )
