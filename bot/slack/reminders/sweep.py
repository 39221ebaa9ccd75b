"""Sending due reminders: one sweep (`goals remind`, and a loop in the running app).

For each person due (an indexed query), soonest first: ask Slack for their timezone (and
whether they are still there), claim what is due as one digest (its items recorded as sent
in the same write), post it to their DM with the digest's id in the message's metadata,
and record it posted. A sender that dies between claim and post leaves the digest
claimed: after its lease the next sweep looks in the person's DM for that id, and posts it
only if it is not there. So two hosts, a crash midway, or a sweep run twice at one instant
send each reminder once.

Slack's limits: calls are spread (`Pace`, one at a time, a fixed gap apart) rather than
burst; a 429 is waited out as long as Retry-After says, then the same post is tried again;
a person Slack cannot DM is marked and skipped until they use Goals again.

The running app's loop sweeps in whichever process holds the store's sweep lock; the others
look again a minute later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Digest, Owner, ReminderItem
from bot.goals.storage import STORAGE_FAILURES
from bot.observe import count_reminder
from bot.slack.drafts.catch_up import CatchUp
from bot.slack.reminders.blocks import REMINDER_EVENT, Due, digest_message
from bot.slack.shared.errors import retry_after
from bot.slack.shared.surfaces import Surfaces, find_in_dm

log = logging.getLogger("goals")

BATCH = 100
RATE_WAITS = 5  # 429s in a row for one post before it is left for the next sweep
# Slack will not DM this person: they left, were deactivated, or the app cannot write to them.
UNREACHABLE = frozenset({"channel_not_found", "user_not_found", "account_inactive", "cannot_dm_bot",
                         "user_disabled", "is_archived", "not_in_channel", "user_is_bot"})
PACE_S = 0.3  # between two Slack calls of a sweep: about 100 digests a minute, each with users.info


@dataclass
class Pace:
    """At most one Slack call every `every` seconds: a large sweep is spread, not burst."""

    every: float = PACE_S
    sleep: Callable[[float], object] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: float | None = None

    def wait(self) -> None:
        if self._last is not None and (gap := self._last + self.every - self.clock()) > 0:
            self.sleep(gap)
        self._last = self.clock()


@dataclass
class Swept:
    """What one sweep did, for the log and `goals remind`."""

    sent: int = 0  # digests posted
    items: int = 0  # reminders in them
    unreachable: int = 0  # people Slack would not let us DM
    waiting: int = 0  # digests left for the next sweep (Slack failed or kept asking to wait)
    recovered: int = 0  # digests a dead sender left claimed, found posted or posted now
    why: dict[str, int] = field(default_factory=dict)  # why each was left, and how many times

    def left(self, why: str) -> None:
        """One digest left for the next sweep, and why."""
        self.waiting += 1
        self.why[why] = self.why.get(why, 0) + 1

    def line(self) -> str:
        return (f"sent {self.sent} reminder message{'s' * (self.sent != 1)} ({self.items} reminder"
                f"{'s' * (self.items != 1)}); {self.unreachable} unreachable, {self.waiting} left for the next "
                f"run, {self.recovered} recovered after a crash")

    def reasons(self) -> str:
        """Why digests were left, most frequent first: "Slack answered 500 (3), ..."."""
        ranked = sorted(self.why.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{why} ({count})" for why, count in ranked)


def sweep(surfaces: Surfaces, client: WebClient, now: datetime, pace: Pace | None = None,
          stop: threading.Event | None = None) -> Swept:
    """Send everything due at `now`, once. `client` posts without resending (`resend=False`)."""
    pace = pace or Pace()
    swept = Swept()
    seen: set[Owner] = set()
    stuck = 0  # people still due after their turn (Slack failed for them): the query must ask past them
    while stop is None or not stop.is_set():
        due = [owner for owner in surfaces.reminding.due(now, BATCH + stuck) if owner not in seen]
        if not due:
            break
        for owner in due:
            if stop is not None and stop.is_set():
                break
            seen.add(owner)
            waiting = swept.waiting
            try:
                _remind(surfaces, client, owner, now, pace, swept)
            except STORAGE_FAILURES:
                raise  # the store is down: the whole sweep waits for the next round
            except Exception as error:  # one person's failure is not everyone's
                log.exception("a reminder for %s failed; it is tried again next time", owner.user)
                swept.left(f"an error in Goals ({type(error).__name__})")
            stuck += swept.waiting - waiting
    return swept


def _person(client: WebClient, user: str, pace: Pace) -> tuple[str | None, str | None]:
    """(timezone, why Slack cannot reach them); both None when Slack will not say now."""
    pace.wait()
    try:
        person = client.users_info(user=user).get("user")
    except SlackApiError as error:
        if (wait := retry_after(error)) is not None:  # waited out, then on with the timezone last known
            log.info("reminders: Slack asked to wait %s s before users.info", wait)
            pace.sleep(max(float(wait), 0.05))
            return None, None
        code = str(error.response.get("error"))
        return None, code if code in UNREACHABLE else None
    except (OSError, URLError):
        return None, None
    if not isinstance(person, dict):
        return None, None
    if person.get("deleted"):
        return None, "left the workspace"
    tz = person.get("tz")
    return (tz if isinstance(tz, str) and tz and len(tz) <= 64 else None), None


def _remind(surfaces: Surfaces, client: WebClient, owner: Owner, now: datetime, pace: Pace, swept: Swept) -> None:
    reminding = surfaces.reminding
    stale = reminding.stale(owner, now)
    if stale is not None:
        pace.wait()
        try:
            found = find_in_dm(client, owner.user, stale.claimed_at, REMINDER_EVENT, {"digest": stale.id})
        except (TimeoutError, ConnectionError, URLError):  # Slack's network, not the store's
            swept.left("Slack could not be reached")
            return
        if found is not None:
            reminding.posted(owner, stale.id, found[0], now)
            swept.recovered += 1
            return
        again = reminding.reclaim(owner, stale.id, now)  # still to send now, and this sender's to post
        if again is not None:
            swept.recovered += 1
            _post(surfaces, client, owner, again, reminding.reminders(owner).tz, now, pace, swept)
        return
    tz, gone = _person(client, owner.user, pace)
    if gone is not None:
        reminding.unreachable(owner, gone)
        swept.unreachable += 1
        return
    digest = reminding.claim(owner, now, tz)
    if digest is not None:
        _post(surfaces, client, owner, digest, tz or reminding.reminders(owner).tz, now, pace, swept)


def _grouped(items: list[ReminderItem]) -> dict[str, list[ReminderItem]]:
    by_draft: dict[str, list[ReminderItem]] = {}
    for item in items:
        by_draft.setdefault(item.draft, []).append(item)
    return by_draft


def named(drafting: Drafting, owner: Owner, digest: Digest) -> list[Due]:
    """The drafts a digest names, each with its items; a draft deleted since is left out."""
    return [Due(view, items) for draft_id, items in _grouped(digest.items).items()
            if (view := drafting.get(owner, draft_id)) is not None]


def _post(surfaces: Surfaces, client: WebClient, owner: Owner, digest: Digest, tz: str | None, now: datetime,
          pace: Pace, swept: Swept) -> None:
    reminding = surfaces.reminding
    due = named(surfaces.drafting, owner, digest)
    if not due:  # every draft it named was deleted meanwhile: nothing to say
        reminding.posted(owner, digest.id, None, now)
        return
    message = digest_message(digest.id, due, now, tz)
    for _ in range(RATE_WAITS):
        pace.wait()
        try:
            posted = client.chat_postMessage(channel=owner.user, unfurl_links=False,
                                             metadata={"event_type": REMINDER_EVENT,
                                                       "event_payload": {"digest": digest.id}},
                                             **message.as_kwargs())
        except SlackApiError as error:
            if (wait := retry_after(error)) is not None:
                log.info("reminders: Slack asked to wait %s s", wait)
                pace.sleep(max(float(wait), 0.05))
                sending = reminding.reminders(owner).sending
                if sending is None or sending.id != digest.id:
                    return  # let go meanwhile (reminders turned off): not posted after all
                continue
            if error.response.status_code >= 500:
                # Slack may have posted it all the same (it sometimes does, then answers 5xx):
                # left claimed, looked for in their DM after its lease, as a timeout is.
                log.warning("posting a reminder to %s got Slack's %s; it is looked for before it is sent again",
                            owner.user, error.response.status_code)
                swept.left(f"Slack answered {error.response.status_code}")
                return
            code = str(error.response.get("error"))
            if code in UNREACHABLE:
                reminding.unreachable(owner, code)
                swept.unreachable += 1
            else:
                log.warning("posting a reminder to %s failed (%s); it is tried again next time", owner.user, code)
                reminding.released(owner, digest.id, now)
                swept.left(f"Slack answered {code}")
            return
        except (TimeoutError, ConnectionError, URLError):
            # Slack may have it all the same: left claimed, looked for in their DM after its lease.
            log.warning("posting a reminder to %s was cut short; it is looked for before it is sent again",
                        owner.user)
            swept.left("Slack could not be reached")
            return
        reminding.posted(owner, digest.id, str(posted.get("channel") or ""), now)
        swept.sent += 1
        swept.items += len(digest.items)
        count_reminder()
        return
    reminding.released(owner, digest.id, now)
    swept.left("Slack kept asking to wait")


@dataclass(frozen=True)
class ReminderLoop:
    every: float = 60.0  # seconds between sweeps
    pace: float = PACE_S
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


def start_reminders(surfaces: Surfaces, poster: WebClient, catch_up: CatchUp, loop: ReminderLoop) -> None:
    """Sweep every `loop.every` seconds, in whichever process holds the store's sweep lock,
    until `catch_up.stop` is set (the app's background work ends together)."""
    stop = catch_up.stop

    def run() -> None:
        while not stop.is_set():
            try:
                with surfaces.profiles.sweep_lock(0) as held:
                    if held:
                        swept = sweep(surfaces, poster, loop.clock(), Pace(loop.pace, sleep=stop.wait), stop)
                        if swept.sent or swept.waiting or swept.unreachable:
                            log.info("reminders: %s", swept.line())
            except Exception:  # logged; the next round tries again
                log.exception("sending reminders failed")
            if stop.wait(loop.every):
                return

    thread = threading.Thread(target=run, name="goals-reminders", daemon=True)
    catch_up.running.append(thread)
    thread.start()
