"""The stack's life cycle under the real CLI, with the model plugins over the stand-ins."""

from __future__ import annotations

from tests.engine.conftest import Deployment


def test_preview_then_up_then_no_changes(deployment: Deployment) -> None:
    preview = deployment.ok("preview")
    assert preview.changes == {"create": 10}
    deployment.ok("up")
    deployment.ok("preview:expect-no-changes")
