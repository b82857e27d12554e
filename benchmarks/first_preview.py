"""The first `pulumi preview` of a fresh clone with each Python toolchain, side by side.

Run: .venv/bin/python benchmarks/first_preview.py [rounds]
(needs uv, which the dev extras install, and the package index; writes its section of
BENCHMARKS.md)

Nearly all of a fresh clone's first preview is the Python language host installing the
project into `.venv`. That host is not available here, so what each toolchain runs is
replayed from pulumi's source (tests/engine/toolchain.py: pip's `python -m venv` and two
`pip install`s, uv's `uv sync`), in a new clone of HEAD each time.

Then the program's start, which is the same whichever toolchain installed it: the new
virtualenv's Python imports the stack program. "Cold" is a machine that never installed
anything (empty pip and uv caches); "warm" keeps each toolchain's cache from an earlier
run. The two toolchains alternate within a round; ratios are uv over pip, per round.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the toolchains' replay lives with the engine tests
from tests.engine import toolchain  # noqa: E402

BEGIN = "<!-- first_preview.py writes this section -->"
END = "<!-- first_preview.py: end -->"
Replay = Callable[[Path, dict[str, str]], None]


def uv() -> str | None:
    """uv on PATH, or the one the dev extras put beside this Python."""
    beside = Path(sys.executable).parent / "uv"
    return shutil.which("uv") or (str(beside) if beside.exists() else None)


def with_pip(clone: Path, env: dict[str, str]) -> None:
    toolchain.pip_install(clone, clone / ".venv", env)


def with_uv(clone: Path, env: dict[str, str]) -> None:
    toolchain.uv_install(clone, clone / ".venv", env, str(uv()))


TOOLCHAINS: dict[str, Replay] = {"pip": with_pip, "uv": with_uv}


def first_preview(toolchain: str, work: Path, cache: Path) -> float:
    """Seconds from a fresh clone to the program's start, with ``cache`` as the
    toolchain's download cache."""
    clone = work / f"clone-{toolchain}"
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "PIP_CACHE_DIR": str(cache / "pip"), "UV_CACHE_DIR": str(cache / "uv")}
    env.pop("VIRTUAL_ENV", None)
    start = time.monotonic()
    TOOLCHAINS[toolchain](clone, env)
    python = clone / ".venv" / "bin" / "python"
    subprocess.run([str(python), "-c", "import harbor_sso.stack.program"], cwd=clone, check=True)
    return time.monotonic() - start


def measure(rounds: int) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {"cold": {}, "warm": {}}
    with tempfile.TemporaryDirectory(prefix="first-preview-") as folder:
        work = Path(folder)
        warm = {name: work / f"warm-{name}" for name in TOOLCHAINS}
        for name in TOOLCHAINS:  # fill each warm cache once, not counted
            first_preview(name, work, warm[name])
        for index in range(rounds):
            order = list(TOOLCHAINS) if index % 2 == 0 else list(reversed(TOOLCHAINS))
            for name in order:
                cold = work / f"cold-{name}-{index}"
                times["cold"].setdefault(name, []).append(first_preview(name, work, cold))
                shutil.rmtree(cold, ignore_errors=True)
                times["warm"].setdefault(name, []).append(first_preview(name, work, warm[name]))
    return times


def section(times: dict[str, dict[str, list[float]]], rounds: int, uv_version: str) -> str:
    lines = [
        BEGIN,
        "### First `pulumi preview` of a fresh clone: pip and uv side by side",
        "",
        f"Produced by `.venv/bin/python benchmarks/first_preview.py {rounds}` (Python "
        f"{platform.python_version()}, {uv_version}, {os.cpu_count()} CPUs; median of "
        f"{rounds} rounds, the toolchains alternating in each). From a new clone of HEAD "
        "to the program's start: the install each toolchain runs, replayed from pulumi's "
        "source (the script's docstring), then the stack program's import. Cold: empty "
        "caches, as on a new machine or CI runner; warm: the toolchain's cache from an "
        "earlier run.",
        "",
        "| caches | pip | uv | uv / pip (median of the rounds' ratios) |",
        "|---|---|---|---|",
    ]
    for mode in ("cold", "warm"):
        pip, uv = times[mode]["pip"], times[mode]["uv"]
        ratio = statistics.median(u / p for u, p in zip(uv, pip, strict=True))
        lines.append(
            f"| {mode} | {statistics.median(pip):.1f} s | {statistics.median(uv):.1f} s | "
            f"{ratio:.2f} |"
        )
    lines += [
        "",
        "To use uv: `toolchain: uv` under `runtime.options` in Pulumi.yaml, with uv 0.6.15 or "
        "newer on PATH (docs/installation-configuration.md).",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 3
    if uv() is None:
        print("benchmarks/first_preview.py: no `uv` (pip install uv)", file=sys.stderr)
        return 2
    uv_version = subprocess.run(
        [str(uv()), "--version"], capture_output=True, text=True, check=True
    )
    text = section(measure(rounds), rounds, uv_version.stdout.strip())
    print(text)
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text()
    if BEGIN in current:
        before, rest = current.split(BEGIN, 1)
        current = before + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(current)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
