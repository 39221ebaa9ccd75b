"""Text for Slack: escaped so Slack reads no markup in it, and cut into pieces that fit.

Slack treats `&`, `<` and `>` as control characters in every text object: `<!channel>`
pings, `<@U1>` mentions, `<https://x|y>` links. Escaping them as entities shows the
characters instead. Canon and typed values go into `plain_text` objects, where `*` and `_`
never format, with `emoji` off so `:name:` stays as typed.
"""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, PlainTextObject

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


_TABLE = str.maketrans(_ENTITIES)


def escape(text: str) -> str:
    return text.translate(_TABLE)


def escaped_length(text: str) -> int:
    return len(text) + sum((len(entity) - 1) * text.count(char) for char, entity in _ENTITIES.items())


def split_to_fit(text: str, limit: int) -> list[str]:
    """Split `text` into pieces whose escaped length is at most `limit`.

    Pieces break after a newline or a space where one is near the limit, else mid-word;
    joined together they are exactly `text`. Nothing is dropped or cut off.
    """
    if limit < len(max(_ENTITIES.values(), key=len)):
        raise ValueError(f"limit {limit} is too small to hold an escaped character")
    if escaped_length(text) <= limit:  # the common case, without walking the text
        return [text]
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end, size = start, 0
        while end < len(text):
            step = len(_ENTITIES.get(text[end], text[end]))
            if size + step > limit:
                break
            size += step
            end += 1
        if end < len(text):
            window = text[start:end]
            # Prefer a line break, then a space, in the last half of the piece.
            cut = max(window.rfind("\n"), window.rfind(" "))
            if cut >= len(window) // 2:
                end = start + cut + 1
        pieces.append(text[start:end])
        start = end
    return pieces or [""]


def plain(text: str) -> PlainTextObject:
    """Verbatim text: escaped, never formatted, emoji codes left as typed."""
    return PlainTextObject(text=escape(text), emoji=False)


def bold(text: str) -> MarkdownTextObject:
    """Our own fixed labels, in bold; escaped all the same."""
    return MarkdownTextObject(text=f"*{escape(text)}*", verbatim=True)


def shortened(text: str, limit: int) -> str:
    """`text` cut so that escaped, with an ellipsis, it is at most `limit` characters; an
    escaped character is never cut in half."""
    if escaped_length(text) <= limit:
        return text
    return split_to_fit(text, limit - 1)[0].rstrip() + "…"
