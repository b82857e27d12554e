"""The stack program's own handling of the engine's interrupt (harbor_sso/stack/
interrupt.py); under the real CLI and the exec script: tests/engine/test_failed_up.py."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

from harbor_sso.stack.interrupt import ALREADY_REPORTED, end_quietly_on_interrupt
from tests.support import ROOT

INTERRUPTED = """
import os, signal, sys, time
from harbor_sso.stack.interrupt import end_quietly_on_interrupt
print("registering", flush=True)
sys.stdout.write("unflushed")
assert end_quietly_on_interrupt()
os.kill(os.getpid(), signal.SIGINT)
time.sleep(10)
print("never here", flush=True)
"""


def test_an_interrupt_ends_the_program_at_once_saying_nothing_more() -> None:
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED], cwd=ROOT, capture_output=True, text=True,
        timeout=30, check=False,
    )  # fmt: skip
    # 32: the host's "the user was told already", a bail with no message of its own
    assert (done.returncode, done.stderr) == (ALREADY_REPORTED, "")
    assert done.stdout == "registering\nunflushed"  # what it had printed is kept
    assert ALREADY_REPORTED == 32


def test_only_the_main_thread_takes_the_signal() -> None:
    # inline (the Automation API) the program runs in a server thread of the user's process
    before = signal.getsignal(signal.SIGINT)
    found: list[bool] = []
    worker = threading.Thread(target=lambda: found.append(end_quietly_on_interrupt()))
    worker.start()
    worker.join()
    assert found == [False]
    assert signal.getsignal(signal.SIGINT) is before


def test_in_the_main_thread_the_handler_is_installed() -> None:
    # the subprocess above shows what the handler does; this shows it is the one installed
    before = signal.getsignal(signal.SIGINT)
    try:
        assert end_quietly_on_interrupt() is True
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler) and handler is not before
        assert handler.__module__ == "harbor_sso.stack.interrupt"
    finally:
        signal.signal(signal.SIGINT, before)
