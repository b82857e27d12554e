"""Look-ups, asked once per provider and shared by every component.

Each look-up is a round trip on every preview; N Harbors against one authentik should
cost the authentik look-ups of one, and a project with many group roles one look-up.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor
from pulumi.runtime import settings as runtime_settings

from .naming import argument_name
from .text import printable
from .transport import PROVIDER_URLS, from_go_error
from .validation import MANAGED_MAPPING_PREFIX

T = TypeVar("T")
# Memo-key labels: any distinct strings will do.
_SCOPES, _PROJECT = "scopes", "project"


class LookupFailed(pulumi.RunError):
    """A look-up the configuration asks for failed, named by argument: one line for the
    user, no traceback (a RunError is reported by its message alone: pulumi's
    pulumi-language-python-exec `main`, automation/_server.py `LanguageServer.Run`)."""

    def __init__(self, argument: str, reason: str) -> None:
        self.argument, self.reason = argument, reason
        super().__init__(f"{argument}: {reason}")


class MissingObjectError(LookupFailed):
    """An authentik or Harbor object the configuration names does not exist."""


class ServerUnreachable(LookupFailed):
    """The provider got no answer from its server (an untrusted certificate, a refused
    connection, ...): named by the provider's URL, whichever look-up met it first, so
    every look-up that meets it reads the same."""


_NOT_FOUND = {
    # the providers' own texts: terraform-provider-authentik data_source_flow.go,
    # data_source_certificate_key_pair.go (it reuses the groups text),
    # data_source_group.go `dataSourceGroupReadByName`
    "flow": "No matching flows found",
    "key pair": "No matching groups found",
    "group": "No matching groups found",
}
_SEVERAL_GROUPS = "Multiple groups found"
_QUERY = re.compile(r'("[a-z]+://[^"?]*)\?[^"]*')


def _provider_text(failure: Exception) -> str:
    """The provider's message without the SDK's and the engine's prefixes
    (`invoke of <token> failed: invocation of <token> returned an error: `)."""
    text = str(failure)
    return text.rpartition("returned an error: ")[2].strip().removesuffix(":").strip()


def _explained(
    result: pulumi.Output[Any],
    read: Callable[[Any], T],
    explain: Callable[[Exception], Exception],
) -> pulumi.Output[T]:
    """``read`` of an invoke's result; its failure replaced by ``explain(failure)``.

    The SDK keeps every Output's future and, at the end of the program, re-raises a
    failed one as it is, traceback and all (pulumi/runtime/stack.py `wait_for_rpcs`). A
    derived Output takes that over from its source (pulumi/output.py `apply` calls
    `_untrack` on it); this one does the same, so the failure is reported once, as
    ``explain`` words it. SDKs older than that tracking have no `_untrack` and re-raise
    only what the program awaited."""
    # on the class: an Output's own attribute lookup lifts any name into an Output
    untrack = getattr(type(result), "_untrack", None)
    if untrack is not None:
        untrack(result)

    async def resolved() -> T:
        try:
            found = await result.future()
        except Exception as exc:
            raise explain(exc) from None
        return read(found)

    return pulumi.Output.from_input(resolved())


class _Lookups:
    """The look-ups of one program against one provider, memoised."""

    package: str

    def __init__(self, provider: pulumi.ProviderResource | None) -> None:
        self._opts = pulumi.InvokeOutputOptions(provider=provider)
        self._memo: dict[Hashable, pulumi.Output[object]] = {}
        self.server_key = argument_name(PROVIDER_URLS[self.package])
        """What names the provider's URL to this program's reader."""

    def _once(self, key: Hashable, ask: Callable[[], pulumi.Output[T]]) -> pulumi.Output[T]:
        if key not in self._memo:
            self._memo[key] = ask()
        return self._memo[key]  # type: ignore[return-value]


class HarborLookups(_Lookups):
    """Harbor look-ups."""

    package = "harbor"

    def project(self, name: str) -> pulumi.Output[str]:
        """The project's id, `/projects/<n>`, as `ProjectMemberGroup.project_id` takes it.

        terraform-provider-harbor provider/data_project.go `dataProjectRead` asks
        `/projects?name=` (a fuzzy search), keeps the exact name, and sets no id when
        none matches: that is reported here, naming the project.
        """
        argument = argument_name(f"project_roles.{name}")

        def ask() -> pulumi.Output[str]:
            return _explained(
                harbor.get_project_output(name=name, opts=self._opts),
                lambda found: _project_id(argument, name, found.id),
                lambda exc: _failed(argument, "Harbor project", name, exc, self.server_key),
            )

        return self._once((_PROJECT, name), ask)


def _project_id(argument: str, name: str, found: str | None) -> str:
    if not found:
        raise MissingObjectError(
            argument,
            f"Harbor has no project named {name!r}; create it first (projects are looked "
            "up, never created here)",
        )
    return found


def _failed(argument: str, what: str, name: str, failure: Exception, server_key: str) -> Exception:
    """A look-up's failure as one line naming the argument; a transport failure named by
    the provider's URL (``server_key``); else the provider's own words, escaped, their
    URLs without queries (which would push the cause past what is shown)."""
    if isinstance(failure, LookupFailed):
        return failure
    transport = from_go_error(str(failure))
    if transport is not None:
        return ServerUnreachable(
            server_key, f"{transport.summary()}. Fix: {transport.fix(server_key)}"
        )
    text = _QUERY.sub(r"\1", _provider_text(failure))
    if text == _NOT_FOUND.get(what):
        return MissingObjectError(argument, f"authentik has no {what} named {name!r}")
    if text == _SEVERAL_GROUPS and what == "group":
        return LookupFailed(
            argument,
            f"authentik has more than one group named {name!r}; the look-up needs one",
        )
    return LookupFailed(argument, f"looking up {what} {name!r} failed: {printable(text)}")


class AuthentikLookups(_Lookups):
    """authentik look-ups."""

    package = "authentik"

    def _id(
        self, argument: str, what: str, name: str, ask: Callable[[], pulumi.Output[Any]]
    ) -> pulumi.Output[str]:
        """The id of the object a data source finds, asked once per name."""
        shown = argument_name(argument)
        return self._once(
            (what, name),
            lambda: _explained(
                ask(),
                lambda found: str(found.id),
                lambda exc: _failed(shown, what, name, exc, self.server_key),
            ),
        )

    def flow(self, slug: str, argument: str) -> pulumi.Output[str]:
        """The UUID of the flow with this slug."""
        return self._id(
            argument, "flow", slug, lambda: authentik.get_flow_output(slug=slug, opts=self._opts)
        )

    def certificate(self, name: str) -> pulumi.Output[str]:
        """The UUID of a key pair; neither key nor certificate enters the state."""
        return self._id(
            "signing_key",
            "key pair",
            name,
            lambda: authentik.get_certificate_key_pair_output(
                name=name, fetch_certificate=False, fetch_key=False, opts=self._opts
            ),
        )

    def group(self, name: str) -> pulumi.Output[str]:
        """The UUID of the group with this name (members are not fetched)."""
        return self._id(
            "allowed_groups",
            "group",
            name,
            lambda: authentik.get_group_output(name=name, include_users=False, opts=self._opts),
        )

    def scope_mappings(self, managed: tuple[str, ...]) -> pulumi.Output[list[str]]:
        """The UUIDs of these managed scope mappings, in one look-up, sorted.

        For a name that does not exist authentik answers HTTP 400 `{"managed": ["Select a
        valid choice. <name> is not one of the available choices."]}` and the data source
        fails with it (verified on authentik 2025.8.6): never a partial match. That
        failure is re-raised naming the scope and the fix.
        """
        argument = argument_name("scopes")

        def ask() -> pulumi.Output[list[str]]:
            return _explained(
                authentik.get_property_mapping_provider_scope_output(
                    managed_lists=list(managed), opts=self._opts
                ),
                lambda found: sorted(found.ids or []),
                lambda exc: _missing_mappings(argument, managed, exc, self.server_key),
            )

        return self._once((_SCOPES, managed), ask)


def _missing_mappings(
    argument: str, managed: tuple[str, ...], failure: Exception, server_key: str
) -> Exception:
    """The look-up's failure, naming the scopes whose mapping authentik lacks."""
    text = str(failure)
    # the request's URL names every mapping asked for: only authentik's answer says which
    missing = [name for name in managed if name in text and from_go_error(text) is None]
    if not missing:
        scopes = ", ".join(name.removeprefix(MANAGED_MAPPING_PREFIX) for name in managed)
        return _failed(argument, "the managed scope mappings of", scopes, failure, server_key)
    scopes = ", ".join(name.removeprefix(MANAGED_MAPPING_PREFIX) for name in missing)
    return MissingObjectError(
        argument,
        f"authentik has no managed scope mapping for {scopes} "
        f"({', '.join(missing)} is not one of the available choices); restore the "
        "mapping (authentik recreates its managed mappings when its worker starts) or "
        "remove the scope",
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
