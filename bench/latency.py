"""Ack latency of `/goals` over signed HTTP, against bare Bolt apps on the same server.

Requests go round-robin over the servers, so each sees the same machine at the same
moments; every request is a new connection, as Slack's sporadic requests are.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Sequence

from bench.servers import Served
from bench.signed import command_request, post

COMMAND = "M4 clinical-project-management okr"
PEOPLE = 50
SLACK_LIMIT_MS = 3000.0


def _checked(served: Served, text: str, user: str = "UBENCH") -> float:
    status, ms = post(served, *command_request(text if served.name == "goals" else "bench", user))
    if status != 200:
        raise RuntimeError(f"{served.name} answered {status}")
    return ms


def sequential(servers: Sequence[Served], requests: int, warmup: int = 20) -> dict[str, list[float]]:
    """`requests` acks per server, one at a time, interleaved across the servers."""
    for _ in range(warmup):
        for served in servers:
            _checked(served, COMMAND)
    timings: dict[str, list[float]] = {served.name: [] for served in servers}
    for _ in range(requests):
        for served in servers:
            timings[served.name].append(_checked(served, COMMAND))
    return timings


def concurrent(served: Served, rounds: int, people: int = PEOPLE) -> list[float]:
    """`people` different people sending `/goals` at the same instant, `rounds` times."""
    timings: list[float] = []
    lock = threading.Lock()
    for _ in range(rounds):
        start = threading.Barrier(people)

        def one(person: int, start: threading.Barrier = start) -> None:
            start.wait()
            ms = _checked(served, COMMAND, user=f"U{person:05d}")
            with lock:
                timings.append(ms)

        threads = [threading.Thread(target=one, args=(person,)) for person in range(people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return timings


SLOW_CLIENTS = 32


def with_slow_clients(served: Served, requests: int, clients: int = SLOW_CLIENTS) -> tuple[list[float], list[float]]:
    """Ack latency of `/goals` and of `/healthz` (ms) while `clients` connections that sent
    their headers trickle their bodies: (goals, health)."""
    slow = []
    try:
        for _ in range(clients):
            sock = socket.create_connection((served.host, served.port), timeout=5)
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 5000\r\n\r\n{")
            slow.append(sock)
        time.sleep(0.2)
        goals, health = [], []
        for index in range(requests):
            if index % 10 == 0:
                for sock in slow:
                    sock.sendall(b" ")  # still sending, a byte at a time
            goals.append(_checked(served, COMMAND, user=f"USLOW{index}"))
            started = time.perf_counter()
            with urllib.request.urlopen(f"http://{served.host}:{served.port}/healthz", timeout=10) as answer:
                answer.read()
            health.append((time.perf_counter() - started) * 1000)
        return goals, health
    finally:
        for sock in slow:
            sock.close()
