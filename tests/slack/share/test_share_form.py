"""The share form, built without Slack: where to (a channel or a person), then a preview of
the exact message, for frames, comparisons and drafts; within Slack's limits and slack-sdk's
models for every shipped frame and a frame too long for one message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.comparison import comparison_of
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.goals.drafts.drafting import Drafting
from bot.grammar.requests import CompareRequest
from bot.slack.command.answers import command_request
from bot.slack.share.form import share_form
from bot.slack.share.shareable import shareable
from bot.slack.shared.ids import DRAFT_SHARE_CALLBACK as SHARE_CALLBACK
from bot.slack.shared.values import CompareRef, FrameRef, ShareState
from bot.store.draft_files import DraftFiles
from support.canon_files import shipped_frames
from support.draft_helpers import PAT, all_text, big, big_canon, check_modal, new_draft, shipped_frame, some_values

JSONDict = dict[str, Any]


def drafting_for(repository: CanonRepository, tmp_path: Path) -> Drafting:
    return Drafting(repository, DraftFiles(tmp_path))


def form_for(state: ShareState, drafting: Drafting) -> JSONDict:
    found = shareable(state, PAT, drafting)
    assert found is not None
    form: JSONDict = share_form(state, found.messages, found.what, found.notes)
    check_modal(form)
    return form


def test_the_form_asks_where_first_then_shows_the_exact_message(repository: CanonRepository,
                                                                 tmp_path: Path) -> None:
    drafting = drafting_for(repository, tmp_path)
    frame = shipped_frame(repository, Framework.SCORECARD)
    state = ShareState(frame=FrameRef.of(frame))
    form = form_for(state, drafting)
    assert (form["callback_id"], form["submit"]["text"], form["close"]["text"]) == (SHARE_CALLBACK, "Post", "Cancel")
    assert ShareState.parse(form["private_metadata"]) == state
    ids = [b.get("block_id") for b in form["blocks"]]
    assert ids.index("channel") < ids.index("person")
    channel, person = (b["element"] for b in form["blocks"] if b["type"] == "input")
    assert channel["type"] == "conversations_select" and channel["response_url_enabled"] is True
    assert channel["default_to_current_conversation"] is True
    assert person["type"] == "users_select"
    found = shareable(state, PAT, drafting)
    assert found is not None
    (message,) = found.messages
    posted = [b.to_dict() for b in message.blocks if b.type != "actions"]
    # The message's own blocks, last in the form, then the note that names its buttons.
    assert form["blocks"][-len(posted) - 1:-1] == posted
    assert "With the buttons Draft targets, Copy as text. You can delete it afterwards" in all_text(form)


def test_a_draft_with_empty_placeholders_says_how_many_and_never_another_persons(
        repository: CanonRepository, tmp_path: Path) -> None:
    drafting = drafting_for(repository, tmp_path)
    frame = shipped_frame(repository, Framework.OKR)
    draft = drafting.store.save(new_draft(frame, some_values(frame, every=3)))
    view = drafting.get(PAT, draft.id)
    assert view is not None and view.progress is not None
    empty = view.progress.total - view.progress.filled
    form = form_for(ShareState(draft=draft.id), drafting)
    assert f"{empty} of {view.progress.total} placeholders are still empty" in all_text(form)
    assert "Drafted by" in all_text(form)
    someone_else = PAT.model_copy(update={"user": "U2"})
    assert shareable(ShareState(draft=draft.id), someone_else, drafting) is None


def test_every_shipped_frame_a_comparison_and_a_long_frame_fit_the_form(repository: CanonRepository,
                                                                       tmp_path: Path) -> None:
    drafting = drafting_for(repository, tmp_path)
    for frame in shipped_frames(repository):
        form_for(ShareState(frame=FrameRef.of(frame)), drafting)
    request = command_request("compare M2 M4 cto", repository)
    assert isinstance(request, CompareRequest)
    comparison = comparison_of(request.lower, request.higher, request.framework, repository)
    assert comparison is not None
    form_for(ShareState(comparison=CompareRef.of(comparison)), drafting)
    drafting = drafting_for(big_canon(tmp_path / "canon"), tmp_path / "drafts")
    for framework in ALL_FRAMEWORKS:
        long = build_frame(framework, *big())
        draft = drafting.store.save(new_draft(long, some_values(long)))
        found = shareable(ShareState(draft=draft.id), PAT, drafting)
        assert found is not None
        form = share_form(ShareState(draft=draft.id), found.messages, found.what, found.notes)
        check_modal(form)
        if len(found.messages) > 1:
            assert f"It is {len(found.messages)} messages, one per page" in all_text(form)
