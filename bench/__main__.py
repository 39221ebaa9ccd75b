"""`python -m bench`: every benchmark of Goals in one run, printed and written to
docs/benchmarks.md.

    python -m bench            the full suite (about four minutes)
    python -m bench --quick    small counts: checks the suite runs, figures are rough
    python -m bench --out FILE write the table elsewhere (default docs/benchmarks.md)

Every ratio compares figures measured side by side in this one run on this machine; the
absolute numbers stand beside them. Nothing here is asserted: these machines are shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import draft_store, frames, latency, memory, postgres, rate_limits, reminders, servers, slow_slack
from bench.slack_stub import SlackStub
from bench.stats import p50, p95, p99, ratio
from bot.canon.repository import CanonRepository
from bot.settings import canon_dir

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Counts:
    requests: int  # sequential acks per server
    rounds: int  # rounds of 50 people at once, per server
    saves: int  # saves per store size
    sizes: tuple[int, ...]  # store sizes; the first is the baseline
    frame_repeat: int  # builds and renders per frame, per batch
    listed: int  # drafts of the one person whose list is timed
    rate_limited: int  # people saving while Slack rate-limits
    slow: int  # people saving, and as many starting drafts, while Slack answers in 2 s
    people: int  # people stored (one draft each, on PostgreSQL) for the start-up figure
    reminded: reminders.Sizes  # people due, and stored, for finding the due and sweeping them


FULL = Counts(requests=400, rounds=10, saves=200, sizes=(100, 10_000, 100_000), frame_repeat=200, listed=200,
              rate_limited=16, slow=40, people=1_000_000, reminded=reminders.FULL)
QUICK = Counts(requests=20, rounds=1, saves=5, sizes=(10, 100), frame_repeat=3, listed=20, people=100, rate_limited=8,
               slow=6, reminded=reminders.QUICK)


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def run(counts: Counts) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {platform.platform()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Every ratio compares figures "
        "measured side by side in this one run; the absolute figures are this machine's and move "
        "with it. Servers are gunicorn with uvicorn workers, each handing whole requests to "
        f"{servers.THREADS} threads ({servers.WORKERS} workers), as `goals-bot http` runs.",
    ]
    with SlackStub() as slack, tempfile.TemporaryDirectory() as data:
        with servers.bare("floor_app", slack.api_url) as floor, \
                servers.bare("default_app", slack.api_url) as default, \
                servers.goals(slack.api_url, Path(data)) as goals:
            acks = latency.sequential([floor, default, goals], counts.requests)
            slow_goals, slow_health = latency.with_slow_clients(goals, max(10, counts.requests // 4))
            crowd: dict[str, list[float]] = {floor.name: [], goals.name: []}
            for _ in range(counts.rounds):  # alternating, so both see the same machine
                for served in (goals, floor):
                    crowd[served.name] += latency.concurrent(served, rounds=1)
        sizes = counts.sizes
        no_postgres = postgres.unavailable()
        started = {("files", size): memory.resident_kib(slack.api_url, size) for size in (0, sizes[-1])}
        if no_postgres is None:
            # One draft a person: people, not drafts, are what start-up could have to read.
            for people in (0, counts.people):
                started["postgres", people] = memory.resident_kib(slack.api_url, people, on_postgres=True)
    repository = CanonRepository.open(canon_dir())
    opened_ms = rate_limits.views_open_ms(repository, counts.rate_limited)
    slow_forms = slow_slack.form_delays_ms(repository, counts.slow)
    saves = draft_store.run(list(sizes), counts.saves, with_postgres=no_postgres is None)
    listed = draft_store.listing(repository, counts.listed, max(5, counts.saves // 4), no_postgres is None)
    reminded = reminders.run(counts.reminded, no_postgres is None, no_postgres)
    built = frames.timings(repository, counts.frame_repeat)

    base50, base95 = p50(acks["floor_app"]), p95(acks["floor_app"])
    names = {"floor_app": "bare Bolt, `process_before_response=True` (the floor)",
             "default_app": "bare Bolt, defaults", "goals": f"Goals, `/goals {latency.COMMAND}`"}
    ours50, ours95 = p50(acks["goals"]), p95(acks["goals"])
    lines += [
        "", f"## Ack latency of `/goals {latency.COMMAND}`", "",
        f"Signed requests over HTTP, one at a time, each on a new connection; {counts.requests} per server, "
        "round-robin across the servers. The bare apps ack a constant.", "",
        "| server | p50 ms | p95 ms | p50 / floor | p95 / floor |", "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {names[name]} | {_ms(p50(t))} | {_ms(p95(t))} | {ratio(p50(t), base50)} | {ratio(p95(t), base95)} |"
          for name, t in acks.items()),
        "", f"Target: Goals within 2× the floor at p50 ({ratio(ours50, base50)}: {_met(ours50 <= 2 * base50)}) "
        f"and 3× at p95 ({ratio(ours95, base95)}: {_met(ours95 <= 3 * base95)}).",
    ]
    ours_crowd95, floor_crowd95 = p95(crowd["goals"]), p95(crowd["floor_app"])
    # "Well under" made a number: a tenth of Slack's limit, to leave room for the network.
    well_under = latency.SLACK_LIMIT_MS / 10
    lines += [
        "", f"## {latency.PEOPLE} people at once", "",
        f"{latency.PEOPLE} different people send the command at the same instant, {counts.rounds} "
        "times per server, alternating.", "",
        "| server | p50 ms | p95 ms | max ms | p95 / floor p95 | Slack's 3 s / p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {names[name]} | {_ms(p50(t))} | {_ms(p95(t))} | {_ms(max(t))} | {ratio(p95(t), floor_crowd95)} "
          f"| {latency.SLACK_LIMIT_MS / p95(t):.0f}× |" for name, t in crowd.items()),
        "", f"Target: p95 well under Slack's 3 s (under {well_under:.0f} ms): "
        f"{_met(ours_crowd95 < well_under)} ({_ms(ours_crowd95)} ms, "
        f"{latency.SLACK_LIMIT_MS - ours_crowd95:.0f} ms to spare).",
    ]
    lines += [
        "", f"## {latency.SLOW_CLIENTS} slow clients open", "",
        f"{latency.SLOW_CLIENTS} connections send their headers, then their bodies a byte at a time, "
        "while one person's `/goals` and a health check are timed, one after the other.", "",
        "| request | p50 ms | p95 ms | max ms | p95 / floor's ack p95 (no slow clients) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {what} | {_ms(p50(t))} | {_ms(p95(t))} | {_ms(max(t))} | {ratio(p95(t), base95)} |"
          for what, t in ((f"`/goals {latency.COMMAND}`", slow_goals), ("`/healthz`", slow_health))),
        "", f"Target: both answer within a second: {_met(max(slow_goals + slow_health) < 1000)} "
        f"(slowest {_ms(max(slow_goals + slow_health))} ms).",
    ]
    lines += [
        "", "## One person's rate limit, everyone else's forms", "",
        f"{counts.rate_limited} people save drafts while Slack answers every DM post and Home tab with "
        "429 and Retry-After 20 s; then another person clicks Draft targets. Timed: from that click "
        "to its `views.open` reaching Slack.", "",
        "| people rate-limited | views.open after ms | its trigger's 3 s / that |", "| ---: | ---: | ---: |",
        f"| {counts.rate_limited} | {_ms(opened_ms)} | {latency.SLACK_LIMIT_MS / opened_ms:.0f}× |",
        "", f"Target: within a second: {_met(opened_ms < 1000)}.",
        "", "## Forms while Slack answers every call in 2 s", "",
        f"{counts.slow} people save drafts and {counts.slow} others type `/goals draft` at the same moment, "
        "while Slack takes 2 s to answer any call (the saves' DM messages and Home tabs wait on it): "
        "from each command to its `views.open` reaching Slack (a trigger lasts 3 s). Forms run in a "
        "pool of their own (`bot.slack.shared.routing.FormsFirst`).", "",
        "| forms | p50 ms | p99 ms | max ms | trigger's 3 s / p99 |", "| ---: | ---: | ---: | ---: | ---: |",
        f"| {len(slow_forms)} | {_ms(p50(slow_forms))} | {_ms(p99(slow_forms))} | {_ms(max(slow_forms))} | "
        f"{latency.SLACK_LIMIT_MS / max(p99(slow_forms), 0.001):.0f}× |",
        "", f"Target: p99 within a second: {_met(p99(slow_forms) < 1000)}.",
    ]
    first, last = sizes[0], sizes[-1]
    base = saves["files", first]
    lines += [
        "", "## Draft save cost as the store grows, on each store", "",
        f"One person's draft saved {counts.saves} times into a store already holding other people's "
        f"drafts (ten per person), the saves taking turns across all the stores after the filling was "
        f"flushed to disk. A file save is fsynced; a PostgreSQL save is one transaction (commit and WAL "
        f"flush) over a pooled connection on this machine. Ratios are to the files' {first:,}-draft store.",
        "" if no_postgres is None else f"PostgreSQL not measured: {no_postgres}.", "",
        f"| store | drafts stored | p50 ms | p95 ms | p50 / files {first:,} | p95 / files {first:,} |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {store} | {size:,} | {_ms(a)} | {_ms(b)} | {ratio(a, base[0])} | {ratio(b, base[1])} |"
          for (store, size), (a, b) in saves.items()),
        "", *(f"Target ({store}): {last:,} within 2× of {first:,} at p50: "
              f"{_met(saves[store, last][0] <= 2 * saves[store, first][0])} "
              f"({ratio(saves[store, last][0], saves[store, first][0])})."
              for store in dict.fromkeys(name for name, _ in saves)),
    ]
    lines += [
        "", f"## A person with {counts.listed} drafts", "",
        "`/goals drafts` (the answer as Slack receives it: reading the person's drafts, laying out the "
        "first of them) and the Home tab (the same, as a view), p50 of repeated builds.", "",
        "| store | `/goals drafts` ms | Home tab ms |", "| --- | ---: | ---: |",
        *(f"| {store} | {_ms(a)} | {_ms(b)} |" for store, (a, b) in listed.items()),
    ]
    lines += reminded
    empty_kib = started["files", 0][0]
    lines += [
        "", "## Memory and start-up", "",
        "Resident memory of `goals-bot http` (gunicorn master and workers) after start-up and a few "
        "commands, one of them listing a person's drafts; and the time from starting it to its first "
        "answer. Start-up reads no person's data on either store (a broken file is refused when first "
        "read; `goals store check` reads them all); on PostgreSQL it connects and checks the schema. "
        "Files are counted in drafts (ten per person), PostgreSQL in people (one draft each).", "",
        "| store | stored | RSS MiB | / files empty | start-up s | / same store empty |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {store} | {size:,} | {kib / 1024:.1f} | {ratio(kib, empty_kib)} | {seconds:.2f} "
          f"| {ratio(seconds, started[store, 0][1])} |" for (store, size), (kib, seconds) in started.items()),
    ]
    lines += [
        "", "## Building and rendering frames", "",
        f"Per frame: build it from canon, lay it out as text, as Block Kit (one message, as a dict). Mean of "
        f"{counts.frame_repeat} runs, best of three batches. The last column puts the three together against "
        "the floor's whole ack (p50) above.", "",
        "| frame | build ms | text ms | Block Kit ms | all three / floor ack |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {label} | {build:.3f} | {text:.3f} | {kit:.3f} | {ratio(build + text + kit, base50)} |"
          for label, build, text, kit in built),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts: check that the suite runs")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    table = run(QUICK if args.quick else FULL)
    print(table)
    args.out.write_text(table, encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
