"""Buttons that run words, as `/goals WORDS` would: an error's suggestions, help's examples.

The button carries only the words (`RunRef`); the click parses them again, like anything
typed (`bot.slack.command.run_listeners`). Every button of one block needs its own action_id, so
each is RUN_ACTION plus its index there.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.grammar.requests import GrammarError, Suggestion
from bot.slack.shared.ids import RUN_ACTION
from bot.slack.shared.limits import BUTTON_VALUE_MAX
from bot.slack.shared.text import escaped_length, plain
from bot.slack.shared.values import RunRef

BUTTON_TEXT_MAX = 75  # Slack's limit on a button's text
BUTTONS_MAX = 5  # an error's suggestions: a few, never a wall of buttons


def run_button(label: str, words: str, index: int, primary: bool = False) -> ButtonElement:
    """A button showing `label` that answers the clicking person as `/goals words` would.

    `words` must fit a RunRef (at most SUGGESTION_WORDS_MAX characters), else ValueError.
    """
    value = RunRef(words=words).value()
    assert len(value) <= BUTTON_VALUE_MAX
    return ButtonElement(text=plain(_fitted(label or words)), action_id=f"{RUN_ACTION}{index}", value=value,
                         style="primary" if primary else None)


def suggestion_block(error: GrammarError) -> ActionsBlock | None:
    """An error's suggestions as buttons; without any, its example. The one button of a single
    suggestion (the one obvious fix) is primary. None where there is nothing to run."""
    suggestions: Sequence[Suggestion] = error.suggestions[:BUTTONS_MAX]
    if not suggestions and error.example:
        suggestions = [Suggestion(f"Try: {error.example}", error.example)]
    buttons = []
    for index, suggestion in enumerate(suggestions):
        try:
            buttons.append(run_button(suggestion.label, suggestion.words, index,
                                      primary=len(error.suggestions) == 1))
        except ValueError:  # words too long for a button: the message still says them
            continue
    return ActionsBlock(elements=buttons) if buttons else None


def _fitted(label: str) -> str:
    # Cut by escaped length: that is what Slack counts.
    if escaped_length(label) <= BUTTON_TEXT_MAX:
        return label
    cut = label[:BUTTON_TEXT_MAX]
    while escaped_length(cut) > BUTTON_TEXT_MAX - 1:
        cut = cut[:-1]
    return cut + "…"
