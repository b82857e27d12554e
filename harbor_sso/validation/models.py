"""The component's arguments as one validated, normalised model with every default, and
the values derived from them (redirect URI, issuer, client ID, scopes, memberships)."""

from __future__ import annotations

import hashlib
from typing import Any, Final, Literal

from pydantic import Field, ValidationInfo, field_validator

from .adoption import Adopt
from .advice import advise
from .errors import Problem
from .fields import (
    CALLBACK_PATH,
    LOGIN_PATH,
    MANAGED_MAPPING_PREFIX,
    MANAGED_SCOPES,
    AuthentikUrl,
    ClientId,
    Code,
    Group,
    HarborUrl,
    Name,
    Project,
    Regex,
    Role,
    ScopeName,
    Slug,
    StrictModel,
    SubMode,
    Text,
    Validity,
)

SECRET_FIELDS: Final = frozenset({"client_secret"})
# Fields that decide which resources or look-ups exist: they must be known at construction.
PLAIN_FIELDS: Final = frozenset(
    {
        "scopes",
        "extra_scope_mappings",
        "allowed_groups",
        "authorization_flow",
        "invalidation_flow",
        "signing_key",
        "project_roles",
        "adopt",
    }
)


class ScopeMapping(StrictModel):
    """A custom scope mapping (see :class:`harbor_sso.args.ScopeMappingArgs`)."""

    scope_name: ScopeName
    expression: Code
    description: Text | None = None


class Settings(StrictModel):
    """Validated, normalised arguments with every default filled in."""

    harbor_url: HarborUrl
    authentik_url: AuthentikUrl
    slug: Slug = "harbor"
    application_name: Name = "Harbor"
    provider_name: Name | None = None
    application_group: Text | None = None
    application_icon: Text | None = None
    application_description: Text | None = None
    application_publisher: Text | None = None
    open_in_new_tab: bool = False
    policy_engine_mode: Literal["any", "all"] = "any"
    client_id: ClientId | None = None
    authorization_flow: Name = "default-provider-authorization-implicit-consent"
    invalidation_flow: Name = "default-provider-invalidation-flow"
    signing_key: Name = "authentik Self-signed Certificate"
    # before `scopes`, whose validator reads it
    extra_scope_mappings: tuple[ScopeMapping, ...] = ()
    scopes: tuple[ScopeName, ...] = MANAGED_SCOPES
    oidc_provider_name: Name = "authentik"
    user_claim: Name = "preferred_username"
    groups_claim: Name = "groups"
    admin_group: Group | None = None
    group_filter: Regex | None = None
    auto_onboard: bool = True
    verify_cert: bool = True
    primary_auth_mode: bool = False
    allowed_groups: tuple[Group, ...] = ()
    access_token_validity: Validity | None = None
    refresh_token_validity: Validity | None = None
    sub_mode: SubMode | None = None
    project_roles: dict[Project, dict[Group, Role]] = Field(default_factory=dict)
    adopt: Adopt = Field(default_factory=Adopt)

    @field_validator("extra_scope_mappings", "scopes", "allowed_groups", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value: Any) -> Any:
        # YAML and JSON give lists; tuples keep the frozen model hashable.
        return tuple(value) if isinstance(value, list) else value

    @field_validator("extra_scope_mappings")
    @classmethod
    def _extra_scopes_are_new(cls, value: tuple[ScopeMapping, ...]) -> tuple[ScopeMapping, ...]:
        names = [m.scope_name for m in value]
        for name in names:
            if name in MANAGED_SCOPES:
                raise ValueError(f"scope {name!r} is one of authentik's managed scopes")
        _no_duplicates(names, "scope_name")
        return value

    @field_validator("scopes")
    @classmethod
    def _scopes_resolve(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if "openid" not in value:
            raise ValueError("must contain 'openid'")
        _no_duplicates(list(value), "scope")
        extra = {m.scope_name for m in info.data.get("extra_scope_mappings", ())}
        for scope in value:
            if scope not in MANAGED_SCOPES and scope not in extra:
                raise ValueError(
                    f"scope {scope!r} is neither an authentik managed scope "
                    f"({', '.join(MANAGED_SCOPES)}) nor defined in extra_scope_mappings"
                )
        return value

    @field_validator("allowed_groups")
    @classmethod
    def _groups_unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _no_duplicates(list(value), "group")
        return value

    # -- derived values ------------------------------------------------------------

    @property
    def redirect_uri(self) -> str:
        """Harbor's callback; exact, as strict matching compares strings."""
        return self.harbor_url + CALLBACK_PATH

    @property
    def launch_url(self) -> str:
        """Where Harbor's 'LOGIN VIA OIDC PROVIDER' button leads."""
        return self.harbor_url + LOGIN_PATH

    @property
    def oidc_endpoint(self) -> str:
        """The issuer authentik publishes, trailing slash included."""
        return f"{self.authentik_url}/application/o/{self.slug}/"

    @property
    def discovery_url(self) -> str:
        return self.oidc_endpoint + ".well-known/openid-configuration"

    @property
    def effective_client_id(self) -> str:
        if self.client_id is not None:
            return self.client_id
        digest = hashlib.sha256(f"harbor-sso\n{self.authentik_url}\n{self.slug}".encode())
        return digest.hexdigest()[:40]

    @property
    def effective_provider_name(self) -> str:
        return self.provider_name or self.application_name

    @property
    def all_scopes(self) -> tuple[str, ...]:
        """The requested scopes, then the extra mappings' scopes not already listed."""
        extra = tuple(
            m.scope_name for m in self.extra_scope_mappings if m.scope_name not in self.scopes
        )
        return self.scopes + extra

    @property
    def oidc_scope(self) -> str:
        return ",".join(self.all_scopes)

    @property
    def memberships(self) -> tuple[tuple[str, str, str], ...]:
        """(project, group, role) for every entry of ``project_roles``, sorted."""
        return tuple(
            sorted(
                (project, group, role)
                for project, groups in self.project_roles.items()
                for group, role in groups.items()
            )
        )

    def warnings(self) -> list[Problem]:
        """Valid but probably not what was meant: (argument, message), in a stable order."""
        return advise(self)

    @property
    def managed_mappings(self) -> tuple[str, ...]:
        """The managed mapping names to look up, sorted so the look-up key is stable."""
        return tuple(sorted(MANAGED_MAPPING_PREFIX + s for s in self.scopes if s in MANAGED_SCOPES))


def _no_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)


ARGUMENTS: Final = frozenset(Settings.model_fields) | SECRET_FIELDS
