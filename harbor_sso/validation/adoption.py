"""Adoption's import map: the IDs of objects made by hand that the component takes over."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from .errors import Problem
from .fields import BindingId, ConfigAuthId, Group, MemberId, Project, ProviderPk, Slug, StrictModel

if TYPE_CHECKING:
    from .models import Settings


class Adopt(StrictModel):
    """Import IDs of objects that exist already (see :class:`harbor_sso.args.AdoptArgs`)."""

    provider: ProviderPk | None = None
    application: Slug | None = None
    config_auth: ConfigAuthId | None = None
    bindings: dict[Group, BindingId] = Field(default_factory=dict)
    memberships: dict[Project, dict[Group, MemberId]] = Field(default_factory=dict)

    @field_validator("provider", mode="before")
    @classmethod
    def _pk_as_text(cls, value: Any) -> Any:
        # YAML reads `provider: 12` as a number; the import ID is its text
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def problems(self, settings: Settings, *, check_slug: bool) -> list[Problem]:
        """IDs of objects the arguments do not create: each would be imported and then
        left out of the program, or fail; named by path."""
        found: list[Problem] = []
        if check_slug and self.application is not None and self.application != settings.slug:
            found.append(
                (
                    "adopt.application",
                    f"is {self.application!r}, but slug is {settings.slug!r}: the application "
                    "is imported by its slug, so they must be the same",
                )
            )
        for group in self.bindings:
            if group not in settings.allowed_groups:
                found.append(
                    (
                        f"adopt.bindings.{group}",
                        "names a group that allowed_groups does not list, so no binding of "
                        "it is created",
                    )
                )
        for project, groups in sorted(self.memberships.items()):
            for group in groups:
                if group not in settings.project_roles.get(project, {}):
                    found.append(
                        (
                            f"adopt.memberships.{project}.{group}",
                            "names a membership that project_roles does not create",
                        )
                    )
        return found
