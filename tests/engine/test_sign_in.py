"""After `pulumi up` under the real CLI, a user signs in through what the stack deployed:
`harbor-sso verify --stack dev --sign-in alice` against the stand-ins the model plugins
configured (the provider's client ID, secret and redirect URI in authentik; Harbor's
endpoint, client, scopes, claims, admin group and memberships). After a rotation, too:
Harbor and authentik then hold the new secret, and the code exchange proves it."""

from __future__ import annotations

import subprocess
import sys

from tests.engine.conftest import TOKEN, Deployment
from tests.support import ROOT

PASSWORD = "alice-engine-CANARY-pw"


def sign_in(deployment: Deployment) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "harbor_sso.cli", "verify", "--stack", deployment.stack,
         "--project-dir", str(deployment.cli.project), "--sign-in", "alice", "--timeout", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**deployment.cli.env, "HARBOR_SSO_SIGN_IN_PASSWORD": PASSWORD,
             "AUTHENTIK_TOKEN": TOKEN},
    )  # fmt: skip
    text = done.stdout + done.stderr
    assert PASSWORD not in text and TOKEN not in text
    for meta in deployment.pair.harbor.oidc_meta.values():
        assert meta["secret"] not in text
    return done.returncode, text


def test_a_deployed_stack_signs_a_user_in_before_and_after_a_rotation(
    deployment: Deployment,
) -> None:
    deployment.ok("up")
    deployment.pair.authentik.add_user("alice", PASSWORD, ("harbor-users", "harbor-admins"))
    code, text = sign_in(deployment)
    assert code == 0, text
    assert "PASS  administrator: yes, through the admin group 'harbor-admins'" in text
    assert "PASS  project role 'team': developer through 'harbor-users'" in text
    assert "PASS  docker login: the user's CLI secret gets a registry token" in text

    deployment.secret("clientSecret", "rotated-engine-CANARY-" + "r" * 40)
    deployment.ok("up")
    code, text = sign_in(deployment)
    assert code == 0, text
    assert "PASS  Harbor callback: Harbor exchanged the code and signed the user in" in text
