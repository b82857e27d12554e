"""``harbor-sso verify --sign-in USER`` against the stand-ins: Harbor's OIDC login and
callback (tests/stand_ins/harbor_login.py) with the real code exchange against
authentik's authorize endpoint, flow executor and token endpoint
(tests/stand_ins/authentik_login.py). Each failure a real deployment meets after the
redirect ends in its own line; the whole output is read, and searched for every secret
the run held."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from harbor_sso.cli import main
from harbor_sso.transport import remedy
from tests.stand_ins.pair import Pair, api_stand_ins, seed

from .conftest import PASSWORD, TOKEN
from .test_trust import serving, this_machine_has, trusting

USER_PASSWORD = "alice-pw-CANARY-0d41"


@pytest.fixture
def deployed(pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pair as the component deploys it (an admin group, `harbor-users` allowed, a
    project role), its stack file in ``tmp_path``, and alice in both groups."""
    client_id = seed(pair, old_guide=False, admin_group="harbor-admins")
    pair.harbor.add_project("team")
    pair.harbor.add_group_member("team", "harbor-users", role_id=2)
    pair.authentik.add_user("alice", USER_PASSWORD, ("harbor-users", "harbor-admins"))
    (tmp_path / "stacks").mkdir()
    (tmp_path / "Pulumi.yaml").write_text(
        "name: harbor-sso\nruntime: python\nstackConfigDir: stacks\n"
    )
    (tmp_path / "stacks" / "Pulumi.local.yaml").write_text(
        f"config:\n  harbor-sso:harborUrl: {pair.harbor.url}\n"
        f"  harbor-sso:authentikUrl: {pair.authentik.base}\n"
        f"  harbor-sso:clientId: {client_id}\n  harbor-sso:adminGroup: harbor-admins\n"
        "  harbor-sso:allowedGroups: [harbor-users]\n"
        "  harbor-sso:projectRoles: {team: {harbor-users: developer}}\n"
    )
    monkeypatch.setenv("HARBOR_SSO_SIGN_IN_PASSWORD", USER_PASSWORD)
    monkeypatch.delenv("HARBOR_PASSWORD")
    return tmp_path


def sign_in(
    pair: Pair, project: Path, capsys: pytest.CaptureFixture[str], user: str = "alice"
) -> tuple[int, list[str]]:
    code = main(["verify", "--stack", "local", "--project-dir", str(project),
                 "--sign-in", user, "--timeout", "5"])  # fmt: skip
    out, err = capsys.readouterr()
    held = [USER_PASSWORD, TOKEN, PASSWORD, *pair.harbor.sessions, *pair.authentik.web.sessions]
    held += [m["secret"] for m in pair.harbor.oidc_meta.values()]
    held += [s["csrf"] for s in pair.authentik.web.sessions.values() if s.get("csrf")]
    held += list(pair.authentik.web.access_tokens)
    for secret in held:
        assert secret not in out + err, "a secret reached the output"
    assert "code=" not in out + err and "state=" not in out + err
    assert "Traceback" not in out + err
    return code, [line for line in out.splitlines() if not line.startswith("PASS  login redirect")]


def failed(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("FAIL")]


def test_a_user_in_an_allowed_group_signs_in_and_gets_a_registry_token(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)  # the user's groups, read from authentik
    code, lines = sign_in(pair, deployed, capsys)
    a, h = pair.authentik.base, pair.harbor.url
    assert code == 0, "\n".join(lines)
    assert lines[-11:] == [
        f"PASS  Harbor login: redirects to {a}/application/o/authorize/",
        "PASS  authentik identification: 'alice' identified",
        "PASS  authentik password: password accepted",
        f"PASS  authentik authorization: redirects back to {h}/c/oidc/callback",
        "PASS  Harbor callback: Harbor exchanged the code and signed the user in",
        "PASS  Harbor user: 'alice' (alice@example.test)",
        "PASS  administrator: yes, through the admin group 'harbor-admins' (admin_role_in_auth)",
        "PASS  groups: 'harbor-admins', 'harbor-users' (in authentik; the ID token carries them)",
        "PASS  project role 'team': developer through 'harbor-users'",
        "PASS  docker login: the user's CLI secret gets a registry token from /service/token",
        "16 passed, 0 failed",
    ]


def test_a_user_outside_the_allowed_groups_is_refused_naming_them(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair.authentik.add_group("contractors")
    pair.authentik.add_user("eve", USER_PASSWORD, ("contractors",))
    code, lines = sign_in(pair, deployed, capsys, "eve")
    assert code == 1
    assert failed(lines) == [
        "FAIL  authentik authorization: authentik denied 'eve' access to the application "
        '("Request has been denied."): the user is in none of the groups allowed to log in '
        "('harbor-users') Fix: add the user to an allowed group in authentik (allowedGroups), "
        "or check with another user"
    ]
    assert "eve" not in pair.harbor.users  # refused before Harbor saw them


def test_a_flow_that_asks_for_mfa_says_it_cannot_answer_it(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair.authentik.add_user("mallory", USER_PASSWORD, ("harbor-users",), mfa=True)
    code, lines = sign_in(pair, deployed, capsys, "mallory")
    assert code == 1
    assert failed(lines) == [
        "FAIL  authentik flow 'default-authentication-flow': the flow asks for the stage "
        "'ak-stage-authenticator-validate' (MFA), which this check cannot answer Fix: use an "
        "account without that stage for the check (for MFA: one with no authenticator, while "
        "the MFA stage's not_configured_action is skip)"
    ]


@pytest.mark.parametrize(
    ("user", "password", "line"),
    [
        ("nobody", USER_PASSWORD, "FAIL  authentik identification: authentik refused 'nobody' "
         "(Failed to authenticate.) Fix: check the username (or email) and "
         "HARBOR_SSO_SIGN_IN_PASSWORD, and that the account is active"),
        ("alice", "wrong-CANARY-pw", "FAIL  authentik password: authentik refused the password "
         "of 'alice' (Invalid password) Fix: check HARBOR_SSO_SIGN_IN_PASSWORD"),
    ],
)  # fmt: skip
def test_a_wrong_username_or_password_is_named(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, user: str, password: str, line: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("HARBOR_SSO_SIGN_IN_PASSWORD", password)
    code, lines = sign_in(pair, deployed, capsys, user)
    assert (code, failed(lines)) == (1, [line])
    assert password not in "\n".join(lines)


def test_the_consent_stage_is_answered(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (provider,) = pair.authentik.providers.values()
    provider["authorization_flow"] = pair.authentik.flow_pk(
        "default-provider-authorization-explicit-consent"
    )
    code, lines = sign_in(pair, deployed, capsys)
    assert code == 0, "\n".join(lines)
    assert "PASS  authentik consent: consent given" in lines


def test_a_client_secret_that_differs_fails_at_the_callback(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair.harbor.client_secret = "half-rotated-CANARY-" + "q" * 30  # authentik holds another
    code, lines = sign_in(pair, deployed, capsys)
    assert code == 1
    (line,) = failed(lines)
    assert line.startswith(
        "FAIL  Harbor callback: authentik refused Harbor's code exchange (oauth2: "
        '"invalid_client" "Client authentication failed'
    )
    assert line.endswith(
        "the client ID or secret Harbor holds is not authentik's, or Harbor's callback is not "
        "the provider's redirect URI Fix: run pulumi up, so that both sides hold the "
        "provider's secret (a rotation half applied leaves them apart); harbor-sso doctor "
        "compares the rest"
    )
    assert "half-rotated" not in "\n".join(lines)


def test_a_user_onboarded_under_another_issuer_gets_harbor_s_409(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer = pair.harbor.config["oidc_endpoint"]
    pair.harbor.config["oidc_endpoint"] = issuer.replace("/harbor/", "/old-slug/")
    pair.harbor.oidc_login("alice", sub="old-sub")  # as she signed in before the slug change
    pair.harbor.config["oidc_endpoint"] = issuer
    code, lines = sign_in(pair, deployed, capsys)
    assert code == 1
    assert failed(lines) == [
        "FAIL  Harbor callback: Harbor answered 409 (failed to create user record: user alice "
        "or email alice@example.test already exists): Harbor knows this user under another "
        "issuer or subject (the slug, authentik's URL or sub_mode changed since they signed "
        "in) Fix: put the slug and authentikUrl back as they were; or delete the user in "
        "Harbor, who is then onboarded anew (harbor-sso doctor lists them)"
    ]


def test_a_harbor_that_cannot_fetch_authentik_fails_at_its_login(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair.harbor.core_blocked.add(pair.authentik.base)
    code, lines = sign_in(pair, deployed, capsys)
    assert code == 1
    assert failed(lines) == [
        f"FAIL  Harbor login redirect: GET {pair.harbor.url}/c/oidc/login answered 500: most "
        "often Harbor core cannot fetch or trust authentik's discovery document at "
        f"{pair.authentik.base}/application/o/harbor/ Fix: run harbor-sso doctor, or set "
        "HARBOR_PASSWORD (a Harbor system administrator's) for verify to ask Harbor which",
        "FAIL  sign-in: not tried: Harbor's login does not redirect",
    ]


def test_with_harbor_s_admin_credentials_harbor_is_asked_why_its_login_fails(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARBOR_PASSWORD", PASSWORD)
    pair.harbor.core_blocked.add(pair.authentik.base)
    code, lines = sign_in(pair, deployed, capsys)
    assert code == 1
    assert [line.split(":")[0] for line in failed(lines)] == [
        "FAIL  Harbor login redirect",
        "FAIL  Harbor's view of authentik",
        "FAIL  sign-in",
    ]
    assert failed(lines)[1].startswith(
        "FAIL  Harbor's view of authentik: Harbor cannot reach authentik at "
        f"'{pair.authentik.base}/application/o/harbor/'"
    )


def test_a_cli_secret_harbor_refuses_fails_docker_login(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair.harbor.oidc_tokens_valid = False  # the stored token expired, no refresh token
    code, lines = sign_in(pair, deployed, capsys)
    assert code == 1
    assert failed(lines) == [
        "FAIL  docker login: Harbor's token service answered 401 to the user's CLI secret "
        "Fix: log in to Harbor's web UI once more (the secret lives as long as the refresh "
        "token: keep offline_access in scopes)"
    ]


def test_the_password_comes_from_the_environment_only(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HARBOR_SSO_SIGN_IN_PASSWORD")
    code = main(
        ["verify", "--stack", "local", "--project-dir", str(deployed), "--sign-in", "alice"]
    )
    assert code == 2
    assert capsys.readouterr().err == (
        "error: set HARBOR_SSO_SIGN_IN_PASSWORD (--sign-in 'alice' needs it)\n"
    )
    assert pair.requests() == []  # nothing asked before the input is complete


def test_a_certificate_this_machine_does_not_trust_is_named_as_verify_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = trustme.CA()
    this_machine_has(None, monkeypatch, tmp_path)
    monkeypatch.setenv("HARBOR_SSO_SIGN_IN_PASSWORD", USER_PASSWORD)
    with api_stand_ins(TOKEN, PASSWORD, authentik_tls=serving(ca)) as pair:
        client_id = seed(pair, old_guide=False)
        pair.harbor.core_trust = trusting(ca)  # Harbor core has the CA; this machine not
        pair.authentik.add_user("alice", USER_PASSWORD, ("harbor-users",))
        urls = ["--harbor-url", pair.harbor.url, "--authentik-url", pair.authentik.base]
        code = main(["verify", *urls, "--client-id", client_id, "--sign-in", "alice"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == (
        f"FAIL  authentik discovery issuer: this machine does not trust the certificate of "
        f"{pair.authentik.base} (--authentik-url): unable to get local issuer certificate "
        f"Fix: {remedy('untrusted', '--authentik-url')}"
    )
    assert f"PASS  Harbor login: redirects to {pair.authentik.base}/application/o/authorize/" in out
    assert "FAIL  authentik authorization: as above (authentik discovery issuer)" in out


def test_an_id_token_without_the_groups_harbor_reads_is_named(
    pair: Pair, deployed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTHENTIK_TOKEN", TOKEN)
    pair.harbor.config["oidc_groups_claim"] = "roles"  # no such claim in authentik's token
    code, lines = sign_in(pair, deployed, capsys)
    assert code == 1
    assert failed(lines) == [
        "FAIL  administrator: no, though the user is in the admin group 'harbor-admins' in "
        "authentik: the ID token's groups did not reach Harbor Fix: check groupsClaim "
        "(groups), the profile scope, and groupFilter",
        "FAIL  project role 'team': the stack gives developer to 'harbor-users', and the user "
        "is in it; Harbor shows none Fix: check groupsClaim and groupFilter, and that pulumi "
        "up created the membership",
    ]
