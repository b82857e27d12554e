"""The stack program: config -> explicit providers -> the component -> exports.

Run by ``pulumi up`` (through the root ``__main__.py``) and, under the mock engine, by
``harbor-sso plan``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor
from pulumi.runtime import config as runtime_config

from ..args import HarborAuthentikSSOArgs
from ..authentik_sdk import forget_package_ref, pin_provider_version
from ..component import OUTPUTS, HarborAuthentikSSO
from ..naming import named
from ..transport import PROVIDER_URLS
from ..validation import ConfigError
from .config import NAMESPACE, StackConfig, config_key, load


def current_config() -> tuple[dict[str, str], frozenset[str]]:
    """Every config value of this run, and which keys are secret."""
    values: dict[str, Any] = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    secret = frozenset(k for k in values if runtime_config.is_config_secret(k))
    return {k: str(v) for k, v in values.items()}, secret


def _secret(value: str | None) -> pulumi.Output[str] | None:
    return None if value is None else pulumi.Output.secret(value)


def _url(cfg: StackConfig, key: str, value: str) -> pulumi.Input[str]:
    """An API URL, secret when it comes from encrypted config."""
    return pulumi.Output.secret(value) if key in cfg.secret_api_urls else value


def build(cfg: StackConfig) -> HarborAuthentikSSO:
    """Explicit providers, TLS verification on unless the stack opts out, then the component."""
    creds = cfg.credentials
    authentik_provider = authentik.Provider(
        "authentik",
        url=_url(cfg, "authentikApiUrl", cfg.authentik_api_url),
        token=_secret(creds.get("authentikToken")),
        insecure=cfg.authentik_insecure,
        # its version stated, or the engine may store the plugin's (authentik_sdk.py)
        opts=pulumi.ResourceOptions(transforms=[pin_provider_version]),
    )
    harbor_provider = harbor.Provider(
        "harbor",
        url=_url(cfg, "harborApiUrl", cfg.harbor_api_url),
        username=creds.get("harborUsername"),
        password=_secret(creds.get("harborPassword")),
        # The SDK's own default is insecure=True (TLS off): always say it.
        insecure=cfg.harbor_insecure,
    )
    # Encrypted config stays secret in state: the component gets those values as secrets
    # (clientSecret always counts as one: config.SECRET_KEYS).
    args: Mapping[str, Any] = {
        key: pulumi.Output.secret(value) if key in cfg.secret_args else value
        for key, value in cfg.args.items()
    }
    return HarborAuthentikSSO(
        NAMESPACE,
        cast(HarborAuthentikSSOArgs, args),  # pragma: no mutate (validated by config.load)
        pulumi.ResourceOptions(
            providers={"authentik": authentik_provider, "harbor": harbor_provider},
            protect=cfg.protect,
        ),
    )


def _stack_name(cfg: StackConfig, argument: str) -> str:
    """An argument's config key; a provider's URL, the key it was configured by."""
    for package, phrase in PROVIDER_URLS.items():
        if argument == phrase:
            return cfg.api_url_keys[package]
    return config_key(argument)


def main() -> None:
    forget_package_ref()  # an Automation API program may run this more than once
    values, secret_keys = current_config()
    try:
        cfg = load(values, secret_keys)
    except ConfigError as exc:
        raise pulumi.RunError(
            "invalid stack configuration:\n  " + "\n  ".join(exc.lines())
        ) from None
    with named(lambda argument: _stack_name(cfg, argument)):
        sso = build(cfg)  # a problem found while building names the config key
    for key in OUTPUTS:
        pulumi.export(key, getattr(sso, key))
