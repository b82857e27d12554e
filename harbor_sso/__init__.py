"""harbor-sso: authentik as the single sign-on for Harbor, as one Pulumi component."""

from .authentik_sdk import install_shim, pin_provider_version

install_shim()  # before any authentik resource: see authentik_sdk.py

from .args import AdoptArgs, HarborAuthentikSSOArgs, ScopeMappingArgs  # noqa: E402
from .component import HarborAuthentikSSO  # noqa: E402
from .validation import ConfigError, Settings  # noqa: E402

__all__ = [
    "AdoptArgs",
    "ConfigError",
    "HarborAuthentikSSO",
    "HarborAuthentikSSOArgs",
    "ScopeMappingArgs",
    "Settings",
    "pin_provider_version",
]
