"""Look-ups, asked once per provider and shared by every component.

Each look-up is a round trip on every preview; N Harbors against one authentik should
cost the authentik look-ups of one, and a project with many group roles one look-up.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor
from pulumi.runtime import settings as runtime_settings

from .settings import MANAGED_MAPPING_PREFIX, ConfigError

T = TypeVar("T")
# Memo-key labels: any distinct strings will do.
_FLOW, _CERTIFICATE, _GROUP, _SCOPES, _PROJECT = "flow", "certificate", "group", "scopes", "project"


class MissingObjectError(Exception):
    """An authentik object the configuration names does not exist."""


class _Lookups:
    """The look-ups of one program against one provider, memoised."""

    def __init__(self, provider: pulumi.ProviderResource | None) -> None:
        self._opts = pulumi.InvokeOutputOptions(provider=provider)
        self._memo: dict[Hashable, pulumi.Output[object]] = {}

    def _once(self, key: Hashable, ask: Callable[[], pulumi.Output[T]]) -> pulumi.Output[T]:
        if key not in self._memo:
            self._memo[key] = ask()
        return self._memo[key]  # type: ignore[return-value]


class HarborLookups(_Lookups):
    """Harbor look-ups."""

    def project(self, name: str) -> pulumi.Output[str]:
        """The project's id, `/projects/<n>`, as `ProjectMemberGroup.project_id` takes it.

        terraform-provider-harbor provider/data_project.go `dataProjectRead` asks
        `/projects?name=` (a fuzzy search), keeps the exact name, and sets no id when
        none matches: that is reported here, naming the project.
        """

        def ask() -> pulumi.Output[str]:
            found: pulumi.Output[str | None] = harbor.get_project_output(
                name=name, opts=self._opts
            ).id
            return found.apply(lambda pid: _project_id(name, pid))

        return self._once((_PROJECT, name), ask)


def _project_id(name: str, found: str | None) -> str:
    if not found:
        raise MissingObjectError(
            f"project_roles.{name}: Harbor has no project named {name!r}; "
            "create it first (projects are looked up, never created here)"
        )
    return found


class AuthentikLookups(_Lookups):
    """authentik look-ups, and the application slugs claimed on this authentik."""

    def __init__(self, provider: pulumi.ProviderResource | None) -> None:
        super().__init__(provider)
        self._slugs: dict[str, str] = {}

    def claim_slug(self, slug: str, component: str, *, plain: bool) -> None:
        """Refuse a slug another component of this program already uses on the same
        authentik: the API answers 400 for the second application, mid-deploy."""
        if not plain:
            return  # given as an Output: known only at deploy, where authentik decides
        other = self._slugs.setdefault(slug, component)
        if other != component:
            raise ConfigError(
                [
                    (
                        "slug",
                        f"{slug!r} is already the slug of component {other!r} on the same "
                        "authentik provider; application slugs are unique in authentik, "
                        "so give each component its own",
                    )
                ]
            )

    def flow(self, slug: str) -> pulumi.Output[str]:
        """The UUID of the flow with this slug."""
        return self._once(
            (_FLOW, slug), lambda: authentik.get_flow_output(slug=slug, opts=self._opts).id
        )

    def certificate(self, name: str) -> pulumi.Output[str]:
        """The UUID of a key pair; neither key nor certificate enters the state."""
        return self._once(
            (_CERTIFICATE, name),
            lambda: (
                authentik.get_certificate_key_pair_output(
                    name=name, fetch_certificate=False, fetch_key=False, opts=self._opts
                ).id
            ),
        )

    def group(self, name: str) -> pulumi.Output[str]:
        """The UUID of the group with this name (members are not fetched)."""
        return self._once(
            (_GROUP, name),
            lambda: authentik.get_group_output(name=name, include_users=False, opts=self._opts).id,
        )

    def scope_mappings(self, managed: tuple[str, ...]) -> pulumi.Output[list[str]]:
        """The UUIDs of these managed scope mappings, in one look-up, sorted.

        For a name that does not exist authentik answers HTTP 400 `{"managed": ["Select a
        valid choice. <name> is not one of the available choices."]}` and the data source
        fails with it (verified on authentik 2025.8.6): never a partial match. That
        failure is re-raised naming the scope and the fix.
        """

        def ask() -> pulumi.Output[list[str]]:
            ids: pulumi.Output[list[str] | None] = (
                authentik.get_property_mapping_provider_scope_output(
                    managed_lists=list(managed), opts=self._opts
                ).ids
            )

            async def explained() -> list[str]:
                try:
                    found = await ids.future()
                except Exception as exc:
                    raise _missing_mappings(managed, exc) from None
                return sorted(found or [])

            return pulumi.Output.from_input(explained())

        return self._once((_SCOPES, managed), ask)


def _missing_mappings(managed: tuple[str, ...], failure: Exception) -> Exception:
    """The look-up's failure, naming the scopes whose mapping authentik lacks."""
    text = str(failure)
    missing = [name for name in managed if name in text]
    if not missing:
        return failure
    scopes = ", ".join(name.removeprefix(MANAGED_MAPPING_PREFIX) for name in missing)
    return MissingObjectError(
        f"scopes: authentik has no managed scope mapping for {scopes} "
        f"({', '.join(missing)} is not one of the available choices); restore the "
        "mapping (authentik recreates its managed mappings when its worker starts) or "
        "remove the scope"
    )


L = TypeVar("L", bound=_Lookups)

# One table per resource monitor, so separate programs (and tests) never share outputs.
_TABLES: weakref.WeakKeyDictionary[object, dict[object, _Lookups]] = weakref.WeakKeyDictionary()


def lookups_for(kind: type[L], provider: pulumi.ProviderResource | None) -> L:
    """The shared ``kind`` look-ups for ``provider`` (None: the default provider)."""
    monitor = runtime_settings.get_monitor()
    table = _TABLES.setdefault(monitor, {}) if monitor is not None else {}
    key = (kind, provider)
    if key not in table:
        table[key] = kind(provider)
    found = table[key]
    assert isinstance(found, kind)
    return found
