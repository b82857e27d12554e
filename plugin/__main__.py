"""The plugin's entry point (plugin/PulumiPlugin.yaml): hosts `HarborAuthentikSSO` for
every Pulumi language. Python programs import `harbor_sso` directly and never run this.
The language host runs `python <plugin dir>` (pulumi-language-python `RunPlugin`)."""

from importlib import metadata

from pulumi.provider.experimental import component_provider_host

from harbor_sso.component import PACKAGE, HarborAuthentikSSO


def main() -> None:
    component_provider_host(
        [HarborAuthentikSSO], name=PACKAGE, version=metadata.version("harbor-sso")
    )


if __name__ == "__main__":
    main()
