"""What the real plugins sent, step by step, read from the held-out recording itself.

`recording/` beside this file holds the step files of ../shared/reference/wire/
(`NN-step.jsonl`, one exchange a line: `server`, `method`, `path`, `query`, `request`,
`status`; recorded on 2026-12-07 between the real plugins and a real authentik 2026.2.2
and Harbor 2.14.4), copied unchanged. A new recording replaces them by copying the files;
nothing here is transcribed by hand. A model plugin that sends, step by step, what these
hold is a faithful model (tests/engine/test_wire.py).

Each request is one line, as the wire README lists it and the stand-ins log it
(tests/stand_ins/http.py `Exchange.wire`): `METHOD path?query -> status`, and for a write
the keys of its body. Ids become placeholders: `<uuid>`, `<pk>` (a provider), `<p>` (a
project), `<n>` (a member). Status 0 is a request whose connection closed unanswered.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tests.stand_ins.http import wire_line
from tests.support import ROOT

RECORDING = Path(__file__).parent / "recording"
SHARED = ROOT.parent / "shared" / "reference" / "wire"
"""Where the held-out runs leave a new recording, beside the repository."""
SERVERS = ("authentik", "harbor")

_IDS = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"/providers/oauth2/\d+/"), "/providers/oauth2/<pk>/"),
    (re.compile(r"/members/\d+"), "/members/<n>"),
    (re.compile(r"/projects/\d+/"), "/projects/<p>/"),
)

Sent = dict[str, Counter[str]]
"""Server -> the multiset of its request lines."""


def normalised(line: str) -> str:
    for pattern, placeholder in _IDS:
        line = pattern.sub(placeholder, line)
    return line


def step_files() -> list[Path]:
    return sorted(RECORDING.glob("[0-9][0-9]-*.jsonl"))


def _name(path: Path) -> str:
    return path.stem.split("-", 1)[1]


def read_step(path: Path) -> Sent:
    sent: Sent = {server: Counter() for server in SERVERS}
    for text in path.read_text().splitlines():
        record = json.loads(text)
        body = record["request"]
        line = wire_line(
            record["method"],
            record["path"],
            record["query"],
            record["status"],
            body if isinstance(body, dict) else (),
        )
        sent[record["server"]][normalised(line)] += 1
    return sent


STEPS: dict[str, Sent] = {_name(path): read_step(path) for path in step_files()}
"""Every recorded step by name (`preview-1`, `adopt-up`, `fault-up-harbor-down`, ...)."""
