"""Bolt's WSGI adapter, reading each request's body as the gate does (`envelope.read_body`):
by the form's own fields, so a command whose text, channel or user name holds the word
"payload" is the command it is. Everything else is Bolt's own adapter."""

from __future__ import annotations

from slack_bolt import BoltContext
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from slack_bolt.response import BoltResponse

from bot.web.envelope import read_body


class GoalsRequestHandler(SlackRequestHandler):
    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        bolt = BoltRequest(body=request.get_body(), query=request.query_string, headers=request.get_headers())
        body = read_body(bolt.raw_body, bolt.content_type)
        if body != bolt.body:
            bolt.body = body
            bolt.context = build_context(BoltContext({}), body)
        return self.app.dispatch(bolt)
