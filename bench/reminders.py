"""Finding who has reminders due, and the sweep's store work for them, as people stored grow.

    python -m bench.reminders [--quick]

On each store (the files; PostgreSQL where a server is reachable, see bench.postgres), the
same people with a reminder due (1,000: each with a real draft whose ⟨date⟩s are filled with
a day D, saved through `Drafting.save` on the shipped canon and scheduled by
`Reminding.reschedule`, so due at D−7 09:00 UTC) are found first among 2,000 people stored,
then among 100,000: the other people have their reminders due later (09:00 UTC on one of
the 365 days after D), so they are in the store's index, only not due yet. Timed: one
`due(now, all + 100)`, and one page of them as the sweep asks each round (`due(now, 100)`:
once swept, a page's people are due later, so the next round's page is the next 100).
Then the sweep's store work for everyone due at 100,000 stored:
`Reminding.claim` and `Reminding.posted` for each, Slack left out.

The people not due are written directly (a COPY on PostgreSQL; on the files, the profile
JSON and its due marker as `bot.store.profile_files` writes them, unsynced), then checked
against `due()`: the figures are about finding and sweeping, not the filling.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

from bench import postgres
from bench.stats import p50, p95, ratio
from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.frames.model import PlaceholderKind
from bot.goals.drafts.drafting import Drafting, Saved, Target
from bot.goals.fields import placeholder_fields
from bot.goals.model import Owner, Profile, Reminders
from bot.goals.reminders.reminding import Reminding
from bot.goals.reminders.rules import at_nine
from bot.goals.storage import ProfileStore, Stores
from bot.settings import canon_dir, store_settings
from bot.store.factory import open_stores
from bot.store.profile_files import _MINUTE, ProfileFiles

FAMILY, LEVEL = "clinical-trials-ops", "M2"
PAGE = 100  # the sweep's batch (bot.slack.reminders.sweep.BATCH)
LATER_DAYS = 365  # the people not due are due on one of this many days after D


@dataclass(frozen=True)
class Sizes:
    due: int  # people with a reminder due
    baseline: int  # people stored when the due are first found: they and others not due
    stored: int  # people stored when they are found again, and swept
    repeat: int  # timings of each way of finding them, per size


FULL = Sizes(due=1_000, baseline=2_000, stored=100_000, repeat=10)
QUICK = Sizes(due=20, baseline=40, stored=200, repeat=3)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


@dataclass
class Bench:
    """One store, its people and what was measured on it."""

    name: str
    stores: Stores
    reminding: Reminding
    url: str | None  # PostgreSQL's, for the direct filling
    due: set[Owner]
    written: int = 0  # people not due, written so far


def _owner(index: int, *, due: bool) -> Owner:
    return Owner(team=f"T{index % 50}", user=f"{'UDUE' if due else 'U'}{index:07d}")


def _later(index: int, day: date) -> datetime:
    return at_nine(day + timedelta(days=1 + index % LATER_DAYS), None)


def _profile_json(index: int, day: date, now: datetime) -> tuple[Owner, datetime, dict[str, object]]:
    owner, when = _owner(index, due=False), _later(index, day)
    profile = Profile(owner=owner, reminders=Reminders(due_at=when), updated_at=now)
    return owner, when, json.loads(profile.model_dump_json())


def _write_files(profiles: ProfileFiles, start: int, stop: int, day: date, now: datetime) -> None:
    """Each profile's file and its due marker, in the store's own layout (see profile_files)."""
    made: set[Path] = set()
    for index in range(start, stop):
        owner, when, document = _profile_json(index, day, now)
        path = profiles.path(owner)
        marker = profiles.due_root / when.strftime(_MINUTE) / "-" / owner.team / owner.user
        for folder in (path.parent, marker.parent):
            if folder not in made:
                folder.mkdir(parents=True, exist_ok=True)
                made.add(folder)
        marker.touch()
        path.write_text(json.dumps({"profile": document}), encoding="utf-8")


def _write_rows(url: str, start: int, stop: int, day: date, now: datetime) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy("COPY profiles (enterprise, team, slack_user, document, updated_at, remind_at) "
                         "FROM STDIN") as copy:
            for index in range(start, stop):
                owner, when, document = _profile_json(index, day, now)
                copy.write_row(("-", owner.team, owner.user, Jsonb(document), now, when))
        conn.execute("ANALYZE profiles")


def _grow(bench: Bench, people: int, day: date, now: datetime) -> None:
    """Add people not due until `people` are stored; check `due()` still finds exactly the due."""
    start, stop = bench.written, people - len(bench.due)
    started = time.perf_counter()
    if bench.url is not None:
        _write_rows(bench.url, start, stop, day, now)
    else:
        profiles = bench.stores.profiles
        assert isinstance(profiles, ProfileFiles)
        _write_files(profiles, start, stop, day, now)
    bench.written = stop
    _say(f"  {bench.name}: {stop - start:,} people not due written in {time.perf_counter() - started:.1f} s")
    store = bench.stores.profiles
    due_at = at_nine(day - timedelta(days=7), None)
    found = store.due(due_at, people)
    assert set(found) == bench.due and len(found) == len(bench.due), (bench.name, len(found))
    # The first day after D: the due, and the people written due that day, markers and rows alike.
    first_later = _later(0, day)
    expected = len(bench.due) + len(range(0, stop, LATER_DAYS))
    assert len(store.due(first_later, people)) == expected, bench.name
    if start < stop:
        assert store.get(_owner(stop - 1, due=False)) == Profile.model_validate(_profile_json(stop - 1, day, now)[2])


def _fill_due(bench: Bench, count: int, day: date, now: datetime) -> None:
    drafting = bench.reminding.drafting
    frame = drafting.frame(FAMILY, LEVEL, Framework.OKR)
    assert frame is not None
    entries = {field.key: day.isoformat() for field in placeholder_fields(frame) if field.kind is PlaceholderKind.DATE}
    expected = at_nine(day - timedelta(days=7), None)
    started = time.perf_counter()
    for index in range(count):
        owner = _owner(index, due=True)
        target = Target(draft=f"d{index:07d}", family=FAMILY, level=LEVEL, framework=Framework.OKR, new=True)
        result = drafting.save(owner, target, entries, None, now)
        assert isinstance(result, Saved), result
        assert bench.reminding.reschedule(owner, now, tz="UTC").due_at == expected, bench.name
        bench.due.add(owner)
    _say(f"  {bench.name}: {count:,} people due (a draft, {len(entries)} ⟨date⟩s filled) saved and scheduled "
         f"in {time.perf_counter() - started:.1f} s")


def page(store: ProfileStore | Reminding, now: datetime) -> list[Owner]:
    """The first page of those due at `now`, as the sweep asks for each round's."""
    return list(store.due(now, PAGE))


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


Finding = dict[tuple[str, int], tuple[float, float]]  # (store, stored): one query ms, a page's ms (p50s)


def _find(benches: list[Bench], people: int, repeat: int, now: datetime, found: Finding) -> None:
    """Both ways of finding the due, taking turns across the stores."""
    os.sync()  # the filling's writeback must not land on the timings
    once: dict[str, list[float]] = {bench.name: [] for bench in benches}
    pages: dict[str, list[float]] = {bench.name: [] for bench in benches}
    for bench in benches:  # warm: the first query opens connections and caches
        assert len(bench.stores.profiles.due(now, len(bench.due) + PAGE)) == len(bench.due)
        assert len(page(bench.stores.profiles, now)) == min(PAGE, len(bench.due))
    for _ in range(repeat):
        for bench in benches:
            store = bench.stores.profiles
            once[bench.name].append(_timed(lambda: store.due(now, len(bench.due) + PAGE)))  # noqa: B023
            pages[bench.name].append(_timed(lambda: page(store, now)))  # noqa: B023
    for bench in benches:
        found[bench.name, people] = (p50(once[bench.name]), p50(pages[bench.name]))
        _say(f"  {bench.name}, {people:,} stored: one query {_ms(found[bench.name, people][0])} ms, "
             f"a page {_ms(found[bench.name, people][1])} ms")


def _plan(url: str, now: datetime, limit: int) -> str:
    """How PostgreSQL answers `ProfileRows.due`: the index it uses, or a scan."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("EXPLAIN SELECT enterprise, team, slack_user FROM profiles WHERE remind_at <= %s "
                            "ORDER BY remind_at LIMIT %s", (now, limit)).fetchall()
    plan = " ".join(str(row[0]) for row in rows)
    return "an index scan of `profiles_remind_at`" if "profiles_remind_at" in plan else f"no index ({plan})"


@dataclass(frozen=True)
class Swept:
    claim: list[float]  # ms per person
    posted: list[float]
    each: list[float]  # claim and posted together
    total_s: float  # the whole sweep's store work: the pages of due() too
    items: int


def _sweep(bench: Bench, now: datetime) -> Swept:
    reminding = bench.reminding
    claims: list[float] = []
    posts: list[float] = []
    items = 0
    seen: set[Owner] = set()
    started = time.perf_counter()
    while due := [owner for owner in reminding.due(now, PAGE) if owner not in seen]:
        for owner in due:
            seen.add(owner)
            began = time.perf_counter()
            digest = reminding.claim(owner, now)
            claimed = time.perf_counter()
            assert digest is not None, (bench.name, owner)
            reminding.posted(owner, digest.id, "D" + owner.user, now)
            claims.append((claimed - began) * 1000)
            posts.append((time.perf_counter() - claimed) * 1000)
            items += len(digest.items)
    total = time.perf_counter() - started
    assert seen == bench.due, bench.name
    assert not reminding.due(now, PAGE), bench.name  # each is due next on the day itself
    return Swept(claims, posts, [a + b for a, b in zip(claims, posts, strict=True)], total, items)


def measure(sizes: Sizes, with_postgres: bool) -> tuple[Finding, dict[str, Swept], str | None]:
    """Finding's p50s per store and size, the sweep per store, and PostgreSQL's query plan."""
    now = datetime.now(UTC).replace(microsecond=0)  # `Drafting.save` checks dates against today
    day = now.date() + timedelta(days=30)
    due_at = at_nine(day - timedelta(days=7), None)
    repository = CanonRepository.open(canon_dir())
    found: Finding = {}
    with contextlib.ExitStack() as stack:
        benches = []
        places: list[tuple[str, str]] = [("files", stack.enter_context(tempfile.TemporaryDirectory()))]
        if with_postgres:
            places.append(("postgres", stack.enter_context(postgres.database())))
        for name, location in places:
            stores = open_stores(store_settings(location=location))
            stack.callback(stores.close)
            bench = Bench(name, stores, Reminding(Drafting(repository, stores.drafts), stores.profiles),
                          location if name == "postgres" else None, set())
            _fill_due(bench, sizes.due, day, now)
            _grow(bench, sizes.baseline, day, now)
            benches.append(bench)
        _find(benches, sizes.baseline, sizes.repeat, due_at, found)
        for bench in benches:
            _grow(bench, sizes.stored, day, now)
        _find(benches, sizes.stored, sizes.repeat, due_at, found)
        plan = next((_plan(bench.url, due_at, sizes.due + PAGE) for bench in benches if bench.url), None)
        os.sync()
        swept = {}
        for bench in benches:
            swept[bench.name] = result = _sweep(bench, due_at)
            _say(f"  {bench.name}: swept {len(result.each):,} of {sizes.stored:,} in {result.total_s:.1f} s, "
                 f"per person p50 {_ms(p50(result.each))} ms, p95 {_ms(p95(result.each))} ms")
    return found, swept, plan


def run(sizes: Sizes, with_postgres: bool, why_not: str | None = None) -> list[str]:
    """The section of docs/benchmarks.md: measured now, on both stores side by side."""
    _say(f"reminders: {sizes.due:,} due among {sizes.baseline:,}, then {sizes.stored:,} people stored")
    found, swept, plan = measure(sizes, with_postgres)
    first, last = sizes.baseline, sizes.stored
    names = list(dict.fromkeys(store for store, _ in found))
    lines = [
        "", f"## Finding who has reminders due, {first:,} then {last:,} people stored", "",
        f"The same {sizes.due:,} people have a reminder due (a draft each, its ⟨date⟩s filled, saved and "
        f"scheduled through `Drafting.save` and `Reminding.reschedule`); the others are due on one of the "
        f"{LATER_DAYS} days after, so they are in the store's index, only not yet due. Timed, p50 of "
        f"{sizes.repeat}, taking turns across the stores: one `due(now, {sizes.due + PAGE:,})`, and one page "
        f"as the sweep asks each round (`due(now, {PAGE})`; once swept, a page's people are due later). "
        f"People stored grow {last / first:.0f}×; ratios are to the same store at {first:,}. On the files a "
        "query opens only the folders of the minutes up to now, and reads a person's profile only when "
        "they are asked for."
        + (f" PostgreSQL answers with {plan}." if plan else ""),
        *([] if why_not is None else ["", f"PostgreSQL not measured: {why_not}."]), "",
        f"| store | people stored | due | one query ms | a page ms | one query / {first:,} | a page / {first:,} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {store} | {size:,} | {sizes.due:,} | {_ms(once)} | {_ms(pages)} | {ratio(once, found[store, first][0])} "
          f"| {ratio(pages, found[store, first][1])} |" for (store, size), (once, pages) in found.items()),
        "", *(f"Target ({store}): finding the due at {last:,} stored within 2× of {first:,}, a page: "
              f"{_met(found[store, last][1] <= 2 * found[store, first][1])} "
              f"({ratio(found[store, last][1], found[store, first][1])})." for store in names),
    ]
    base = p50(swept[names[0]].each)
    lines += [
        "", f"## The reminder sweep's store work, {sizes.due:,} due of {last:,} stored", "",
        "For everyone due, found as above: `Reminding.claim` (their drafts read, the digest claimed and "
        "recorded as sent: one change of their profile) and `Reminding.posted` (one more), as "
        "`goals remind` does them, with Slack left out. Total: the whole loop, `due()` pages included. "
        "Ratios are to the files.", "",
        "| store | people swept | reminders | claim p50 ms | posted p50 ms | per person p50 ms | per person p95 ms "
        "| total s | per person p50 / files |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {store} | {len(s.each):,} | {s.items:,} | {_ms(p50(s.claim))} | {_ms(p50(s.posted))} "
          f"| {_ms(p50(s.each))} | {_ms(p95(s.each))} | {s.total_s:.2f} | {ratio(p50(s.each), base)} |"
          for store, s in swept.items()),
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts: check that it runs")
    args = parser.parse_args(argv)
    why_not = postgres.unavailable()
    print("\n".join(run(QUICK if args.quick else FULL, why_not is None, why_not)))


if __name__ == "__main__":
    main()

