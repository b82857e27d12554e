"""A model of the Python language host's `Run`, for the engine suite.

The real host (pulumi sdk/python/cmd/pulumi-language-python, `main.go`) is a Go program
that no registry reachable here ships. Its `Run` is small, and is modelled here as it
reads at v3.259:

- the program runs as `python pulumi-language-python-exec --monitor <m> --engine <e>
  --project <p> --root_directory <d> --stack <s> --pwd <d> --dry_run <b> --parallel <n>
  <entry point>` (`constructArguments`), with the stack's config and its secret keys as
  JSON in `PULUMI_CONFIG` and `PULUMI_CONFIG_SECRET_KEYS` (`constructConfig`,
  `constructConfigSecretKeys`); the exec script is the real one (`HARBOR_SSO_PYTHON_EXEC`,
  from the sdk module scripts/engine built the CLI from);
- when the `Run` call ends early (the engine stops a failed update) the program gets
  SIGINT (`cmd.Cancel`, `context.AfterFunc(ctx, runCmdCancel)`), and 5 s later a kill
  (`cmd.WaitDelay`);
- exit code 32 is a bail with no message; any other non-zero code "program exited with
  non-zero exit code: <n>".

It is served to the real CLI with `--client`, as the Automation API serves its inline
host: the engine address then arrives as the first of the request's `args`. No
dependencies are installed (the test's own interpreter runs the program) and no plugins
are reported (`GetRequiredPackages` is empty, as inline). The real host's output streams
are the engine's to show; here the program's are kept in ``output`` for the test to read
beside what the CLI printed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from concurrent import futures
from typing import Any

import grpc
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

ALREADY_REPORTED = 32
WAIT_DELAY = 5.0


class PythonHost(language_pb2_grpc.LanguageRuntimeServicer):
    def __init__(self, exec_script: str, env: dict[str, str]) -> None:
        self.exec_script, self.env = exec_script, env
        self.output: list[str] = []

    def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version="3.259.0")

    def About(self, request: Any, context: Any) -> Any:
        return language_pb2.AboutResponse(executable=sys.executable, version=sys.version)

    def GetRequiredPlugins(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPackagesResponse()

    def Run(self, request: Any, context: grpc.ServicerContext) -> Any:
        engine, *args = list(request.args) or [""]
        info = request.info
        command = [sys.executable, self.exec_script]
        for flag, value in (
            ("monitor", request.monitor_address),
            ("engine", engine),
            ("project", request.project),
            ("root_directory", info.root_directory),
            ("stack", request.stack),
            ("pwd", request.pwd),
            ("dry_run", "true" if request.dryRun else "false"),
            ("parallel", str(request.parallel)),
            ("organization", request.organization),
        ):
            if value:
                command += [f"--{flag}", value]
        command += [info.entry_point or ".", *args]
        env = {
            **self.env,
            "PULUMI_CONFIG": json.dumps(dict(request.config)),
            "PULUMI_CONFIG_SECRET_KEYS": json.dumps(list(request.configSecretKeys)),
        }
        program = subprocess.Popen(
            command,
            cwd=request.pwd or None,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ended = threading.Event()

        def cancel() -> None:  # the real host's cmd.Cancel, then cmd.WaitDelay
            if not ended.is_set():
                program.send_signal(signal.SIGINT)
                if not ended.wait(WAIT_DELAY):
                    program.kill()

        context.add_callback(lambda: threading.Thread(target=cancel, daemon=True).start())
        assert program.stdout is not None
        self.output.extend(program.stdout)
        code = program.wait()
        ended.set()
        if code == ALREADY_REPORTED:
            return language_pb2.RunResponse(bail=True)
        if code != 0:
            return language_pb2.RunResponse(error=f"program exited with non-zero exit code: {code}")
        return language_pb2.RunResponse()


def serve(host: PythonHost) -> tuple[grpc.Server, int]:
    """The host on a free loopback port; give the CLI `--client=127.0.0.1:<port>`."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(host, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def exec_script() -> str | None:
    found = os.environ.get("HARBOR_SSO_PYTHON_EXEC", "")
    return found if os.path.isfile(found) else None
