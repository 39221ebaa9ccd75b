"""The reminder sweep under Slack's limits and failures: a 429 waited out, people Slack cannot
DM, a sender killed between claim and post, quiet hours, a loop starting after downtime, one
sweeper across processes, and calls spread rather than burst. Drafts are filled over signed
HTTP; `sweep` is called with the clock the test sets, and the stand-in records every DM.
On both stores."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner, Reminders
from bot.goals.reminders.rules import POSTING_LEASE
from bot.goals.storage import ProfileStore
from bot.settings import load_settings
from bot.slack.drafts.catch_up import CatchUp
from bot.slack.reminders.blocks import REMINDER_EVENT
from bot.slack.reminders.sweep import Pace, ReminderLoop, start_reminders, sweep
from bot.slack.shared.client import create_client
from bot.slack.shared.surfaces import Surfaces
from bot.store.factory import open_stores
from support.reminder_flow import TEAM, at, fill_draft, in_dm, reminder_env, the_day
from support.slack_app_harness import RunningApp
from support.slack_standin import DROPPED, SlackStandIn

TOKYO = ZoneInfo("Asia/Tokyo")
ALICE, CAROL, DAN = "U111", "U444", "U555"


def owner(user: str) -> Owner:
    return Owner(team=TEAM, user=user)


@pytest.fixture
def env(store_env: dict[str, str], slack: SlackStandIn, tmp_path: Path) -> dict[str, str]:
    return reminder_env(store_env, slack, tmp_path / "data")


@pytest.fixture
def app(env: dict[str, str], slack: SlackStandIn, tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data", env=env) as running:
        yield running


@pytest.fixture
def poster(env: dict[str, str]) -> WebClient:
    """The client the sweep posts with, as `goals remind` and the app build it: no resending."""
    return create_client(load_settings(env, dotenv=None), resend=False)


@pytest.fixture
def surfaces(app: RunningApp, repository: CanonRepository, poster: WebClient) -> Surfaces:
    """What `goals remind` builds, on the running app's stores."""
    return Surfaces(Drafting(repository, app.stores.drafts), app.stores.profiles, poster=poster)


def fill_drafts(app: RunningApp, slack: SlackStandIn, repository: CanonRepository, users: list[str],
                day: date) -> None:
    for user in users:
        fill_draft(app, slack, repository, user, day)
    slack.reset()  # what follows is the sweep's


def reminder_posts(slack: SlackStandIn, user: str | None = None) -> list[dict[str, Any]]:
    """Every chat.postMessage of a reminder (its metadata), answered or not, with its status."""
    found = []
    for call in slack.calls("chat.postMessage"):
        metadata = call.body.get("metadata") or {}
        if metadata.get("event_type") == REMINDER_EVENT and user in (None, call.body.get("channel")):
            found.append({**call.body, "status": call.status})
    return found


def reminders(app: RunningApp, user: str) -> Reminders:
    profile = app.stores.profiles.get(owner(user))
    assert profile is not None
    return profile.reminders


class Sleeps:
    """A `Pace.sleep` that records and does not sleep; its clock moves only by what it slept."""

    def __init__(self, slack: SlackStandIn | None = None) -> None:
        self.waits: list[float] = []
        self.calls_before: list[int] = []  # Slack calls made before each wait
        self.now = 1000.0
        self._slack = slack

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        if self._slack is not None:
            self.calls_before.append(len(self._slack.calls()))

    def clock(self) -> float:
        return self.now


def pace(sleeps: Sleeps, every: float = 0.0) -> Pace:
    return Pace(every=every, sleep=sleeps, clock=sleeps.clock)


# 1. Retry-After ------------------------------------------------------------------------


def test_a_429_is_waited_out_as_retry_after_says_then_the_digest_is_posted_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    slack.rate_limit("chat.postMessage", retry_after=1)
    sleeps = Sleeps()

    swept = sweep(surfaces, poster, at(day - timedelta(days=7)), pace(sleeps))

    assert max(sleeps.waits) >= 1  # waited as long as Slack asked, through the injected sleep
    assert [post["status"] for post in reminder_posts(slack)] == [429, 200]  # the same post, tried again
    (posted,) = in_dm(slack, ALICE)
    assert (swept.sent, swept.waiting) == (1, 0)
    stored = reminders(app, ALICE)
    assert stored.sending is None and stored.last_digest is not None
    assert posted["metadata"]["event_payload"] == {"digest": stored.last_digest.id}
    assert {item.key for item in stored.last_digest.items} <= set(stored.sent)  # recorded sent, once
    # Nothing left to send at that instant, nor later that day: not doubled.
    assert sweep(surfaces, poster, at(day - timedelta(days=7), 13), pace(sleeps)).sent == 0
    assert len(in_dm(slack, ALICE)) == 1


def test_reminders_turned_off_while_a_429_is_waited_out_are_not_posted_after_all(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    slack.rate_limit("chat.postMessage", retry_after=1)
    now = at(day - timedelta(days=7))

    def she_turns_them_off(seconds: float) -> None:  # while the sweep waits, from her settings
        surfaces.reminding.turn(owner(ALICE), on=False, now=now)

    swept = sweep(surfaces, poster, now, Pace(every=0, sleep=she_turns_them_off))
    assert [post["status"] for post in reminder_posts(slack)] == [429]  # never tried again
    assert in_dm(slack, ALICE) == [] and swept.sent == 0


# 2. Unreachable ------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["deleted", "account_inactive", "cannot_dm_bot"])
def test_a_person_slack_cannot_dm_is_marked_not_retried_and_resumes_when_they_come_back(
        how: str, app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE, CAROL], day)
    if how == "deleted":
        slack.set_user(ALICE, deleted=True)
    else:
        slack.fail("chat.postMessage", how)  # the sweep's first post, whoever's it is
    now = at(day - timedelta(days=7))

    swept = sweep(surfaces, poster, now, pace(Sleeps()))

    if how == "deleted":
        gone, other = ALICE, CAROL
        assert reminder_posts(slack, ALICE) == []  # not even tried
    else:
        first = reminder_posts(slack)[0]
        gone = str(first["channel"])
        other = CAROL if gone == ALICE else ALICE
        assert [post["status"] for post in reminder_posts(slack, gone)] == [200]  # refused once, ok: false
    assert (swept.unreachable, swept.sent) == (1, 1)
    assert in_dm(slack, gone) == [] and len(in_dm(slack, other)) == 1  # the other still got theirs
    marked = reminders(app, gone)
    assert marked.unreachable and marked.due_at is None and marked.sending is None

    # A second sweep, then another an hour later: nothing is tried for them.
    slack.reset()
    for later in (now, now + timedelta(hours=1)):
        assert sweep(surfaces, poster, later, pace(Sleeps())).unreachable == 0
    assert [call.body.get("user") for call in slack.calls("users.info")] == []
    assert reminder_posts(slack) == []
    assert reminders(app, gone).unreachable

    # They open the Home tab: Slack can reach them again, and reminders resume.
    slack.set_user(gone)
    assert app.home_opened(user=gone).status == 200
    app.settle()
    back = reminders(app, gone)
    assert back.unreachable is None and back.due_at is not None
    assert sweep(surfaces, poster, at(day), pace(Sleeps())).sent == 2  # on the day: both of them
    assert len(in_dm(slack, gone)) == 1


# 3. A kill between claim and post --------------------------------------------------------


def test_a_digest_claimed_by_a_sender_that_died_is_posted_once_after_its_lease(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    now = at(day - timedelta(days=7))
    digest = surfaces.reminding.claim(owner(ALICE), now, "Europe/Berlin")  # and then the sender died
    assert digest is not None

    before = sweep(surfaces, poster, now + POSTING_LEASE - timedelta(seconds=1), pace(Sleeps()))
    assert before.sent == before.recovered == 0
    assert slack.calls() == []  # not due: nobody asked Slack anything
    assert reminders(app, ALICE).sending == digest
    # Another host read the due index before the claim was written: it finds her due all the same.
    app.stores.profiles.change(owner(ALICE), lambda profile: profile and profile.model_copy(update={
        "reminders": profile.reminders.model_copy(update={"due_at": now})}))
    racing = sweep(surfaces, poster, now + POSTING_LEASE - timedelta(seconds=1), pace(Sleeps()))
    assert racing.sent == racing.recovered == 0
    assert reminder_posts(slack) == [] and not slack.calls("conversations.history")
    assert reminders(app, ALICE).sending == digest  # still hers to post, after its lease

    after = sweep(surfaces, poster, now + POSTING_LEASE, pace(Sleeps()))
    assert (after.sent, after.recovered) == (1, 1)
    assert slack.calls("conversations.history")  # looked for first
    (posted,) = in_dm(slack, ALICE)
    assert posted["metadata"]["event_payload"] == {"digest": digest.id}
    stored = reminders(app, ALICE)
    assert stored.sending is None and stored.last_digest is not None
    assert (stored.last_digest.id, stored.last_digest.items) == (digest.id, digest.items)
    assert sweep(surfaces, poster, now + 2 * POSTING_LEASE, pace(Sleeps())).sent == 0
    assert len(in_dm(slack, ALICE)) == 1


def test_a_digest_that_reached_slack_before_its_sender_died_is_found_not_posted_again(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    now = at(day - timedelta(days=7))
    digest = surfaces.reminding.claim(owner(ALICE), now, "Europe/Berlin")
    assert digest is not None
    # Posted, and the sender died before recording it.
    poster.chat_postMessage(channel=ALICE, text="Reminder", metadata={
        "event_type": REMINDER_EVENT, "event_payload": {"digest": digest.id}})

    swept = sweep(surfaces, poster, now + POSTING_LEASE, pace(Sleeps()))

    assert (swept.sent, swept.recovered) == (0, 1)
    assert slack.calls("conversations.history")
    assert len(reminder_posts(slack)) == 1 and len(in_dm(slack, ALICE)) == 1  # only the one it had posted
    stored = reminders(app, ALICE)
    assert stored.sending is None and stored.last_digest == digest  # recorded posted
    assert stored.dm_channel == "D" + ALICE
    assert sweep(surfaces, poster, now + 2 * POSTING_LEASE, pace(Sleeps())).sent == 0
    assert len(reminder_posts(slack)) == 1


def test_a_post_whose_connection_dropped_is_left_claimed_looked_for_then_posted_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    now = at(day - timedelta(days=7))
    slack.drop("chat.postMessage")  # Slack may or may not have it: the client cannot tell

    cut = sweep(surfaces, poster, now, pace(Sleeps()))
    assert (cut.sent, cut.waiting) == (0, 1)
    assert [post["status"] for post in reminder_posts(slack)] == [DROPPED]  # never resent blindly
    claimed = reminders(app, ALICE).sending
    assert claimed is not None

    assert sweep(surfaces, poster, now + POSTING_LEASE / 2, pace(Sleeps())).sent == 0
    assert len(reminder_posts(slack)) == 1
    after = sweep(surfaces, poster, now + POSTING_LEASE, pace(Sleeps()))
    assert (after.sent, after.recovered) == (1, 1)
    assert slack.calls("conversations.history")  # looked for in the DM first: not there
    assert [post["status"] for post in reminder_posts(slack)] == [DROPPED, 200]
    (posted,) = in_dm(slack, ALICE)
    assert posted["metadata"]["event_payload"] == {"digest": claimed.id}
    assert reminders(app, ALICE).sending is None


def test_reminders_slack_posted_then_answered_500_for_arrive_once_each(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    """Slack under load sometimes posts, then answers 5xx: the sender cannot tell, so each
    digest stays claimed and is looked for in the DM before it is ever sent again."""
    people = [f"UPOST{n:03d}" for n in range(30)]  # 100 run once by hand: the same, slower
    day = the_day()
    fill_drafts(app, slack, repository, people, day)
    now = at(day - timedelta(days=7))
    slack.posted_then_error("chat.postMessage", 500, times=len(people))

    first = sweep(surfaces, poster, now, pace(Sleeps()))
    assert (first.sent, first.waiting, first.why) == (0, 30, {"Slack answered 500": 30})
    assert sweep(surfaces, poster, now + POSTING_LEASE / 2, pace(Sleeps())).sent == 0  # within the lease
    after = sweep(surfaces, poster, now + POSTING_LEASE, pace(Sleeps()))
    assert (after.sent, after.recovered) == (0, 30)  # each found in its DM: none posted again
    assert [len(in_dm(slack, user)) for user in people] == [1] * 30
    assert all(reminders(app, user).sending is None for user in people)


# 4. Quiet hours ------------------------------------------------------------------------


def test_a_reminder_missed_overnight_waits_for_eight_in_the_morning_and_comes_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    slack.set_user_tz(ALICE, "Asia/Tokyo")
    week_before = day - timedelta(days=7)  # its reminder is due at 09:00 Tokyo; the app was down all day

    night = sweep(surfaces, poster, at(week_before, 22, TOKYO), pace(Sleeps()))
    assert night.sent == 0 and reminder_posts(slack) == []
    stored = reminders(app, ALICE)
    assert stored.tz == "Asia/Tokyo" and stored.due_at == at(week_before + timedelta(days=1), 8, TOKYO)

    morning = sweep(surfaces, poster, at(week_before + timedelta(days=1), 8, TOKYO), pace(Sleeps()))
    assert morning.sent == 1
    (posted,) = in_dm(slack, ALICE)
    assert f"{day:%a} {day.day} {day:%b %Y}" in posted["text"]

    later = sweep(surfaces, poster, at(week_before + timedelta(days=3), 8, TOKYO), pace(Sleeps()))
    assert later.sent == 0 and len(reminder_posts(slack)) == 1


# 5. Catch-up after downtime ----------------------------------------------------------------


def test_the_running_apps_loop_sends_a_reminder_due_while_it_was_down_once_when_it_starts(
        slack: SlackStandIn, repository: CanonRepository, env: dict[str, str], tmp_path: Path) -> None:
    """`create_app` builds its `ReminderLoop` with the real clock and a minute between rounds:
    the clock is set with freezegun (ticking), and its first round is the one that counts."""
    day = the_day()
    with RunningApp(slack, data_dir=tmp_path / "data", env=env) as down:
        fill_drafts(down, slack, repository, [ALICE], day)
    # The pool keeps its own time: frozen, its connection timeouts would never come or come at once.
    with freeze_time(at(day - timedelta(days=6), 8), tick=True, ignore=["psycopg_pool", "psycopg"]):  # due D−7 09:00
        catch_up = CatchUp(every=0.05, grace=timedelta(0))
        with RunningApp(slack, data_dir=tmp_path / "data", env=env, catch_up=catch_up) as running:
            slack.wait_for("chat.postMessage")
            deadline = time.monotonic() + 5
            while reminders(running, ALICE).sending is not None and time.monotonic() < deadline:
                time.sleep(0.02)
            stored = reminders(running, ALICE)
    assert len(reminder_posts(slack)) == 1 and len(in_dm(slack, ALICE)) == 1
    assert stored.sending is None and stored.last_digest is not None


def test_the_reminder_loop_sends_a_reminder_due_during_downtime_once_over_many_rounds(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    clock = Clock(at(day - timedelta(days=7), 15))  # due at 09:00: no loop ran until now
    catch_up = CatchUp()
    try:
        start_reminders(surfaces, poster, catch_up, ReminderLoop(every=0.02, pace=0, clock=clock))
        slack.wait_for("chat.postMessage")
        clock.wait_rounds(5)  # more rounds, the clock moving on within the day
    finally:
        catch_up.close()
    assert len(reminder_posts(slack)) == 1 and len(in_dm(slack, ALICE)) == 1
    assert reminders(app, ALICE).sending is None


@dataclass
class Clock:
    """A `ReminderLoop` clock: each round reads it once, and it moves ten minutes each time."""

    now: datetime
    reads: int = 0

    def __post_init__(self) -> None:
        self._cond = threading.Condition()

    def __call__(self) -> datetime:
        with self._cond:
            self.reads += 1
            self.now += timedelta(minutes=10)
            self._cond.notify_all()
            return self.now

    def wait_rounds(self, rounds: int, timeout: float = 5.0) -> None:
        with self._cond:
            goal = self.reads + rounds
            assert self._cond.wait_for(lambda: self.reads >= goal, timeout), f"{self.reads} rounds, wanted {goal}"


# 6. One sweeper across processes ---------------------------------------------------------


class Watched:
    """A profile store whose sweep lock's answers are recorded (and waited for)."""

    def __init__(self, inner: ProfileStore) -> None:
        self._inner = inner
        self.answers: list[bool] = []
        self._cond = threading.Condition()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @contextmanager
    def _watched(self, wait: float) -> Iterator[bool]:
        with self._inner.sweep_lock(wait) as held:
            with self._cond:
                self.answers.append(held)
                self._cond.notify_all()
            yield held

    def sweep_lock(self, wait: float) -> AbstractContextManager[bool]:
        return self._watched(wait)

    def wait_for(self, test: Callable[[list[bool]], bool], timeout: float = 5.0) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: test(self.answers), timeout), self.answers


def test_while_another_process_holds_the_sweep_lock_the_loop_sends_nothing_then_sends_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, env: dict[str, str],
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    other = open_stores(load_settings(env, dotenv=None).store)  # another process's stores, same data
    watched = Watched(app.stores.profiles)
    surfaces = Surfaces(Drafting(repository, app.stores.drafts), watched, poster=poster)  # type: ignore[arg-type]
    catch_up = CatchUp()
    release = threading.Event()
    holding = threading.Event()

    def hold() -> None:
        with other.profiles.sweep_lock(0) as held:
            assert held
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(5)
        start_reminders(surfaces, poster, catch_up,
                        ReminderLoop(every=0.02, pace=0, clock=lambda: at(day - timedelta(days=7))))
        watched.wait_for(lambda answers: len(answers) >= 3)  # three rounds, each refused the lock
        assert not any(watched.answers)
        assert slack.calls() == [] and reminders(app, ALICE).sent == {}  # nothing sent, nothing claimed
        release.set()
        holder.join(5)
        slack.wait_for("chat.postMessage")
        watched.wait_for(lambda answers: answers.count(True) >= 3)  # and it went on sweeping
    finally:
        release.set()
        catch_up.close()
        holder.join(5)
        other.close()
    assert len(reminder_posts(slack)) == 1 and len(in_dm(slack, ALICE)) == 1


# 7. Pacing ---------------------------------------------------------------------------------


def test_a_sweep_of_three_people_spreads_its_slack_calls(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE, CAROL, DAN], day)
    sleeps = Sleeps(slack)

    swept = sweep(surfaces, poster, at(day - timedelta(days=7)), pace(sleeps, every=0.5))

    assert swept.sent == 3
    calls = slack.calls()
    assert [call.method for call in calls].count("users.info") == 3 and len(reminder_posts(slack)) == 3
    # A wait of the full gap before every call but the first: one call between two waits.
    assert sleeps.waits == [pytest.approx(0.5)] * (len(calls) - 1)
    assert sleeps.calls_before == list(range(1, len(calls)))


def test_people_slack_failed_for_do_not_stop_the_sweep_from_reaching_those_after_them(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pages of two: the first two posts fail and leave their people due, ahead of the third.
    monkeypatch.setattr("bot.slack.reminders.sweep.BATCH", 2)
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE, CAROL, DAN], day)
    slack.fail("chat.postMessage", "internal_error", times=2)

    swept = sweep(surfaces, poster, at(day - timedelta(days=7)), pace(Sleeps()))

    assert (swept.sent, swept.waiting) == (1, 2)
    assert [len(in_dm(slack, user)) for user in (ALICE, CAROL, DAN)] == [0, 0, 1]
    # The two left due are sent by the next sweep, once; the third is not sent again.
    again = sweep(surfaces, poster, at(day - timedelta(days=7), 13), pace(Sleeps()))
    assert again.sent == 2
    assert [len(in_dm(slack, user)) for user in (ALICE, CAROL, DAN)] == [1, 1, 1]


def test_a_digest_whose_sender_died_is_not_posted_once_she_turned_reminders_off(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    now = at(day - timedelta(days=7))
    assert surfaces.reminding.claim(owner(ALICE), now, "Europe/Berlin") is not None  # the sender died
    surfaces.reminding.turn(owner(ALICE), on=False, now=now)
    swept = sweep(surfaces, poster, now + POSTING_LEASE, pace(Sleeps()))
    assert swept.sent == 0 and in_dm(slack, ALICE) == []
    assert reminders(app, ALICE).sending is None


def test_a_digest_whose_sender_died_waits_out_the_night_then_comes_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, surfaces: Surfaces,
        poster: WebClient) -> None:
    day = the_day()
    fill_drafts(app, slack, repository, [ALICE], day)
    evening = at(day - timedelta(days=7), 19) + timedelta(minutes=59)  # 19:59 in Berlin, then the sender died
    assert surfaces.reminding.claim(owner(ALICE), evening, "Europe/Berlin") is not None
    night = sweep(surfaces, poster, evening + POSTING_LEASE, pace(Sleeps()))  # 20:01: quiet
    assert night.sent == 0 and in_dm(slack, ALICE) == []
    assert reminders(app, ALICE).sending is None  # let go, not lost
    morning = sweep(surfaces, poster, at(day - timedelta(days=6), 8), pace(Sleeps()))
    assert morning.sent == 1 and len(in_dm(slack, ALICE)) == 1
