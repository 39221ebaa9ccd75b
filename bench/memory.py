"""Resident memory and start-up time of the running app (gunicorn master and workers) with a full
draft store."""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

from bench import postgres, servers
from bench.draft_store import PER_PERSON, populate, sample_draft
from bench.signed import post_command
from bot.goals.model import Owner
from bot.store.draft_files import DraftFiles


def resident_kib(api_url: str, drafts: int, on_postgres: bool = False) -> tuple[int, float]:
    """Start Goals on a store of `drafts` drafts (files: ten per person; PostgreSQL: one per
    person), use it a little, and read its memory; returns that and how long it took to start
    until its first answer."""
    with tempfile.TemporaryDirectory() as directory, \
            (postgres.database() if on_postgres else contextlib.nullcontext(None)) as url:
        if url is None:
            populate(DraftFiles(Path(directory)), drafts)
        else:
            postgres.fill(url, drafts, 1, sample_draft(Owner(team="T0", user="U0"), 0))
        with servers.goals(api_url, Path(directory), url) as served:
            for _ in range(20):
                post_command(served, "M4 clinical-project-management okr")
            if drafts >= PER_PERSON:  # someone with drafts lists them (bench.draft_store's owners)
                post_command(served, "drafts", user="U0000001", team="T1")
            time.sleep(0.5)
            return servers.tree_rss_kib(served.pid), served.ready_s
