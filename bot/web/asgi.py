"""The HTTP app served from an event loop: a request reaches a thread only once it is whole.

gunicorn's threaded worker reads each request in the thread that answers it, so a client
that sends its body a byte at a time holds that thread for as long as it likes; sixteen of
them held every thread. Here the event loop (uvicorn's worker under gunicorn) reads headers
and body, which costs a waiting client nothing but a coroutine, with a bounded time for the
body (Slack sends a request whole) and the size cap; then the WSGI app runs in a bounded pool
of threads. Bodies are kept in memory, never spooled to disk.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.web.wsgi import MAX_BODY_BYTES, Wsgi

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("goals")

BODY_SECONDS = 5.0  # to receive a whole body; Slack sends a few kB at once


def asgi_app(wsgi: Wsgi, threads: int, body_seconds: float = BODY_SECONDS) -> Asgi:
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="goals-http")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        try:
            body = await asyncio.wait_for(_body(receive), body_seconds)
        except TimeoutError:
            await _plain(send, 408, b"request body too slow\n")
            return
        except _TooLarge:
            await _plain(send, 413, b"too large\n")
            return
        try:
            status, headers, chunks = await asyncio.get_running_loop().run_in_executor(
                pool, _call, wsgi, _environ(scope, body))
        except Exception:  # logged through Goals' own handler (tokens redacted), never uvicorn's
            error_id = uuid.uuid4().hex[:10]
            log.exception("error id %s: the HTTP app failed", error_id)
            await _plain(send, 500, f"internal error (error id {error_id})\n".encode())
            return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})

    return app


class _TooLarge(Exception):
    pass


async def _body(receive: Receive) -> bytes:
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise TimeoutError  # gone before its body arrived: answer nothing useful
        part = message.get("body", b"")
        size += len(part)
        if size > MAX_BODY_BYTES:
            raise _TooLarge
        parts.append(part)
        if not message.get("more_body"):
            return b"".join(parts)


def _environ(scope: Scope, body: bytes) -> dict[str, Any]:
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"], "SCRIPT_NAME": "", "PATH_INFO": scope["path"],
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]), "SERVER_PORT": str(server[1]), "REMOTE_ADDR": str(client[0]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "",
        "wsgi.version": (1, 0), "wsgi.url_scheme": scope.get("scheme", "http"), "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").upper().replace("-", "_"), raw_value.decode("latin-1")
        if name == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif name != "CONTENT_LENGTH":  # the body as received is the length
            key = f"HTTP_{name}"
            environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _call(wsgi: Wsgi, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], list[bytes]]:
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
        started["status"], started["headers"] = status, headers
        return lambda data: None

    result: Iterable[bytes] = wsgi(environ, start_response)
    try:
        chunks = list(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in started["headers"]]
    return int(str(started["status"]).split(" ", 1)[0]), headers, chunks


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
