"""Work promised is work done: DM messages a save left due (the process that took the save
crashed, or Slack failed) are posted or updated by whichever process looks next.

Each process looks when it starts and then every minute, in a background thread. Two processes
finding the same draft post it once: `Surfaces.show_draft` works under the person's message
lock and only while the draft says its message is due.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.observe import set_backlog
from bot.slack.drafts.dm_message import show_draft
from bot.slack.home.publish import refresh_home
from bot.slack.shared.errors import retry_after
from bot.slack.shared.surfaces import Surfaces

log = logging.getLogger("goals")

BATCH = 100


def deliver_due(surfaces: Surfaces, client: WebClient, grace: timedelta, now: datetime | None = None) -> int:
    """Post or update every DM message due for longer than `grace` (a save's own listener
    normally does it within a second); the Home tab of each person concerned follows.
    Returns how many drafts were looked at."""
    before = (now or datetime.now(UTC)) - grace
    due = surfaces.drafting.store.due_messages(before, BATCH)
    set_backlog(len(due))
    for owner, draft_id in due:
        try:
            show_draft(client, surfaces, owner, draft_id)
        except SlackApiError as error:
            if retry_after(error) is not None:
                raise  # Slack asked to wait: the whole round waits, as asked
            # One draft's trouble (a message Slack refuses for its own reasons) does not hold
            # up everyone else's: it stays due, for the next round.
            log.warning("a due DM message was not shown (%s); the next round tries again",
                        error.response.get("error"))
    for owner in dict.fromkeys(owner for owner, _ in due):
        refresh_home(client, surfaces, owner)
    return len(due)


@dataclass(frozen=True)
class CatchUp:
    every: float = 60.0  # seconds between looks
    grace: timedelta = timedelta(seconds=30)  # a save's own listener goes first
    stop: threading.Event = field(default_factory=threading.Event)  # set: the loop ends
    running: list[threading.Thread] = field(default_factory=list)

    def close(self, timeout: float = 5.0) -> None:
        """End the loop and wait for its round to finish (before the store closes)."""
        self.stop.set()
        for thread in self.running:
            thread.join(timeout)


def start_catch_up(surfaces: Surfaces, client: WebClient, catch_up: CatchUp) -> None:
    """Run `deliver_due` now and every `catch_up.every` seconds until `catch_up.stop` is set."""
    stop, every, grace = catch_up.stop, catch_up.every, catch_up.grace

    def loop() -> None:
        # The first look takes everything due: it was left by a process that is gone, or is
        # being done right now by one that holds the person's message lock (then it is
        # done once all the same). Later looks leave a fresh save to its own listener.
        wait = timedelta(0)
        while True:
            pause = every
            try:
                while deliver_due(surfaces, client, wait) == BATCH and not stop.is_set():
                    pass  # more where those came from
            except SlackApiError as error:  # rate limited: come back when Slack says, not before
                if (asked := retry_after(error)) is None:
                    log.exception("catching up on due DM messages failed")
                else:
                    log.info("catching up on due DM messages: Slack asked to wait %s s", asked)
                    pause = max(float(asked), 0.05)
            except Exception:  # logged; the next round tries again
                log.exception("catching up on due DM messages failed")
            wait = grace
            if stop.wait(pause):
                return

    thread = threading.Thread(target=loop, name="goals-catch-up", daemon=True)
    catch_up.running.append(thread)
    thread.start()
