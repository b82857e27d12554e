"""What adopt finds: the config that adopts a pair, and the differences, in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...stack.config import NAMESPACE

SECRET_KEY = f"{NAMESPACE}:clientSecret"
KEEPS = (
    "Client ID, client secret, slug and sub_mode stay as they are: Harbor keeps issuer "
    "and subject of every OIDC user, so nobody is onboarded again."
)


@dataclass(frozen=True)
class Difference:
    kept: bool
    """True: adopted as it is (no update); False: the first `pulumi up` changes it."""
    what: str
    detail: str

    def line(self) -> str:
        return f"{'KEEP  ' if self.kept else 'CHANGE'}  {self.what}: {self.detail}"


@dataclass
class Adoption:
    config: dict[str, Any]
    """camelCase key (``harbor-sso:`` left out) -> value, ``adopt`` included."""
    differences: list[Difference]
    provider_pk: int
    client_secret: str = field(repr=False)


class AdoptFailed(Exception):
    """The live objects could not be read; one line per reason."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))
