"""The door of the HTTP app: what a request must be before Bolt reads a byte of it.

In order: signed with the app's signing secret within Slack's five minutes (else 401),
never seen before (a replay gets 401), and shaped as Slack shapes requests (else 400).
Bolt verifies the signature again; checking first here means junk that is not even signed
is refused as unsigned, instead of crashing Bolt's parser into a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slack_sdk.signature import SignatureVerifier

from bot.goals.storage import ReplayMemory
from bot.web.envelope import problem


@dataclass(frozen=True)
class Refusal:
    status: str  # as WSGI writes it: "401 Unauthorized"
    reason: str


class Gate:
    def __init__(self, signing_secret: str, replay: ReplayMemory) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._replay = replay

    def refusal(self, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
        """Why this request must not reach Bolt; None if it may. `headers` by lower-case name."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not (timestamp.isdecimal() and signature and self._signed(body, timestamp, signature)):
            return Refusal("401 Unauthorized", "missing, invalid or expired signature")
        if not self._replay.first_time(timestamp, signature):
            return Refusal("401 Unauthorized", "replayed request")
        why = problem(body, headers.get("content-type", ""))
        return Refusal("400 Bad Request", why) if why else None

    def _signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        """slack_sdk's check, which raises where no Slack request can reach: a body that is not
        UTF-8 (it decodes it), a signature with a character outside ASCII (compare_digest)."""
        try:
            return self._verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except (UnicodeError, TypeError):
            return False
