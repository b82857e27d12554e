"""``harbor-sso verify`` against real servers on loopback (see tests/stand_ins/oidc.py)."""

from __future__ import annotations

import dataclasses
import json
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harbor_sso.cli import main
from harbor_sso.live.http import http_fetch, printable
from harbor_sso.live.verify import Check, Expected, report, verify
from harbor_sso.transport import remedy
from harbor_sso.validation import Settings, validate
from tests.stand_ins.oidc import (
    Authentik,
    Harbor,
    HarborConfig,
    Tls,
    authentik_stand_in,
    harbor_stand_in,
    tls_for,
)

from .hostile import raw_server, send


@dataclass
class Deployment:
    authentik: Authentik
    harbor: Harbor
    settings: Settings

    @property
    def expected(self) -> Expected:
        return Expected.from_settings(self.settings)


@contextmanager
def deployment(
    *,
    slug: str = "harbor",
    issuer: str | Callable[[str], str] | None = None,
    tls: Tls | None = None,
    **harbor: Any,
) -> Iterator[Deployment]:
    """authentik and Harbor configured as the component configures them, unless
    ``issuer`` or a Harbor field says otherwise; over TLS with ``tls``."""
    with authentik_stand_in(slug, issuer=issuer, tls=tls) as authentik:
        config = HarborConfig(oidc_endpoint=authentik.endpoint, client_id="")
        with harbor_stand_in(config, tls=tls) as running:
            settings = validate(
                {"harbor_url": running.url, "authentik_url": authentik.base, "slug": slug}
            )
            config.client_id = settings.effective_client_id
            for key, value in harbor.items():
                setattr(config, key, value)
            yield Deployment(authentik, running, settings)


def write_stack(root: Path, harbor_url_line: str, d: Deployment) -> None:
    """A project with the stack `local` for deployment ``d``, its Harbor URL as given."""
    (root / "stacks").mkdir()
    (root / "Pulumi.yaml").write_text("name: harbor-sso\nruntime: python\nstackConfigDir: stacks\n")
    (root / "stacks" / "Pulumi.local.yaml").write_text(
        f"config:\n  {harbor_url_line}\n  harbor-sso:authentikUrl: {d.authentik.base}\n"
        "  harbor-sso:slug: registry\n"
    )


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def failed(checks: list[Check]) -> dict[str, str]:
    assert all(c.ok in (True, False) for c in checks)  # a bool, not merely falsy
    return {c.name: c.detail for c in checks if c.ok is False}


def test_a_correct_deployment_passes_every_check() -> None:
    with deployment() as d:
        checks = verify(d.expected)
    assert [c.name for c in checks] == [
        "authentik discovery issuer",
        "Harbor auth mode",
        "login redirect target",
        "login redirect client_id",
        "login redirect redirect_uri",
        "login redirect scope",
    ]
    assert failed(checks) == {}
    assert d.expected.issuer.endswith("/application/o/harbor/")


def test_the_redirect_it_accepts_is_one_the_real_provider_accepts() -> None:
    # Follow Harbor's redirect into oidc-provider-mock: it validates client_id,
    # redirect_uri, response_type and scope, and shows its login form only if they hold.
    with deployment() as d:
        location = http_fetch()(d.expected.login_url).headers["Location"]
        with urllib.request.urlopen(location, timeout=5) as page:  # noqa: S310 (loopback)
            assert page.status == 200
            assert b"sub" in page.read()


def test_a_mismatched_issuer_fails_and_says_which() -> None:
    # authentik in another issuer mode: no provider path, no trailing slash
    with authentik_stand_in() as probe:
        root = probe.base
    with deployment(issuer=root) as d:
        problems = failed(verify(d.expected))
    assert "authentik discovery issuer" in problems
    assert (
        f"issuer is {root!r}, expected {d.expected.issuer!r}"
        in (problems["authentik discovery issuer"])
    )
    # Harbor's OIDC client refuses the provider too: its login answers 500, and the
    # issuer this machine saw explains it
    assert problems["Harbor login redirect"] == (
        f"GET {d.expected.login_url} answered 500: Harbor core refuses authentik's issuer "
        f"{root!r} (it must equal {d.expected.issuer!r})"
    )


def test_a_wrong_redirect_uri_fails_and_says_which() -> None:
    with deployment(callback="https://harbor.wrong.example/c/oidc/callback") as d:
        problems = failed(verify(d.expected))
    assert list(problems) == ["login redirect redirect_uri"]
    assert problems["login redirect redirect_uri"] == (
        "redirect_uri is 'https://harbor.wrong.example/c/oidc/callback', "
        f"expected {d.expected.redirect_uri!r}"
    )


def test_a_missing_scope_fails_and_says_which() -> None:
    with deployment(scopes=["openid", "profile", "email"]) as d:
        problems = failed(verify(d.expected))
    assert list(problems) == ["login redirect scope"]
    assert problems["login redirect scope"].endswith(": missing offline_access")


def test_an_unexpected_scope_fails_and_says_which() -> None:
    with deployment(scopes=["openid", "profile", "email", "offline_access", "groups"]) as d:
        problems = failed(verify(d.expected))
    assert problems["login redirect scope"].endswith(": unexpected groups")


def test_a_wrong_client_id_fails_and_says_which() -> None:
    with deployment(client_id="someone-else") as d:
        problems = failed(verify(d.expected))
    assert list(problems) == ["login redirect client_id"]
    assert "client_id is 'someone-else', expected" in problems["login redirect client_id"]


def test_harbor_not_in_oidc_mode_fails_and_says_which() -> None:
    with deployment(auth_mode="db_auth") as d:
        problems = failed(verify(d.expected))
    assert problems["Harbor auth mode"] == "auth_mode is 'db_auth', expected 'oidc_auth'"
    assert "Harbor login redirect" in problems


def test_a_wrong_slug_fails_on_the_discovery_document() -> None:
    with deployment(slug="registry") as d:
        expected = Expected.from_settings(d.settings.model_copy(update={"slug": "harbor"}))
        problems = failed(verify(expected))
    assert "answered 404 without a discovery document" in problems["authentik discovery issuer"]
    assert "no discovery document to compare with" in problems["login redirect target"]


def test_unreachable_servers_fail_without_a_traceback() -> None:
    with deployment() as d:
        expected = d.expected
    checks = verify(expected, http_fetch(timeout=2))  # the servers are gone now
    assert all(not c.ok for c in checks)
    assert by_name(checks)["Harbor auth mode"].detail == (
        f"this machine reaches no server at {expected.login_url.removesuffix('/c/oidc/login')}:"
        " connection refused"
    )


# -- the command ---------------------------------------------------------------------


def test_command_passes_with_exit_0_and_prints_each_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with deployment() as d:
        code = main(["verify", "--harbor-url", d.harbor.url, "--authentik-url", d.authentik.base])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("PASS  ") == 6
    assert out.rstrip().endswith("6 passed, 0 failed")


def test_command_fails_with_exit_1_naming_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    with deployment(scopes=["openid"]) as d:
        code = main(["verify", "--harbor-url", d.harbor.url, "--authentik-url", d.authentik.base])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  login redirect scope: scope is 'openid': missing profile, email" in out


def test_command_reads_the_expectation_from_a_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with deployment(slug="registry") as d:
        write_stack(tmp_path, f"harbor-sso:harborUrl: {d.harbor.url}", d)
        code = main(["verify", "--stack", "local", "--project-dir", str(tmp_path)])
    assert code == 0, capsys.readouterr().out


def test_command_rejects_bad_input_naming_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "--harbor-url", "ftp://harbor", "--authentik-url", "https://a.example"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--harbor-url" in err and "'ftp://harbor'" in err


def test_command_needs_a_stack_or_both_urls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--harbor-url", "https://harbor.example"]) == 2
    assert "give --stack, or --harbor-url and --authentik-url" in capsys.readouterr().err


def test_an_encrypted_url_is_asked_for_never_compared_through_its_ciphertext(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with deployment(slug="registry") as d:
        write_stack(tmp_path, "harbor-sso:harborUrl:\n    secure: v1:CIPHERTEXT", d)
        stack = ["verify", "--stack", "local", "--project-dir", str(tmp_path)]
        assert main(stack) == 2
        err = capsys.readouterr().err
        assert "harbor-sso:harborUrl" in err and "--harbor-url" in err
        assert "CIPHERTEXT" not in err
        # the flag gives what the file hides; the rest still comes from the stack
        assert main([*stack, "--harbor-url", d.harbor.url]) == 0, capsys.readouterr().out


# -- over TLS on loopback (trustme certificates) ---------------------------------------


def test_over_tls_with_the_ca_trusted_every_check_passes() -> None:
    tls = tls_for("localhost")
    with deployment(tls=tls) as d:
        checks = verify(d.expected, http_fetch(5, context=tls.client))
    assert d.expected.discovery_url.startswith("https://localhost:")
    assert failed(checks) == {}


def test_over_tls_an_untrusted_certificate_fails_every_check() -> None:
    with deployment(tls=tls_for("localhost")) as d:
        checks = verify(d.expected, http_fetch(5))  # the system's CAs only
    assert not any(c.ok for c in checks)
    untrusted = by_name(checks)["authentik discovery issuer"]
    assert untrusted.detail == (
        f"this machine does not trust the certificate of {d.authentik.base}: unable to get "
        "local issuer certificate"
    )
    assert untrusted.fix == remedy("untrusted", "the URL")


def test_over_tls_a_certificate_for_another_host_fails() -> None:
    tls = tls_for("other.example")  # trusted CA, wrong name
    with deployment(tls=tls) as d:
        checks = verify(d.expected, http_fetch(5, context=tls.client))
    assert "Hostname mismatch" in failed(checks)["authentik discovery issuer"]
    assert "Hostname mismatch" in failed(checks)["Harbor auth mode"]


def test_the_command_trusts_a_private_ca_given_by_ssl_cert_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tls = tls_for("localhost")
    ca = tmp_path / "ca.pem"
    ca.write_text(tls.ca_pem)
    with deployment(tls=tls) as d:
        flags = ["verify", "--harbor-url", d.harbor.url, "--authentik-url", d.authentik.base]
        assert main(flags) == 1  # not trusted yet
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))
        assert main(flags) == 0, capsys.readouterr().out


def test_an_issuer_without_its_trailing_slash_fails() -> None:
    with deployment(issuer=lambda endpoint: endpoint.rstrip("/")) as d:
        problems = failed(verify(d.expected))
    issuer = d.expected.issuer
    assert problems["authentik discovery issuer"] == (
        f"issuer is {issuer.rstrip('/')!r}, expected {issuer!r} (Harbor's OIDC endpoint "
        "must equal it, trailing slash included)"
    )


def test_a_200_with_a_location_header_is_not_a_login_redirect() -> None:
    answer = (
        b"HTTP/1.1 200 OK\r\nLocation: https://id.example/authorize?client_id=x\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    with raw_server(send(answer)) as (url, _):
        settings = validate({"harbor_url": url, "authentik_url": url})
        problems = failed(verify(Expected.from_settings(settings), http_fetch(5)))
    assert problems["Harbor login redirect"] == (
        f"GET {url}/c/oidc/login answered 200 without a redirect"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text", "plain text"),
        ("red \x1b[31mtext", "red \\x1b[31mtext"),
        ("a\nb\tc\u200bd", "a\\nb\\tc\\u200bd"),
        ("https://admin:hunter2@evil.example/x", "https://[redacted]@evil.example/x"),
        ("x" * 400, "x" * 400),
        ("x" * 401, "x" * 397 + "..."),
    ],
)
def test_server_text_is_printed_escaped_redacted_and_bounded(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_a_json_answer_that_is_not_200_is_no_answer() -> None:
    body = b'{"auth_mode": "oidc_auth", "issuer": "x"}'
    answer = b"HTTP/1.1 500 Oops\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    with raw_server(send(answer)) as (url, _):
        settings = validate({"harbor_url": url, "authentik_url": url})
        problems = failed(verify(Expected.from_settings(settings), http_fetch(5)))
    assert problems["Harbor auth mode"] == (
        f"GET {url}/api/v2.0/systeminfo answered 500 without Harbor's system information"
    )


def test_an_unreachable_harbor_fails_every_harbor_check_by_name() -> None:
    with deployment() as d:
        url = d.harbor.url
        expected = d.expected
    problems = failed(verify(expected, http_fetch(5)))  # both servers gone
    assert problems["Harbor login redirect"] == (
        f"this machine reaches no server at {url}: connection refused"
    )


def test_a_tls_failure_says_why_exactly() -> None:
    tls = tls_for("other.example")
    with deployment(tls=tls) as d:
        problems = failed(verify(d.expected, http_fetch(5, context=tls.client)))
        url = d.expected.systeminfo_url
    assert problems["Harbor auth mode"] == (
        f"the certificate of {url.removesuffix('/api/v2.0/systeminfo')} is not for that "
        "name: Hostname mismatch, certificate is not valid for 'localhost'."
    )


@pytest.mark.parametrize(
    ("status", "location", "redirect"),
    [
        (b"301", True, True),
        (b"302", True, True),
        (b"303", True, True),
        (b"307", True, True),
        (b"308", True, True),
        (b"300", True, False),
        (b"304", True, False),
        (b"302", False, False),
    ],
)
def test_only_a_redirect_status_with_a_location_is_a_login_redirect(
    status: bytes, location: bool, redirect: bool
) -> None:
    head = b"HTTP/1.1 " + status + b" X\r\nContent-Length: 0\r\n"
    if location:
        head += b"Location: https://id.example/authorize?client_id=x\r\n"
    with raw_server(send(head + b"\r\n")) as (url, _):
        settings = validate({"harbor_url": url, "authentik_url": url})
        checks = verify(Expected.from_settings(settings), http_fetch(5))
    names = [c.name for c in checks]
    assert ("Harbor login redirect" not in names) is redirect
    assert ("login redirect client_id" in names) is redirect


def test_the_target_check_says_what_it_compared() -> None:
    with deployment() as d:
        good = by_name(verify(d.expected))["login redirect target"]
        with urllib.request.urlopen(d.expected.discovery_url) as answer:  # noqa: S310 (loopback)
            endpoint = json.load(answer)["authorization_endpoint"]
    assert good.ok is True
    assert good.detail == f"redirects to {endpoint!r}"


def test_the_report_ends_with_the_count() -> None:
    checks = [Check("a", True, "x"), Check("b", False, "y"), Check("c", False, "z")]
    assert list(report(checks))[-1] == "1 passed, 2 failed"
    assert list(report(checks))[:3] == ["PASS  a: x", "FAIL  b: y", "FAIL  c: z"]


def test_printable_keeps_printable_non_ascii_text() -> None:
    assert printable("café ✓ 東京") == "café ✓ 東京"


def test_the_scope_check_says_what_it_saw() -> None:
    with deployment() as d:
        good = by_name(verify(d.expected))["login redirect scope"]
    assert good.detail == "scope is 'openid profile email offline_access'"
    with deployment(scopes=["openid", "groups", "tenant"]) as d:
        bad = by_name(verify(d.expected))["login redirect scope"]
    assert bad.detail == (
        "scope is 'openid groups tenant': missing profile, email, offline_access; "
        "unexpected groups, tenant"
    )
    with deployment(scopes=[]) as d:
        none = by_name(verify(d.expected))["login redirect scope"]
    assert none.detail == "scope is '': missing openid, profile, email, offline_access"


def test_a_wrong_target_says_what_was_expected() -> None:
    elsewhere = b"https://elsewhere.example/authorize?client_id=x"
    answer = b"HTTP/1.1 302 Found\r\nLocation: " + elsewhere + b"\r\nContent-Length: 0\r\n\r\n"
    with deployment() as d, raw_server(send(answer)) as (harbor, _):
        with urllib.request.urlopen(d.expected.discovery_url) as reply:  # noqa: S310 (loopback)
            endpoint = json.load(reply)["authorization_endpoint"]
        expected = dataclasses.replace(d.expected, login_url=f"{harbor}/c/oidc/login")
        target = by_name(verify(expected, http_fetch(5)))["login redirect target"]
    assert target.ok is False
    assert target.detail == (
        f"redirects to 'https://elsewhere.example/authorize', expected {endpoint!r}"
    )


@pytest.mark.parametrize("host", ["xn--zz.example", "xn--.example", "xn--abc-.example"])
def test_a_host_no_request_can_name_is_bad_input_naming_the_flag(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # an xn-- label that is no Punycode: the socket layer would fail it on every request
    code = main(
        ["verify", "--harbor-url", f"https://{host}", "--authentik-url", "https://a.example"]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""  # no request, no check line
    assert "error: --harbor-url: has a host label that cannot be IDNA-encoded: 'xn--" in err
