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


def _fitting_end(text: str, start: int, limit: int) -> int:
    """The furthest index such that text[start:index], escaped, is at most `limit` long."""
    end, size = start, 0
    while end < len(text):
        step = len(_ENTITIES.get(text[end], text[end]))
        if size + step > limit:
            break
        size += step
        end += 1
    return end


def split_to_fit(text: str, limit: int) -> list[str]:
    """Split `text` into pieces whose escaped length is at most `limit`; joined together they
    are exactly `text`, nothing dropped or cut off.

    A piece ends at a line boundary: after a blank line where one is in its last half, else
    where its last line ends. Only a line longer than a piece holds is cut inside, after a
    space in its last half where there is one, else mid-word: the one case where a line goes
    on in the next piece.
    """
    if limit < len(max(_ENTITIES.values(), key=len)):
        raise ValueError(f"limit {limit} is too small to hold an escaped character")
    if escaped_length(text) <= limit:  # the common case, without walking the text
        return [text]
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = _fitting_end(text, start, limit)
        if end < len(text):
            window = text[start:end]
            # Not a line break at the piece's very start: that piece would show nothing.
            blank, line, space = window.rfind("\n\n"), window.rfind("\n", 1), window.rfind(" ")
            if blank >= len(window) // 2:
                end = start + blank + 2
            elif text[end] == "\n":
                pass  # the piece ends where a line does: the whole of it
            elif line > 0:
                end = start + line + 1
            elif space >= len(window) // 2:
                end = start + space + 1
        pieces.append(text[start:end])
        start = end
    return pieces or [""]


def line_blocks(text: str, limit: int) -> list[str]:
    """`text` as the texts of the blocks it needs, each at most `limit` escaped: a block ends
    a line, so the line break between two blocks is the boundary itself and is not repeated
    in either. Reading the blocks' lines one after another gives the text's lines, each
    whole unless it alone is longer than a block holds."""
    pieces = split_to_fit(text, limit)
    blocks = []
    for index, piece in enumerate(pieces):
        if index > 0 and not pieces[index - 1].endswith("\n"):
            piece = piece.removeprefix("\n")  # the piece before ended exactly where its line did
        if index < len(pieces) - 1:
            piece = piece.removesuffix("\n")
        blocks.append(piece)
    return [block for block in blocks if block]


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
    end = _fitting_end(text, 0, limit - 1)
    space = text.rfind(" ", 0, end)
    if space >= end // 2:  # a whole word where one ends late enough
        end = space
    return text[:end].rstrip() + "…"
