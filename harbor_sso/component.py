"""`HarborAuthentikSSO`: authentik as Harbor's single sign-on, in one component."""

import pulumi

from .args import HarborAuthentikSSOArgs
from .authentik_side import build_authentik
from .harbor_side import build_harbor, build_memberships
from .lookups import AuthentikLookups, HarborLookups, lookups_for
from .naming import argument_name
from .options import check_providers
from .slugs import claim_slug
from .validation import client_secret_input, resolve

PACKAGE = "harbor-sso"
"""The Pulumi package name: other languages see `harbor-sso:index:HarborAuthentikSSO`."""
TYPE_TOKEN = f"{PACKAGE}:index:HarborAuthentikSSO"
_AUTHENTIK_TYPE = "authentik:index/providerOauth2:ProviderOauth2"
_HARBOR_TYPE = "harbor:index/configAuth:ConfigAuth"
OUTPUTS = (
    "client_id",
    "client_secret",
    "oidc_endpoint",
    "discovery_url",
    "redirect_uri",
    "application_slug",
    "application_uuid",
    "provider_id",
    "launch_url",
    "oidc_scope",
)


class HarborAuthentikSSO(pulumi.ComponentResource):
    """authentik as the OIDC single sign-on of a Harbor registry.

    Creates an authentik OAuth2/OpenID provider (strict redirect URI, signing key, the
    requested scope mappings) and its application, optional custom scope mappings and
    group bindings, and sets Harbor's auth mode to OIDC with the provider's client ID
    and secret; optionally, Harbor project roles for authentik groups. Explicit providers
    go in `opts.providers` under `authentik` and `harbor`.
    """

    client_id: pulumi.Output[str]
    """The OAuth client ID, as authentik holds it."""
    client_secret: pulumi.Output[str]
    """The OAuth client secret (secret)."""
    oidc_endpoint: pulumi.Output[str]
    """The issuer Harbor is configured with: `<authentik>/application/o/<slug>/`."""
    discovery_url: pulumi.Output[str]
    """The OpenID discovery document of the provider."""
    redirect_uri: pulumi.Output[str]
    """Harbor's OIDC callback, the provider's one strict redirect URI."""
    application_slug: pulumi.Output[str]
    """The authentik application's slug."""
    application_uuid: pulumi.Output[str]
    """The authentik application's UUID."""
    provider_id: pulumi.Output[int]
    """The authentik OAuth2 provider's numeric ID."""
    launch_url: pulumi.Output[str]
    """Harbor's OIDC login, `<harbor>/c/oidc/login`; also the application's launch URL."""
    oidc_scope: pulumi.Output[str]
    """The comma-separated scopes Harbor requests."""

    def __init__(
        self,
        name: str,
        args: HarborAuthentikSSOArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Validate before registering anything: a bad argument leaves nothing half-applied.
        # Any mapping will do: the provider host hands other languages' arguments over
        # as a plain dict (tests/component/test_schema.py).
        check_providers(opts)
        resolved = resolve(args)
        super().__init__(TYPE_TOKEN, name, {}, opts)  # pragma: no mutate ({} and None: no props)
        for argument, message in resolved.known.warnings():
            # resource=self shows it under the component in `pulumi up`; the mock engine's
            # logger drops the resource, so no test here can see it
            pulumi.log.warn(
                f"{argument_name(argument)}: {message}", resource=self
            )  # pragma: no mutate

        child = pulumi.ResourceOptions(parent=self)
        lookups = lookups_for(AuthentikLookups, self.get_provider(_AUTHENTIK_TYPE))
        if not any(isinstance(args.get(k), pulumi.Output) for k in ("slug", "authentik_url")):
            # before any child; given as an Output, known only at deploy, where authentik decides
            claim_slug(resolved.known.authentik_url, resolved.known.slug, name)
        given_secret = client_secret_input(args.get("client_secret"))
        side = build_authentik(name, resolved, lookups, given_secret, child)
        provider = side.provider
        # authentik holds the secret, generated or given: Harbor gets that value.
        client_secret = pulumi.Output.secret(provider.client_secret)
        config_auth = build_harbor(
            name,
            resolved,
            client_id=provider.client_id,
            client_secret=client_secret,
            opts=child,
        )
        build_memberships(
            name,
            resolved.known,
            lookups_for(HarborLookups, self.get_provider(_HARBOR_TYPE)),
            # after the switch to OIDC: Harbor resolves a group given by name through
            # the auth mode in force (src/controller/member/controller.go `Create`), and
            # in db_auth that is 404 "<group> not found: not supported"
            pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[config_auth])),
        )

        self.client_id = provider.client_id
        self.client_secret = client_secret
        self.oidc_endpoint = pulumi.Output.from_input(resolved.pick(lambda s: s.oidc_endpoint))
        self.discovery_url = pulumi.Output.from_input(resolved.pick(lambda s: s.discovery_url))
        self.redirect_uri = pulumi.Output.from_input(resolved.pick(lambda s: s.redirect_uri))
        self.launch_url = pulumi.Output.from_input(resolved.pick(lambda s: s.launch_url))
        self.oidc_scope = pulumi.Output.from_input(resolved.pick(lambda s: s.oidc_scope))
        self.application_slug = side.application.slug
        self.application_uuid = side.application.uuid
        self.provider_id = side.provider_id
        self.register_outputs({key: getattr(self, key) for key in OUTPUTS})
