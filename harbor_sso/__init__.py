"""harbor-sso: authentik as the single sign-on for Harbor, as one Pulumi component."""

from ._compat import install as _install_compat

_install_compat()  # before any authentik resource: see _compat.py

from .args import AdoptArgs, HarborAuthentikSSOArgs, ScopeMappingArgs  # noqa: E402
from .component import HarborAuthentikSSO  # noqa: E402
from .settings import ConfigError, Settings  # noqa: E402

__all__ = [
    "AdoptArgs",
    "ConfigError",
    "HarborAuthentikSSO",
    "HarborAuthentikSSOArgs",
    "ScopeMappingArgs",
    "Settings",
]
