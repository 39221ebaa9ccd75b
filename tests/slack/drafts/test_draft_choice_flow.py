"""Drafts people can tell apart, over signed HTTP: Draft targets on a frame the person
already has a draft of asks whether to continue it or start another (named apart), and a
save from a channel is confirmed there, privately, with a link to the DM message."""

from __future__ import annotations

import json
from typing import Any

from bot.canon.repository import CanonRepository
from bot.goals.drafts.drafting import NAME_KEY
from bot.goals.drafts.view import DraftView
from bot.goals.model import Owner
from bot.slack.drafts.choice import another_name
from bot.slack.shared.ids import DRAFT_ACTION, DRAFT_ANOTHER_ACTION, DRAFT_CONTINUE_ACTION
from bot.slack.shared.values import DraftRef, FormState
from support.block_texts import shown
from support.draft_flow import fill, form_of, okr_m2, open_form, save_draft, submit_all
from support.draft_helpers import draft_view
from support.slack_app_harness import MODAL_ID, RunningApp, button
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]
PAT = Owner(team="T333", user="U111")


def accessory_buttons(view: JSON) -> list[JSON]:
    return [b["accessory"] for b in view["blocks"] if b["type"] == "section" and "accessory" in b]


def draft_targets(app: RunningApp, slack: SlackStandIn, channel: str = "C222") -> JSON:
    """Click Draft targets on the M2 OKR frame: the modal Goals opens."""
    frame = app.command("M2 cto okr", channel=channel).json
    slack.reset()
    app.click(DRAFT_ACTION, button(frame, DRAFT_ACTION)["value"], channel=channel)
    return form_of(slack.wait_for("views.open")[0])


def test_a_second_draft_targets_asks_to_continue_or_start_another(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    save_draft(app, slack, frame, target="first")
    (first,) = app.stores.drafts.list(PAT)
    asked = draft_targets(app, slack)
    assert asked["title"]["text"] == "Draft targets"
    assert "You already have a draft of this frame. Continue one, or start another?" in shown(asked)
    (cont,) = accessory_buttons(asked)
    assert cont["text"]["text"] == "Continue" and cont["style"] == "primary"
    assert DraftRef.parse(cont["value"]) == DraftRef(draft=first.id)
    assert app.stores.drafts.list(PAT) == [first]  # asking stores nothing

    # Continue: that draft's form, in place of the question.
    slack.reset()
    app.click(DRAFT_CONTINUE_ACTION, cont["value"], where="modal", view=asked)
    (update,) = slack.wait_for("views.update")
    assert update.body["view_id"] == MODAL_ID and update.body["hash"] == "1700000000.abc"
    state = FormState.parse(update.body["view"]["private_metadata"])
    assert state is not None and state.draft == first.id and not state.new


def test_start_another_is_a_new_draft_named_apart(app: RunningApp, slack: SlackStandIn,
                                                  repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    save_draft(app, slack, frame, target="first")
    asked = draft_targets(app, slack)
    another = button(asked, DRAFT_ANOTHER_ACTION)
    slack.reset()
    app.click(DRAFT_ANOTHER_ACTION, another["value"], where="modal", view=asked)
    form = form_of(slack.wait_for("views.update")[0])
    name = next(b for b in form["blocks"] if b.get("block_id") == NAME_KEY)
    assert name["element"]["initial_value"] == "OKRs — Clinical Trials Operations · M2 (2)"
    state = FormState.parse(form["private_metadata"])
    assert state is not None and state.new
    submit_all(app, form, frame, target="second")
    slack.wait_for("chat.postMessage")  # the new draft's own DM message
    app.settle()
    names = sorted((d.name or "") for d in app.stores.drafts.list(PAT))
    assert names == ["", "OKRs — Clinical Trials Operations · M2 (2)"]  # the first keeps its frame's name
    listing = shown(app.command("drafts").json)
    assert "OKRs — Clinical Trials Operations · M2 (2)" in listing


def test_start_another_closed_with_nothing_typed_stores_nothing(app: RunningApp, slack: SlackStandIn,
                                                               repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    save_draft(app, slack, frame, target="first")
    asked = draft_targets(app, slack)
    app.click(DRAFT_ANOTHER_ACTION, button(asked, DRAFT_ANOTHER_ACTION)["value"], where="modal", view=asked)
    form = form_of(slack.wait_for("views.update")[0])
    assert app.close(form, fill(form, frame)).status == 200  # the preset name, as shown; nothing typed
    app.settle()
    assert len(app.stores.drafts.list(PAT)) == 1
    # Typing a value and closing keeps it, under the preset name.
    app.close(form, fill(form, frame, target="kept"))
    app.settle()
    kept = [d for d in app.stores.drafts.list(PAT) if "kept" in d.values.values()]
    assert [d.name for d in kept] == ["OKRs — Clinical Trials Operations · M2 (2)"]


def test_a_crafted_continue_finds_nothing_of_anyone_elses(app: RunningApp, slack: SlackStandIn,
                                                        repository: CanonRepository) -> None:
    save_draft(app, slack, okr_m2(repository), target="pat's")
    (pats,) = app.stores.drafts.list(PAT)
    slack.reset()
    app.click(DRAFT_CONTINUE_ACTION, DraftRef(draft=pats.id).value(), user="U222")
    note = slack.wait_for("response_url")[0]
    assert "That draft is gone" in shown(note.body)
    assert slack.calls("views.open") == [] and slack.calls("views.update") == []


def test_a_save_from_a_channel_is_confirmed_there_privately_with_a_link_to_the_dm_message(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    view = open_form(app, slack, channel="C777")
    submit_all(app, view, frame, target="90%")
    (note,) = slack.wait_for("chat.postEphemeral")
    assert (note.body["channel"], note.body["user"]) == ("C777", "U111")
    assert "Saved: OKRs — Clinical Trials Operations · M2" in shown(note.body)
    (draft,) = app.stores.drafts.list(PAT)
    assert draft.dm_channel and draft.dm_ts
    link = f"https://goals-test.slack.com/archives/{draft.dm_channel}/p{draft.dm_ts.replace('.', '')}"
    assert f"<{link}|Open it in your DM with Goals>" in json.dumps(note.body["blocks"], ensure_ascii=False)


def test_a_save_from_the_dm_says_nothing_more(app: RunningApp, slack: SlackStandIn,
                                              repository: CanonRepository) -> None:
    view = open_form(app, slack, channel="DU111")
    submit_all(app, view, okr_m2(repository), target="90%")
    slack.wait_for("chat.postMessage")
    app.settle()
    assert slack.calls("chat.postEphemeral") == [] and slack.calls("chat.getPermalink") == []


def test_another_name_is_the_first_number_no_draft_has(repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    default = "OKRs — Clinical Trials Operations · M2"
    def named(name: str | None) -> DraftView:
        view = draft_view(frame)
        return DraftView(draft=view.draft.model_copy(update={"name": name}), frame=frame,
                         progress=view.progress, leftovers=[])

    views = [named(None), named(f"{default} (3)"), named("H1 2027")]
    assert another_name(views) == f"{default} (2)"
    views.append(named(f"{default} (2)"))
    assert another_name(views) == f"{default} (4)"
