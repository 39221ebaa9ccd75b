"""`goals remind`: send the reminders due now, once, from the host's command line.

    goals remind [--now ISO-8601]

The same sweep the running app makes every minute (`bot.slack.reminders.sweep`), for a cron
or a scheduler add-on, and for tests: `--now` sets the clock (with its UTC offset, e.g.
2027-03-08T12:00:00+01:00). It takes the store's sweep lock first, waiting up to a minute
for a sweep already running, so two runs at once send each reminder once. It needs what
goals-bot needs: the Slack tokens, and the store DATABASE_URL or GOALS_DATA_DIR names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO

from bot.canon.loader import CanonError
from bot.canon.repository import CanonRepository
from bot.goals.drafts.drafting import Drafting
from bot.goals.storage import STORAGE_FAILURES
from bot.settings import SettingsError, load_settings
from bot.slack.reminders.sweep import Pace, sweep
from bot.slack.shared.client import create_client
from bot.slack.shared.surfaces import Surfaces
from bot.store.factory import open_stores

USAGE = "remind takes: goals remind [--now ISO-8601], e.g. goals remind --now 2027-03-08T12:00:00+01:00"
EXIT_OK, EXIT_STORE, EXIT_USAGE = 0, 1, 2
LOCK_WAIT_S = 60.0


def parse_now(args: list[str]) -> datetime | str:
    """The clock `args` sets (now, without --now), or what is wrong with them."""
    if not args:
        return datetime.now(UTC)
    if len(args) != 2 or args[0] != "--now":
        return USAGE
    try:
        now = datetime.fromisoformat(args[1])
    except ValueError:
        return f"--now takes a date and time in ISO 8601, such as 2027-03-08T12:00:00+01:00, not {args[1]!r}"
    if now.tzinfo is None:
        return f"--now needs a UTC offset, such as {args[1]}Z or {args[1]}+01:00: a time alone is ambiguous"
    return now.astimezone(UTC)


def remind_command(args: list[str], out: TextIO, err: TextIO) -> int:
    now = parse_now(args)
    if isinstance(now, str):
        print(f"goals: {now}", file=err)
        return EXIT_USAGE
    try:
        settings = load_settings()
        repository = CanonRepository.open(settings.canon_dir)
        stores = open_stores(settings.store)
    except (SettingsError, CanonError) as error:
        print(f"goals: {error}", file=err)
        return EXIT_USAGE
    except STORAGE_FAILURES as error:
        print(f"goals: {error}", file=err)
        return EXIT_STORE
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
    print(f"reminders due at {now.isoformat()}: {swept.line()}", file=out)
    return EXIT_OK
