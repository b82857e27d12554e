"""What both model plugins share: Pulumi's provider gRPC service over resource models.

The service is the one every provider plugin serves (pulumi `proto/pulumi/provider.proto`;
Python stubs `pulumi.runtime.proto.provider_pb2_grpc`). What a bridged Terraform provider
does on each call is modelled after pulumi/pulumi-terraform-bridge `pkg/tfbridge/provider.go`
(`Check`, `Diff`, `Create`, `Read`, `Update`, `Delete`, `Invoke`):

- Check fills in the Terraform schema's defaults;
- Diff compares the new inputs with the state as Terraform plans: a field absent from
  the inputs is a change only when it is not Computed and the state holds a value; a
  change of a ForceNew field is a replacement;
- Create, Update and Read return the state the Terraform provider's own Read leaves
  (every model reads back after a write, as its provider does); a Read that finds the
  object gone returns no id, and the engine drops it from the state; an import (a Read
  without inputs) runs the resource's importer first (`ImportResourceState`), where a
  model has one (`import_state`);
- Sensitive fields leave the plugin as secrets; errors are the provider's diagnostics.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any, ClassVar, NoReturn, Protocol

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

SIG = "4dabf18193072939515e22adb298388d"
"""The key that marks a special value (pulumi sdk/go/common/resource/sig)."""
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""A value not known during a preview (plugin.UnknownStringValue)."""

Props = dict[str, Any]


class ProviderError(Exception):
    """A diagnostic the Terraform provider returns: its text reaches the user."""


@dataclass(frozen=True)
class Field:
    """One attribute of a Terraform resource schema, under its Pulumi (camelCase) name."""

    default: Any = None
    computed: bool = False
    """Optional and Computed: left out of the inputs, the state keeps its value."""
    output: bool = False
    """Computed only: never an input."""
    force_new: bool = False
    sensitive: bool = False


class Resource(Protocol):
    """A resource's Create, Read, Update and Delete against the API, as its provider."""

    fields: ClassVar[dict[str, Field]]

    def create(self, inputs: Props) -> tuple[str, Props]: ...

    def read(self, id_: str, state: Props) -> Props | None: ...

    def update(self, id_: str, state: Props, inputs: Props) -> Props: ...

    def delete(self, id_: str, state: Props) -> None: ...


Invoke = Callable[[Props], Props]


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG) == SECRET_SIG


def reveal(value: Any) -> Any:
    """The value with every secret wrapper taken off."""
    if is_secret(value):
        return reveal(value.get("value"))
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def unknown_in(value: Any) -> bool:
    if value == UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(unknown_in(v) for v in value.values())
    if isinstance(value, list):
        return any(unknown_in(v) for v in value)
    return False


def as_props(struct: struct_pb2.Struct) -> Props:
    return json_format.MessageToDict(struct)


def as_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return struct


def _zero(value: Any) -> bool:
    # terraform-plugin-sdk/v2 keeps no null for a primitive: unset is its zero value
    return not value


def _same(a: Any, b: Any) -> bool:
    """Equal as Terraform compares a plan with the state: numbers by value (the wire
    carries them as doubles), an unset value as the type's zero value."""
    if _zero(a) and _zero(b):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True))


@dataclass
class ModelProvider(provider_pb2_grpc.ResourceProviderServicer):
    """A provider plugin over resource models; subclasses configure the API client."""

    version: str
    accept_secrets: bool = True
    defaults_in_check: bool = True
    """terraform-plugin-sdk/v2 bridges put schema defaults into Check's inputs
    (`pkg/tfbridge/provider.go` `Check`); the Plugin Framework bridge leaves them to the
    plan (`pkg/pf/tfbridge/provider_check.go`)."""
    resources: dict[str, Resource] = field(default_factory=dict)
    invokes: dict[str, Invoke] = field(default_factory=dict)

    # -- subclass hooks ----------------------------------------------------------------

    def configure(self, config: Props) -> None:
        """Build the API client from the provider's configuration (revealed)."""
        raise NotImplementedError

    def parameterize(self, request: provider_pb2.ParameterizeRequest) -> tuple[str, str]:
        raise NotImplementedError

    # -- the service -------------------------------------------------------------------

    def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=self.version)

    def schema(self) -> Props:
        """The part of the package schema a program in another language reads: the
        provider's configuration (a YAML program declares the provider resource)."""
        raise NotImplementedError

    def GetSchema(
        self, request: provider_pb2.GetSchemaRequest, context: Any
    ) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema=json.dumps(self.schema()))

    def Parameterize(
        self, request: provider_pb2.ParameterizeRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ParameterizeResponse:
        try:
            name, version = self.parameterize(request)
        except ProviderError as exc:
            _abort(context, str(exc))
        return provider_pb2.ParameterizeResponse(name=name, version=version)

    def CheckConfig(
        self, request: provider_pb2.CheckRequest, context: Any
    ) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(
        self, request: provider_pb2.DiffRequest, context: Any
    ) -> provider_pb2.DiffResponse:
        # Every input of the provider resource, `version` included, as the engine's own
        # fallback compares them (sdk/go/common/resource/plugin/provider_plugin.go
        # `DiffConfig`): a changed one is an update, never a replacement.
        olds, news = as_props(request.olds), as_props(request.news)
        changed = sorted(
            k for k in set(olds) | set(news) if not _same(reveal(olds.get(k)), reveal(news.get(k)))
        )
        return _diff_response(changed, [])

    def Configure(
        self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        config = reveal(as_props(request.args))
        for key, value in request.variables.items():  # older engines: `<pkg>:config:<key>`
            config.setdefault(key.rsplit(":", 1)[-1], value)
        try:
            self.configure(config)
        except ProviderError as exc:
            _abort(context, str(exc))
        return provider_pb2.ConfigureResponse(
            acceptSecrets=self.accept_secrets, supportsPreview=True, acceptResources=True
        )

    def Check(self, request: provider_pb2.CheckRequest, context: Any) -> provider_pb2.CheckResponse:
        resource = self._resource(request.urn, context)
        news = as_props(request.news)
        if self.defaults_in_check:
            news = _planned(news, {}, resource)
        return provider_pb2.CheckResponse(inputs=as_struct(news))

    def Diff(self, request: provider_pb2.DiffRequest, context: Any) -> provider_pb2.DiffResponse:
        resource = self._resource(request.urn, context)
        olds = reveal(as_props(request.olds))
        news = _planned(reveal(as_props(request.news)), olds, resource)
        changed, replaces = [], []
        for name, spec in resource.fields.items():
            if spec.output or name in request.ignoreChanges:
                continue
            new, old = news.get(name), olds.get(name)
            if unknown_in(new) or not _same(new, old):
                changed.append(name)
                if spec.force_new:
                    replaces.append(name)
        return _diff_response(changed, replaces)

    def Create(
        self, request: provider_pb2.CreateRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CreateResponse:
        resource = self._resource(request.urn, context)
        inputs = as_props(request.properties)
        secret = _secret_keys(inputs, resource)
        if request.preview:
            return provider_pb2.CreateResponse(
                id="", properties=self._outputs(_with_unknowns(inputs, resource), secret)
            )
        try:
            id_, state = resource.create(_planned(reveal(inputs), {}, resource))
        except ProviderError as exc:
            _abort(context, str(exc))
        return provider_pb2.CreateResponse(id=id_, properties=self._outputs(state, secret))

    def Read(
        self, request: provider_pb2.ReadRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ReadResponse:
        resource = self._resource(request.urn, context)
        old = as_props(request.properties)
        secret = _secret_keys(old, resource)
        inputs = as_props(request.inputs)
        id_, prior = _id(request.id, old), reveal(old)
        try:
            if not inputs:  # an import: the resource's importer runs before the Read
                getattr(resource, "import_state", lambda *_: None)(id_, prior)
            state = resource.read(id_, prior)
        except ProviderError as exc:
            _abort(context, str(exc))
        if state is None:
            return provider_pb2.ReadResponse(id="")  # gone: the engine drops it
        if not inputs:  # an import: the inputs are what the state holds of them
            inputs = {
                k: v
                for k, v in state.items()
                if k in resource.fields and not resource.fields[k].output and v not in (None, "")
            }
        return provider_pb2.ReadResponse(
            id=request.id,
            properties=self._outputs(state, secret),
            inputs=self._outputs(inputs, secret),
        )

    def Update(
        self, request: provider_pb2.UpdateRequest, context: grpc.ServicerContext
    ) -> provider_pb2.UpdateResponse:
        resource = self._resource(request.urn, context)
        news = as_props(request.news)
        secret = _secret_keys(news, resource)
        if request.preview:
            merged = {**as_props(request.olds), **news}
            return provider_pb2.UpdateResponse(properties=self._outputs(merged, secret))
        olds = reveal(as_props(request.olds))
        try:
            state = resource.update(
                _id(request.id, olds), olds, _planned(reveal(news), olds, resource)
            )
        except ProviderError as exc:
            _abort(context, str(exc))
        return provider_pb2.UpdateResponse(properties=self._outputs(state, secret))

    def Delete(
        self, request: provider_pb2.DeleteRequest, context: grpc.ServicerContext
    ) -> empty_pb2.Empty:
        resource = self._resource(request.urn, context)
        state = reveal(as_props(request.properties))
        try:
            resource.delete(_id(request.id, state), state)
        except ProviderError as exc:
            _abort(context, str(exc))
        return empty_pb2.Empty()

    def Invoke(
        self, request: provider_pb2.InvokeRequest, context: grpc.ServicerContext
    ) -> provider_pb2.InvokeResponse:
        invoke = self.invokes.get(request.tok)
        if invoke is None:
            _abort(context, f"unknown function {request.tok}", grpc.StatusCode.INVALID_ARGUMENT)
        try:
            result = invoke(reveal(as_props(request.args)))
        except ProviderError as exc:
            _abort(context, str(exc))
        response = provider_pb2.InvokeResponse()
        getattr(response, "return").CopyFrom(as_struct(result))  # a keyword in Python
        return response

    def Cancel(self, request: empty_pb2.Empty, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    # -- helpers -----------------------------------------------------------------------

    def _resource(self, urn: str, context: grpc.ServicerContext) -> Resource:
        token = urn.rsplit("::", 2)[-2].rsplit("$", 1)[-1]
        resource = self.resources.get(token)
        if resource is None:
            _abort(context, f"unknown resource type {token}", grpc.StatusCode.INVALID_ARGUMENT)
        return resource

    def _outputs(self, state: Props, secret: set[str]) -> struct_pb2.Struct:
        return as_struct(
            {
                k: {SIG: SECRET_SIG, "value": reveal(v)} if k in secret and v is not None else v
                for k, v in state.items()
            }
        )


def _id(given: str, state: Props) -> str:
    """The object a call is about: the state's `id` attribute, which a write may have
    moved (an application's new slug) while the engine keeps the resource's first ID."""
    return str(state.get("id") or given)


def _planned(inputs: Props, state: Props, resource: Resource) -> Props:
    """What Terraform plans from the inputs: schema defaults for what is not given, and
    the state's value of an Optional and Computed attribute that is not given."""
    plan = {k: spec.default for k, spec in resource.fields.items() if spec.default is not None}
    plan.update(
        {k: state[k] for k, spec in resource.fields.items() if spec.computed and k in state}
    )
    plan.update({k: v for k, v in inputs.items() if v is not None})
    return plan


def _secret_keys(props: Props, resource: Resource) -> set[str]:
    """Keys that leave as secrets: given as one, or Sensitive in the schema (the bridge's
    `MakeTerraformOutputs` marks both)."""
    return {k for k, v in props.items() if is_secret(v)} | {
        k for k, spec in resource.fields.items() if spec.sensitive
    }


def _with_unknowns(inputs: Props, resource: Resource) -> Props:
    """A preview's outputs: the inputs, and every Computed value not given unknown."""
    return {
        **{k: UNKNOWN for k, spec in resource.fields.items() if spec.output or spec.computed},
        **{k: v for k, v in inputs.items() if v is not None},
        "id": UNKNOWN,
    }


def _diff_response(changed: list[str], replaces: list[str]) -> provider_pb2.DiffResponse:
    kind = provider_pb2.PropertyDiff
    detailed = {
        name: kind(kind=kind.UPDATE_REPLACE if name in replaces else kind.UPDATE)
        for name in changed
    }
    return provider_pb2.DiffResponse(
        changes=(
            provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE
        ),
        diffs=changed,
        replaces=replaces,
        detailedDiff=detailed,
        hasDetailedDiff=True,
    )


def _abort(
    context: grpc.ServicerContext, message: str, code: grpc.StatusCode = grpc.StatusCode.UNKNOWN
) -> NoReturn:
    context.abort(code, message)
    raise AssertionError("unreachable: abort raises")


def serve(provider: ModelProvider) -> None:
    """Serve on a free loopback port and print it, as the engine expects of a plugin
    (sdk/go/common/resource/plugin/plugin.go `newPlugin` reads the port from stdout)."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(provider, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    sys.stdout.close()
    server.wait_for_termination()
