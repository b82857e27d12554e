"""Base URLs: the pasted mistakes of the guide refused with the URL to use (pure)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbor_sso.urls import mixed_scripts, normalise
from harbor_sso.validation import ConfigError, validate
from tests.support import GUIDE

# Paths a user may paste after each product's base URL: what the guide shows, what the
# browser's address bar shows, what an API client uses.
HARBOR_PAGES = [
    "/c/oidc/callback",
    "/c/oidc/callback/",
    "/c/oidc/login",
    "/c/oidc/onboard",
    "/c/login",
    "/api/v2.0/systeminfo",
    "/api/v2.0/configurations/",
    "/harbor/projects",
    "/harbor/projects/1/repositories",
    "/account/sign-in",
]
AUTHENTIK_PAGES = [
    "/application/o/harbor/",
    "/application/o/harbor",
    "/application/o/my-app/.well-known/openid-configuration",
    "/application/o/authorize/",
    "/application/o/token/",
    "/application/o/userinfo/",
    "/application/saml/x/sso/binding/redirect/",
    "/.well-known/openid-configuration",
    "/if/flow/default-authentication-flow/",
    "/if/admin/",
    "/if/user/#/library",
    "/api/v3/core/applications/",
    "/flows/-/default/authentication/",
    "/-/health/live/",
]
BASES = [
    "https://x.example",
    "https://x.example:8443",
    "http://127.0.0.1:9000",
    "https://x.example/sub",
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("page", HARBOR_PAGES)
def test_a_harbor_page_is_refused_with_the_external_url_to_use(base: str, page: str) -> None:
    url = base + page.split("#")[0]
    with pytest.raises(ValueError, match="not its external URL") as caught:
        normalise(url, "harbor")
    assert f"use {base!r}" in str(caught.value)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("page", AUTHENTIK_PAGES)
def test_an_authentik_endpoint_is_refused_with_the_base_url_to_use(base: str, page: str) -> None:
    url = base + page.split("#")[0]
    with pytest.raises(ValueError, match="not authentik's URL") as caught:
        normalise(url, "authentik")
    assert f"use {base!r}" in str(caught.value)


def test_the_guides_two_urls_fail_by_argument_before_anything_is_derived() -> None:
    with pytest.raises(ConfigError) as caught:
        validate(
            {
                "harbor_url": "https://harbor.company/c/oidc/callback/",
                "authentik_url": "https://authentik.company/application/o/harbor/",
            }
        )
    fields = dict(caught.value.problems)
    assert "use 'https://harbor.company'" in fields["harbor_url"]
    assert "use 'https://authentik.company'" in fields["authentik_url"]


@pytest.mark.parametrize("path", ["/harborx", "/cache", "/c/oidcx", "/apis", "/registry", "/c"])
def test_paths_that_only_look_alike_stay_a_base_url(path: str) -> None:
    assert normalise("https://x.example" + path, "harbor") == "https://x.example" + path


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://x.example:0", "has port 0"),
        ("https://x.example:00", "has port 0"),
        ("https://" + "a" * 64 + ".example", "longer than 63"),
        ("https://x." + "b" * 64, "longer than 63"),
        ("https://" + ".".join(["a" * 60] * 5), "longer than 253"),
        ("https://a..example", "empty label"),
        ("https://x\u200b.example", "invisible characters in its host (\\u200b)"),
        ("https://x\u200d.example", "invisible characters in its host (\\u200d)"),
        ("https://x\u2060y.example", "invisible characters in its host (\\u2060)"),
        ("https://\ufeffx.example", "invisible characters in its host (\\ufeff)"),
        ("https://x\u202e.example", "invisible characters in its host (\\u202e)"),
        ("https://x.example/\x00", "control characters (\\x00)"),
        ("https://x.example\x1b[31m", "control characters (\\x1b)"),
        ("https://x.example/a\x7f", "control characters (\\x7f)"),
        ("https://x.example/\x85", "control characters (\\x85)"),
    ],
)
def test_urls_no_server_can_have_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        normalise(url, "harbor")


@given(st.characters(categories=["Cc"]))
def test_every_control_character_is_refused_wherever_it_stands(ch: str) -> None:
    for url in (f"https://x{ch}.example", f"https://x.example/{ch}", f"{ch}https://x.example"):
        with pytest.raises(ValueError, match="control characters"):
            normalise(url, "authentik")


@given(st.characters(categories=["Cf"]))
def test_every_format_character_in_a_host_is_refused(ch: str) -> None:
    with pytest.raises(ValueError, match=r"invisible characters|control"):
        normalise(f"https://ha{ch}rbor.example", "harbor")


@pytest.mark.parametrize(
    ("url", "mixed"),
    [
        ("https://h\u0430rbor.example", ["h\u0430rbor"]),  # Cyrillic a
        ("https://xn--hrbor-4ve.example", ["h\u0430rbor"]),  # the same, as punycode
        ("https://harb\u03bfr.example", ["harb\u03bfr"]),  # Greek omicron
        ("https://harbor.\u0435xample", ["\u0435xample"]),  # Cyrillic e in another label
        ("https://h\u00e4rbor.example", []),  # Latin with a diaeresis: one script
        ("https://\u0445\u0430\u0440\u0431\u043e\u0440.example", []),  # all Cyrillic
        ("https://harbor-2.example", []),
        ("https://127.0.0.1", []),
    ],
)
def test_host_labels_that_mix_scripts_are_found(url: str, mixed: list[str]) -> None:
    assert mixed_scripts(url) == mixed


def test_a_mixed_script_host_is_a_warning_naming_the_argument() -> None:
    settings = validate({**GUIDE, "harbor_url": "https://h\u0430rbor.company"})
    [(field, message)] = [w for w in settings.warnings() if w[0] == "harbor_url"]
    assert field == "harbor_url"
    assert "mixes scripts (LATIN, CYRILLIC)" in message


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("a" * 63 + ".example", True),
        ("a" * 64 + ".example", False),
        (".".join(["a" * 63] * 3) + "." + "b" * 61, True),  # 253 characters
        (".".join(["a" * 63] * 3) + "." + "b" * 62, False),  # 254
        ("harbor.example.", True),  # fully qualified
        ("localhost.", True),  # a single label, fully qualified
        ("a" * 64 + ".example.", False),  # a trailing dot skips no check
        ("a..example.", False),
        ("harbor.example..", False),
    ],
)
def test_host_limits_at_their_edges(host: str, ok: bool) -> None:
    url = f"https://{host}"
    if ok:
        assert normalise(url, "harbor") == url
    else:
        with pytest.raises(ValueError, match=r"longer than|empty label"):
            normalise(url, "harbor")


def test_an_empty_label_is_named_exactly() -> None:
    with pytest.raises(ValueError, match="empty label") as caught:
        normalise("https://a..example", "harbor")
    assert str(caught.value) == "has an empty label in its host name ('..')"


@pytest.mark.parametrize(
    "host",
    [
        "\u6e2f\u53e3\u3042.example",
        "\u30cf\u30fc\u30d0\u30fc\u6e2f.example",
        "\ud55c\u56fd.example",
    ],
)
def test_han_with_kana_or_hangul_is_one_script(host: str) -> None:
    assert mixed_scripts(f"https://{host}") == []


def test_a_mixed_script_warning_is_worded_exactly() -> None:
    [message] = [
        m
        for f, m in validate({**GUIDE, "harbor_url": "https://h\u0430rbor.company"}).warnings()
        if f == "harbor_url"
    ]
    assert message == (
        "host label 'h\u0430rbor' mixes scripts (LATIN, CYRILLIC): it may look like another "
        "host than the one it is"
    )


def test_port_zero_is_named_exactly() -> None:
    with pytest.raises(ValueError, match="port 0") as caught:
        normalise("https://h.example:0/", "harbor")
    assert str(caught.value) == "has port 0, which no server listens on"
