"""What the running app tells its operator: counts and timings in Prometheus' text format
(`GET /metrics`), and which request a log line belongs to.

Under gunicorn every worker is a process of its own: `share_between_processes`, called in
the master before it forks, makes each worker write its counts to files in one folder, which
`/metrics` (answered by any worker) adds up. The metrics are made on first use, so a worker
makes them after that switch. Labels never name a person, a team or a typed value.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess, values
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# Slack waits 3 s for an ack: the buckets are dense below that.
_ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


@dataclass(frozen=True)
class _Metrics:
    requests: Counter
    ack_seconds: Histogram
    store_errors: Counter
    slack_calls: Counter
    dm_messages: Counter
    reminders: Counter
    backlog: Gauge


_lock = threading.Lock()
_made: _Metrics | None = None
_registry: CollectorRegistry | None = None
_shared: Path | None = None


def share_between_processes(folder: Path) -> None:
    """Count across the processes gunicorn forks from this one, in files under `folder`
    (PROMETHEUS_MULTIPROC_DIR, which the workers inherit, names the same folder)."""
    global _shared, _made, _registry
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # counts of processes from an earlier run
        stale.unlink()
    with _lock:
        values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
        _shared = folder
        # Made before (start-up's own Slack calls are counted too): made again, so that
        # every metric, labelled or not, counts in the shared files from now on.
        _made, _registry = None, None


def process_ended(pid: int) -> None:
    """A worker is gone: its gauges no longer count (its counters still do)."""
    if _shared is not None:
        multiprocess.mark_process_dead(pid, str(_shared))  # type: ignore[no-untyped-call]


def _metrics() -> _Metrics:
    global _made, _registry
    with _lock:
        if _made is None:
            _registry = None if _shared is not None else CollectorRegistry()
            r = _registry
            _made = _Metrics(
                requests=Counter("goals_requests_total", "Requests from Slack answered, by kind and outcome",
                                 ["kind", "outcome"], registry=r),
                ack_seconds=Histogram("goals_ack_seconds", "Time from a request's arrival to its answer (the ack)",
                                      ["kind"], buckets=_ACK_BUCKETS, registry=r),
                store_errors=Counter("goals_store_errors_total", "Store operations that failed (database, files)",
                                     registry=r),
                slack_calls=Counter("goals_slack_calls_total", "Slack Web API calls, by method and outcome "
                                    "(ok, rate_limited, server_error, unreachable, or Slack's error code)",
                                    ["method", "outcome"], registry=r),
                dm_messages=Counter("goals_dm_messages_total", "Drafts' DM messages posted or updated",
                                    ["how"], registry=r),
                reminders=Counter("goals_reminders_sent_total", "Reminder messages (digests) posted", registry=r),
                backlog=Gauge("goals_catch_up_backlog", "DM messages left due at the last catch-up round",
                              registry=r, multiprocess_mode="max"),
            )
        return _made


def count_request(kind: str, outcome: str, seconds: float) -> None:
    made = _metrics()
    made.requests.labels(kind, outcome).inc()
    made.ack_seconds.labels(kind).observe(seconds)


def count_store_error() -> None:
    _metrics().store_errors.inc()


def count_slack_call(method: str, outcome: str) -> None:
    _metrics().slack_calls.labels(method, outcome).inc()


def count_dm_message(how: str) -> None:
    _metrics().dm_messages.labels(how).inc()


def count_reminder() -> None:
    _metrics().reminders.inc()


def set_backlog(due: int) -> None:
    _metrics().backlog.set(due)


def exposition() -> tuple[bytes, str]:
    """Every count, in Prometheus' text format, and its content type."""
    _metrics()
    if _shared is not None:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, str(_shared))  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    assert _registry is not None
    return generate_latest(_registry), CONTENT_TYPE_LATEST


# Which request a log line belongs to ----------------------------------------------------------

_request: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("goals_request", default=None)


@contextmanager
def in_request(kind: str, team: str | None) -> Iterator[None]:
    """Log lines written inside name this request's kind and team (never a person or a value)."""
    token = _request.set({"kind": kind, **({"team": team} if team else {})})
    try:
        yield
    finally:
        _request.reset(token)


def request_fields() -> dict[str, str]:
    return dict(_request.get() or {})


def request_kind(payload: dict[str, object]) -> str:
    """What kind of request a Slack payload is: a command, an event, or one of Slack's
    interaction types (block_actions, view_submission, view_closed, ...); "other" otherwise."""
    if "command" in payload:
        return "command"
    kind = payload.get("type")
    if kind == "event_callback":
        return "event"
    # A known set: the body is read before its signature is checked, and a label per made-up
    # type would let anyone grow /metrics without bound.
    return kind if isinstance(kind, str) and kind in _KINDS else "other"


_KINDS = frozenset({"block_actions", "view_submission", "view_closed", "shortcut", "message_action",
                    "block_suggestion", "url_verification"})
