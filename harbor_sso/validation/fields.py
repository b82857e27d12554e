"""The rules each argument's value must keep, as pydantic types, and the constants the
real systems fix (names, lengths, paths).

Pure: nothing here touches Pulumi. Each rule cites the system that would refuse the value.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Final, Literal

import re2
from pydantic import AfterValidator, BaseModel, ConfigDict

from .. import urls
from ..text import controls, invisibles

MANAGED_SCOPES: Final = ("openid", "profile", "email", "offline_access")
"""Scopes authentik ships a managed mapping for (``goauthentik.io/providers/oauth2/scope-*``)."""
MANAGED_MAPPING_PREFIX: Final = "goauthentik.io/providers/oauth2/scope-"
CALLBACK_PATH: Final = "/c/oidc/callback"
LOGIN_PATH: Final = "/c/oidc/login"
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


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
