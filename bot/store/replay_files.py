"""Refusing replayed requests: a signed request from Slack is answered once.

Slack signs each request's timestamp and body, and Bolt refuses a timestamp more than five
minutes old, so a request captured on the way (a proxy's log, a leaked capture) could be
sent again, intact, for five minutes. Each signature is remembered for that long and a
second arrival is refused. The memory is empty files named by signature, in one folder per
minute under the data directory: creating one with O_EXCL is a single atomic step that
gunicorn's workers share, and old minutes are dropped whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from bot.store.folders import probe_writable

# Bolt's window (five minutes either way of now) plus a minute for the folder boundaries.
KEEP_MINUTES = 11


class ReplayFiles:
    """`bot.goals.storage.ReplayMemory` as files under the data directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def writable(self) -> None:
        probe_writable(self.root)

    def first_time(self, timestamp: str, signature: str) -> bool:
        """True the first time this signed request is seen; False for a replay."""
        minute = int(timestamp) // 60 if timestamp.isdecimal() else 0
        folder = self.root / str(minute)
        name = hashlib.sha256(signature.encode("utf-8", "replace")).hexdigest()[:40]
        for _ in range(2):
            try:
                os.close(os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                return True
            except FileExistsError:
                return False
            except FileNotFoundError:  # the minute's first request
                folder.mkdir(parents=True, exist_ok=True)
                self._forget_before(minute - KEEP_MINUTES)
        raise OSError(f"cannot record request signatures in {folder}")

    def _forget_before(self, minute: int) -> None:
        for folder in self.root.iterdir():
            if folder.name.lstrip("-").isdecimal() and int(folder.name) < minute:
                shutil.rmtree(folder, ignore_errors=True)  # another worker may be at it too
