"""The component provider other languages' programs run (plugin/__main__.py).

Pulumi's component provider host wraps any exception of a component's constructor in
`ComponentInitError` and reports it as `Unexpected <class 'Exception'>: ...` with a
Python traceback, naming arguments in snake_case; a RunError found later (a look-up
that finds nothing, while the component's children register) as `Unexpected <class
...>` (pulumi/provider/server.py `ProviderServicer.Construct`). Only an input property
error is reported as the engine reports a bad input: each property by name, with its
value, secrets masked (pkg/resource/deploy/source_eval.go `errorToMessage`). Here both
become one, and every argument is named as the schema names it, camelCase (also in
warnings). Measured with the real host: `Unexpected <class 'Exception'>: invalid
HarborAuthentikSSO arguments: harbor_url: ...` and a traceback (real-systems.md, 5).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import grpc
from pulumi import Inputs, ResourceOptions
from pulumi.errors import InputPropertiesError
from pulumi.provider import ConstructResult
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.server import ComponentInitError, ProviderServicer
from pulumi.runtime.proto import provider_pb2_grpc

from .component import PACKAGE, HarborAuthentikSSO
from .lookups import LookupFailed
from .naming import named, schema_name
from .validation import ConfigError

INVALID = "invalid HarborAuthentikSSO arguments"
LOOKUP_FAILED = "HarborAuthentikSSO arguments name what authentik or Harbor lacks"


class HarborSSOProvider(ComponentProvider):
    """Hosts :class:`HarborAuthentikSSO`; a bad argument is an input property error."""

    def __init__(self, version: str) -> None:
        super().__init__([HarborAuthentikSSO], PACKAGE, version=version)

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: Inputs,
        options: ResourceOptions | None = None,
    ) -> ConstructResult:
        try:
            with named(schema_name):
                return super().construct(name, resource_type, inputs, options)
        except ComponentInitError as exc:
            problems = exc.inner.problems if isinstance(exc.inner, ConfigError) else None
            if problems is None:
                raise
            raise InputPropertiesError(INVALID, _property_errors(problems)) from None


def _property_errors(problems: list[tuple[str, str]]) -> list[Any]:
    """One error per problem; the engine shows the value itself (masked if secret), so
    the reason leaves out the value ``got`` added."""
    return [
        {"property_path": schema_name(path), "reason": reason.rsplit("; got ", 1)[0]}
        for path, reason in problems
    ]


class _Servicer(ProviderServicer):
    """Pulumi's servicer, with a look-up's failure reported as the input that asked for it."""

    async def Construct(self, request: Any, context: Any) -> Any:
        try:
            return await super().Construct(request, context)
        except LookupFailed as exc:
            details = [{"property_path": exc.argument, "reason": exc.reason}]
            await context.abort_with_status(
                self.create_grpc_invalid_properties_status(LOOKUP_FAILED, details)  # type: ignore[arg-type]
            )
            raise


def serve(version: str, args: list[str]) -> None:
    """Serve the provider; arguments are named as the schema names them throughout."""
    with named(schema_name), contextlib.suppress(KeyboardInterrupt):
        asyncio.run(listen(HarborSSOProvider(version), args))


async def listen(provider: HarborSSOProvider, args: list[str]) -> None:
    """On a free loopback port, printed for the engine, as `pulumi.provider.main` does
    (pulumi/provider/server.py `main`: the first argument is the engine's address)."""
    engine = next((arg for arg in args if not arg.startswith("-")), "")
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(
        _Servicer(provider, args, engine_address=engine), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(port, flush=True)
    await server.wait_for_termination()
