"""How `goals-bot` writes its log: every line, the app's, Bolt's, gunicorn's and uvicorn's
access log alike, through one handler, as text or (`LOG_FORMAT=json`) one JSON object a line.

A JSON line holds the time, level, logger, message, and where known the error id, the team
and the request's kind; an exception is its type and where it was raised, never its message
(a library's message can quote what a person typed). No line carries a Slack token.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

from bot.observe import request_fields

_TOKEN = re.compile(r"\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+")
_ERROR_ID = re.compile(r"\berror id ([0-9a-f]{10})\b")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactTokens(logging.Filter):
    """Belt and braces: no log line, ours or a library's, carries a Slack token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg, record.args = _TOKEN.sub(r"\1-<redacted>", message), None
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": message,
            **request_fields(),
        }
        if found := _ERROR_ID.search(message):
            line["error_id"] = found.group(1)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            line["exception"] = kind.__name__
            line["where"] = "".join(traceback.format_tb(trace)).strip()
        return json.dumps(line, ensure_ascii=False)


def handler(json_lines: bool) -> logging.Handler:
    """The one handler every logger writes through: stderr, tokens redacted."""
    made = logging.StreamHandler(sys.stderr)
    made.setFormatter(JsonLines() if json_lines else logging.Formatter(TEXT_FORMAT))
    made.addFilter(RedactTokens())
    return made


def configure_logging(level: int = logging.INFO, json_lines: bool = False) -> None:
    root = logging.getLogger()
    root.handlers[:] = [handler(json_lines)]
    root.setLevel(level)
    # gunicorn's and uvicorn's loggers write through the root's handler, not their own.
    for name in ("gunicorn.error", "gunicorn.access", "uvicorn.error", "uvicorn.access"):
        named = logging.getLogger(name)
        named.handlers[:] = []
        named.propagate = True
