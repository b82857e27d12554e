"""A finding of doctor: PASS, WARN or FAIL, what was found, and the fix."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from ..http import redact
from ..said import once

Status = Literal["PASS", "WARN", "FAIL"]


@dataclass(frozen=True)
class Finding:
    status: Status
    name: str
    detail: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status != "PASS"

    def head(self) -> str:
        return f"{self.status}  {self.name}"

    def line(self) -> str:
        fix = f" Fix: {self.fix}" if self.fix and self.status != "PASS" else ""
        return f"{self.head()}: {self.detail}{fix}"


def report(findings: Sequence[Finding], secrets: Sequence[str] = ()) -> Iterator[str]:
    """One line per finding (one that failed as an earlier one did points to it), then a
    count; no line holds a credential."""
    for line in once(findings):
        yield redact(line, secrets)
    counts = {s: sum(f.status == s for f in findings) for s in ("PASS", "WARN", "FAIL")}
    yield f"{counts['PASS']} passed, {counts['WARN']} warned, {counts['FAIL']} failed"


def judged(name: str, ok: bool, passed: str, problem: tuple[Status, str, str]) -> Finding:
    """One check's finding: PASS with what was found, else the problem (status, what, fix)."""
    if ok:
        return Finding("PASS", name, passed)
    status, detail, fix = problem
    return Finding(status, name, detail, fix)
