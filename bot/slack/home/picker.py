"""The pickers that take a person to a frame without typing a word: a job family, then one of
its levels, then a framework (Block Kit static selects), and what to do with the choice.

The same blocks serve the Home tab and the answer to a bare `/goals`. A choice is read back
from the selects' state in the signed payload and checked against the canon: a crafted or
stale option names nothing, never another person's anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, Option, StaticSelectElement

from bot.canon.repository import FamilyEntry, Vocabulary
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.slack.shared import digests
from bot.slack.shared.ids import (
    COMMAND,
    DRAFT_ACTION,
    PICK_ACTION,
    PICK_BLOCK,
    PICK_FAMILY,
    PICK_FRAMEWORK,
    PICK_LEVEL,
    PICK_SHOW_ACTION,
)
from bot.slack.shared.layout import Message, button, context, sections
from bot.slack.shared.limits import OPTION_TEXT_MAX, OPTION_VALUE_MAX, SELECT_OPTIONS_MAX
from bot.slack.shared.text import shortened
from bot.slack.shared.values import FrameRef

FRAMEWORK_NAMES: dict[Framework, str] = {
    Framework.SMART: "SMART goals",
    Framework.OKR: "OKRs",
    Framework.MBO: "MBO areas",
    Framework.SCORECARD: "Scorecard",
}


@dataclass(frozen=True)
class Choice:
    """What a person picked so far: a family slug, one of its level codes, a framework."""

    family: str | None = None
    level: str | None = None
    framework: Framework | None = None

    @property
    def frame(self) -> tuple[str, str, Framework] | None:
        if self.family and self.level and self.framework:
            return self.family, self.level, self.framework
        return None


def checked(choice: Choice, vocabulary: Vocabulary) -> Choice:
    """The part of `choice` the canon still has: a level only with a family that has it."""
    family = vocabulary.family(choice.family) if choice.family else None
    if family is None:
        return Choice(framework=choice.framework)
    level = choice.level if choice.level in family.level_codes else None
    return Choice(family.slug, level, choice.framework)


def _family_value(family: FamilyEntry) -> str:
    # A slug may be longer than an option value may be: then a digest of it stands in.
    return family.slug if len(family.slug) <= OPTION_VALUE_MAX else digests.digest(family.slug)


def _family_of(value: str, vocabulary: Vocabulary) -> str | None:
    slugs = [f.slug for f in vocabulary.families]
    return digests.resolved(value, slugs) if digests.is_digest(value) else (value if value in slugs else None)


def _option(text: str, value: str) -> Option:
    return Option(text=shortened(text, OPTION_TEXT_MAX), value=value)


def picker_blocks(vocabulary: Vocabulary, choice: Choice) -> list[Block]:
    """The three selects, each showing what is picked; the level select once a family is."""
    families = [f for f in vocabulary.families if f.level_codes][:SELECT_OPTIONS_MAX]
    family_options = {f.slug: _option(f.name, _family_value(f)) for f in families}
    elements: list[Any] = [StaticSelectElement(
        action_id=f"{PICK_ACTION}{PICK_FAMILY}", placeholder="Job family",
        options=list(family_options.values()), initial_option=family_options.get(choice.family or ""))]
    family = vocabulary.family(choice.family) if choice.family else None
    if family is not None:
        titles = {level.code: level.title for level in vocabulary.levels}
        level_options = {code: _option(f"{code} · {titles.get(code, code)}", code)
                         for code in family.level_codes[:SELECT_OPTIONS_MAX]}
        elements.append(StaticSelectElement(
            action_id=f"{PICK_ACTION}{PICK_LEVEL}", placeholder="Level",
            options=list(level_options.values()), initial_option=level_options.get(choice.level or "")))
    framework_options = {fw: _option(FRAMEWORK_NAMES[fw], fw.value) for fw in ALL_FRAMEWORKS}
    elements.append(StaticSelectElement(
        action_id=f"{PICK_ACTION}{PICK_FRAMEWORK}", placeholder="Framework",
        options=list(framework_options.values()),
        initial_option=framework_options.get(choice.framework) if choice.framework else None))
    blocks: list[Block] = [ActionsBlock(block_id=PICK_BLOCK, elements=elements)]
    hidden = len([f for f in vocabulary.families if f.level_codes]) - len(families)
    if hidden > 0:
        blocks += context(f"{hidden} more job families are not in this list: type /goals list to see them all.")
    return blocks


def still_to_pick(choice: Choice) -> str:
    """What the person is asked next, in their words."""
    if not choice.family:
        return "Pick your job family, your level and a framework to see your goal template."
    if not choice.level:
        return "Now pick your level."
    return "Now pick a framework: SMART goals, OKRs, MBO areas or a Scorecard."


def picked(body: Mapping[str, Any], vocabulary: Vocabulary, before: Choice = Choice()) -> Choice:
    """The choice a pick action leaves: the selects' state in the payload, then the clicked
    select itself, over `before` (what the Home tab remembered), checked against the canon.
    A level the newly picked family also has is kept."""
    state = body.get("state")
    values = state.get("values") if isinstance(state, Mapping) else None
    block = values.get(PICK_BLOCK) if isinstance(values, Mapping) else None
    elements: list[tuple[object, object]] = list(block.items()) if isinstance(block, Mapping) else []
    actions = body.get("actions")
    if isinstance(actions, list) and actions and isinstance(actions[0], Mapping):
        elements.append((actions[0].get("action_id"), actions[0]))
    selected: dict[str, str] = {}
    for action, element in elements:
        option = element.get("selected_option") if isinstance(element, Mapping) else None
        value = option.get("value") if isinstance(option, Mapping) else None
        if isinstance(action, str) and action.startswith(PICK_ACTION) and isinstance(value, str):
            selected[action.removeprefix(PICK_ACTION)] = value
    family = _family_of(selected[PICK_FAMILY], vocabulary) if PICK_FAMILY in selected else before.family
    framework = selected.get(PICK_FRAMEWORK)
    return checked(Choice(
        family=family,
        level=selected.get(PICK_LEVEL, before.level),
        framework=Framework(framework) if framework in set(Framework) else before.framework,
    ), vocabulary)


def picker_message(vocabulary: Vocabulary, choice: Choice) -> Message:
    """The answer to a bare `/goals`: the pickers, and once all three are picked, the frame's
    two ways on (show it: the one primary button; start a draft of it)."""
    blocks: list[Block] = [*sections(still_to_pick(choice) if not choice.frame else
                                     "Your goal template is ready: show it, or start a draft of it."),
                           *picker_blocks(vocabulary, choice)]
    if choice.frame:
        family, level, framework = choice.frame
        ref = FrameRef(family=family, level=level, framework=framework)
        blocks.append(ActionsBlock(elements=[button("Show the frame", PICK_SHOW_ACTION, ref, style="primary"),
                                             button("Start a draft", DRAFT_ACTION, ref)]))
    blocks += context(f"Type {COMMAND} help for every word Goals understands, or open Goals' Home tab.")
    return Message(text="Pick a job family, a level and a framework", blocks=blocks)
