"""Save cost of one draft as the store fills with other people's drafts, on each store; and
what listing 200 drafts of one person costs.

    python -m bench.draft_store [--saves N] [--sizes 100,10000,100000]

For each store (the files; PostgreSQL where a server is reachable, see bench.postgres) and
each size (100, 10,000 and 100,000 drafts held by other people, ten per person), times N
saves of one person's draft, taking turns across all the stores, and prints p50 and p95,
with the ratio of each to the files' 100-draft store, measured side by side in one run.
Setup writes the other people's drafts directly (the figures are about the save, not the
filling).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
import time
from pathlib import Path

from bench import postgres
from bench.stats import p50, p95
from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Draft, Owner
from bot.goals.storage import DraftStore
from bot.grammar.requests import example_words
from bot.settings import store_settings
from bot.slack.drafts.blocks import drafts_message
from bot.slack.home.picker import Choice
from bot.slack.home.view import help_blocks, home_view
from bot.slack.shared.ids import COMMAND
from bot.store.draft_files import DraftFiles
from bot.store.factory import open_stores

SIZES = (100, 10_000, 100_000)
PER_PERSON = 10


def sample_draft(owner: Owner, index: int) -> Draft:
    values = {f"r-{index:012x}.kr1.{kind}": "some typed value" for kind in ("baseline", "target", "date")}
    return Draft(owner=owner, family="clinical-trials-ops", level="M2", framework=Framework.OKR,
                 canon_fingerprint="0123456789ab", values=values)


def populate(store: DraftFiles, drafts: int) -> None:
    for person in range(drafts // PER_PERSON):
        owner = Owner(team=f"T{person % 50}", user=f"U{person:07d}")
        documents = {str(i + 1): json.loads(sample_draft(owner, i).model_dump_json()) for i in range(PER_PERSON)}
        path = store.path(owner)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"drafts": documents}), encoding="utf-8")


Key = tuple[str, int]  # (store, drafts stored)


def _stores(stack: contextlib.ExitStack, sizes: list[int], with_postgres: bool) -> dict[Key, DraftStore]:
    stores: dict[Key, DraftStore] = {}
    for size in sizes:
        files = DraftFiles(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        populate(files, size)
        stores["files", size] = files
        if with_postgres:
            url = stack.enter_context(postgres.database())
            postgres.fill(url, size // PER_PERSON, PER_PERSON, sample_draft(Owner(team="T0", user="U0"), 0))
            opened = open_stores(store_settings(location=url))
            stack.callback(opened.close)
            stores["postgres", size] = opened.drafts
    return stores


def run(sizes: list[int], saves: int, with_postgres: bool) -> dict[Key, tuple[float, float]]:
    """p50 and p95 of one save, in ms, for each store and size.

    Every store is filled first and the filling flushed to disk (os.sync), so the kernel's
    writeback of thousands of new files does not land on one size's fsyncs; then the saves
    take turns across the stores, so a noisy moment of the machine hits every one alike.
    """
    with contextlib.ExitStack() as stack:
        stores = _stores(stack, sizes, with_postgres)
        os.sync()
        owner = Owner(team="T0", user="UBENCH")
        drafts = {key: store.save(sample_draft(owner, 0)) for key, store in stores.items()}
        timings: dict[Key, list[float]] = {key: [] for key in stores}
        for index in range(saves):
            for key, store in stores.items():
                draft = drafts[key]
                changed = draft.model_copy(update={"values": {**draft.values, "extra": str(index)}})
                started = time.perf_counter()
                store.save(changed)
                timings[key].append((time.perf_counter() - started) * 1000)
    return {key: (p50(times), p95(times)) for key, times in timings.items()}


def listing(repository: CanonRepository, count: int, repeat: int,
            with_postgres: bool) -> dict[str, tuple[float, float]]:
    """p50 in ms of `/goals drafts` (the answer as Slack receives it) and of the Home tab, for
    one person with `count` drafts, on each store."""
    vocabulary = repository.vocabulary()
    example = example_words(vocabulary)
    owner = Owner(team="T0", user="ULIST")
    found = {}
    with contextlib.ExitStack() as stack:
        stores: dict[str, DraftStore] = {"files": DraftFiles(Path(stack.enter_context(tempfile.TemporaryDirectory())))}
        if with_postgres:
            opened = open_stores(store_settings(location=stack.enter_context(postgres.database())))
            stack.callback(opened.close)
            stores["postgres"] = opened.drafts
        for name, store in stores.items():
            for index in range(count):
                store.save(sample_draft(owner, index))
            drafting = Drafting(repository, store)
            answers, homes = [], []
            for _ in range(repeat):
                started = time.perf_counter()
                drafts_message(drafting.views(owner), COMMAND, example).as_kwargs()
                answers.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                # The tab as a returning person sees it: their frame below the pickers, then the list.
                level, family, _ = example.split()
                frame = drafting.frame(family, level, Framework.OKR)
                home_view(vocabulary, Choice(family, level, Framework.OKR), frame, drafting.views(owner),
                          help_blocks(vocabulary))
                homes.append((time.perf_counter() - started) * 1000)
            found[name] = (p50(answers), p50(homes))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="store sizes, comma-separated; the first is the baseline")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = run(sizes, args.saves, with_postgres=postgres.unavailable() is None)
    base_p50, base_p95 = results["files", sizes[0]]
    print(f"Draft save cost, {args.saves} saves per store (one run, this machine)")
    base = f"/ {sizes[0]}"
    print(f"{'store':>9} | {'drafts stored':>14} | {'p50 ms':>7} | {'p95 ms':>7} | {'p50 ' + base:>9} | "
          f"{'p95 ' + base:>9}")
    for (store, size), (median, high) in results.items():
        print(f"{store:>9} | {size:>14,} | {median:7.2f} | {high:7.2f} | {median / base_p50:8.2f}x | "
              f"{high / base_p95:8.2f}x")


if __name__ == "__main__":
    main()
