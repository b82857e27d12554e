"""doctor, verify and adopt when authentik (or Harbor) serves HTTPS from a private CA,
with the CA missing on one side or another: the whole lines a user reads.

As a held-out run found (real-systems.md, "TLS with a private CA"): this machine without
the CA got fixes that sent the user the wrong way ("check the application's slug"), and
a Harbor without it passed every check of doctor's while every login failed.
"""

from __future__ import annotations

import datetime
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from harbor_sso.cli import main
from harbor_sso.live.ping import HARBOR_CA_FIX
from harbor_sso.transport import remedy
from tests.stand_ins.oidc import HarborConfig, Tls, authentik_stand_in, harbor_stand_in
from tests.stand_ins.pair import Pair, api_stand_ins, seed

from .conftest import PASSWORD, TOKEN
from .hostile import raw_server, slow

SYSTEM_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


def serving(
    ca: trustme.CA, *names: str, not_after: datetime.datetime | None = None
) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*(names or ("localhost",)), not_after=not_after).configure_cert(context)
    return context


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def this_machine_has(ca: trustme.CA | None, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """The remedy the lines give on Linux: SSL_CERT_FILE, a bundle holding the CA and the
    public roots; None: the system's roots alone."""
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    if ca is not None:
        bundle = folder / "bundle.pem"
        system = SYSTEM_BUNDLE.read_text() if SYSTEM_BUNDLE.is_file() else ""
        bundle.write_text(system + ca.cert_pem.bytes().decode())
        monkeypatch.setenv("SSL_CERT_FILE", str(bundle))


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def https_pair(ca: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    """authentik over HTTPS from the private CA, Harbor (over HTTP) pointing at it; Harbor
    core trusts only its system roots until a test gives it the CA."""
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    monkeypatch.delenv("HARBOR_USERNAME", raising=False)
    with api_stand_ins(TOKEN, PASSWORD, authentik_tls=serving(ca)) as pair:
        seed(pair, old_guide=False)
        yield pair


def doctor(pair: Pair, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["doctor", "--authentik-url", pair.authentik.base,
                 "--harbor-url", pair.harbor.url, "--timeout", "5"])  # fmt: skip
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert TOKEN not in out + err and PASSWORD not in out + err
    return code, out.splitlines()


def named(lines: list[str], name: str) -> str:
    (line,) = [line for line in lines if line[6:].startswith(f"{name}: ")]
    return line


def test_this_machine_without_the_ca_reads_which_server_and_what_to_do(
    https_pair: Pair, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    this_machine_has(None, monkeypatch, tmp_path)
    code, lines = doctor(https_pair, capsys)
    assert code == 1
    base = https_pair.authentik.base
    assert named(lines, "authentik application") == (
        f"FAIL  authentik application: this machine does not trust the certificate of {base} "
        "(--authentik-url): unable to get local issuer certificate Fix: "
        + remedy("untrusted", "--authentik-url")
    )
    assert named(lines, "Harbor OIDC endpoint") == (
        "FAIL  Harbor OIDC endpoint: as above (authentik application)"
    )
    text = "\n".join(lines)
    assert "check the application's slug" not in text and "may view groups" not in text


def test_with_the_ca_on_both_sides_doctor_passes(
    https_pair: Pair, ca: trustme.CA, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    this_machine_has(ca, monkeypatch, tmp_path)
    https_pair.harbor.core_trust = trusting(ca)
    code, lines = doctor(https_pair, capsys)
    assert code == 0, lines
    assert named(lines, "Harbor's view of authentik").startswith("PASS")


def test_a_harbor_without_the_ca_fails_though_this_machine_has_it(
    https_pair: Pair, ca: trustme.CA, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    this_machine_has(ca, monkeypatch, tmp_path)
    code, lines = doctor(https_pair, capsys)
    assert code == 1
    endpoint = f"{https_pair.authentik.base}/application/o/harbor/"
    assert [line for line in lines if line.startswith("FAIL")] == [
        f"FAIL  Harbor's view of authentik: Harbor does not trust authentik's certificate at "
        f"'{endpoint}': Harbor core reaches it only with verification off, so every login "
        f"fails Fix: {HARBOR_CA_FIX}"
    ]
    # asked twice: as configured, then without verification (a POST that changes nothing)
    pings = [r for r in https_pair.harbor.requests if r[0] == "POST"]
    assert pings == [("POST", "/api/v2.0/system/oidc/ping")] * 2


def test_a_harbor_that_cannot_reach_authentik_fails_with_its_own_line(
    https_pair: Pair, ca: trustme.CA, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    this_machine_has(ca, monkeypatch, tmp_path)
    https_pair.harbor.core_trust = trusting(ca)
    https_pair.harbor.core_blocked.add(https_pair.authentik.base)
    code, lines = doctor(https_pair, capsys)
    assert code == 1
    endpoint = f"{https_pair.authentik.base}/application/o/harbor/"
    assert named(lines, "Harbor's view of authentik").startswith(
        f"FAIL  Harbor's view of authentik: Harbor cannot reach authentik at '{endpoint}' "
        "(network, DNS, proxy, or an issuer that does not match it): every login fails Fix: "
        f"from Harbor core's host or pod, fetch {endpoint}.well-known/openid-configuration"
    )


def test_harbor_s_own_certificate_is_named_by_its_flag(
    ca: trustme.CA, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    this_machine_has(None, monkeypatch, tmp_path)
    with api_stand_ins(TOKEN, PASSWORD, harbor_tls=serving(ca)) as pair:
        seed(pair, old_guide=False)
        _, lines = doctor(pair, capsys)
    assert named(lines, "Harbor API") == (
        f"FAIL  Harbor API: this machine does not trust the certificate of {pair.harbor.url} "
        "(--harbor-url): unable to get local issuer certificate Fix: "
        + remedy("untrusted", "--harbor-url")
    )


def first_line_against(base: str, capsys: pytest.CaptureFixture[str]) -> str:
    main(["doctor", "--authentik-url", base, "--harbor-url", base, "--timeout", "1"])
    return capsys.readouterr().out.splitlines()[0]


def test_each_transport_failure_reads_as_itself(
    ca: trustme.CA, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    this_machine_has(ca, monkeypatch, tmp_path)
    keys = "--authentik-url and --harbor-url"
    past = datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC)
    cases = {
        "wrong-name": (serving(ca, "other.example"), "is not for that name ({keys}): Hostname "
                       "mismatch, certificate is not valid for 'localhost'."),
        "expired": (serving(ca, not_after=past), "is not valid now ({keys}): certificate has "
                    "expired"),
    }  # fmt: skip
    for kind, (context, said) in cases.items():
        with api_stand_ins(TOKEN, PASSWORD, authentik_tls=context) as pair:
            line = first_line_against(pair.authentik.base, capsys)
        assert line == (
            f"FAIL  authentik application: the certificate of {pair.authentik.base} "
            + said.format(keys=keys)
            + f" Fix: {remedy(kind, keys)}"  # type: ignore[arg-type]
        ), kind
    with raw_server(slow(b"", 3)) as (url, _):  # reads the request, never answers
        assert first_line_against(url, capsys) == (
            f"FAIL  authentik application: {url} did not answer this machine in time ({keys}): "
            f"no complete answer within 1 s Fix: {remedy('timeout', keys)}"
        )
    line = first_line_against("https://nosuch.invalid", capsys)
    assert line.startswith(
        "FAIL  authentik application: this machine cannot resolve the host of "
        f"https://nosuch.invalid:443 ({keys}): name resolution failed"
    )
    assert line.endswith(f"Fix: {remedy('no-such-host', keys)}")


def test_verify_explains_harbor_s_500_and_asks_harbor_which(
    ca: trustme.CA, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    this_machine_has(ca, monkeypatch, tmp_path)
    tls = Tls(serving(ca), trusting(ca), ca.cert_pem.bytes().decode())
    with authentik_stand_in(tls=tls) as authentik:
        config = HarborConfig(
            oidc_endpoint=authentik.endpoint, client_id="", core_has_ca=False,
            admin_password=PASSWORD,
        )  # fmt: skip
        with harbor_stand_in(config) as harbor:
            flags = ["verify", "--harbor-url", harbor.url, "--authentik-url", authentik.base]
            monkeypatch.delenv("HARBOR_PASSWORD", raising=False)
            assert main(flags) == 1
            without = capsys.readouterr().out.splitlines()
            monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
            assert main(flags) == 1
            asked = capsys.readouterr().out.splitlines()
    login = (
        f"FAIL  Harbor login redirect: GET {harbor.url}/c/oidc/login answered 500: most often "
        "Harbor core cannot fetch or trust authentik's discovery document at "
        f"{authentik.endpoint}"
    )
    assert [line for line in without if line.startswith("FAIL")] == [
        login + " Fix: run harbor-sso doctor, or set HARBOR_PASSWORD (a Harbor system "
        "administrator's) for verify to ask Harbor which"
    ]
    assert named(asked, "Harbor's view of authentik").startswith(
        "FAIL  Harbor's view of authentik: Harbor does not trust authentik's certificate at "
        f"'{authentik.endpoint}'"
    )
    assert PASSWORD not in "\n".join(asked)


def test_adopt_without_the_ca_names_the_server_and_the_fix(
    https_pair: Pair, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    this_machine_has(None, monkeypatch, tmp_path)
    code = main(["adopt", "--authentik-url", https_pair.authentik.base,
                 "--harbor-url", https_pair.harbor.url])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[0] == (
        f"FAIL  authentik application: this machine does not trust the certificate of "
        f"{https_pair.authentik.base} (--authentik-url): unable to get local issuer "
        f"certificate Fix: {remedy('untrusted', '--authentik-url')}"
    )
