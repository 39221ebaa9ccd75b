"""The listeners as functions: each called on its own, with Bolt's arguments mocked (as
Slack's starter template tests them) and the services it names passed in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import Mock

import pytest
from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.frames.text import render_frame
from bot.goals.drafts.drafting import Drafting
from bot.goals.fields import placeholder_fields
from bot.goals.model import Owner
from bot.slack.command import listeners as commands
from bot.slack.drafts import listeners as drafts
from bot.slack.drafts import listeners as forms
from bot.slack.drafts.form import draft_form, form_steps, new_draft_form
from bot.slack.drafts.listeners import SAVED_KEY
from bot.slack.frames import listeners as frames
from bot.slack.shared.ids import VALUE_ACTION
from bot.slack.shared.notices import GONE
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import DraftRef, FormState, FrameRef
from bot.store.draft_files import DraftFiles
from bot.store.profile_files import ProfileFiles
from support.block_texts import copied_lines, unescape
from support.canon_files import family_doc, level_doc, write_canon_dir
from support.draft_helpers import new_draft

PAT = Owner(team="T111", user="U111")


@pytest.fixture
def drafting(repository: CanonRepository, tmp_path: Path) -> Drafting:
    return Drafting(repository, DraftFiles(tmp_path))


@pytest.fixture
def surfaces(drafting: Drafting, tmp_path: Path) -> Surfaces:
    return Surfaces(drafting, ProfileFiles(tmp_path / ".profiles"))


def context(user: str = "U111", team: str = "T111") -> BoltContext:
    return BoltContext({"user_id": user, "team_id": team})


def texts(blocks: list[dict[str, Any]]) -> str:
    return unescape(json.dumps(blocks, ensure_ascii=False))


def test_goals_answers_a_frame_in_its_ack(repository: CanonRepository, drafting: Drafting,
                                          surfaces: Surfaces) -> None:
    ack = Mock(Ack)
    commands.goals(ack=ack, command={"text": "M2 cto okr"}, context=context(),
                   repository=repository, drafting=drafting, surfaces=surfaces)
    (answer,) = [call.kwargs for call in ack.call_args_list]
    assert answer["response_type"] == "ephemeral"
    assert "OKRs — Clinical Trials Operations · M2" in texts(answer["blocks"])


def test_goals_drafts_lists_the_persons_own_drafts(repository: CanonRepository, drafting: Drafting,
                                                  surfaces: Surfaces) -> None:
    ack = Mock(Ack)
    commands.goals(ack=ack, command={"text": "drafts"}, context=context(), repository=repository,
                   drafting=drafting, surfaces=surfaces)
    assert "You have no drafts yet" in texts(ack.call_args.kwargs["blocks"])


def test_copy_tells_the_frame_as_text_through_the_response_url(repository: CanonRepository) -> None:
    respond = Mock(return_value=Mock(status_code=200))
    frame_ref = FrameRef(family="clinical-trials-ops", level="M2", framework=Framework.SMART)
    body = {"actions": [{"value": frame_ref.value()}], "response_url": "https://hooks.example/r1",
            "user": {"id": "U111", "team_id": "T111"}, "channel": {"id": "C222"}}
    client = Mock(WebClient)
    frames.copy(body=body, respond=respond, client=client, context=context(), repository=repository)
    sent = "".join(texts(call.kwargs["blocks"]) for call in respond.call_args_list)
    found = repository.family_level("clinical-trials-ops", "M2")
    assert found is not None
    first_row = render_frame(build_frame(Framework.SMART, found[0], found[1])).split("\n", 1)[0]
    assert json.dumps(first_row, ensure_ascii=False)[1:-1] in sent
    client.chat_postMessage.assert_not_called()


def test_a_draft_button_naming_someone_elses_draft_says_it_is_gone(drafting: Drafting, surfaces: Surfaces) -> None:
    respond = Mock(return_value=Mock(status_code=200))
    body = {"actions": [{"value": DraftRef(draft="abc123").value()}], "response_url": "https://hooks.example/r1"}
    drafts.edit(body=body, context=context(), client=Mock(WebClient), respond=respond,
                drafting=drafting, surfaces=surfaces)
    assert respond.call_args.kwargs["text"] == GONE


def test_submit_form_saves_in_the_ack_and_hands_the_draft_to_after_save(drafting: Drafting,
                                                                        surfaces: Surfaces) -> None:
    started = drafting.start(PAT, "clinical-trials-ops", "M2", Framework.OKR)
    assert started is not None and started.frame is not None
    form = new_draft_form(started)
    first = placeholder_fields(started.frame)[0]
    view = {**form, "state": {"values": {first.key: {VALUE_ACTION: {"type": "plain_text_input", "value": "72%"}}}}}
    ack, ctx = Mock(Ack), context()
    forms.submit_form(ack=ack, body={"view": view}, context=ctx, drafting=drafting)
    # Saved: the ack puts the form's next step in its place (Next).
    (answer,) = [call.kwargs for call in ack.call_args_list]
    assert answer["response_action"] == "update" and answer["view"]["submit"]["text"] == "Next"
    following = FormState.parse(answer["view"]["private_metadata"])
    assert following is not None and following.part == 1 and not following.new
    saved = drafting.get(PAT, ctx[SAVED_KEY])
    assert saved is not None and saved.draft.values == {first.key: "72%"}
    assert following.draft == saved.draft.id

    client = Mock(WebClient)
    client.chat_postMessage.return_value = {"channel": "D111", "ts": "1.1"}
    forms.after_save(context=ctx, client=client, surfaces=surfaces)
    assert client.chat_postMessage.call_args.kwargs["channel"] == "U111"
    again = drafting.get(PAT, ctx[SAVED_KEY])
    assert again is not None and (again.draft.dm_channel, again.draft.dm_ts) == ("D111", "1.1")
    assert client.views_publish.call_args.kwargs["user_id"] == "U111"

    # The last step's Save is saved in the ack too, and the empty ack closes the form.
    steps = form_steps(started.frame)
    last: dict[str, Any] = draft_form(started.frame, saved.draft, following.model_copy(update={"part": len(steps) - 1}),
                      canon_changed=False, leftover_count=0)
    assert last["submit"]["text"] == "Save"
    final = steps[-1][0]
    view = {**last, "state": {"values": {final.key: {VALUE_ACTION: {"type": "plain_text_input", "value": "90%"}}}}}
    ack, ctx = Mock(Ack), context()
    forms.submit_form(ack=ack, body={"view": view}, context=ctx, drafting=drafting)
    ack.assert_called_once_with()
    assert ctx[SAVED_KEY] == saved.draft.id
    again = drafting.get(PAT, saved.draft.id)
    assert again is not None and again.draft.values == {first.key: "72%", final.key: "90%"}


def test_submit_form_refuses_a_bad_value_beside_its_field(drafting: Drafting) -> None:
    started = drafting.start(PAT, "clinical-trials-ops", "M2", Framework.OKR)
    assert started is not None and started.frame is not None
    form = new_draft_form(started)
    first = placeholder_fields(started.frame)[0]
    view = {**form, "state": {"values": {first.key: {VALUE_ACTION: {"type": "plain_text_input",
                                                                    "value": "x" * 201}}}}}
    ack = Mock(Ack)
    forms.submit_form(ack=ack, body={"view": view}, context=context(), drafting=drafting)
    assert ack.call_args.kwargs["response_action"] == "errors"
    assert list(ack.call_args.kwargs["errors"]) == [first.key]
    assert len(drafting.views(PAT)) == 0  # nothing saved


def test_a_draft_too_big_for_one_message_is_copied_whole_and_sent_as_its_own_text_file(tmp_path: Path) -> None:
    huge = " ".join(["Owns the portfolio's operating model across regions & functions"] * 60)
    canon = write_canon_dir(tmp_path / "canon", levels=[level_doc("L1")], families=[family_doc(
        "widgets", levels={"L1": {"responsibilities": ["Short one", huge],
                                  "rubrics": {"complexity": "C.", "knowledge_application": "K."}}})])
    repository = CanonRepository.open(canon)
    drafting = Drafting(repository, DraftFiles(tmp_path / "data"))
    found = repository.family_level("widgets", "L1")
    assert found is not None
    frame = build_frame(Framework.MBO, found[0], found[1])
    key = placeholder_fields(frame)[0].key
    draft = drafting.store.save(new_draft(frame, {key: "12 sites"}, owner=Owner(team="T111", user="U111")))
    respond = Mock(return_value=Mock(status_code=200))
    client = Mock(WebClient)
    client.conversations_open.return_value = {"channel": {"id": "DU111"}}
    body = {"actions": [{"value": DraftRef(draft=draft.id).value()}], "response_url": "https://hooks.example/r1",
            "user": {"id": "U111", "team_id": "T111"}, "channel": {"id": "DU111"}}
    drafts.copy(body=body, context=context(), client=client, respond=respond, drafting=drafting)
    expected = render_frame(frame, {key: "12 sites"})
    messages = [{"blocks": call.kwargs["blocks"]} for call in respond.call_args_list]
    assert "".join(copied_lines(messages)) == "".join(expected.split("\n"))  # the long line cut, nothing lost
    (upload,) = client.files_upload_v2.call_args_list
    assert upload.kwargs["content"] == (expected + "\n").encode("utf-8")
    assert upload.kwargs["channel"] == "DU111" and upload.kwargs["filename"] == "draft-widgets-L1-mbo.txt"
