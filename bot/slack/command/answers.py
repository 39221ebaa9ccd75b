"""What `/goals` and its buttons answer, as messages: pure, so tested without Slack."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame, stretch_frame
from bot.frames.comparison import Comparison, RoleLevel, comparison_of
from bot.frames.frameworks import ALL_FRAMEWORKS
from bot.frames.model import Frame
from bot.frames.text import render_comparison, render_document, render_labelled_frame
from bot.grammar.parse import parse
from bot.grammar.requests import (
    CompareRequest,
    DraftRequest,
    DraftsRequest,
    FrameRequest,
    GrammarError,
    HelpRequest,
    ListRequest,
    Request,
    ReviewsRequest,
)
from bot.grammar.usage import error_text, help_text, list_text
from bot.slack.command.run_button import suggestion_block
from bot.slack.compare.blocks import comparison_message
from bot.slack.frames.blocks import frame_message, overview_message
from bot.slack.shared.ids import COMMAND
from bot.slack.shared.layout import Message, text_message, text_messages
from bot.slack.shared.values import CompareRef, FrameRef

_SLACK_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def command_words(text: str) -> str:
    """Slack sends `&`, `<` and `>` in command text as entities; read them as typed."""
    for entity, char in _SLACK_ENTITIES:
        text = text.replace(entity, char)
    return text


def command_request(text: str, repository: CanonRepository) -> Request | GrammarError:
    return parse(command_words(text), repository.vocabulary())


def answer_command(text: str, repository: CanonRepository) -> Message:
    """The answer to `/goals` words that need no one's drafts (all but draft and drafts)."""
    request = command_request(text, repository)
    if isinstance(request, DraftRequest | DraftsRequest | ReviewsRequest):
        raise ValueError("draft, drafts and reviews are answered with the person's drafts (listeners.commands)")
    return answer(request, repository)


def answer(request: CanonAnswerable, repository: CanonRepository) -> Message:
    vocabulary = repository.vocabulary()
    if isinstance(request, HelpRequest):
        return text_message(help_text(vocabulary, COMMAND, terminal=False), title="Goals")
    if isinstance(request, ListRequest):
        return text_message(list_text(vocabulary), title="Job families and levels")
    if isinstance(request, GrammarError):
        return error_message(request)
    if isinstance(request, CompareRequest):
        comparison = comparison_of(request.lower, request.higher, request.framework, repository)
        assert comparison is not None, "the grammar only accepts levels each family has"
        return comparison_message(comparison)
    return _frames_answer(request, repository)


def error_message(error: GrammarError) -> Message:
    """What was wrong and what works, as text, with what it suggests as buttons that run it."""
    message = text_message(error_text(error, COMMAND))
    block = suggestion_block(error)
    return Message(text=message.text, blocks=[*message.blocks, block]) if block else message


def unreadable_run() -> Message:
    """The answer to a run button whose value is none Goals makes (crafted, or cut short)."""
    return text_message(f"That button carries no words I can read, so it did nothing. Type {COMMAND} help "
                        "to see what works.")


CanonAnswerable = HelpRequest | ListRequest | FrameRequest | CompareRequest | GrammarError


@functools.lru_cache(maxsize=256)
def canon_answer(request: CanonAnswerable, repository: CanonRepository) -> Mapping[str, Any]:
    """`answer(...)` as Slack receives it, kept for the next time.

    The canon is read-only while the app runs, so the same words always get the same
    answer. Laying a frame out as Block Kit costs milliseconds (slack_sdk validates every
    object), which would otherwise sit on every ack: the first ask for a frame in a worker
    pays it, later ones reuse it. Read-only: the mapping is shared between threads.
    """
    return MappingProxyType(answer(request, repository).as_kwargs())


def _frames_answer(request: FrameRequest, repository: CanonRepository) -> Message:
    # One framework named: that frame. None, or "all": the overview, Slack's way to see all four.
    single = request.frameworks[0] if request.framework_given and len(request.frameworks) == 1 else None
    frames = frames_for(FrameRef(family=request.family, level=request.level, framework=single), repository)
    return frame_message(frames[0]) if single else overview_message(frames)


def frames_for(ref: FrameRef, repository: CanonRepository) -> list[Frame]:
    """The frames a button points at: one framework, or all four for the overview.

    Empty when the canon no longer has that family at that level (an old message).
    """
    found = repository.family_level(ref.family, ref.level)
    if found is None:
        return []
    family, level, _ = found
    frameworks = (ref.framework,) if ref.framework else ALL_FRAMEWORKS
    if ref.for_family is None and ref.for_level is None:
        return [build_frame(framework, family, level) for framework in frameworks]
    below = repository.family_level(ref.for_family or "", ref.for_level or "")
    if below is None:
        return []
    return [stretch_frame(framework, family, level, below[0], below[1]) for framework in frameworks]


def compared(ref: CompareRef, repository: CanonRepository) -> Comparison | None:
    return comparison_of(RoleLevel(ref.lower_family, ref.lower_level),
                          RoleLevel(ref.higher_family, ref.higher_level), ref.framework, repository)


def stale_button(ref: FrameRef | CompareRef | None) -> Message:
    if isinstance(ref, CompareRef):
        what = (f"a comparison the canon no longer has ({ref.lower_family} {ref.lower_level} → "
                f"{ref.higher_family} {ref.higher_level})")
    else:
        what = f"a frame the canon no longer has{f' ({ref.family} {ref.level})' if ref else ''}"
    return text_message(
        f"That button points at {what}. Type {COMMAND} list to see the families and levels there are."
    )


@dataclass(frozen=True)
class Copy:
    """What Copy as text gives: the text shown in messages, and the file offered where the
    messages cannot hold it cleanly, which is what the `goals` command prints."""

    text: str
    title: str
    filename: str
    file_text: str

    def messages(self) -> list[Message]:
        return text_messages(self.text, title=self.title)


def frames_copy(frames: list[Frame]) -> Copy:
    """One frame (`goals LEVEL FAMILY FRAMEWORK` as the file), or the whole document for all
    four (`goals LEVEL FAMILY`). A stretch frame, which no command prints alone, is its own file."""
    first = frames[0]
    if len(frames) == 1:
        text = render_labelled_frame(first)
        printed = text if first.stretch is not None else render_document(frames)
        return Copy(text, f"Copy as text: {first.heading}", _filename(first, first.framework.value), printed + "\n")
    text = render_document(frames)
    return Copy(text, "Copy as text", _filename(first, "all"), text + "\n")


def _filename(frame: Frame, what: str) -> str:
    stretch = f"-for-{frame.stretch.family_slug}-{frame.stretch.level_code}" if frame.stretch else ""
    return f"{frame.family_slug}-{frame.level_code}-{what}{stretch}.txt"


def copy_messages(frames: list[Frame]) -> list[Message]:
    """The plain-text form, ready to paste: one frame, or the whole document for all four."""
    return frames_copy(frames).messages()


def comparison_copy(comparison: Comparison) -> Copy:
    """The comparison and its stretch frame as plain text, exactly as `goals compare` prints them."""
    text = render_comparison(comparison)
    lower, higher = comparison.lower, comparison.higher
    name = f"compare-{lower.family.slug}-{lower.level.code}-{higher.family.slug}-{higher.level.code}.txt"
    return Copy(text, "Copy as text: comparison", name, text + "\n")


def comparison_copy_messages(comparison: Comparison) -> list[Message]:
    return comparison_copy(comparison).messages()


