"""Pulumi.yaml: the project the engine loads, in step with the component's settings."""

from __future__ import annotations

import pytest
import yaml

from harbor_sso.naming import camel
from harbor_sso.validation import Settings
from tests.support import ROOT


def test_project_file_declares_keys_in_step_with_settings() -> None:
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    # no `main`: the program directory is the root, where requirements.txt is
    assert "main" not in project
    assert "harbor_sso.stack.program" in (ROOT / "__main__.py").read_text()
    assert project["stackConfigDir"] == "stacks"
    declared = project["config"]
    for field, info in Settings.model_fields.items():
        key = camel(field)
        if key in ("extraScopeMappings", "projectRoles", "adopt"):
            continue  # objects: not declared, so no default is forced (see Pulumi.yaml)
        if key in declared and "default" in declared[key]:
            default = info.default
            assert declared[key]["default"] == (
                list(default) if isinstance(default, tuple) else default
            )
        elif info.default is not None and not info.is_required():
            pytest.fail(f"{key} has a default in settings but is not declared")
    assert all(
        "default" in v for k, v in declared.items() if k not in ("harborUrl", "authentikUrl")
    )
