"""The benchmark's baseline stays fair: the hand-written program registers what the
component registers (benchmarks/run.py refuses to measure otherwise, and CI never runs it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_hand_written_baseline_registers_what_the_component_registers() -> None:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.check_equivalent()  # SystemExit naming both shapes when they differ
