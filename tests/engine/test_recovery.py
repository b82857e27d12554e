"""Faults and take-overs under the real CLI: Harbor down mid-up, then back; a pair made
by hand, adopted. As the held-out real run did (real-systems.md, "What worked"): the up
after the fault converges with no orphan, and adoption imports without replacing."""

from __future__ import annotations

from tests.engine.conftest import Deployment, adopt_by_hand
from tests.stand_ins.pair import seed


def test_harbor_down_during_up_then_an_up_that_converges(deployment: Deployment) -> None:
    deployment.configure(projectRoles=None)
    deployment.pair.harbor_server.stop()
    failed = deployment.one("up")
    assert not failed.ok
    port = deployment.pair.harbor_server.port
    # terraform-provider-harbor client.go `SendRequest`: Go's error, no retry
    assert (
        f'Put "http://127.0.0.1:{port}/api/v2.0/configurations": dial tcp 127.0.0.1:{port}: '
        "connect: connection refused"
    ) in failed.text
    deployment.pair.harbor_server.start()
    deployment.ok("up")
    authentik = deployment.pair.authentik
    assert (len(authentik.providers), len(authentik.applications)) == (1, 1)  # no orphan
    assert deployment.pair.harbor.config["auth_mode"] == "oidc_auth"
    deployment.ok("preview:expect-no-changes")


def test_a_pair_made_by_hand_is_adopted_without_replacing_anything(
    deployment: Deployment,
) -> None:
    pair = deployment.pair
    pair.authentik.groups.clear()  # seed makes the groups of a setup made by hand
    client_id = seed(pair, old_guide=False, slug="harbor-real", admin_group="harbor-admins")
    pair.harbor.add_group_member("team", "harbor-users", role_id=2)
    pair.harbor.oidc_login("bob", sub="sub-bob")
    (before,) = pair.authentik.providers.values()
    secret = before["client_secret"]
    printed = adopt_by_hand(deployment, slug="harbor-real", projects=["team"])
    assert secret not in printed

    up = deployment.ok("up")
    assert up.changes.get("import") == 5, up.changes
    assert not {"replace", "delete", "create-replacement", "delete-replaced"} & set(up.changes)
    (after,) = pair.authentik.providers.values()
    assert (after["pk"], after["client_id"], after["client_secret"]) == (
        before["pk"],
        client_id,
        secret,
    )
    assert pair.harbor.oidc_login("bob", sub="sub-bob") == (200, {"username": "bob"})
    deployment.ok("preview:expect-no-changes")


def test_no_credential_reaches_the_state_or_any_backend_file(deployment: Deployment) -> None:
    given = "given-secret-CANARY-" + "y" * 40
    deployment.ok("up")
    (generated,) = [p["client_secret"] for p in deployment.pair.authentik.providers.values()]
    deployment.secret("clientSecret", given)
    deployment.ok("up")
    exported = deployment.cli.run("stack", "export", "--stack", deployment.stack).stdout
    backend = deployment.cli.project.parent / "state"
    files = [p.read_text(errors="replace") for p in backend.rglob("*") if p.is_file()]
    assert files
    for text in [exported, *files]:
        for secret in (generated, given, deployment.pair.authentik.token,
                       deployment.pair.harbor.password):  # fmt: skip
            assert secret not in text
