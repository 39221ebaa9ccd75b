"""Save cost of one draft as the store fills with other people's drafts.

    python -m bench.draft_store [--saves N] [--sizes 100,10000,100000]

For each store size (100, 10,000 and 100,000 drafts held by other people, ten per person),
times N saves of one person's draft, taking turns across the stores, and prints p50 and
p95, with the ratio of each to the 100-draft store, measured side by side in one run.
Setup writes the other people's files directly (the figures are about the save, not the
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

from bench.stats import p50, p95
from bot.drafts.model import Draft, Owner
from bot.frames.frameworks import Framework
from bot.store.draft_files import DraftFiles

SIZES = (100, 10_000, 100_000)
PER_PERSON = 10


def _draft(owner: Owner, index: int) -> Draft:
    values = {f"r-{index:012x}.kr1.{kind}": "some typed value" for kind in ("baseline", "target", "date")}
    return Draft(owner=owner, family="clinical-trials-ops", level="M2", framework=Framework.OKR,
                 canon_fingerprint="0123456789ab", values=values)


def populate(store: DraftFiles, drafts: int) -> None:
    for person in range(drafts // PER_PERSON):
        owner = Owner(team=f"T{person % 50}", user=f"U{person:07d}")
        documents = {str(i + 1): json.loads(_draft(owner, i).model_dump_json()) for i in range(PER_PERSON)}
        path = store.path(owner)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"drafts": documents}), encoding="utf-8")


def run(sizes: list[int], saves: int) -> dict[int, tuple[float, float]]:
    """p50 and p95 of one save, in ms, for each store size.

    Every store is filled first and the filling flushed to disk (os.sync), so the kernel's
    writeback of thousands of new files does not land on one size's fsyncs; then the saves
    take turns across the stores, so a noisy moment of the machine hits every size alike.
    """
    with contextlib.ExitStack() as stack:
        stores = {}
        for size in sizes:
            stores[size] = DraftFiles(Path(stack.enter_context(tempfile.TemporaryDirectory())))
            populate(stores[size], size)
        os.sync()
        owner = Owner(team="T0", user="UBENCH")
        drafts = {size: store.save(_draft(owner, 0)) for size, store in stores.items()}
        timings: dict[int, list[float]] = {size: [] for size in sizes}
        for index in range(saves):
            for size, store in stores.items():
                draft = drafts[size]
                changed = draft.model_copy(update={"values": {**draft.values, "extra": str(index)}})
                started = time.perf_counter()
                store.save(changed)
                timings[size].append((time.perf_counter() - started) * 1000)
    return {size: (p50(times), p95(times)) for size, times in timings.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="store sizes, comma-separated; the first is the baseline")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = run(sizes, args.saves)
    base_p50, base_p95 = results[sizes[0]]
    print(f"Draft save cost, {args.saves} saves per store size (one run, this machine)")
    base = f"/ {sizes[0]}"
    print(f"{'drafts stored':>14} | {'p50 ms':>7} | {'p95 ms':>7} | {'p50 ' + base:>9} | {'p95 ' + base:>9}")
    for size, (median, high) in results.items():
        print(f"{size:>14,} | {median:7.2f} | {high:7.2f} | {median / base_p50:8.2f}x | {high / base_p95:8.2f}x")


if __name__ == "__main__":
    main()
