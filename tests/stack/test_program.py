"""The stack program under the mock engine: what config reaches which resource."""

from __future__ import annotations

from harbor_sso.stack.program import main
from harbor_sso.tools.mocks import AuthentikHarborMocks, Registered, mock_engine, run_program
from tests.support import is_secret_input, unwrap

BASE = {
    "harbor-sso:harborUrl": "https://harbor.company",
    "harbor-sso:authentikUrl": "https://authentik.company",
    "harbor-sso:authentikToken": "t",
}


def run(config: dict[str, str], secret_keys: frozenset[str] = frozenset()) -> list[Registered]:
    mocks = AuthentikHarborMocks()
    with mock_engine(mocks, config={**BASE, **config}, secret_keys=secret_keys):
        run_program(main)
    return mocks.resources


def by_name(resources: list[Registered]) -> dict[str, Registered]:
    return {r.name: r for r in resources}


def test_encrypted_config_reaches_the_resources_as_secrets() -> None:
    # The program sees encrypted values decrypted; it must hand them on as secrets, or
    # they would land in state in plain text.
    resources = by_name(run({}, frozenset({"harbor-sso:harborUrl"})))
    url = resources["harbor"].inputs["url"]
    assert is_secret_input(url)
    assert unwrap(url) == "https://harbor.company"
    redirect = resources["harbor-sso-provider"].inputs["allowedRedirectUris"]
    assert is_secret_input(redirect)
    # authentik's URL was not encrypted and stays readable in previews
    assert resources["authentik"].inputs["url"] == "https://authentik.company"


def test_plain_config_stays_plain() -> None:
    resources = by_name(run({}))
    assert resources["harbor"].inputs["url"] == "https://harbor.company"
    redirect = resources["harbor-sso-provider"].inputs["allowedRedirectUris"]
    assert redirect == [
        {"matching_mode": "strict", "url": "https://harbor.company/c/oidc/callback"}
    ]


def test_an_api_url_override_takes_its_own_secrecy() -> None:
    resources = by_name(
        run(
            {"harbor-sso:harborApiUrl": "https://harbor.internal:8443"},
            frozenset({"harbor-sso:harborUrl"}),
        )
    )
    assert resources["harbor"].inputs["url"] == "https://harbor.internal:8443"


def test_booleans_are_read_as_config_get_bool_reads_them() -> None:
    # sdk/python/lib/pulumi/config.py _get_bool: true, True, false, False
    resources = by_name(run({"harbor-sso:verifyCert": "False", "harbor-sso:protect": "True"}))
    assert resources["harbor-sso-config-auth"].inputs["oidcVerifyCert"] is False
