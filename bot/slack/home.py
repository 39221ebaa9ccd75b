"""The Home tab: the person's drafts, then help and the canon's families and levels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block

from bot.canon.repository import Vocabulary
from bot.grammar.usage import help_text, list_text
from bot.slack.ids import COMMAND
from bot.slack.layout import sections, title_blocks
from bot.slack.limits import HOME_BLOCKS_MAX


def home_view(vocabulary: Vocabulary, drafts: Sequence[Block] = ()) -> dict[str, Any]:
    blocks = [*drafts, *title_blocks("Goals"), *sections(help_text(vocabulary, COMMAND, terminal=False)),
              *title_blocks("Job families and levels"), *sections(list_text(vocabulary))]
    return {"type": "home", "blocks": [block.to_dict() for block in blocks[:HOME_BLOCKS_MAX]]}
