"""`goals remind`: send the reminders due now, once, from the host's command line.

    goals remind [--now ISO-8601]

The same sweep the running app makes every minute (`bot.slack.reminders.sweep`), for a cron
or a scheduler add-on, and for tests: `--now` sets the clock (with its UTC offset, e.g.
2027-03-08T12:00:00+01:00). It takes the store's sweep lock first, waiting up to a minute
for a sweep already running, so two runs at once send each reminder once. It needs what
goals-bot needs: the Slack tokens, and the store DATABASE_URL or GOALS_DATA_DIR names.

Exit codes: 0 all due reminders sent (or none due); 1 the store could not be read; 2 words or
settings it cannot take (a --now more than a year from the host's clock, too); 3 some due
reminders could not be delivered, how many and why said on stderr.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TextIO

from bot.cli.opening import EXIT_OK, EXIT_STORE, EXIT_USAGE, open_for_command
from bot.goals.drafts.drafting import Drafting
from bot.goals.storage import STORAGE_FAILURES
from bot.slack.reminders.sweep import Pace, sweep
from bot.slack.shared.client import create_client
from bot.slack.shared.surfaces import Surfaces

USAGE = "remind takes: goals remind [--now ISO-8601], e.g. goals remind --now 2027-03-08T12:00:00+01:00"
LOCK_WAIT_S = 60.0
NOW_RANGE = timedelta(days=366)
EXIT_UNDELIVERED = 3  # distinct from a store that cannot be read (1) and words it cannot take (2)


def parse_now(args: list[str], real_now: datetime | None = None) -> datetime | str:
    """The clock `args` sets (now, without --now), or what is wrong with them."""
    if not args:
        return datetime.now(UTC)
    if len(args) != 2 or args[0] != "--now":
        return USAGE
    try:
        now = datetime.fromisoformat(args[1])
        if now.tzinfo is None:
            return f"--now needs a UTC offset, such as {args[1]}Z or {args[1]}+01:00: a time alone is ambiguous"
        now = now.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: an offset past the calendar's first or last day
        return f"--now takes a date and time in ISO 8601, such as 2027-03-08T12:00:00+01:00, not {args[1]!r}"
    clock = real_now or datetime.now(UTC)
    if abs(now - clock) > NOW_RANGE:
        # A sweep far ahead would send, early, every reminder due before it; one past the
        # calendar's end could schedule nothing after it.
        return (f"--now must be within a year of this host's clock ({clock:%Y-%m-%dT%H:%M}Z), "
                f"not {args[1]!r}")
    return now


def remind_command(args: list[str], out: TextIO, err: TextIO) -> int:
    now = parse_now(args)
    if isinstance(now, str):
        print(f"goals: {now}", file=err)
        return EXIT_USAGE
    opened = open_for_command(err, slack=True)
    if isinstance(opened, int):
        return opened
    settings, repository, stores = opened.settings, opened.repository, opened.stores
    assert settings is not None
    try:
        client = create_client(settings, resend=False)  # a post cut short is looked for, never resent
        surfaces = Surfaces(Drafting(repository, stores.drafts), stores.profiles, poster=client)
        with stores.profiles.sweep_lock(LOCK_WAIT_S) as held:
            if not held:
                print(f"goals: another reminder sweep has been running for over {LOCK_WAIT_S:.0f} s; "
                      "nothing was sent by this one. Try again once it ends.", file=err)
                return EXIT_STORE
            swept = sweep(surfaces, client, now, Pace(settings.remind_pace))
    except STORAGE_FAILURES as error:
        print(f"goals: {error}", file=err)
        return EXIT_STORE
    finally:
        stores.close()
    print(f"reminders due at {now.isoformat()} (store at {opened.store.shown}): {swept.line()}", file=out)
    if swept.waiting:
        # A cron job alerts on the exit code: left for the next run is not delivered.
        print(f"goals: {swept.waiting} reminder message{'s' * (swept.waiting != 1)} could not be delivered "
              f"({swept.reasons()}); the next run tries again.", file=err)
        return EXIT_UNDELIVERED
    return EXIT_OK
