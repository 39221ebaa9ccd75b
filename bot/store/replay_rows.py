"""`bot.goals.storage.ReplayMemory` on PostgreSQL: each signature inserted once, across every
host; a second insert conflicts, and that request is a replay. Rows older than Bolt's window
are dropped now and then, by whichever host notices first."""

from __future__ import annotations

import hashlib
import time

from bot.store.postgres import Pool, failures_told

# Bolt's window (five minutes either way of now) plus a minute of slack.
KEEP_SECONDS = 11 * 60
_SWEEP_EVERY = 60.0


class ReplayRows:
    def __init__(self, pool: Pool, shown_url: str) -> None:
        self._pool = pool
        self._shown = shown_url
        self._swept = 0.0

    def writable(self) -> None:
        with failures_told(self._shown), self._pool.connection() as conn:
            conn.execute("SELECT 1")

    def first_time(self, timestamp: str, signature: str) -> bool:
        name = hashlib.sha256(signature.encode("utf-8", "replace")).hexdigest()[:40]
        with failures_told(self._shown), self._pool.connection() as conn:
            if time.monotonic() - self._swept > _SWEEP_EVERY:
                self._swept = time.monotonic()
                conn.execute("DELETE FROM replay WHERE seen_at < now() - make_interval(secs => %s)",
                             (KEEP_SECONDS,))
            row = conn.execute("INSERT INTO replay (signature) VALUES (%s) ON CONFLICT DO NOTHING RETURNING 1",
                               (name,)).fetchone()
        return row is not None
