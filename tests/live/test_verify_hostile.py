"""`harbor-sso verify` against broken and hostile servers: a FAIL line naming the check,
exit 1, never a traceback, nothing the server sends reaches the terminal raw."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harbor_sso.cli import main
from harbor_sso.live import http as http_module
from harbor_sso.live.http import (
    MAX_BODY,
    Credential,
    CredentialWithheld,
    NotJson,
    decode_json,
    http_fetch,
    redact,
)
from harbor_sso.live.verify import Expected, verify
from harbor_sso.validation import validate
from tests.support import examples

from .hostile import Respond, drip, flood, raw_server, send, slow

OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


def run_verify(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["verify", "--harbor-url", url, "--authentik-url", url, *extra])
    out, err = capsys.readouterr()
    return code, out, err


CASES: dict[str, tuple[Respond, str]] = {
    "garbage status line": (send(b"HELLO \x1b[31mWORLD\r\n\r\n"), "BadStatusLine"),
    "truncated body": (send(OK_HEAD + b'Content-Length: 100\r\n\r\n{"issuer"'), "IncompleteRead"),
    "too many headers": (
        send(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 150 + b"\r\n"),
        "HTTPException",
    ),
    "over-long header line": (
        send(b"HTTP/1.1 200 OK\r\nX-A: " + b"a" * 70_000 + b"\r\n\r\n"),
        "LineTooLong",
    ),
    "deeply nested JSON": (
        send(OK_HEAD + b"Content-Length: 200000\r\n\r\n" + b"[" * 200_000),
        "without a discovery document",
    ),
    "not UTF-8": (send(OK_HEAD + b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc"), "answered 200"),
    "closes at once": (
        send(b""),
        "closed the connection from this machine without an answer "
        "(--authentik-url and --harbor-url): Remote end closed connection without response",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_server_fails_the_checks_without_a_traceback(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    respond, reason = CASES[case]
    with raw_server(respond) as (url, _):
        code, out, err = run_verify(url, capsys, "--timeout", "5")
    assert code == 1
    assert "Traceback" not in out + err
    assert out.startswith("FAIL  authentik discovery issuer: ")
    assert reason in out
    assert "\x1b" not in out + err  # escape codes are shown escaped, never sent raw


def test_a_slow_drip_is_cut_at_the_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    # a byte every 0.3 s: each read is quick, so only a deadline on the answer stops it
    with raw_server(drip(OK_HEAD, every=0.3, most=100)) as (url, _):
        start = time.monotonic()
        code, out, _ = run_verify(url, capsys, "--timeout", "1")
        elapsed = time.monotonic() - start
    assert code == 1
    assert "no complete answer within 1 s" in out
    # three requests of at most 1 s each (the run's deadline); the drip would take 30 s
    assert elapsed < 10


def test_the_run_has_a_deadline_of_its_own() -> None:
    with raw_server(drip(OK_HEAD, every=0.3, most=100)) as (url, _):
        settings_ = validate({"harbor_url": url, "authentik_url": url})
        start = time.monotonic()
        checks = verify(Expected.from_settings(settings_), http_fetch(5, run_timeout=1))
        elapsed = time.monotonic() - start
    assert not any(c.ok for c in checks)
    # the first request uses the whole second; the next ones find no time left
    assert checks[1].detail == f"{url} did not answer this machine in time: the run's time is up"
    assert elapsed < 5


def test_a_huge_body_is_not_read(capsys: pytest.CaptureFixture[str]) -> None:
    head = OK_HEAD + b"Content-Length: 600000000\r\n\r\n"
    with raw_server(flood(head, chunk=1 << 16, most_bytes=64 << 20)) as (url, _):
        code, out, _ = run_verify(url, capsys, "--timeout", "10")
    assert code == 1
    assert f"the answer is larger than {MAX_BODY} bytes" in out


def test_credentials_in_a_location_header_are_not_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    location = b"https://admin:hunter2@evil.example/authorize?client_id=x"
    answer = b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
    with raw_server(send(answer)) as (url, _):
        code, out, _ = run_verify(url, capsys, "--timeout", "5")
    assert code == 1
    assert "evil.example" in out
    assert "hunter2" not in out
    assert "admin:" not in out


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf", "301", "soon"])
def test_a_bad_timeout_is_bad_input(timeout: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["verify", "--harbor-url", "https://h.example", "--authentik-url",
              "https://a.example", "--timeout", timeout])  # fmt: skip
    assert exited.value.code == 2
    assert "--timeout" in capsys.readouterr().err


# -- any answer at all ----------------------------------------------------------------

TOKEN = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12)
HEADERS = st.lists(st.tuples(TOKEN, st.text(max_size=40)), max_size=6)
BODIES = st.one_of(
    st.binary(max_size=300),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
        max_leaves=10,
    ).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"issuer": st.text(max_size=60), "authorization_endpoint": st.text(max_size=60)}
    ).map(lambda v: json.dumps(v).encode()),
)


@st.composite
def answers(draw: Any) -> bytes:
    if draw(st.booleans()):
        return bytes(draw(st.binary(max_size=200)))
    status: bytes = draw(st.sampled_from([b"200", b"302", b"404", b"500", b"99", b"abc"]))
    head = b"HTTP/1.1 " + status + b" X\r\n"
    for name, value in draw(HEADERS):
        head += name.encode() + b": " + value.encode("utf-8", "replace") + b"\r\n"
    body: bytes = draw(BODIES)
    if draw(st.booleans()):
        head += b"Content-Length: %d\r\n" % draw(st.integers(0, len(body) + 5))
    return head + b"\r\n" + body


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=answers())
def test_any_answer_gives_pass_or_fail_never_a_traceback(raw: bytes) -> None:
    with raw_server(send(raw)) as (url, _):
        expected = Expected.from_settings(validate({"harbor_url": url, "authentik_url": url}))
        checks = verify(expected, http_fetch(2))
    for check in checks:
        line = check.line()
        assert line.startswith(("PASS  ", "FAIL  "))
        assert line.isprintable()


def test_the_run_has_three_request_timeouts(capsys: pytest.CaptureFixture[str]) -> None:
    # three answers of 0.8 s each fit a run of 3 x 1.5 s, though not one of 1.5 s
    body = b'{"auth_mode": "oidc_auth"}'
    answer = OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body
    with raw_server(slow(answer, 0.8)) as (url, _):
        checks = verify(
            Expected.from_settings(validate({"harbor_url": url, "authentik_url": url})),
            http_fetch(1.5),
        )
    assert [c.name for c in checks if "TimeoutError" in c.detail] == []
    assert checks[1].ok is True  # the auth mode came through, second of three


def test_an_answer_of_exactly_the_cap_is_read() -> None:
    body = b"{}" + b" " * (MAX_BODY - 2)
    answer = OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body
    with raw_server(send(answer)) as (url, _):
        checks = verify(
            Expected.from_settings(validate({"harbor_url": url, "authentik_url": url})),
            http_fetch(10),
        )
    assert checks[1].detail == "auth_mode is None, expected 'oidc_auth'"


def test_a_short_body_says_how_short() -> None:
    answer = OK_HEAD + b"Content-Length: 100\r\n\r\n" + b'{"issuer"'
    with raw_server(send(answer)) as (url, _):
        checks = verify(
            Expected.from_settings(validate({"harbor_url": url, "authentik_url": url})),
            http_fetch(5),
        )
    assert checks[1].detail.endswith(
        "failed: IncompleteRead: IncompleteRead(9 bytes read, 91 more expected)"
    )


def test_a_server_that_never_answers_is_cut_at_the_deadline() -> None:
    with raw_server(slow(b"", 4)) as (url, _):  # reads the request, then says nothing
        checks = verify(
            Expected.from_settings(validate({"harbor_url": url, "authentik_url": url})),
            http_fetch(1),
        )
    assert (
        checks[0].detail
        == f"{url} did not answer this machine in time: no complete answer within 1 s"
    )


def test_json_that_is_not_an_object_is_no_document() -> None:
    answer = OK_HEAD + b"Content-Length: 2\r\n\r\n[]"
    with raw_server(send(answer)) as (url, _):
        checks = verify(
            Expected.from_settings(validate({"harbor_url": url, "authentik_url": url})),
            http_fetch(5),
        )
    assert checks[1].detail == (
        f"GET {url}/api/v2.0/systeminfo answered 200 without Harbor's system information"
    )


@pytest.mark.parametrize(
    ("encode", "reason"),
    [
        (lambda text: text.encode("utf-16"), "it starts with a UTF-16 byte-order mark"),
        (lambda text: b"\xef\xbb\xbf" + text.encode(), "it starts with a UTF-8 byte-order mark"),
        (lambda text: text.encode("latin-1"), "it is not UTF-8 (byte 0xe9 at offset"),
    ],
)
def test_a_discovery_document_that_is_not_utf8_json_fails_as_go_would(
    encode: Any, reason: str
) -> None:
    # Python's json.loads reads UTF-16 and a UTF-8 BOM; Harbor's Go client refuses both
    with raw_server(send(b"")) as (url, current):
        expected = Expected.from_settings(validate({"harbor_url": url, "authentik_url": url}))
        body = encode(
            json.dumps({"issuer": expected.issuer, "name": "caf\u00e9"}, ensure_ascii=False)
        )
        current[0] = send(OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        checks = verify(expected, http_fetch(5))
    assert checks[0].name == "authentik discovery issuer"
    assert checks[0].ok is False
    assert checks[0].detail.startswith(f"GET {expected.discovery_url} answered 200 without")
    assert reason in checks[0].detail


def test_credentials_apply_under_their_base_whatever_slash_it_was_given_with() -> None:
    token = Credential.bearer("https://a.example/api/v3/", "tok")
    basic = Credential.basic("https://h.example/api/v2.0/", "admin", "pw")
    assert (token.base, basic.base) == ("https://a.example/api/v3", "https://h.example/api/v2.0")
    assert token.applies_to("https://a.example/api/v3/core/")
    assert not token.applies_to("https://a.example/api/v30/")


def test_the_longest_secret_is_redacted_first() -> None:
    # "Bearer abc" holds "abc": redacted whole, not as "Bearer [redacted]"
    assert redact("x Bearer abc y", ["abc", "Bearer abc"]) == "x [redacted] y"
    assert redact("x Bearer abc y", ["Bearer abc", "abc"]) == "x [redacted] y"
    assert redact("abc", ["", "abc"]) == "[redacted]"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "it is not JSON"),
        (b'{"a": 1}'.decode().encode("utf-16-le"), "it is not JSON"),  # UTF-16 without a BOM
        (b"[" * 100_000, "it is not JSON"),  # nested past Python's recursion limit
        (b'{"a": 1}', None),
    ],
)
def test_decode_json_names_why_a_body_is_no_json(body: bytes, reason: str | None) -> None:
    if reason is None:
        assert decode_json(body) == {"a": 1}
        return
    with pytest.raises(NotJson) as caught:
        decode_json(body)
    assert str(caught.value) == reason


def _fetch_raising(monkeypatch: pytest.MonkeyPatch, message: str, *creds: Credential) -> Any:
    seen: list[dict[str, str]] = []

    def failing(method: str, url: str, seconds: float, tls: Any, headers: Any, body: Any) -> Any:
        seen.append(dict(headers or {}))
        raise OSError(message)

    monkeypatch.setattr(http_module, "_bounded_request", failing)
    return http_fetch(5, credentials=creds), seen


@pytest.mark.parametrize(
    "quoted",
    [
        "p\\\\w\u00e4rd'",  # as given
        repr("p\\\\w\u00e4rd'")[1:-1],  # as repr() of the str quotes it
        repr("p\\\\w\u00e4rd'".encode())[2:-1],  # as repr() of its bytes quotes it
    ],
)
def test_an_error_quoting_a_credential_in_any_form_is_withheld(
    monkeypatch: pytest.MonkeyPatch, quoted: str
) -> None:
    credential = Credential.basic("https://h.example/api", "admin", "p\\\\w\u00e4rd'")
    fetch, _ = _fetch_raising(monkeypatch, f"refused: {quoted}", credential)
    with pytest.raises(CredentialWithheld) as caught:
        fetch("https://h.example/api/v2.0/users")
    assert str(caught.value) == "OSError (its message held a credential: withheld)"


def test_an_error_without_a_credential_passes_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    fetch, _ = _fetch_raising(
        monkeypatch, "connection refused", Credential.bearer("https://a/api", "tok")
    )
    with pytest.raises(OSError, match=r"^connection refused$") as caught:
        fetch("https://a/api/v3/")
    assert not isinstance(caught.value, CredentialWithheld)


def test_the_longest_base_that_applies_sends_its_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    wide, narrow = (
        Credential.bearer("https://a/api", "wide"),
        Credential.bearer("https://a/api/v3", "narrow"),
    )
    fetch, seen = _fetch_raising(monkeypatch, "x", wide, narrow)
    for url in ("https://a/api/v3/core/", "https://a/api/v2/", "https://b/api/v3/"):
        with pytest.raises(OSError, match=r"^x$"):
            fetch(url)
    assert seen == [
        {"Authorization": "Bearer narrow"},
        {"Authorization": "Bearer wide"},
        {},
    ]


def test_a_credential_only_in_an_errors_arguments_is_withheld(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Quiet(OSError):
        def __str__(self) -> str:
            return "quiet"

    def failing(method: str, url: str, seconds: float, tls: Any, headers: Any, body: Any) -> Any:
        raise Quiet("tok-secret")

    monkeypatch.setattr(http_module, "_bounded_request", failing)
    fetch = http_fetch(5, credentials=[Credential.bearer("https://a/api", "tok-secret")])
    with pytest.raises(CredentialWithheld):
        fetch("https://a/api/v3/")


def test_a_base_is_stripped_of_its_slashes_only() -> None:
    assert Credential.bearer("https://a.example/AUTHX/", "t").base == "https://a.example/AUTHX"
    assert Credential.basic("https://h.example/X//", "u", "p").base == "https://h.example/X"
