"""The authentik side: the OAuth2 provider, the application, scope mappings and bindings."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_authentik as authentik

from ._inputs import optional
from .lookups import AuthentikLookups
from .options import adopting
from .validation import Resolved


@dataclass(frozen=True)
class AuthentikSide:
    provider: authentik.ProviderOauth2
    provider_id: pulumi.Output[int]
    """The provider's numeric ID: authentik's ``id`` arrives as a string."""
    application: authentik.Application


def build_authentik(
    name: str,
    resolved: Resolved,
    lookups: AuthentikLookups,
    client_secret: pulumi.Output[str] | None,
    opts: pulumi.ResourceOptions,
) -> AuthentikSide:
    """Register the authentik resources.

    Structural fields come from ``resolved.known``; the rest through ``resolved.pick``,
    as they may still be Outputs. Provider names, application slugs and mapping names
    are unique in authentik, so they are replaced delete-before-replace: a rename never
    collides with its old self.
    """
    settings, pick = resolved.known, resolved.pick
    replace_opts = pulumi.ResourceOptions.merge(
        opts, pulumi.ResourceOptions(delete_before_replace=True)
    )

    def mapping_name(scope: str) -> pulumi.Input[str]:
        return pick(lambda s: f"harbor-sso {s.slug}: {scope}")

    mappings = [
        authentik.PropertyMappingProviderScope(
            f"{name}-scope-{m.scope_name}",
            name=mapping_name(m.scope_name),
            scope_name=m.scope_name,
            expression=m.expression,
            **optional({"description": m.description}),
            opts=replace_opts,
        )
        for m in settings.extra_scope_mappings
    ]
    managed_ids = lookups.scope_mappings(settings.managed_mappings)
    # Without custom mappings the shared look-up is the list itself: no Output per Harbor.
    property_mappings: pulumi.Output[list[str]] = (
        pulumi.Output.all(managed_ids, *(m.id for m in mappings)).apply(
            lambda ids: [*ids[0], *ids[1:]]
        )
        if mappings  # pragma: no mutate (both give the same list; this saves an Output)
        else managed_ids
    )

    provider = authentik.ProviderOauth2(
        f"{name}-provider",
        name=pick(lambda s: s.effective_provider_name),
        client_id=pick(lambda s: s.effective_client_id),
        client_type="confidential",
        authorization_flow=lookups.flow(settings.authorization_flow, "authorization_flow"),
        invalidation_flow=lookups.flow(settings.invalidation_flow, "invalidation_flow"),
        signing_key=lookups.certificate(settings.signing_key),
        property_mappings=property_mappings,
        allowed_redirect_uris=[{"matching_mode": "strict", "url": pick(lambda s: s.redirect_uri)}],
        issuer_mode="per_provider",
        include_claims_in_id_token=True,
        **optional(
            {
                "client_secret": client_secret,  # already secret and checked
                "access_token_validity": pick(lambda s: s.access_token_validity),
                "refresh_token_validity": pick(lambda s: s.refresh_token_validity),
                "sub_mode": pick(lambda s: s.sub_mode),
            }
        ),
        opts=adopting(replace_opts, settings.adopt.provider),
    )

    provider_id = provider.id.apply(int)
    application = authentik.Application(
        f"{name}-application",
        name=pick(lambda s: s.application_name),
        slug=pick(lambda s: s.slug),
        protocol_provider=provider_id,
        meta_launch_url=pick(lambda s: s.launch_url),
        open_in_new_tab=pick(lambda s: s.open_in_new_tab),
        policy_engine_mode=pick(lambda s: s.policy_engine_mode),
        **optional(
            {
                "group": pick(lambda s: s.application_group),
                "meta_icon": pick(lambda s: s.application_icon),
                "meta_description": pick(lambda s: s.application_description),
                "meta_publisher": pick(lambda s: s.application_publisher),
            }
        ),
        opts=adopting(replace_opts, settings.adopt.application),
    )

    for order, group in enumerate(settings.allowed_groups):
        authentik.PolicyBinding(
            f"{name}-allow-{group}",
            target=application.uuid,
            group=lookups.group(group),
            order=order,
            opts=adopting(opts, settings.adopt.bindings.get(group)),
        )
    return AuthentikSide(provider, provider_id, application)
