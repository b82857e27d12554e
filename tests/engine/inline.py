"""Run this project's stack program under the real CLI, inline, as the Automation API
runs a program: served from this process, the CLI given `--client=127.0.0.1:<port>`
(pulumi sdk/python/lib/pulumi/automation/_stack.py, `_server.py` `LanguageServer`).
The engine, the plugins it loads and the state are the real ones; only the language
host, which no registry reachable here ships, is not.

    python -m tests.engine.inline <project dir> <stack> <op>[:flag...] ...

Several operations run in one process, as an Automation API program runs them. Each
prints one JSON line: the operation, whether it succeeded, and what the CLI printed.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pulumi import automation as auto

from harbor_sso.stack.program import main as program


def run(stack: auto.Stack, op: str) -> dict[str, Any]:
    name, *flags = op.split(":")
    lines: list[str] = []
    kwargs: dict[str, Any] = {"on_output": lines.append, "color": "never"}
    if "expect-no-changes" in flags:
        kwargs["expect_no_changes"] = True
    try:
        if name == "preview":
            result: Any = stack.preview(diff="diff" in flags, **kwargs)
            changes = result.change_summary
        elif name == "up":
            result = stack.up(diff="diff" in flags, **kwargs)
            changes = result.summary.resource_changes
        elif name == "refresh":
            result = stack.refresh(**kwargs)
            changes = result.summary.resource_changes
        elif name == "destroy":
            kwargs.pop("expect_no_changes", None)
            result = stack.destroy(**kwargs)
            changes = result.summary.resource_changes
        else:
            raise SystemExit(f"unknown operation {name!r}")
    except auto.errors.CommandError as exc:
        return {"op": op, "ok": False, "output": "\n".join(lines), "error": str(exc)}
    return {"op": op, "ok": True, "output": "\n".join(lines), "changes": dict(changes or {})}


def main(argv: list[str]) -> int:
    work_dir, stack_name, *ops = argv
    stack = auto.select_stack(
        stack_name,
        project_name="harbor-sso",
        program=program,
        opts=auto.LocalWorkspaceOptions(work_dir=work_dir),
    )
    for op in ops:
        print(json.dumps(run(stack, op)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
