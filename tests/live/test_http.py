"""The live tools' bounded HTTP client: what `get_json` says when there is no JSON object."""

from __future__ import annotations

from email.message import Message

import pytest

from harbor_sso.live.http import Fetch, Response, get_json

URL = "https://authentik.company/application/o/harbor/.well-known/openid-configuration"


def answering(status: int, body: bytes) -> Fetch:
    def fetch(url: str) -> Response:
        assert url == URL
        return Response(status, Message(), body)

    return fetch


def test_a_json_object_is_returned_as_read() -> None:
    assert get_json(answering(200, b'{"issuer": "x"}'), URL, "a discovery document") == {
        "issuer": "x"
    }


@pytest.mark.parametrize(
    ("status", "body", "why"),
    [
        (200, b"<html>login</html>", ""),  # not JSON: nothing more to say
        (200, b"[1, 2]", ""),  # JSON, but not an object
        (404, b'{"issuer": "x"}', ""),  # the body of an error is not the document
        (
            200,
            b"\xef\xbb\xbf{}",
            ": it starts with a UTF-8 byte-order mark, which JSON readers refuse",
        ),
        (200, b'{"a": "\xff"}', ": it is not UTF-8 (byte 0xff at offset 7)"),
    ],
)
def test_no_json_object_is_one_line_naming_the_answer(status: int, body: bytes, why: str) -> None:
    assert get_json(answering(status, body), URL, "a discovery document") == (
        f"GET {URL} answered {status} without a discovery document{why}"
    )
