"""The servers the benchmarks measure, each its own process on a free local port.

Goals runs through its real entry point (`python -m bot.web.server http`: gunicorn, uvicorn
workers, `bot.web.asgi`); the bare Bolt baselines run under gunicorn with the same worker
class, front, worker and thread counts, so only the app differs.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.signed import SIGNING_SECRET, post_command

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS = 2, 8


@dataclass(frozen=True)
class Served:
    name: str
    host: str
    port: int
    pid: int
    ready_s: float  # from the process's start to its first answer: start-up, checks included


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOALS_", "DATABASE_"))}
    env.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, WEB_CONCURRENCY=str(WORKERS), GOALS_THREADS=str(THREADS),
               PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING", **extra)
    return env


@contextmanager
def _running(name: str, command: list[str], env: Mapping[str, str]) -> Iterator[Served]:
    port = int(env["PORT"])
    started = time.monotonic()
    process = subprocess.Popen(command, env=dict(env), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    served = Served(name, "127.0.0.1", port, process.pid, 0.0)
    try:
        deadline = started + 30
        while True:
            try:
                # Ready when a signed command is answered: every worker is then up.
                if post_command(served, "help")[0] == 200:
                    served = dataclasses.replace(served, ready_s=time.monotonic() - started)
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                error = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"{name} did not start: {error[-2000:]}")
            time.sleep(0.1)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def goals(api_url: str, data_dir: Path, database_url: str | None = None) -> AbstractContextManager[Served]:
    """Goals itself, started the way the Procfile starts it (on PostgreSQL with `database_url`)."""
    port = str(_free_port())
    env = _environment(PORT=port, SLACK_BOT_TOKEN="xoxb-bench-token", SLACK_API_URL=api_url,
                       GOALS_DATA_DIR=str(data_dir), **({"DATABASE_URL": database_url} if database_url else {}))
    return _running("goals", [sys.executable, "-m", "bot.web.server", "http"], env)


def bare(factory: str, api_url: str) -> AbstractContextManager[Served]:
    """A bare Bolt app from bench.bare_apps (`default_app` or `floor_app`)."""
    port = str(_free_port())
    command = [sys.executable, "-m", "gunicorn", "--worker-class", "uvicorn_worker.UvicornWorker",
               "--workers", str(WORKERS), "--keep-alive", "5", "--bind", f"127.0.0.1:{port}",
               f"bench.bare_apps:{factory}()"]
    return _running(factory, command, _environment(PORT=port, SLACK_API_URL=api_url))


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in KiB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        pending += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total
