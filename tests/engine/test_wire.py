"""The model plugins send what the real plugins sent, step by step (tests/engine/wire.py,
recorded in a held-out run against a real authentik 2026.2.2 and Harbor 2.14.4).

Compared per step as a multiset of requests (the engine runs independent steps in
parallel, so the order varies between runs; two real runs sent the same requests)."""

from __future__ import annotations

import re
from collections import Counter

from tests.engine.conftest import Deployment
from tests.engine.wire import STEPS

_IDS = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"/providers/oauth2/\d+/"), "/providers/oauth2/<pk>/"),
    (re.compile(r"/members/\d+"), "/members/<n>"),
    (re.compile(r"/projects/\d+/"), "/projects/<p>/"),
)
GROUP_FILTER = "oidc_group_filter"
"""Sent on every write of Harbor's configuration since the component sends a filter that
every group matches for "no filter" (harbor_side.py MATCH_ALL_GROUPS); the recorded run
predates it. In step 10 the same holds for the admin group (NO_ADMIN_GROUP)."""


def normalised(line: str) -> str:
    for pattern, placeholder in _IDS:
        line = pattern.sub(placeholder, line)
    return line


def expected(step: str, server: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for line, count in STEPS[step][server].items():
        if line.startswith("PUT /api/v2.0/configurations"):
            keys = set(line.split("body keys: ")[1].split(", ")) | {GROUP_FILTER}
            keys |= {"oidc_admin_group"}
            line = line.split("body keys: ")[0] + "body keys: " + ", ".join(sorted(keys))
        found[line] += count
    return found


class Recorder:
    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.seen = {"authentik": 0, "harbor": 0}

    def step(self, op: str, name: str) -> None:
        self.deployment.ok(op)
        for server, log in (("authentik", self.deployment.pair.authentik.log),
                            ("harbor", self.deployment.pair.harbor.log)):  # fmt: skip
            sent = Counter(normalised(e.wire()) for e in log.exchanges[self.seen[server] :])
            self.seen[server] = len(log.exchanges)
            if op.startswith("refresh"):
                # the CLI's refresh reads twice (preview, then apply); the Automation API's
                # skips the preview: the same requests, once
                assert set(sent) == set(expected(name, server)), (name, server)
            else:
                assert sent == expected(name, server), (name, server)


def test_each_step_sends_what_the_real_plugins_sent(deployment: Deployment) -> None:
    run = Recorder(deployment)
    run.step("preview", "preview-1")
    run.step("up", "up-1")
    run.step("preview", "preview-2")
    run.step("refresh", "refresh-1")
    run.step("preview", "preview-3")
    deployment.configure(applicationName="Harbor (renamed)")
    run.step("preview", "preview-rename")
    run.step("up", "up-rename")
    run.step("preview", "preview-rename-2")
    deployment.secret("clientSecret", "rotated-" + "z" * 48)
    run.step("up", "up-rotate")
    deployment.configure(adminGroup=None)
    run.step("up", "up-no-admin-group")
    run.step("preview", "preview-no-admin-group")
    run.step("destroy", "destroy")
