"""Reading Block Kit dicts back as a person would: their text objects, unescaped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

JSONDict = dict[str, Any]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_objects(node: Any) -> Iterator[JSONDict]:
    """Every text object (plain_text or mrkdwn) anywhere inside a block dict."""
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
            yield node
            return
        for value in node.values():
            yield from text_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from text_objects(value)
