"""Signed `/goals` requests, shaped like Slack's, and the timing of one round trip."""

from __future__ import annotations

import http.client
import itertools
import time
import urllib.parse
from typing import Protocol

from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "bench-signing-secret"
_serial = itertools.count(1)


class Address(Protocol):
    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...


def command_request(text: str, user: str = "UBENCH", team: str = "TBENCH") -> tuple[bytes, dict[str, str]]:
    """A signed slash command; every body unique, as Slack's are (trigger ids differ)."""
    serial = next(_serial)
    body = urllib.parse.urlencode({
        "token": "legacy", "team_id": team, "team_domain": "bench", "channel_id": "CBENCH",
        "channel_name": "general", "user_id": user, "user_name": "bench", "command": "/goals",
        "text": text, "api_app_id": "ABENCH", "trigger_id": f"{serial}.1.bench",
        "response_url": f"http://127.0.0.1:9/response/{serial}",
    })
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    assert signature is not None  # None only without a secret
    return body.encode(), {"Content-Type": "application/x-www-form-urlencoded",
                           "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def post(address: Address, body: bytes, headers: dict[str, str]) -> tuple[int, float]:
    """POST to /slack/events on a new connection, as a sporadic request from Slack arrives;
    returns the status and the milliseconds from connecting to the whole answer read."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(address.host, address.port, timeout=30)
    try:
        connection.request("POST", "/slack/events", body, headers)
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    return answer.status, (time.perf_counter() - started) * 1000


def post_command(address: Address, text: str, user: str = "UBENCH", team: str = "TBENCH") -> tuple[int, float]:
    body, headers = command_request(text, user, team)
    return post(address, body, headers)
