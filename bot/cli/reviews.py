"""`goals reviews export`: a reviewer's drafts for HR, from the host's command line.

    goals reviews export --reviewer U… [--team T…] [--csv]

One CSV row per placeholder of each draft sent to that reviewer (CSV is the only format, so
--csv may be left out): whose draft, its name, where it stands and since when, the row's
heading and source tag, the placeholder and the value as sent. The store is the one
DATABASE_URL or GOALS_DATA_DIR names, as for goals-bot. Without --team, the reviewer is looked
for in every workspace the store knows them in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from bot.cli.opening import EXIT_OK, EXIT_STORE, EXIT_USAGE, open_for_command
from bot.frames.text import render_parts
from bot.goals.drafts.drafting import Drafting
from bot.goals.fields import placeholder_fields
from bot.goals.model import ID, Owner
from bot.goals.reviews.reviewing import Reviewed, Reviewing
from bot.goals.storage import STORAGE_FAILURES, ProfileStore

USAGE = "reviews takes: goals reviews export --reviewer USER_ID [--team TEAM_ID] [--csv]"
HEADER = ["owner", "draft", "status", "changed_at", "row", "source", "placeholder", "value_as_sent"]
# What a spreadsheet would run as a formula (CSV injection): a cell that starts like one is
# written with a leading ' so it shows as the text a person typed and never runs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reviews_command(args: list[str], out: TextIO, err: TextIO) -> int:
    flags = [a for a in args[1:] if a == "--csv"]
    pairs = [a for a in args[1:] if a != "--csv"]
    options = dict(zip(pairs[::2], pairs[1::2], strict=False))
    if (args[:1] != ["export"] or len(pairs) % 2 or "--reviewer" not in options
            or set(options) - {"--reviewer", "--team"} or len(flags) > 1):
        print(f"goals: {USAGE}", file=err)
        return EXIT_USAGE
    for name in ("--reviewer", "--team"):
        if name in options and not ID.fullmatch(options[name]):
            shown = options[name][:40] + ("…" if len(options[name]) > 40 else "")
            print(f"goals: {name} takes a Slack id such as {'U0123ABCD' if name == '--reviewer' else 'T0123ABCD'}, "
                  f"not {shown!r}; {USAGE}", file=err)
            return EXIT_USAGE
    opened = open_for_command(err)
    if isinstance(opened, int):
        return opened
    repository, stores = opened.repository, opened.stores
    try:
        reviewing = Reviewing(Drafting(repository, stores.drafts), stores.profiles)
        items = [item for reviewer in _reviewers(stores.profiles, options) for item in reviewing.sent_to(reviewer)]
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows([_safe(cell) for cell in row] for item in items for row in _rows(item))
    except STORAGE_FAILURES as error:
        print(f"goals: {error}", file=err)
        return EXIT_STORE
    finally:
        stores.close()
    print(f"goals: {len(items)} draft{'s' * (len(items) != 1)} sent to {options['--reviewer']}, "
          f"from the store at {opened.store.shown}", file=err)
    return EXIT_OK


def _reviewers(profiles: ProfileStore, options: dict[str, str]) -> list[Owner]:
    """The reviewer in the workspace --team names; without it, in every workspace where Goals
    knows them (a user id is a person in one workspace, so this is nearly always one)."""
    user = options["--reviewer"]
    if "--team" in options:
        return [Owner(team=options["--team"], user=user)]
    return sorted((owner for owner in profiles.owners() if owner.user == user), key=lambda owner: owner.team)


def _rows(item: Reviewed) -> Iterator[list[str]]:
    view, review = item.view, item.view.draft.review
    assert review is not None
    first = [item.owner.user, view.name, review.status.value, review.changed_at.isoformat()]
    if view.frame is None:  # the canon dropped its frame: the values, by what they were for
        for key, value in review.sent_values.items():
            yield [*first, view.draft.labels.get(key, key), "", key, value]
        return
    rows = view.frame.rows
    for field in placeholder_fields(view.frame):
        row = rows[field.row]
        yield [*first, render_parts(row.heading), str(row.source), field.label, review.sent_values.get(field.key, "")]


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
