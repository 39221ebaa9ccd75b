"""Reading Block Kit dicts back as a person would: their text objects, unescaped.

The one walker over Block Kit for the tests: every test that reads what blocks say uses
`text_objects`, `texts` or `shown` from here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

JSONDict = dict[str, Any]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_objects(node: Any) -> Iterator[JSONDict]:
    """Every text object (plain_text or mrkdwn) anywhere inside a block dict, in order."""
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
            yield node
            return
        for value in node.values():
            yield from text_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from text_objects(value)


def texts(node: Any, unescaped: bool = False) -> list[str]:
    """Every text object's text anywhere inside `node`, in order; `unescaped` as a person reads it."""
    return [unescape(obj["text"]) if unescaped else obj["text"] for obj in text_objects(node)]


def shown(message: JSONDict) -> str:
    """What a person reads in a message (or a view): its blocks' texts, unescaped, one per line."""
    return "\n".join(texts(message.get("blocks", []), unescaped=True))


def copied_lines(messages: Iterable[JSONDict]) -> list[str]:
    """What a person reads in messages of plain text (Copy as text), line by line, as Slack
    shows them: each section block's lines, block after block, message after message (a
    block ends a line; a header is the message's title, not the text)."""
    return [line for message in messages for block in message.get("blocks", [])
            if block.get("type") == "section" and isinstance(block.get("text"), dict)
            for line in unescape(block["text"]["text"]).split("\n")]


def copied_text(messages: Iterable[JSONDict]) -> str:
    return "\n".join(copied_lines(messages))


def inert(obj: JSONDict) -> bool:
    """Whether a text object shows its text as written, markup and all: plain_text without
    emoji codes, or mrkdwn Slack neither links nor formats (verbatim, escaped, no markup
    characters besides the bold of a label)."""
    if obj["type"] == "plain_text":
        return obj.get("emoji") is False
    return obj.get("verbatim") is True and "<" not in obj["text"] and ">" not in obj["text"]
