"""Resident memory and start-up time of the running app (gunicorn master and workers) with a full
draft store."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench import servers
from bench.draft_store import PER_PERSON, populate
from bench.signed import post_command
from bot.store.draft_files import DraftFiles


def resident_kib(api_url: str, drafts: int) -> tuple[int, float]:
    """Start Goals on a store of `drafts` drafts, use it a little, and read its memory;
    returns that and how long it took to start (it reads every store file first)."""
    with tempfile.TemporaryDirectory() as directory:
        populate(DraftFiles(Path(directory)), drafts)
        with servers.goals(api_url, Path(directory)) as served:
            for _ in range(20):
                post_command(served, "M4 clinical-project-management okr")
            if drafts >= PER_PERSON:  # someone with drafts lists them (bench.draft_store's owners)
                post_command(served, "drafts", user="U0000001", team="T1")
            time.sleep(0.5)
            return servers.tree_rss_kib(served.pid), served.ready_s
