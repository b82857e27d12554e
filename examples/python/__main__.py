"""A consumer's program: authentik as Harbor's single sign-on, with project roles.

Set up with `pulumi config set harborUrl ...`, `pulumi config set authentikUrl ...`,
`pulumi config set --secret authentikToken ...` and `pulumi config set --secret
harborPassword ...`. tests/examples/test_examples.py runs it under the mock engine.
"""

import pulumi
import pulumi_authentik as authentik
import pulumiverse_harbor as harbor

from harbor_sso import HarborAuthentikSSO

config = pulumi.Config()
harbor_url = config.require("harborUrl")
authentik_url = config.require("authentikUrl")

# Explicit providers: the Harbor SDK's own default turns TLS verification off.
authentik_provider = authentik.Provider(
    "authentik",
    url=authentik_url,
    token=config.require_secret("authentikToken"),
    insecure=False,
)
harbor_provider = harbor.Provider(
    "harbor",
    url=harbor_url,
    username=config.get("harborUsername") or "admin",
    password=config.require_secret("harborPassword"),
    insecure=False,
)

sso = HarborAuthentikSSO(
    "registry",
    {
        "harbor_url": harbor_url,
        "authentik_url": authentik_url,
        "admin_group": "harbor-admins",
        "allowed_groups": ["harbor-users", "harbor-admins"],
        "project_roles": {
            "library": {"harbor-users": "guest", "harbor-admins": "projectadmin"},
        },
    },
    pulumi.ResourceOptions(providers={"authentik": authentik_provider, "harbor": harbor_provider}),
)

pulumi.export("oidc_endpoint", sso.oidc_endpoint)
pulumi.export("launch_url", sso.launch_url)
pulumi.export("client_secret", sso.client_secret)
