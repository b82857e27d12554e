"""Trust under the real CLI: authentik, or Harbor, serving HTTPS from a private CA.

As a held-out run found (real-systems.md, "TLS with a private CA"): the machine that
runs Pulumi without the CA made `preview` fail on whichever look-up ran first, in a line
cut off before its cause. Now the line names the key the provider's URL comes from, the
server, the cause and the fix, whichever look-up met it; and with the CA given (Go's
way: `SSL_CERT_FILE`, tests/engine/models/http.py `go_roots`) the stack converges.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from harbor_sso.transport import remedy
from tests.engine.conftest import Cli, Deployment, new_deployment
from tests.engine.test_errors import error_lines

SYSTEM_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


def serving(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    return context


def without_the_ca(cli: Cli) -> None:
    """The roots Go finds by default: the system's (this machine sets SSL_CERT_FILE and
    SSL_CERT_DIR to the system's own, which is the same)."""
    for variable in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        cli.env.pop(variable, None)


def with_the_ca(cli: Cli, ca: trustme.CA, folder: Path) -> None:
    """The remedy the line gives on Linux: a bundle holding the CA and the public roots."""
    bundle = folder / "bundle.pem"
    system = SYSTEM_BUNDLE.read_text() if SYSTEM_BUNDLE.is_file() else ""
    bundle.write_text(system + ca.cert_pem.bytes().decode())
    without_the_ca(cli)
    cli.env["SSL_CERT_FILE"] = str(bundle)


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def https_authentik(cli: Cli, model_home: Path, ca: trustme.CA) -> Iterator[Deployment]:
    with new_deployment(cli, model_home, authentik_tls=serving(ca)) as found:
        found.configure(projectRoles=None)
        yield found


def untrusted_line(key: str, base: str) -> str:
    port = base.rsplit(":", 1)[1]
    return (
        f"error: {key}: this machine does not trust the certificate of "
        f"https://localhost:{port}: certificate signed by unknown authority. Fix: "
        + remedy("untrusted", key)
    )


def test_without_the_ca_the_preview_names_the_url_key_the_server_and_the_fix(
    https_authentik: Deployment,
) -> None:
    without_the_ca(https_authentik.cli)
    outcome = https_authentik.one("preview")
    assert not outcome.ok
    line = untrusted_line("harbor-sso:authentikUrl", https_authentik.pair.authentik.base)
    errors = error_lines(outcome.text)
    assert line in errors, outcome.text
    # one failure, one report: every look-up that met it reads the same. The engine
    # repeats a program's error as "an unhandled error occurred: <it>", and inline the
    # Automation API's server as "Exception calling application: <it>", as for any error
    repeated = ("error: ", "an unhandled error occurred: ", "Exception calling application: ")
    reports = set()
    for report in (e for e in errors if "does not trust" in e):
        for prefix in repeated:
            report = report.removeprefix(prefix)
        reports.add(report)
    assert reports == {line.removeprefix("error: ")}
    assert "Traceback" not in outcome.text and "?managed=" not in outcome.text


def test_the_api_url_is_the_key_named_when_it_is_set(https_authentik: Deployment) -> None:
    without_the_ca(https_authentik.cli)
    https_authentik.configure(authentikApiUrl=https_authentik.pair.authentik.base)
    outcome = https_authentik.one("preview")
    line = untrusted_line("harbor-sso:authentikApiUrl", https_authentik.pair.authentik.base)
    assert line in error_lines(outcome.text), outcome.text


def test_with_the_ca_given_the_stack_deploys_and_converges(
    https_authentik: Deployment, ca: trustme.CA, tmp_path: Path
) -> None:
    with_the_ca(https_authentik.cli, ca, tmp_path)
    https_authentik.ok("up")
    https_authentik.ok("preview:expect-no-changes")
    assert len(https_authentik.pair.authentik.providers) == 1


def test_harbor_under_a_private_ca_is_named_by_harbor_s_key(
    cli: Cli, model_home: Path, ca: trustme.CA
) -> None:
    # with project roles, the preview's first request to Harbor is the project look-up
    with new_deployment(cli, model_home, harbor_tls=serving(ca)) as found:
        without_the_ca(cli)
        outcome = found.one("preview")
        line = untrusted_line("harbor-sso:harborUrl", found.pair.harbor.url)
        assert line in error_lines(outcome.text), outcome.text
