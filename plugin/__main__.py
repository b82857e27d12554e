"""The plugin's entry point (plugin/PulumiPlugin.yaml): hosts `HarborAuthentikSSO` for
every Pulumi language. Python programs import `harbor_sso` directly and never run this.
The language host runs `python <plugin dir>` (pulumi-language-python `RunPlugin`)."""

import sys
from importlib import metadata

from harbor_sso.plugin import serve


def main() -> None:
    serve(metadata.version("harbor-sso"), sys.argv[1:])


if __name__ == "__main__":
    main()
