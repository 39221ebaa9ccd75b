"""Starting a draft of a frame: the form for a new one, or first, when the person has drafts
of that frame, whether to continue one of those instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner
from bot.slack.drafts.choice import another_name, draft_choice_view
from bot.slack.drafts.form import new_draft_form
from bot.slack.shared.layout import Message, text_message
from bot.slack.shared.notices import NO_PLACEHOLDERS
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import FrameRef


def start_or_ask(client: WebClient, trigger_id: str, owner: Owner, ref: FrameRef, drafting: Drafting,
                 surfaces: Surfaces, tell: Callable[[Message], None], channel: str | None,
                 replacing: dict[str, Any] | None = None, *, ask: bool = True,
                 propose_to: str | None = None) -> None:
    """The form for a new draft of `ref`'s frame; first, if the person has drafts of it and
    `ask`, whether to continue one of those instead. `channel`: where it was asked from.
    `propose_to`: a draft for that person, proposed to them once saved (always a new one)."""
    assert ref.framework is not None
    frame = (ref.family, ref.level, ref.framework, ref.for_family, ref.for_level)
    existing = drafting.of_frame(owner, *frame)
    if existing and ask and propose_to is None:
        surfaces.open_form(client, trigger_id, draft_choice_view(existing, ref, channel), owner, tell,
                           learn_tz=False, replacing=replacing)
        return
    # A stretch frame's button starts a stretch draft: its messages keep the stretch label.
    started = drafting.start(owner, *frame, name=another_name(existing) if existing else None)
    if started is None:
        tell(text_message(NO_PLACEHOLDERS))
        return
    surfaces.open_form(client, trigger_id, new_draft_form(started, channel=channel, propose_to=propose_to),
                       owner, tell, replacing=replacing)
