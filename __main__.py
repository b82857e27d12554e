"""The stack program's entry point: `pulumi up` runs this file.

Pulumi.yaml has no `main:`, so the program directory is the project root
(pulumi/pulumi pkg/engine/project.go `getPwdMain`), and the pip toolchain fills the
virtualenv from `requirements.txt` beside this file (sdk/python/toolchain/pip.go
`InstallDependencies`). tests/engine/test_replay.py replays both steps.
"""

from harbor_sso.stack.interrupt import end_quietly_on_interrupt
from harbor_sso.stack.program import main

end_quietly_on_interrupt()  # the engine stops a failed `up` with SIGINT: no traceback
main()
