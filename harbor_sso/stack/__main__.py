"""Entry point for ``pulumi up``: Pulumi.yaml's ``main`` points at this folder."""

from harbor_sso.program import main

main()
