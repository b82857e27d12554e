"""What Harbor gets for "no admin group" is a name no authentik group can have.

Without an admin group, `ConfigAuth` sends `harbor_side.NO_ADMIN_GROUP` as Harbor's
`oidc_admin_group` (an empty one is never sent: the provider's `omitempty`), and Harbor
makes a user an administrator when a name in the ID token's groups claim equals it
exactly (goharbor/harbor src/pkg/oidc/helper.go). The claim carries the names authentik
holds. So the property to hold is about authentik, not about the constant: whatever name
is given to authentik's group API, the group it then holds is never named like the
placeholder. The stand-in answers as authentik's `GroupSerializer` does (names trimmed,
blank ones refused; tests/stand_ins/authentik_api.py `create_group`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from hypothesis import example, given, settings
from hypothesis import strategies as st

from harbor_sso.harbor_side import NO_ADMIN_GROUP
from tests.stand_ins.pair import api_stand_ins

TOKEN = "placeholder-test-token"


def create_group(base: str, name: str) -> int:
    request = urllib.request.Request(  # noqa: S310 (the loopback stand-in)
        f"{base}/api/v3/core/groups/",
        data=json.dumps({"name": name}).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 (the same)
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_no_group_authentik_can_hold_is_named_like_the_placeholder() -> None:
    with api_stand_ins(TOKEN, "unused") as pair:
        held = pair.authentik.groups

        @settings(max_examples=300, deadline=None, database=None)
        @given(name=st.text(max_size=60))
        @example(name=NO_ADMIN_GROUP)
        @example(name=NO_ADMIN_GROUP.strip())
        @example(name=f"\t{NO_ADMIN_GROUP}\n")
        def check(name: str) -> None:
            held.clear()
            status = create_group(pair.authentik.base, name)
            assert status in (201, 400), status
            assert NO_ADMIN_GROUP not in {g["name"] for g in held.values()}

        check()


def test_the_placeholder_is_sent_as_it_is_and_authentik_trims_what_it_is_given() -> None:
    # the property above would hold trivially if the stand-in refused everything
    with api_stand_ins(TOKEN, "unused") as pair:
        assert create_group(pair.authentik.base, "  harbor-admins ") == 201
        assert create_group(pair.authentik.base, " \t ") == 400
        assert [g["name"] for g in pair.authentik.groups.values()] == ["harbor-admins"]
