"""The event-loop front: a request reaches the WSGI app only whole, within a time bound and
the size cap; everything else about it is what the WSGI app answers."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.web.asgi import asgi_app
from bot.web.wsgi import MAX_BODY_BYTES


def echo(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    body = environ["wsgi.input"].read()
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Length", environ["CONTENT_LENGTH"])])
    return [environ["REQUEST_METHOD"].encode(), b" ", environ["PATH_INFO"].encode(), b" ",
            environ.get("HTTP_X_SLACK_SIGNATURE", "").encode(), b" ", body]


def run(messages: list[dict[str, Any]], *, stall: bool = False, body_seconds: float = 1.0) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    scope = {"type": "http", "method": "POST", "path": "/slack/events", "query_string": b"",
             "headers": [(b"x-slack-signature", b"v0=abc"), (b"content-length", b"999")]}

    async def go() -> None:
        queue = list(messages)

        async def receive() -> dict[str, Any]:
            if queue:
                return queue.pop(0)
            if stall:
                await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await asgi_app(echo, threads=2, body_seconds=body_seconds)(scope, receive, send)

    asyncio.run(go())
    return sent


def test_a_whole_body_in_parts_reaches_the_app_as_one() -> None:
    start, body = run([{"type": "http.request", "body": b"ab", "more_body": True},
                       {"type": "http.request", "body": b"cd"}])
    assert start["status"] == 201 and (b"x-length", b"4") in start["headers"]  # the length as received
    assert body["body"] == b"POST /slack/events v0=abc abcd"


def test_a_body_slower_than_its_bound_is_refused_with_408_and_never_reaches_the_app() -> None:
    (start, body) = run([{"type": "http.request", "body": b"{", "more_body": True}], stall=True, body_seconds=0.2)
    assert start["status"] == 408 and body["body"] == b"request body too slow\n"


def test_a_body_over_the_cap_is_refused_with_413() -> None:
    chunk = b"x" * (MAX_BODY_BYTES // 2 + 1)
    (start, _body) = run([{"type": "http.request", "body": chunk, "more_body": True},
                          {"type": "http.request", "body": chunk}])
    assert start["status"] == 413


def test_an_app_that_fails_is_a_500_with_an_error_id_logged_by_goals(caplog: pytest.LogCaptureFixture) -> None:
    def broken(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise KeyError("a bug")

    sent: list[dict[str, Any]] = []

    async def go() -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await asgi_app(broken, threads=1)({"type": "http", "method": "GET", "path": "/", "headers": []}, receive, send)

    with caplog.at_level(logging.ERROR, logger="goals"):
        asyncio.run(go())
    start, body = sent
    assert start["status"] == 500 and body["body"].startswith(b"internal error (error id ")
    error_id = body["body"].split(b"error id ")[1].split(b")")[0].decode()
    assert error_id in caplog.text and "a bug" in caplog.text
