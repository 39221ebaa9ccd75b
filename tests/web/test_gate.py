"""The gate never fails on what a client sends: every malformed request is refused with a 4xx
and nothing in the log is an ERROR (the cases found by trying, then a fuzz of bytes, encodings
and headers)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.store.replay_files import ReplayFiles
from bot.web.gate import Gate
from support.slack_app_harness import SIGNING_SECRET, RunningApp


def signature(body: bytes, stamp: str, secret: str = SIGNING_SECRET) -> str:
    return "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()


def post(app: RunningApp, body: bytes, sig: str | None = None, content_type: str = "application/x-www-form-urlencoded",
         ) -> int:
    stamp = str(int(time.time()))
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": signature(body, stamp) if sig is None else sig}
    request = urllib.request.Request(app.url + "/slack/events", data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


DEEP = b'{"type":"block_actions","a":' + b"[" * 10_000 + b"]" * 10_000 + b"}"
CASES = {
    "unsigned, not UTF-8": (b"\xff\xfe\x00 junk", "v0=00", "application/x-www-form-urlencoded", 401),
    "a non-ASCII signature": (b"command=%2Fgoals", "v0=\u00e9\u00e9", "application/x-www-form-urlencoded", 401),
    "signed, not UTF-8": (b"\xff\xfe\x00 junk", None, "application/x-www-form-urlencoded", 401),
    "signed JSON nested 10,000 deep": (DEEP, None, "application/json", 400),
    "a signed payload nested 10,000 deep": (b"payload=" + urllib.parse.quote("[" * 10_000 + "]" * 10_000).encode(),
                                             None, "application/x-www-form-urlencoded", 400),
}


@pytest.mark.parametrize("body, sig, content_type, status", CASES.values(), ids=CASES.keys())
def test_what_no_slack_request_looks_like_is_refused_without_an_error(
        app: RunningApp, caplog: pytest.LogCaptureFixture, body: bytes, sig: str | None, content_type: str,
        status: int) -> None:
    with caplog.at_level(logging.INFO):
        assert post(app, body, sig, content_type) == status
        app.settle()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


headers = st.dictionaries(
    st.sampled_from(["x-slack-request-timestamp", "x-slack-signature", "content-type", "x-other"]),
    st.text(max_size=80) | st.sampled_from(["v0=", "application/json", str(int(time.time()))]), max_size=4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
       extra=headers, sign=st.booleans())
def test_the_gate_answers_anything_without_raising(tmp_path: Path, body: bytes, extra: dict[str, str],
                                                   sign: bool) -> None:
    gate = Gate(SIGNING_SECRET, ReplayFiles(tmp_path / "replay"))
    found = dict(extra)
    if sign:
        stamp = str(int(time.time()))
        found |= {"x-slack-request-timestamp": stamp, "x-slack-signature": signature(body, stamp)}
    refusal = gate.refusal(body, found)
    assert refusal is None or refusal.status.startswith(("400", "401"))
