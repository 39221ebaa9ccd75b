"""`goals store ...`: the store from the host's command line.

    goals store check [--repair]       read every draft and profile; name the first that cannot
                                       be read (--repair: first remove what writes cut short left)
    goals store migrate                bring the database's schema up to this code (release phase)
    goals store copy --from A --to B   copy every person's drafts and profile; A and B are a
                                       directory or a postgresql:// URL; idempotent, so it can be
                                       run again

Without --from/--to, the store is the one DATABASE_URL or GOALS_DATA_DIR names, as for goals-bot.
"""

from __future__ import annotations

from typing import TextIO

from bot.cli.opening import EXIT_OK, EXIT_STORE, EXIT_USAGE
from bot.goals.model import Draft, Profile
from bot.goals.storage import STORAGE_FAILURES, DraftStore, Edit, ProfileEdit, ProfileStore
from bot.settings import SettingsError, StoreSettings, store_settings
from bot.store.factory import open_stores, prepare_stores

USAGE = ("store takes: goals store check [--repair] | goals store migrate | "
         "goals store copy --from DIR_OR_URL --to DIR_OR_URL")


def store_command(args: list[str], out: TextIO, err: TextIO) -> int:
    action = args[0].lower() if args else ""
    try:
        if action == "check" and args[1:] in ([], ["--repair"]):
            return _check(store_settings(), out, repair=args[1:] == ["--repair"])
        if action == "migrate" and len(args) == 1:
            return _migrate(store_settings(), out)
        if action == "copy":
            options = dict(zip(args[1::2], args[2::2], strict=False))
            if len(args) != 5 or set(options) != {"--from", "--to"}:
                print(f"goals: {USAGE}", file=err)
                return EXIT_USAGE
            return _copy(store_settings(location=options["--from"]), store_settings(location=options["--to"]), out)
    except SettingsError as error:
        print(f"goals: {error}", file=err)
        return EXIT_USAGE
    except STORAGE_FAILURES as error:
        print(f"goals: {error}", file=err)
        return EXIT_STORE
    print(f"goals: {USAGE}", file=err)
    return EXIT_USAGE


def _check(settings: StoreSettings, out: TextIO, *, repair: bool) -> int:
    if settings.database is None and not settings.data_dir.is_dir():
        # Checking a folder that is not there would make it, and call nothing at all readable.
        raise SettingsError(f"there is no data folder at {settings.data_dir.resolve()} (GOALS_DATA_DIR, or "
                            "DATABASE_URL for PostgreSQL, in the environment or .env): nothing to check")
    prepare_stores(settings)
    stores = open_stores(settings)
    try:
        drafts, profiles = stores.drafts, stores.profiles
        if repair:
            removed = drafts.repair() + profiles.repair()
            print(f"removed {removed} leftover{'s' * (removed != 1)} of writes cut short.", file=out)
        count = drafts.verify()
        kept = profiles.verify()
        print(f"store at {settings.shown} is readable: {count} draft{'s' * (count != 1)} "
              f"of {sum(1 for _ in drafts.owners())} people, {kept} profile{'s' * (kept != 1)}.", file=out)
    finally:
        stores.close()
    return EXIT_OK


def _migrate(settings: StoreSettings, out: TextIO) -> int:
    print(prepare_stores(settings), file=out)
    return EXIT_OK


def _copy(source: StoreSettings, target: StoreSettings, out: TextIO) -> int:
    prepare_stores(source)
    prepare_stores(target)
    origin, destination = open_stores(source), open_stores(target)
    try:
        people, copied = copy_drafts(origin.drafts, destination.drafts)
        profiles = copy_profiles(origin.profiles, destination.profiles)
    finally:
        origin.close()
        destination.close()
    print(f"copied {copied} draft{'s' * (copied != 1)} of {people} people and {profiles} "
          f"profile{'s' * (profiles != 1)} from {source.shown} to {target.shown}.", file=out)
    return EXIT_OK


def copy_drafts(source: DraftStore, target: DraftStore) -> tuple[int, int]:
    """Every draft of `source` into `target`, as it is (ids, times, DM message included);
    what `target` already has of the same id is replaced. (people, drafts)."""
    people = copied = 0
    for owner in source.owners():
        people += 1
        for draft in source.list(owner):
            target.change(owner, draft.id, _as(draft), touch=False)
            copied += 1
    return people, copied


def _as(draft: Draft) -> Edit:
    return lambda _current: draft


def copy_profiles(source: ProfileStore, target: ProfileStore) -> int:
    """Every profile of `source` into `target` (replacing what it holds of the same person);
    how many. A copied profile is marked as changed when it is copied."""
    copied = 0
    for owner in source.owners():
        profile = source.get(owner)
        if profile is not None:
            target.change(owner, _profile_as(profile))
            copied += 1
    return copied


def _profile_as(profile: Profile) -> ProfileEdit:
    return lambda _current: profile
