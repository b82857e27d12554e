"""Validation, normalisation and defaults of the component's arguments (pydantic).

Everything here is pure: no Pulumi resource is touched, so a bad configuration fails
before anything is registered. The client secret never enters the model, so no
validation error can ever echo it.
"""

from __future__ import annotations

import difflib
import hashlib
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, Final, Literal, TypeAlias, TypeVar
from urllib.parse import urlsplit

import pulumi
import re2
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from . import urls
from .naming import argument_name
from .text import controls, invisibles, printable, scripts

MANAGED_SCOPES: Final = ("openid", "profile", "email", "offline_access")
"""Scopes authentik ships a managed mapping for (``goauthentik.io/providers/oauth2/scope-*``)."""
MANAGED_MAPPING_PREFIX: Final = "goauthentik.io/providers/oauth2/scope-"
CALLBACK_PATH: Final = "/c/oidc/callback"
LOGIN_PATH: Final = "/c/oidc/login"
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
ROLES: Final = ("projectadmin", "maintainer", "developer", "guest", "limitedguest")
"""Harbor's built-in project roles, named as terraform-provider-harbor names them
(provider/resource_project_member_group.go, the `role` validator)."""
CLIENT_ID_MAX: Final = 255
SLUG_MAX: Final = 50
PROJECT_MAX: Final = 255
_PROJECT_NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
_VALIDITY_UNITS: Final = frozenset(
    {"weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds"}
)
_USERINFO = re.compile(r"//[^/@\s]*@")
# pydantic names a validator's step in an error location: 'function-after[_slug(), str]'
_VALIDATOR_LOC = re.compile(r"function-(after|before|wrap|plain)\[.*\]\Z", re.DOTALL)

T = TypeVar("T")
Problem: TypeAlias = tuple[str, str]
"""(argument path, message)."""


class ConfigError(ValueError):
    """Invalid arguments: one (argument, message) problem per entry, never a secret value."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "invalid HarborAuthentikSSO arguments:\n"
            + "\n".join(f"  {line}" for line in self.lines())
        )

    def renamed(self, rename: Callable[[str], str]) -> list[Problem]:
        """The problems with each argument renamed, e.g. to its stack config key."""
        return [(rename(field), message) for field, message in self.problems]

    def lines(self, rename: Callable[[str], str] = str) -> list[str]:
        """One ``name: message`` line per problem, the argument renamed by ``rename``;
        a name is the user's own text (a group, a project), so it is shown escaped."""
        return [
            f"{printable(field, limit=None)}: {printable(message, limit=None)}"
            for field, message in self.renamed(rename)
        ]


# -- field types -------------------------------------------------------------------


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if value != value.strip():
        raise ValueError("must not start or end with white space")
    return value


def _name(value: str) -> str:
    return _no_controls(_non_blank(value), "")  # pragma: no mutate (X is no control)


def _no_controls(value: str, allow: str) -> str:
    # PostgreSQL (authentik) refuses NUL; a line break or ESC in a name forges log and
    # plan lines. Python code and descriptions may hold tabs and line breaks.
    bad = controls(value, allow=allow)
    if bad:
        raise ValueError(f"must not contain control characters ({bad})")
    return value


def _text(value: str) -> str:
    # a letter more in `allow` allows no control character more
    return _no_controls(value, "\t\n\r")  # pragma: no mutate


def _group(value: str) -> str:
    hidden = invisibles(_name(value))
    if hidden:
        # a zero-width or bidi character makes a second group that looks like the first
        raise ValueError(f"must not contain invisible characters ({hidden})")
    return value


def _project(value: str) -> str:
    # goharbor/harbor src/pkg/project/manager.go `Create`: `restrictedNameChars`, 1-255
    # characters; Harbor answers 400 "project name is not in lower case ..." otherwise.
    if not _PROJECT_NAME.fullmatch(_name(value)) or len(value) > PROJECT_MAX:
        raise ValueError(
            "is not a Harbor project name: lower-case letters and digits, with single "
            f"'.', '_' or '-' between them, at most {PROJECT_MAX} characters"
        )
    return value


def _slug(value: str) -> str:
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", value):
        raise ValueError("must be a slug: letters, digits, '-' and '_' only")
    if len(value) > SLUG_MAX:
        raise ValueError(f"must be at most {SLUG_MAX} characters")
    return value


def _scope_name(value: str) -> str:
    # pragma: no mutate start (hex escapes are case-blind)
    if not re.fullmatch(r"[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+", value):
        # pragma: no mutate end
        # RFC 6749 scope-token, less ',' which Harbor uses as its separator
        raise ValueError("must be a scope token: printable ASCII, no space, quote, comma or '\\'")
    return value


def _re2_options() -> re2.Options:
    options = re2.Options()
    # the error is ours to report, not the C++ logger's (None would do as well as False)
    options.log_errors = False  # pragma: no mutate
    return options


def group_filter_matches(pattern: str, group: str) -> bool:
    """Whether Harbor keeps ``group`` at login: goharbor/harbor src/pkg/oidc/helper.go
    `filterGroup` runs Go's `regexp.MatchString` (RE2 syntax, unanchored)."""
    # pragma: no mutate start (the pattern was validated: options only silence errors)
    return re2.compile(pattern, _re2_options()).search(group) is not None
    # pragma: no mutate end


def _regex(value: str) -> str:
    # Harbor compiles the filter with Go's regexp (RE2): no look-around or
    # back-references, but \p{L} is valid. Python's re would differ both ways.
    try:
        re2.compile(value, _re2_options())
    except re2.error as exc:
        # google-re2 1.1 raises re2.error(b"..."); the fallback keeps other versions readable
        # pragma: no mutate start
        detail = exc.args[0] if exc.args else exc
        reason = detail.decode() if isinstance(detail, bytes) else detail
        # pragma: no mutate end
        raise ValueError(f"is not a valid RE2 regular expression ({reason})") from None
    return value


def _validity(value: str) -> str:
    total = timedelta()
    for part in value.split(";"):
        key, sep, number = part.partition("=")
        if not sep or key not in _VALIDITY_UNITS:
            raise ValueError(
                "must look like 'hours=1;minutes=2;seconds=3' with units "
                + ", ".join(sorted(_VALIDITY_UNITS))
            )
        try:
            amount = float(number)
            total += timedelta(**{key: amount})
        except (ValueError, OverflowError):
            raise ValueError(f"has a bad number {number!r} for {key}") from None
        if not amount >= 0:  # also rejects NaN
            raise ValueError(f"has a negative {key}")
    if total <= timedelta():
        raise ValueError("must be longer than zero")
    return value


HarborUrl = Annotated[str, AfterValidator(lambda v: urls.normalise(v, "harbor"))]
AuthentikUrl = Annotated[str, AfterValidator(lambda v: urls.normalise(v, "authentik"))]
Name = Annotated[str, AfterValidator(_name)]
Text = Annotated[str, AfterValidator(_text)]
Code = Annotated[str, AfterValidator(lambda v: _text(_non_blank(v)))]
Group = Annotated[str, AfterValidator(_group)]
Project = Annotated[str, AfterValidator(_project)]
Slug = Annotated[str, AfterValidator(_slug)]
ScopeName = Annotated[str, AfterValidator(_scope_name)]
Regex = Annotated[str, AfterValidator(_regex)]
Validity = Annotated[str, AfterValidator(_validity)]


def _client_id(value: str) -> str:
    # authentik rejects a longer one with HTTP 400 (verified on 2025.8.6)
    if len(value) > CLIENT_ID_MAX:
        raise ValueError(f"must be at most {CLIENT_ID_MAX} characters")
    return _name(value)


ClientId = Annotated[str, AfterValidator(_client_id)]
Role = Literal["projectadmin", "maintainer", "developer", "guest", "limitedguest"]
SubMode = Literal[
    "hashed_user_id", "user_id", "user_uuid", "user_username", "user_email", "user_upn"
]

CONFIG_AUTH_ID: Final = "/configurations"
"""The one ID of Harbor's auth configuration (terraform-provider-harbor
provider/resource_config_auth.go: `d.SetId("/configurations")`)."""
_PROVIDER_PK = re.compile(r"[1-9][0-9]{0,17}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MEMBER_ID = re.compile(r"/projects/[1-9][0-9]{0,17}/members/[1-9][0-9]{0,17}")


def _provider_pk(value: str) -> str:
    # terraform-provider-authentik resource_provider_oauth2.go: `d.SetId(strconv.Itoa(int(res.Pk)))`
    if not _PROVIDER_PK.fullmatch(value):
        raise ValueError("must be the OAuth2 provider's integer primary key, such as '12'")
    return value


def _binding_id(value: str) -> str:
    # terraform-provider-authentik resource_policy_binding.go: `d.SetId(res.Pk)`, a UUID
    if not _UUID.fullmatch(value):
        raise ValueError("must be the policy binding's UUID (its pk), in lower case")
    return value


def _member_id(value: str) -> str:
    # terraform-provider-harbor resource_project_member_group.go: the ID is the Location
    # Harbor answers the create with (`client.GetID(headers)`), read back with GET <id>
    if not _MEMBER_ID.fullmatch(value):
        raise ValueError("must be the membership's location '/projects/<n>/members/<m>'")
    return value


def _config_auth_id(value: str) -> str:
    if value != CONFIG_AUTH_ID:
        raise ValueError(f"must be {CONFIG_AUTH_ID!r}: Harbor has one auth configuration")
    return value


ProviderPk = Annotated[str, AfterValidator(_provider_pk)]
BindingId = Annotated[str, AfterValidator(_binding_id)]
MemberId = Annotated[str, AfterValidator(_member_id)]
ConfigAuthId = Annotated[str, AfterValidator(_config_auth_id)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ScopeMapping(_Model):
    """A custom scope mapping (see :class:`harbor_sso.args.ScopeMappingArgs`)."""

    scope_name: ScopeName
    expression: Code
    description: Text | None = None


class Adopt(_Model):
    """Import IDs of objects that exist already (see :class:`harbor_sso.args.AdoptArgs`)."""

    provider: ProviderPk | None = None
    application: Slug | None = None
    config_auth: ConfigAuthId | None = None
    bindings: dict[Group, BindingId] = Field(default_factory=dict)
    memberships: dict[Project, dict[Group, MemberId]] = Field(default_factory=dict)

    @field_validator("provider", mode="before")
    @classmethod
    def _pk_as_text(cls, value: Any) -> Any:
        # YAML reads `provider: 12` as a number; the import ID is its text
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def problems(self, settings: Settings, *, check_slug: bool) -> list[Problem]:
        """IDs of objects the arguments do not create: each would be imported and then
        left out of the program, or fail; named by path."""
        found: list[Problem] = []
        if check_slug and self.application is not None and self.application != settings.slug:
            found.append(
                (
                    "adopt.application",
                    f"is {self.application!r}, but slug is {settings.slug!r}: the application "
                    "is imported by its slug, so they must be the same",
                )
            )
        for group in self.bindings:
            if group not in settings.allowed_groups:
                found.append(
                    (
                        f"adopt.bindings.{group}",
                        "names a group that allowed_groups does not list, so no binding of "
                        "it is created",
                    )
                )
        for project, groups in sorted(self.memberships.items()):
            for group in groups:
                if group not in settings.project_roles.get(project, {}):
                    found.append(
                        (
                            f"adopt.memberships.{project}.{group}",
                            "names a membership that project_roles does not create",
                        )
                    )
        return found


class Settings(_Model):
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
        found: list[Problem] = []
        for field in ("harbor_url", "authentik_url"):
            parts = urlsplit(getattr(self, field))
            host = parts.hostname or ""  # pragma: no mutate (validated: there is a host)
            if parts.scheme == "http" and not _is_loopback(host):
                found.append(
                    (
                        field,
                        f"http:// to {parts.hostname}, not this machine: tokens and the client "
                        "secret would cross the network unencrypted; use https://",
                    )
                )
            for label in urls.mixed_scripts(getattr(self, field)):
                found.append(
                    (
                        field,
                        f"host label {label!r} mixes scripts ({', '.join(scripts(label))}): "
                        "it may look like another host than the one it is",
                    )
                )
        if "offline_access" not in self.scopes:
            found.append(
                (
                    "scopes",
                    "'offline_access' is not requested, so authentik issues no refresh token "
                    "and Harbor's CLI secret for `docker login` dies with the token",
                )
            )
        admin = self.admin_group
        if admin is not None and self.allowed_groups and admin not in self.allowed_groups:
            found.append(
                (
                    "admin_group",
                    f"group {admin!r} is not in {argument_name('allowed_groups')}: its members "
                    "cannot log in, so Harbor has no OIDC administrator"
                    + _same_but_case(admin, self.allowed_groups),
                )
            )
        found += _case_twins("allowed_groups", self.allowed_groups)
        for project, groups in sorted(self.project_roles.items()):
            found += _case_twins(f"project_roles.{project}", tuple(groups))
        if self.primary_auth_mode:
            found.append(
                (
                    "primary_auth_mode",
                    "is one-way: the Harbor provider never sends false (terraform-provider-"
                    "harbor models/config.go, omitempty), so setting it false or removing it "
                    "later leaves OIDC Harbor's primary login; turn it off in Harbor's "
                    "Configuration page then",
                )
            )
        if self.application_icon is not None:
            found.append(
                (
                    "application_icon",
                    "authentik 2025.12 and later removed the endpoint the pinned Terraform "
                    "provider sets icons with (set_icon_url answers 405): on those versions "
                    "every `pulumi up` that sets it fails; leave it unset there",
                )
            )
        for project, group, _ in self.memberships:
            where = f"project_roles.{project}.{group}"
            if self.allowed_groups and group not in self.allowed_groups:
                found.append(
                    (
                        where,
                        f"group {group!r} is not in {argument_name('allowed_groups')}: its "
                        "members cannot log in",
                    )
                )
            if self.group_filter is not None and not group_filter_matches(self.group_filter, group):
                found.append(
                    (
                        where,
                        f"group {group!r} does not match {argument_name('group_filter')} "
                        f"{self.group_filter!r}: "
                        "Harbor never attaches it to a user, so the role never applies",
                    )
                )
        return found

    @property
    def managed_mappings(self) -> tuple[str, ...]:
        """The managed mapping names to look up, sorted so the look-up key is stable."""
        return tuple(sorted(MANAGED_MAPPING_PREFIX + s for s in self.scopes if s in MANAGED_SCOPES))


def _same_but_case(name: str, names: tuple[str, ...]) -> str:
    twins = [n for n in names if n.casefold() == name.casefold()]
    return f" (did you mean {twins[0]!r}?)" if twins else ""


def _case_twins(field: str, names: tuple[str, ...]) -> list[Problem]:
    """Names that differ only in case: two groups to authentik, probably one meant."""
    seen: dict[str, str] = {}
    found: list[Problem] = []
    for name in names:
        first = seen.setdefault(name.casefold(), name)
        if first != name:
            found.append((field, f"groups {first!r} and {name!r} differ only in case: two groups"))
    return found


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _no_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)


# -- from raw arguments ----------------------------------------------------------------

ARGUMENTS: Final = frozenset(Settings.model_fields) | SECRET_FIELDS


MASK: Final = "[secret]"
"""How a secret value is shown anywhere: messages, plans, outputs."""


def got(value: Any, *, secret: bool = False) -> str:
    """The one way a value enters an error message: `; got <value>`, short, credentials
    in URLs redacted, and for a secret (a secret field, an encrypted config key, a value
    given as an Output) only `[secret]`."""
    if secret:
        return f"; got {MASK}"
    text = _USERINFO.sub("//[redacted]@", repr(value))
    return "; got " + (text if len(text) <= 80 else text[:77] + "...")


def snake(name: str) -> str:
    """``harborUrl`` -> ``harbor_url``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def suggestion(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` was probably meant as: the same words in another case
    style first, else the closest spelling."""
    names = sorted(known)
    folded = {snake(k).replace("_", ""): k for k in names}
    same = folded.get(snake(name).replace("_", "").replace("-", ""))
    if same is not None:
        return same
    # n: only the best one is read, whatever the length of the list
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)  # pragma: no mutate
    return close[0] if close else None


def unknown_argument(name: str, known: Iterable[str]) -> str:
    """The message for an unknown argument: a suggestion, never its value."""
    meant = suggestion(name, known)
    if meant is None:
        return "unknown argument (a typo?)"
    hint = " (Python arguments are snake_case)" if snake(name) == meant else ""
    return f"unknown argument; did you mean {meant!r}?{hint}"


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        name = str(part) or "''"  # an empty key still needs a visible name
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


def _problems(exc: ValidationError, hidden: frozenset[str] = frozenset()) -> list[Problem]:
    """One problem per pydantic error; values of ``hidden`` fields (secret) never shown."""
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _VALIDATOR_LOC.match(p)))
        # a mapping key's own error: pydantic appends '[key]' after the key (an unknown
        # argument may be named '[key]' too: that is extra_forbidden, at any depth)
        # (field, key, "[key]") at least
        is_key = err["type"] != "extra_forbidden" and len(loc) >= 3 and loc[-1] == "[key]"
        loc = loc[:-1] if is_key else loc
        field = _path(loc) or "arguments"  # pragma: no mutate (no model-level validator yet)
        if err["type"] == "extra_forbidden":
            # the value of an unknown key may well be a mistyped secret: never show it
            nested = Adopt.model_fields if loc[0] == "adopt" else ScopeMapping.model_fields
            known = nested if len(loc) > 1 else ARGUMENTS
            problems.append((field, unknown_argument(str(loc[-1]), known)))
            continue
        if err["type"] == "missing":
            problems.append((field, "is required"))
            continue
        message = err["msg"].removeprefix("Value error, ")
        message = f"the name {message}" if is_key else message
        secret = bool(loc) and loc[0] in hidden
        problems.append((field, message + got(err["input"], secret=secret)))
    return problems


def validate(
    args: Mapping[str, Any],
    hidden: frozenset[str] = frozenset(),
    stand_ins: frozenset[str] = frozenset(),
) -> Settings:
    """Validate plain arguments; raises :class:`ConfigError` naming every bad argument.

    ``None`` means "use the default", as for an absent key. ``client_secret`` is checked
    by :func:`check_client_secret`, never here. The values of ``hidden`` arguments (given
    as secrets) are never shown in a message; ``stand_ins`` hold no real value yet, so
    nothing is compared with them.
    """
    if not isinstance(args, Mapping):
        raise ConfigError([("arguments", f"must be a mapping; got {type(args).__name__}")])
    bad_keys = [k for k in args if not isinstance(k, str)]
    if bad_keys:
        raise ConfigError([("arguments", "argument names must be strings")])
    given = {k: v for k, v in args.items() if v is not None and k not in SECRET_FIELDS}
    try:
        settings = Settings.model_validate(given)
    except ValidationError as exc:
        raise ConfigError(_problems(exc, hidden)) from None
    problems = settings.adopt.problems(settings, check_slug="slug" not in stand_ins)
    if problems:
        raise ConfigError(problems)
    return settings


def check_client_secret(value: Any) -> None:
    """Reject an unusable plain secret without ever showing it."""
    if value is None or isinstance(value, pulumi.Output):
        return
    if not isinstance(value, str):
        raise ConfigError([("client_secret", f"must be a string; got a {type(value).__name__}")])
    if not value.strip() or value != value.strip():
        raise ConfigError([("client_secret", "must be non-empty, without surrounding white space")])
    if len(value) > CLIENT_ID_MAX:
        raise ConfigError([("client_secret", f"must be at most {CLIENT_ID_MAX} characters")])


def client_secret_input(value: Any) -> pulumi.Output[str] | None:
    """The client secret as a secret Output, checked when it resolves with the rules a
    plain one was checked with by :func:`resolve`, before anything was registered."""
    if value is None:
        return None

    def checked(secret: Any) -> str:
        check_client_secret(secret)
        return str(secret)

    return pulumi.Output.secret(pulumi.Output.from_input(value).apply(checked))


_STAND_INS: Final = {
    "harbor_url": "https://deferred.invalid",
    "authentik_url": "https://deferred.invalid",
    # valid values of their own type: "deferred" is no validity and no sub mode
    "access_token_validity": "minutes=10",
    "refresh_token_validity": "days=30",
    "sub_mode": "hashed_user_id",
}


def stand_in(field: str) -> Any:
    """A valid value for a field not known yet (an Output, an encrypted config value), so
    that the others can be checked now. Never seen: derived values wait for the real one."""
    if field in _STAND_INS:
        return _STAND_INS[field]
    default = Settings.model_fields[field].default
    return default if default is not None else "deferred"  # pragma: no mutate (any valid Name)


@dataclass(frozen=True)
class Resolved:
    """Validated arguments, some of which may only be known once Outputs resolve."""

    known: Settings
    """Every plain argument; an argument given as an Output holds a valid stand-in here.
    The structural fields (:data:`PLAIN_FIELDS`) are always real."""
    later: pulumi.Output[Settings] | None = None
    """All arguments, validated again once their Outputs resolve; None if none is one."""

    def pick(self, read: Callable[[Settings], T]) -> pulumi.Input[T]:
        """A derived value: plain where possible, so previews show it."""
        return read(self.known) if self.later is None else self.later.apply(read)


def resolve(args: Mapping[str, Any]) -> Resolved:
    """Validate ``args``, some of which may be Outputs.

    Plain values are checked at once, so a bad one fails before anything is registered.
    Outputs are checked when they resolve.
    """
    if not isinstance(args, Mapping):
        validate(args)  # raises the mapping error
    check_client_secret(args.get("client_secret"))
    deferred = {
        k: v for k, v in args.items() if isinstance(v, pulumi.Output) and k not in SECRET_FIELDS
    }
    problems = [
        (k, "must be a plain value, not an Output: it decides which resources exist")
        for k in sorted(set(deferred) & PLAIN_FIELDS)
    ] + [(k, unknown_argument(k, ARGUMENTS)) for k in sorted(set(deferred) - ARGUMENTS)]
    if problems:
        raise ConfigError(problems)
    plain = {k: v for k, v in args.items() if k not in deferred}
    known = validate({**plain, **{k: stand_in(k) for k in deferred}}, stand_ins=frozenset(deferred))
    if not deferred:
        return Resolved(known)
    # An Output may be secret, and that is not known here: never show a deferred value.
    hidden = frozenset(deferred)
    later = pulumi.Output.all(**deferred).apply(
        lambda values: validate({**plain, **values}, hidden)
    )
    return Resolved(known, later)
