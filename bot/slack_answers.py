"""What `/goals` and its buttons answer, as messages: pure, so tested without Slack."""

from __future__ import annotations

from bot.blocks import FrameRef, Message, frame_message, overview_message, text_message, text_messages
from bot.frames import Frame, build_frame
from bot.frameworks import ALL_FRAMEWORKS
from bot.grammar import (
    DraftRequest,
    DraftsRequest,
    FrameRequest,
    GrammarError,
    HelpRequest,
    ListRequest,
    Request,
    parse,
)
from bot.repository import CanonRepository
from bot.text_render import render_document, render_frame
from bot.usage import error_text, help_text, list_text

PROG = "/goals"
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
    if isinstance(request, DraftRequest | DraftsRequest):
        raise ValueError("draft and drafts are answered with the person's drafts (listeners.commands)")
    return answer(request, repository)


def answer(request: HelpRequest | ListRequest | FrameRequest | GrammarError,
           repository: CanonRepository) -> Message:
    vocabulary = repository.vocabulary()
    if isinstance(request, HelpRequest):
        return text_message(help_text(vocabulary, PROG, terminal=False), title="Goals")
    if isinstance(request, ListRequest):
        return text_message(list_text(vocabulary), title="Job families and levels")
    if isinstance(request, GrammarError):
        return text_message(error_text(request, PROG))
    return _frames_answer(request, repository)


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
    return [build_frame(framework, family, level) for framework in frameworks]


def stale_button(ref: FrameRef | None) -> Message:
    what = f" ({ref.family} {ref.level})" if ref else ""
    return text_message(
        f"That button points at a frame the canon no longer has{what}. "
        f"Type {PROG} list to see the families and levels there are."
    )


def copy_messages(frames: list[Frame]) -> list[Message]:
    """The plain-text form, ready to paste: one frame, or the whole document for all four."""
    text = render_frame(frames[0]) if len(frames) == 1 else render_document(frames)
    title = f"Copy as text: {frames[0].title}" if len(frames) == 1 else "Copy as text"
    return text_messages(text, title=title)
