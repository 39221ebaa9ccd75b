"""Short stand-ins for canon words too long for where they must go (a select option's value
holds 150 characters; a slug may hold 200): a digest, resolved against the canon on the way
back, so a crafted or stale one names nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

MARK = "#"  # never in a slug or a level code, so a digest is never read as one
LENGTH = 1 + 16


def digest(text: str) -> str:
    return MARK + hashlib.sha256(text.encode()).hexdigest()[:LENGTH - 1]


def is_digest(text: str) -> bool:
    return text.startswith(MARK)


def resolved(value: str, words: Iterable[str]) -> str | None:
    """The word `value` is the digest of, among `words`; None if none is."""
    return next((word for word in words if digest(word) == value), None)
