"""The two baselines of the ack-latency benchmark: bare Bolt apps that ack a constant.

Served by gunicorn exactly like Goals (`bot.web.server`: uvicorn workers, each reading a
request whole before its thread pool answers it, `bot.web.asgi`), through Bolt's own WSGI
adapter:

    gunicorn 'bench.bare_apps:default_app()'   Bolt's defaults: what a typical Slack app gets
    gunicorn 'bench.bare_apps:floor_app()'     process_before_response=True: this stack's floor

Both verify signatures like Goals does (SLACK_SIGNING_SECRET) and, like Goals, check their
token once at start-up against SLACK_API_URL (the suite's stand-in), so no request waits on it.
"""

from __future__ import annotations

import os
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.web.asgi import asgi_app

ANSWER = "ok"


def _app(process_before_response: bool) -> Any:
    app = App(
        client=WebClient(token="xoxb-bench-token", base_url=os.environ["SLACK_API_URL"]),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=process_before_response,
    )

    @app.command("/goals")
    def goals(ack: Ack) -> None:
        ack(ANSWER)

    return asgi_app(SlackRequestHandler(app), int(os.environ.get("GOALS_THREADS", "8")))


def default_app() -> Any:
    return _app(process_before_response=False)


def floor_app() -> Any:
    return _app(process_before_response=True)
