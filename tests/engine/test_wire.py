"""The model plugins send what the real plugins sent, in every recorded step.

The steps are read from the recording itself (tests/engine/wire.py): 27 steps of a held-out
run against a real authentik 2026.2.2 and Harbor 2.14.4, in six scenarios, each driven here
as it was driven there. Each step is compared as a multiset of requests per server: the
engine runs independent steps in parallel, so the order varies between runs, but two real
runs sent the same requests. Where a step may legitimately differ, the test says why.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.engine.conftest import Deployment, adopt_by_hand
from tests.engine.wire import SERVERS, SHARED, STEPS, Sent, normalised, read_step, step_files
from tests.stand_ins.pair import seed


class Recorder:
    """Runs operations and compares what reached the stand-ins with a recorded step."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.seen = dict.fromkeys(SERVERS, 0)

    def sent(self) -> Sent:
        """What each stand-in received since the last call."""
        found: Sent = {}
        for server in SERVERS:
            exchanges = getattr(self.deployment.pair, server).log.exchanges
            found[server] = Counter(normalised(e.wire()) for e in exchanges[self.seen[server] :])
            self.seen[server] = len(exchanges)
        return found

    def step(self, op: str, name: str, *, ok: bool = True) -> None:
        outcome = self.deployment.one(op)
        assert outcome.ok is ok, outcome.text
        sent, recorded = self.sent(), STEPS[name]
        for server in SERVERS:
            expected = recorded[server]
            if op.startswith("refresh"):
                # The CLI's `pulumi refresh` previews, then refreshes: every read twice, and
                # two Configures. The Automation API passes --skip-preview: each once.
                assert all(count % 2 == 0 for count in expected.values()), (name, server)
                expected = Counter({line: count // 2 for line, count in expected.items()})
            assert sent[server] == expected, (name, server)

    def failed_look_up(self, op: str, name: str, program: str, failing: str) -> None:
        """A run that stops at a look-up that finds nothing. How many other look-ups run
        before the engine stops the program depends on timing (two real runs differ), so
        the models may send any of the program's look-ups, as a successful run of the
        same program (``program``) sends them, plus what the recording shows; the
        failing look-up must be among them. Even the authentik provider's Configure may
        not have run: the real run of step 22 sent it, the inline run here does not."""
        outcome = self.deployment.one(op)
        assert not outcome.ok, outcome.text
        sent, recorded, allowed = self.sent(), STEPS[name], STEPS[program]
        assert failing in sent["authentik"] + sent["harbor"], (name, sent)
        for server in SERVERS:
            extra = sent[server] - (recorded[server] | allowed[server])
            assert not extra, (name, server, extra)


def test_the_recording_is_read_whole() -> None:
    assert [path.name[:2] for path in step_files()] == [f"{n:02}" for n in range(1, 28)]
    assert sum(sum(c.total() for c in step.values()) for step in STEPS.values()) == sum(
        len(path.read_text().splitlines()) for path in step_files()
    )


def test_a_life_cycle_sends_what_the_real_plugins_sent(deployment: Deployment) -> None:
    """Steps 01 to 12: a new stack with an admin group, two allowed groups and a project
    role; previews, a refresh, a rename, a rotated secret, the admin group removed."""
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


def test_an_adoption_sends_what_the_real_plugins_sent(deployment: Deployment) -> None:
    """Steps 13 to 16: a pair made by hand (no admin group, `harbor-users` bound, no
    `offline_access`, a project role), adopted with `harbor-sso adopt --set`: the
    imports' reads, then the first `up`'s writes."""
    pair = deployment.pair
    pair.authentik.groups.clear()  # seed makes the groups of a setup made by hand
    pair.authentik.add_group("harbor-admins")
    client_id = seed(
        pair, old_guide=False, slug="harbor-real", scopes=("openid", "email", "profile")
    )
    # The first `up` rewrites the provider only because the API lists its mappings in
    # their creation order and the component sends them sorted (recording/14-adopt-up:
    # one PUT, same mappings, other order). Random UUIDs make that a chance, there as
    # here; created in reverse-sorted order, the two orders always differ.
    mappings = pair.authentik.mappings
    (provider,) = (p for p in pair.authentik.providers.values() if p["client_id"] == client_id)
    for pk in sorted(provider["property_mappings"], reverse=True):
        mappings[pk] = mappings.pop(pk)
    pair.harbor.add_group_member("team", "harbor-users", role_id=2)
    adopt_by_hand(deployment, slug="harbor-real", projects=["team"])
    run = Recorder(deployment)
    run.sent()  # adopt's own reads are not the plugins'
    run.step("preview", "adopt-preview")
    run.step("up", "adopt-up")
    run.step("preview", "adopt-preview-2")
    run.step("destroy", "adopt-destroy")


def test_harbor_down_then_back_sends_what_the_real_plugins_sent(deployment: Deployment) -> None:
    """Steps 17 to 20: Harbor's core stopped behind its proxy during the first `up` (the
    connection closed unanswered: status 0), then back.

    In both runs the engine stopped starting steps once `ConfigAuth` failed: the
    application was being created, its bindings were never started, and the next `up`
    creates them. Harbor hung up at once while authentik's application took 600 ms
    (POST 210, GET 387 in the recording); the stand-in's writes take 1 s here, so the
    race ends the same way whatever the load."""
    deployment.configure(projectRoles=None)
    run = Recorder(deployment)
    deployment.pair.authentik_server.slow_writes(1.0)
    deployment.pair.harbor_server.hang_up()
    run.step("up", "fault-up-harbor-down", ok=False)
    deployment.pair.harbor_server.hang_up(False)
    deployment.pair.authentik_server.slow_writes(0.0)
    run.step("up", "fault-up-again")
    run.step("preview", "fault-preview")
    run.step("destroy", "fault-destroy")


def test_a_missing_group_sends_what_the_real_plugins_sent(deployment: Deployment) -> None:
    """Step 21: a group authentik lacks, beside the two it has."""
    deployment.configure(
        projectRoles=None, allowedGroups=["harbor-users", "harbor-admins", "no-such-group"]
    )
    Recorder(deployment).failed_look_up(
        "preview",
        "error-miss-group",
        program="fault-preview",
        failing="GET /api/v3/core/groups/?include_users=false&name=no-such-group -> 200",
    )


def test_a_missing_project_sends_what_the_real_plugins_sent(deployment: Deployment) -> None:
    """Step 22: a project role for a project Harbor lacks; in the real run the program
    stopped before any authentik look-up but the provider's Configure."""
    deployment.configure(projectRoles={"no-such-project": {"harbor-users": "developer"}})
    Recorder(deployment).failed_look_up(
        "preview",
        "error-miss-project",
        program="fault-preview",
        failing="GET /api/v2.0/projects?name=no-such-project -> 200",
    )


def test_a_new_slug_sends_what_the_real_plugins_sent(deployment: Deployment) -> None:
    """Steps 23 to 27: a deployed stack gets a new slug: an update in place (the old
    slug's application is PUT with the new slug, then read by the new one)."""
    deployment.configure(projectRoles=None)
    run = Recorder(deployment)
    run.step("up", "replace-up")
    run.step("preview", "replace-preview")
    deployment.configure(slug="harbor-real-moved")
    run.step("up", "replace-up-2")
    run.step("preview", "replace-preview-2")
    run.step("destroy", "replace-destroy")


def test_the_recording_here_is_the_shared_one() -> None:
    """A new recording is copied in whole: when ../shared/reference/wire/ is beside the
    repository, every step file here equals it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not beside this checkout")
    shared = sorted(SHARED.glob("[0-9][0-9]-*.jsonl"))
    assert [p.name for p in shared] == [p.name for p in step_files()]
    for theirs, ours in zip(shared, step_files(), strict=True):
        assert read_step(theirs) == read_step(ours), ours.name
