"""What a user reads when a resource fails during `pulumi up`, with the program run as
the Python language host runs it: the real `pulumi-language-python-exec`, and SIGINT
when the engine stops the run (harbor_sso/stack/interrupt.py has the sources).

Measured with the real host: about 40 lines of `KeyboardInterrupt` traceback, twice,
under the provider's one error line. Inline (the Automation API) the failure does not
arrive this way: the engine ends the `Run` call and no signal reaches the program.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, resource_pb2, resource_pb2_grpc

from tests.engine.conftest import Deployment
from tests.engine.python_host import ALREADY_REPORTED, PythonHost, exec_script, serve
from tests.support import ROOT

WITHOUT_THE_HANDLER = "from harbor_sso.stack.program import main\n\nmain()\n"
CONFIG = {
    "harbor-sso:harborUrl": "http://127.0.0.1:9",
    "harbor-sso:authentikUrl": "http://127.0.0.1:9",
}


def the_exec_script() -> str:
    script = exec_script()
    if script is None:
        pytest.fail('no HARBOR_SSO_PYTHON_EXEC: run `eval "$(scripts/engine)"` first')
    return script


def test_a_failed_up_ends_in_the_provider_s_error_alone(deployment: Deployment) -> None:
    """Under the real CLI, the program served by the model host (tests/engine/
    python_host.py): Harbor refuses connections, `ConfigAuth` fails, the engine stops the
    run. Here the program has usually finished registering by the time its `Run` ends
    (the interrupt then meets an interpreter already shutting down); the real run was
    slower, so the interrupt met it in its event loop: the two tests below hold it
    there."""
    shutil.copy(ROOT / "__main__.py", deployment.cli.project)
    deployment.configure(projectRoles=None)
    deployment.pair.harbor_server.stop()
    host = PythonHost(the_exec_script(), {**deployment.cli.env, "PYTHONPATH": str(ROOT)})
    server, port = serve(host)
    try:
        done = deployment.cli.run(
            "up", "--yes", "--skip-preview", f"--client=127.0.0.1:{port}",
            "--stack", deployment.stack, "--color", "never", check=False,
        )  # fmt: skip
    finally:
        server.stop(grace=None)
    text = done.stdout + done.stderr + "".join(host.output)
    assert done.returncode != 0
    port = deployment.pair.harbor_server.port
    assert (
        f'Put "http://127.0.0.1:{port}/api/v2.0/configurations": dial tcp 127.0.0.1:{port}: '
        "connect: connection refused"
    ) in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert "non-zero exit code" not in text


class Busy(resource_pb2_grpc.ResourceMonitorServicer, engine_pb2_grpc.EngineServicer):
    """An engine whose monitor takes every registration and never answers: the program
    is still registering, as it was when the real engine stopped it."""

    def __init__(self) -> None:
        self.registering = threading.Event()
        self.released = threading.Event()

    def SupportsFeature(self, request: Any, context: Any) -> Any:
        return resource_pb2.SupportsFeatureResponse(hasSupport=True)

    def RegisterResource(self, request: Any, context: Any) -> Any:
        self.registering.set()
        self.released.wait(60)
        context.abort(grpc.StatusCode.UNAVAILABLE, "the test is over")

    def Log(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse()

    def SetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.SetRootResourceResponse()


@pytest.fixture
def busy_engine() -> Iterator[tuple[Busy, int]]:
    busy = Busy()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(busy, server)
    engine_pb2_grpc.add_EngineServicer_to_server(busy, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield busy, port
    busy.released.set()
    server.stop(grace=None)


def interrupted(busy: Busy, port: int, project: Path) -> subprocess.CompletedProcess[str]:
    """Run ``project/__main__.py`` as the host does, then interrupt it twice while it
    registers: the engine interrupts the host's process group when it closes the host
    (sdk/go/common/util/cmdutil `InterruptChildren`) and the host interrupts the program
    when its `Run` ends (`cmd.Cancel`)."""
    program = subprocess.Popen(
        [sys.executable, the_exec_script(), "--monitor", f"127.0.0.1:{port}",
         "--engine", f"127.0.0.1:{port}", "--project", "harbor-sso", "--stack", "dev",
         "--pwd", str(project), "--dry_run", "false", "--parallel", "4", "."],
        cwd=project, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                          "PULUMI_CONFIG": json.dumps(CONFIG),
                          "PULUMI_CONFIG_SECRET_KEYS": "[]"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert busy.registering.wait(60), "the program never registered"
    time.sleep(0.5)
    for _ in range(2):
        if program.poll() is None:
            program.send_signal(signal.SIGINT)
            time.sleep(0.5)
    out, err = program.communicate(timeout=30)
    return subprocess.CompletedProcess(program.args, program.returncode, out, err)


def test_interrupted_while_registering_the_program_leaves_silently(
    busy_engine: tuple[Busy, int], tmp_path: Path
) -> None:
    shutil.copy(ROOT / "__main__.py", tmp_path)
    done = interrupted(*busy_engine, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (ALREADY_REPORTED, "", "")


def test_without_the_handler_the_interrupt_prints_the_tracebacks_a_user_saw(
    busy_engine: tuple[Busy, int], tmp_path: Path
) -> None:
    (tmp_path / "__main__.py").write_text(WITHOUT_THE_HANDLER)
    done = interrupted(*busy_engine, tmp_path)
    assert done.stderr.count("KeyboardInterrupt") >= 2, done.stderr
    assert "run_until_complete" in done.stderr and "shutdown" in done.stderr
