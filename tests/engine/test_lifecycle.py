"""The stack's life cycle under the real CLI, with the model plugins over the stand-ins.

What each step must do is what the held-out real run did (real-systems.md, "What worked"):
no changes after an up and no drift on refresh; a rename, a new slug and a rotated
secret are updates in place; `protect` refuses a destroy; a destroy leaves authentik
with nothing of the stack.
"""

from __future__ import annotations

import pytest

from tests.engine.conftest import Deployment


def authentik_requests(deployment: Deployment, since: int = 0) -> list[str]:
    return [e.line() for e in deployment.pair.authentik.log.exchanges[since:]]


def test_preview_then_up_then_no_changes_and_no_drift(deployment: Deployment) -> None:
    # preview and up in one process, as an Automation API program runs them: the
    # package reference is registered anew with each engine (authentik_sdk.py)
    preview, up = deployment.run("preview", "up")
    assert (preview.ok, up.ok) == (True, True), preview.text + up.text
    assert preview.changes == {"create": 10}
    assert up.changes == {"create": 10}
    deployment.ok("preview:expect-no-changes")
    deployment.ok("refresh:expect-no-changes")
    deployment.ok("preview:expect-no-changes")


def test_the_authentik_provider_stores_its_package_version(deployment: Deployment) -> None:
    # inline, the engine stored 2025.8.1 and then proposed `~ version => 0.12.0`; with the
    # version stated, every path stores 2025.8.1 (real-systems.md, "The inline path")
    deployment.ok("up")
    provider = deployment.resources()["authentik"]
    assert provider["inputs"]["version"] == "2025.8.1"
    refresh = deployment.ok("refresh")
    assert "older version of package" not in refresh.text


def test_look_ups_are_asked_once_each_as_the_readme_says(deployment: Deployment) -> None:
    # README: four with the defaults, plus one per distinct group; one per Harbor project
    deployment.ok("preview")
    asked = authentik_requests(deployment)
    assert asked[0] == "GET /api/v3/root/config/ -> 200"  # the provider's Configure
    assert len(asked) == 1 + 4 + 2
    assert sorted(asked[1:]) == sorted(
        ["GET /api/v3/flows/instances/ -> 200"] * 2
        + ["GET /api/v3/crypto/certificatekeypairs/ -> 200"]
        + ["GET /api/v3/propertymappings/provider/scope/ -> 200"]
        + ["GET /api/v3/core/groups/ -> 200"] * 2
    )
    assert [e.line() for e in deployment.pair.harbor.log.exchanges] == [
        "GET /api/v2.0/projects -> 200"
    ]


def test_a_rename_updates_in_place(deployment: Deployment) -> None:
    deployment.ok("up")
    deployment.configure(applicationName="Harbor (renamed)")
    up = deployment.ok("up")
    assert up.changes == {"update": 2, "same": 8}  # the provider is named after it too
    assert deployment.pair.authentik.applications["harbor-real"]["name"] == "Harbor (renamed)"
    deployment.ok("preview:expect-no-changes")


def test_a_rotated_client_secret_reaches_authentik_and_harbor(deployment: Deployment) -> None:
    deployment.ok("up")
    (generated,) = [p["client_secret"] for p in deployment.pair.authentik.providers.values()]
    assert deployment.pair.harbor.client_secret == generated  # Harbor got authentik's
    rotated = "rotated-secret-CANARY-" + "x" * 40
    deployment.secret("clientSecret", rotated)
    deployment.ok("up")
    (provider,) = deployment.pair.authentik.providers.values()
    assert provider["client_secret"] == rotated
    assert deployment.pair.harbor.client_secret == rotated
    deployment.ok("preview:expect-no-changes")


def test_a_new_slug_is_an_update_in_place_and_locks_returning_users_out(
    deployment: Deployment,
) -> None:
    # the application's slug is not ForceNew in terraform-provider-authentik 2025.8.1:
    # an update in place, and the issuer changes with it (real-systems.md, item 4)
    deployment.ok("up")
    harbor = deployment.pair.harbor
    assert harbor.oidc_login("bob", sub="sub-bob")[0] == 200
    deployment.configure(slug="harbor-real-moved")
    up = deployment.ok("up")
    assert up.changes == {"update": 3, "same": 7}
    assert list(deployment.pair.authentik.applications) == ["harbor-real-moved"]
    assert len(deployment.pair.authentik.providers) == 1
    assert harbor.config["oidc_endpoint"].endswith("/application/o/harbor-real-moved/")
    status, answer = harbor.oidc_login("bob", sub="sub-bob")
    assert status == 409
    assert answer["errors"][0]["message"] == (
        "failed to create user record: user bob or email bob@example.test already exists"
    )
    deployment.ok("preview:expect-no-changes")
    deployment.ok("refresh:expect-no-changes")


def test_protect_refuses_a_destroy(deployment: Deployment) -> None:
    deployment.configure(protect=True)
    deployment.ok("up")
    refused = deployment.one("destroy")
    assert not refused.ok
    assert "protected" in refused.text
    assert len(deployment.pair.authentik.applications) == 1


def test_a_destroy_leaves_authentik_with_nothing_of_the_stack(deployment: Deployment) -> None:
    deployment.ok("up")
    destroy = deployment.ok("destroy")
    assert destroy.changes == {"delete": 10}
    assert deployment.pair.authentik.owned() == {
        "providers": 0,
        "applications": 0,
        "bindings": 0,
        "custom scope mappings": 0,
    }
    assert deployment.pair.harbor.members[deployment.pair.harbor.projects["team"]] == []
    # ConfigAuth's delete sends nothing: Harbor stays in OIDC mode (resource_config_auth.go)
    assert deployment.pair.harbor.config["auth_mode"] == "oidc_auth"


@pytest.mark.parametrize("admin_group", ["harbor-admins", None])
def test_the_second_up_changes_nothing(deployment: Deployment, admin_group: str | None) -> None:
    deployment.configure(adminGroup=admin_group)
    deployment.ok("up")
    second = deployment.ok("up")
    assert second.changes == {"same": 10}
