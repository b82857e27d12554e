"""Helpers for resource inputs shared by both sides."""

from typing import Any


def optional(pairs: dict[str, Any]) -> dict[str, Any]:
    """Drop unset values, so the provider's own defaults apply and the inputs stay minimal."""
    return {k: v for k, v in pairs.items() if v is not None}
