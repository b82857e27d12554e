"""Stand-ins for authentik and Harbor under the Pulumi SDK's mock engine.

Used by ``harbor-sso plan`` (offline preview) and by the test suite. They answer like
the real APIs where it matters: numeric provider IDs, UUIDs for flows, key pairs,
mappings and groups, a client secret generated when none is given, HTTP 400 for an
unknown managed scope mapping, key material returned unless the fetch flags say no.
Nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import string
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import grpc
import pulumi
from pulumi.runtime import rpc
from pulumi.runtime import settings as runtime_settings

from ..authentik_sdk import forget_package_ref
from ..validation import MANAGED_MAPPING_PREFIX, MANAGED_SCOPES

_NS = uuid.UUID("6d1f1f2e-7d38-4d4e-9d0c-3f1f2b3f6a10")
SECRET_SIG: str = rpc._special_secret_sig  # how the engine marks a secret value
SIG_KEY: str = rpc._special_sig_key

STOCK_FLOWS = (
    "default-provider-authorization-implicit-consent",
    "default-provider-authorization-explicit-consent",
    "default-provider-invalidation-flow",
)
STOCK_CERTIFICATES = ("authentik Self-signed Certificate",)
STOCK_GROUPS = ("authentik Admins",)
STOCK_PROJECTS = ("library",)  # every Harbor install starts with it


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "\n".join(parts)))


def numeric_id(name: str) -> str:
    """authentik primary keys are integers; stable per resource name."""
    return str(int(hashlib.sha256(name.encode()).hexdigest()[:6], 16) % 100_000 + 1)


def generated_secret() -> str:
    """Like authentik: 128 random letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(128))


class NotFound(Exception):
    """What the provider reports when a data source matches nothing: its own text
    (terraform-provider-authentik data_source_*.go, a summary with an empty detail,
    which the bridge joins with ': ')."""


class ApiError(Exception):
    """An error answer of the authentik API, as the provider passes it on."""


class EngineInvokeError(grpc.RpcError):
    """A failed invoke as the resource monitor reports it: a gRPC error whose details
    are the engine's `invocation of <token> returned an error: <provider's text>`
    (pkg/resource/deploy/source_eval.go `Invoke`). The SDK turns it into a failed
    Output, as a semantic error, not an unhandled one (pulumi/runtime/invoke.py)."""

    def __init__(self, token: str, text: str) -> None:
        super().__init__(text)
        self._details = f"invocation of {token} returned an error: {text}"

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNKNOWN

    def details(self) -> str:
        return self._details


@dataclass
class Registered:
    type: str
    name: str
    inputs: dict[str, Any]
    provider: str


@dataclass
class Invoked:
    token: str
    args: dict[str, Any]
    provider: str


@dataclass
class AuthentikHarborMocks(pulumi.runtime.Mocks):
    """Mocks of a stock authentik plus ``groups``; ``permissive`` resolves any name."""

    groups: Iterable[str] = STOCK_GROUPS
    projects: Iterable[str] = STOCK_PROJECTS
    permissive: bool = False
    missing_scopes: Iterable[str] = ()
    resources: list[Registered] = field(default_factory=list)
    invokes: list[Invoked] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """What each looked-up id was asked as (`flow <slug>`), for a reader of the plan."""
    dependencies: dict[str, frozenset[str]] = field(default_factory=dict)
    """resource name -> the names of the resources it was registered as depending on
    (`RegisterResourceRequest.dependencies`: what orders the real engine's creates)."""

    def _exists(self, known: Iterable[str], name: str) -> bool:
        return self.permissive or name in known

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(
            Registered(args.typ, args.name, dict(args.inputs), args.provider or "")
        )
        outputs = dict(args.inputs)
        kind = args.typ.rsplit(":", 1)[-1]
        if args.typ.startswith("pulumi:providers:"):
            return stable_uuid("provider", args.name), outputs
        if kind == "ProviderOauth2":
            outputs.setdefault("clientSecret", generated_secret())
            outputs.setdefault("accessCodeValidity", "minutes=1")
            outputs.setdefault("accessTokenValidity", "minutes=10")
            outputs.setdefault("refreshTokenValidity", "days=30")
            outputs.setdefault("subMode", "hashed_user_id")
            return numeric_id(args.name), outputs
        if kind == "Application":
            outputs["uuid"] = stable_uuid("application", str(args.inputs.get("slug")))
            outputs.setdefault("policyEngineMode", "any")
            return str(args.inputs.get("slug")), outputs
        if kind == "ConfigAuth":
            return "/configurations", outputs
        if kind == "ProjectMemberGroup":
            # provider/resource_project_member_group.go: the id is the Location Harbor
            # answers, <project_id>/members/<n>; member_id is computed
            member = int(numeric_id(f"{args.inputs.get('projectId')}\n{args.name}"))
            outputs["memberId"] = member
            return f"{args.inputs.get('projectId')}/members/{member}", outputs
        return stable_uuid(args.typ, args.name), outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        try:
            result = self._answer(args)
        except (NotFound, ApiError) as exc:
            raise EngineInvokeError(args.token, str(exc)) from None
        kind = args.token.rsplit(":", 1)[-1]
        if kind == "getPropertyMappingProviderScope":
            for name in result["managedLists"]:
                self.labels[stable_uuid("mapping", name)] = f"scope mapping {name}"
        elif "id" in result:
            what = _ASKED[kind]
            self.labels[result["id"]] = f"{what[0]} {dict(args.args).get(what[1], '')}"
        return result

    def _answer(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        inputs = dict(args.args)
        self.invokes.append(Invoked(args.token, inputs, args.provider or ""))
        kind = args.token.rsplit(":", 1)[-1]
        if kind == "getFlow":
            slug = inputs.get("slug", "")
            if not self._exists(STOCK_FLOWS, slug):
                raise NotFound("No matching flows found: ")
            return {"id": stable_uuid("flow", slug), "slug": slug, "name": slug, "title": slug}
        if kind == "getCertificateKeyPair":
            name = inputs.get("name", "")
            if not self._exists(STOCK_CERTIFICATES, name):
                raise NotFound("No matching groups found: ")  # sic: the provider's text
            result = {"id": stable_uuid("certificate", name), "name": name}
            # the real data source fetches both unless told not to
            if inputs.get("fetchCertificate", True):
                result["certificateData"] = "-----BEGIN CERTIFICATE-----\nMIIB\n"
            if inputs.get("fetchKey", True):
                result["keyData"] = "-----BEGIN PRIVATE KEY-----\nMIIE\n"
            return result
        if kind == "getPropertyMappingProviderScope":
            return self._scope_mappings(inputs)
        if kind == "getProject":
            name = inputs.get("name", "")
            if not self._exists(self.projects, name):
                return {"name": name}  # data_project.go: no exact match sets no id
            number = int(numeric_id("project\n" + name))
            return {
                "id": f"/projects/{number}",
                "projectId": number,
                "name": name,
                "public": name == "library",
                "type": "Project",
                "vulnerabilityScanning": True,
            }
        if kind == "getGroup":
            name = inputs.get("name", "")
            if not self._exists(self.groups, name):
                raise NotFound("No matching groups found: ")
            pk = stable_uuid("group", name)
            result = {"id": pk, "pk": pk, "name": name, "isSuperuser": False, "numPk": 1}
            if inputs.get("includeUsers", True):
                result["users"] = [1, 2, 3]
            return result
        raise NotImplementedError(f"no mock for invoke {args.token}")

    def _scope_mappings(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        stock = {
            MANAGED_MAPPING_PREFIX + s for s in MANAGED_SCOPES if s not in set(self.missing_scopes)
        }
        wanted = list(
            inputs.get("managedLists") or ([inputs["managed"]] if inputs.get("managed") else [])
        )
        for name in wanted:
            if not self._exists(stock, name):
                # authentik 2025.8.6: HTTP 400 for the first unknown choice, never a partial
                # match (django MultipleChoiceFilter)
                raise ApiError(
                    '400 Bad Request: {"managed":["Select a valid choice. '
                    f'{name} is not one of the available choices."]}}'
                )
        found = [stable_uuid("mapping", m) for m in wanted]
        # API order (by primary key), not request order
        return {"id": "-", "ids": sorted(found, reverse=True), "managedLists": wanted}


# invoke -> (what a plan calls the object, the input it was asked by)
_ASKED = {
    "getFlow": ("flow", "slug"),
    "getCertificateKeyPair": ("key pair", "name"),
    "getGroup": ("group", "name"),
    "getProject": ("Harbor project", "name"),
}


@dataclass(frozen=True)
class Exported:
    """A stack output as the engine would store it."""

    value: Any
    secret: bool


@contextmanager
def mock_engine(
    mocks: AuthentikHarborMocks,
    *,
    project: str = "harbor-sso",
    stack: str = "test",
    config: Mapping[str, str] | None = None,
    secret_keys: Iterable[str] = (),
    logger: logging.Logger | None = None,
) -> Iterator[asyncio.AbstractEventLoop]:
    """Route the Pulumi runtime to ``mocks`` on a fresh event loop; undo it all on exit.

    The runtime is process-wide: a program run inside sees only this configuration, and
    nothing leaks into the next one.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # set_mocks binds to the current loop
    forget_package_ref()  # a real program is a process of its own
    try:
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, logger=logger)
        _record_dependencies(mocks)
        if not hasattr(runtime_settings.SETTINGS, "monitor_features"):
            # pulumi < 3.258 asks a feature table that the mock monitor never fills
            runtime_settings.SETTINGS.feature_support["parameterization"] = True  # type: ignore[attr-defined,unused-ignore]
        pulumi.runtime.set_all_config(dict(config or {}), list(secret_keys))
        yield loop
    finally:
        pulumi.runtime.set_all_config({}, [])
        _drain(loop)
        runtime_settings.reset_options()
        loop.close()
        asyncio.set_event_loop(None)


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what the program left waiting (an Output of a failed registration, work the
    mocks never answer) and let it end, so nothing is destroyed pending at exit."""
    for _ in range(3):  # pragma: no mutate (cancelled tasks may leave a few more behind)
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        if not pending:
            return
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _record_dependencies(mocks: AuthentikHarborMocks) -> None:
    """Keep what each registration depends on: the mock engine registers in program
    order and never waits, so only the declared dependencies say what the real engine,
    which creates independent resources in parallel, would do first."""
    monitor = runtime_settings.get_monitor()
    assert monitor is not None  # set_mocks has just set it
    register = monitor.RegisterResource

    def recording(request: Any) -> Any:
        mocks.dependencies[request.name] = frozenset(
            urn.rsplit("::", 1)[-1] for urn in request.dependencies
        )
        return register(request)

    monitor.RegisterResource = recording


def run_program(program: Callable[[], None]) -> dict[str, Exported]:
    """Run ``program`` to completion inside :func:`mock_engine`; return its exports."""
    from pulumi.runtime.stack import run_pulumi_func

    loop = asyncio.get_event_loop()
    loop.run_until_complete(run_pulumi_func(program))
    root = pulumi.runtime.get_root_resource()
    outputs: dict[str, Any] = getattr(root, "outputs", {})
    return loop.run_until_complete(_resolve(outputs))


async def _resolve(outputs: Mapping[str, Any]) -> dict[str, Exported]:
    resolved = {}
    for name, value in outputs.items():
        out = pulumi.Output.from_input(value)
        resolved[name] = Exported(await out.future(), await out.is_secret())
    return resolved
