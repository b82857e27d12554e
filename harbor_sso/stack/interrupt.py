"""The stack program ends quietly when the engine stops it.

When a resource fails during `pulumi up` (or the user presses Ctrl-C), the engine ends
its `Run` call to the Python language host, and the host interrupts the program:
`cmd.Cancel` sends it SIGINT (pulumi sdk/python/cmd/pulumi-language-python/main.go
`Run`, since v3.229: "Wire `Cancel` RPC to language host `Run`"). Python turns SIGINT
into `KeyboardInterrupt`, which `pulumi-language-python-exec` does not catch (it catches
`Exception`): the user reads two tracebacks, one from `run_until_complete` and one from
`executor.shutdown`, under the one error line that matters.

By then the engine has reported what failed, and it records nothing the program could
still send. So the program leaves at once, with the exit code the host reads as "the
user was already told" (32: `pythonProcessExitedAfterShowingUserActionableMessage`,
which `Run` answers with a bail and no further message).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType
from typing import Final

ALREADY_REPORTED: Final = 32
"""pulumi-language-python-exec's
PYTHON_PROCESS_EXITED_AFTER_SHOWING_USER_ACTIONABLE_MESSAGE_CODE."""


def _leave(signum: int, frame: FrameType | None) -> None:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    # no unwinding: the exec script's `finally` would wait on the executor's threads,
    # which are blocked on the engine that is going away
    os._exit(ALREADY_REPORTED)


def end_quietly_on_interrupt() -> bool:
    """Make SIGINT end this process at once, with no traceback; True if installed.

    Only in the main thread of a process the language host started: inline (the
    Automation API) the program runs in a server thread of the user's own process,
    whose signals are not this program's to take, and the engine stops it without a
    signal."""
    if threading.current_thread() is not threading.main_thread():
        return False
    signal.signal(signal.SIGINT, _leave)
    return True
