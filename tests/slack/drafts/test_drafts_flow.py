"""Drafts end to end, as Slack drives them: signed HTTP into the running app (commands,
button clicks, form submissions, Home tab events), the Web API played by the stand-in.

The journey: start -> form -> submit -> the DM message -> /goals drafts -> edit (the same
message, updated in place) -> share -> delete; then what goes wrong: bad values, other
people's payloads, a canon that moved on, a restart, a broken or full store.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from slack_bolt import BoltContext

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.frames.templates import DISCLAIMER
from bot.goals.drafts.drafting import NAME_KEY, PERIOD_END_KEY
from bot.goals.fields import form_inputs, placeholder_fields
from bot.goals.model import NO_TEAM, Owner
from bot.slack.drafts.form import form_steps
from bot.slack.drafts.listeners import owner_of
from bot.slack.share.form import PICK_A_DESTINATION
from bot.slack.shared.ids import DRAFT_ACTION, SHARED_DELETE_ACTION
from bot.slack.shared.ids import DRAFT_COPY_ACTION as COPY_ACTION
from bot.slack.shared.ids import DRAFT_DELETE_ACTION as DELETE_ACTION
from bot.slack.shared.ids import DRAFT_EDIT_ACTION as EDIT_ACTION
from bot.slack.shared.ids import DRAFT_PAGE_ACTION as PAGE_ACTION
from bot.slack.shared.ids import DRAFT_SHARE_ACTION as SHARE_ACTION
from bot.slack.shared.values import DraftRef, FormState, FrameRef
from bot.store.draft_files import DraftFiles
from support.block_texts import shown, text_objects, unescape
from support.canon_files import family_doc, level_doc, write_canon_dir
from support.draft_flow import (
    fill,
    form_of,
    inputs,
    listed,
    okr_m2,
    open_form,
    open_new_form,
    save_draft,
    settled,
    submit_all,
    submit_steps,
)
from support.slack_app_harness import RunningApp, button
from support.slack_standin import Call, SlackStandIn

JSON = dict[str, Any]
PAT = Owner(team="T333", user="U111")
SAM = Owner(team="T333", user="U999")
FUTURE = "2099-03-01"






















# Starting a draft ---------------------------------------------------------------------------

def test_goals_draft_opens_the_form_at_once_with_an_input_per_placeholder(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    reply = app.command("draft M2 cto okr")
    assert reply.status == 200 and reply.body == ""
    opened = slack.wait_for("views.open")[0]
    assert opened.body["trigger_id"] == "1.2.3"
    view = form_of(opened)
    frame = okr_m2(repository)
    steps = form_steps(frame)
    assert len(steps) == len(frame.rows) > 1  # an objective a step
    # The first step: the draft's name and period end, then the first objective's inputs,
    # keyed by placeholder; dates are date pickers, the rest text.
    assert [b["block_id"] for b in inputs(view)] == [NAME_KEY, PERIOD_END_KEY, *(item.key for item in steps[0])]
    assert view["submit"]["text"] == "Next"
    assert all(b["optional"] is True for b in inputs(view))  # partial drafts are fine
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert [unescape(t) for t in texts] == [f"Objective 1: {frame.rows[0].heading[0].text}"]  # type: ignore[union-attr]
    # Then the timezone is learnt and added without touching the blocks (typing is kept).
    slack.wait_for("views.update")
    update = slack.last("views.update")
    assert slack.last("users.info").body["user"] == "U111"
    assert str(update.body["view_id"]).startswith("V") and update.body["hash"]
    assert form_of(update)["blocks"] == view["blocks"]
    state = FormState.parse(form_of(update)["private_metadata"])
    assert isinstance(state, FormState) and state.tz == "Europe/Berlin" and state.new
    # Nothing is stored until the person saves.
    assert app.stores.drafts.list(PAT) == []
    # Step by step: one input per placeholder, each once and in order, under its row's
    # heading (the objective as the frame words it).
    steps_shown = submit_steps(app, form_of(update), lambda step: {})
    assert len(steps_shown) == len(steps)
    fields = {f.key: f for f in placeholder_fields(frame)}
    shown_inputs = [b for step in steps_shown for b in inputs(step) if b["block_id"] not in (NAME_KEY, PERIOD_END_KEY)]
    assert [b["block_id"] for b in shown_inputs] == list(fields)
    for block in shown_inputs:
        field = fields[block["block_id"]]
        assert block["element"]["type"] == ("datepicker" if field.kind.value == "date" else "plain_text_input")
        assert block["optional"] is True
    assert [b["label"]["text"] for b in shown_inputs] == [item.label for item in form_inputs(frame)]
    headings = [unescape(b["text"]["text"]) for step in steps_shown for b in step["blocks"] if b["type"] == "section"]
    assert headings == [
        f"Objective {n}: {row.heading[0].text}" for n, row in enumerate(frame.rows, start=1)  # type: ignore[union-attr]
    ]
    assert [step["submit"]["text"] for step in steps_shown] == ["Next"] * (len(steps) - 1) + ["Save"]


def test_draft_targets_on_a_frame_opens_the_form_for_that_frame(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame_answer = app.command("M4 cpm mbo").json
    draft = button(frame_answer, DRAFT_ACTION)
    assert FrameRef.parse(draft["value"]) == FrameRef(family="clinical-project-management", level="M4",
                                                     framework=Framework.MBO)
    assert app.click(DRAFT_ACTION, draft["value"]).status == 200
    view = form_of(slack.wait_for("views.open")[0])
    state = FormState.parse(view["private_metadata"])
    assert isinstance(state, FormState)
    assert (state.family, state.level, state.framework) == ("clinical-project-management", "M4", Framework.MBO)
    found = repository.family_level("cpm", "M4")
    assert found is not None
    mbo = build_frame(Framework.MBO, found[0], found[1])
    assert [b["block_id"] for b in inputs(view)] == [NAME_KEY, PERIOD_END_KEY, *(i.key for i in form_steps(mbo)[0])]


@pytest.mark.parametrize("error", ["expired_trigger_id", "invalid_trigger_id"])
def test_a_form_that_cannot_open_in_time_says_so_privately(app: RunningApp, slack: SlackStandIn,
                                                          error: str) -> None:
    slack.fail("views.open", error)
    app.command("draft M2 cto okr")
    note = slack.wait_for("response_url")[0]
    assert note.body["response_type"] == "ephemeral"
    assert "3 seconds" in note.body["text"] or "3 seconds" in shown(note.body)
    assert not slack.calls("users.info")


@pytest.mark.parametrize(("method", "error"), [("users.info", "user_not_found"), ("views.update", "hash_conflict")])
def test_a_form_whose_timezone_cannot_be_added_still_works_and_nothing_is_said(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, method: str, error: str) -> None:
    slack.fail(method, error)
    app.command("draft M2 cto okr")
    view = form_of(slack.wait_for("views.open")[0])
    slack.wait_for(method)
    frame = okr_m2(repository)
    steps = submit_all(app, view, frame, target="90%")  # every step saved, the last one closes the form
    assert steps == len(form_steps(frame))
    (draft,) = app.stores.drafts.list(PAT)
    assert set(draft.values.values()) == {"90%"} and len(draft.values) == \
        sum(1 for f in placeholder_fields(frame) if f.kind.value == "target")
    settled(slack, steps)
    app.settle()
    assert slack.calls("response_url") == []  # no apology: the form opened and did its job
    assert [call.body["channel"] for call in slack.calls("chat.postMessage")] == ["U111"]  # just the draft


def test_draft_words_that_do_not_name_one_frame_get_a_private_error_and_no_form(
        app: RunningApp, slack: SlackStandIn) -> None:
    reply = app.command("draft M2 cto")
    assert reply.json["response_type"] == "ephemeral"
    assert "one framework" in shown(reply.json)
    assert "/goals draft M2 clinical-trials-ops okr" in shown(reply.json)
    assert not slack.calls("views.open")


# The journey ----------------------------------------------------------------------------------

def test_save_posts_one_dm_message_and_later_saves_update_it_in_place(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    view = open_form(app, slack)
    entries = fill(view, frame, baseline="72%", target="", date="")
    first_key = form_steps(frame)[0][0].key  # the first placeholder's input, after the draft's name
    assert first_key not in (NAME_KEY, PERIOD_END_KEY) and first_key in entries
    entries = {key: "72%" if key == first_key else "" for key in entries}
    reply = app.submit(view, entries).json  # Next: the step is saved, the next one shown
    assert reply["response_action"] == "update" and "step 2 of" in reply["view"]["title"]["text"]
    posted = slack.wait_for("chat.postMessage")[0]
    assert posted.body["channel"] == "U111"  # the person's DM with the app
    total = len(placeholder_fields(frame))
    assert f"1 of {total} placeholders filled" in shown(posted.body)
    assert "72%" in shown(posted.body)
    ids = {b["action_id"] for blk in posted.body["blocks"] if blk["type"] == "actions" for b in blk["elements"]}
    assert {EDIT_ACTION, COPY_ACTION, SHARE_ACTION, DELETE_ACTION} <= ids
    slack.wait_for("views.publish")  # the Home tab follows every change

    # Edit from the DM message: the form comes back filled; saving updates the same message.
    edit = button(posted.body, EDIT_ACTION)
    slack.reset()
    app.click(EDIT_ACTION, edit["value"], channel="DU111", where="message")
    slack.wait_for("views.update")
    form = form_of(slack.last("views.update"))
    prefilled = {b["block_id"]: b["element"].get("initial_value") for b in inputs(form)}
    assert prefilled[first_key] == "72%"
    steps = submit_all(app, form, frame, baseline="72%", target="12 sites activated", date=FUTURE)
    slack.wait_for("chat.update")
    settled(slack, steps)
    app.settle()
    updated = slack.last("chat.update")
    (draft,) = app.stores.drafts.list(PAT)
    assert draft.dm_channel == "DU111" and draft.dm_ts  # recorded from chat.postMessage's answer
    assert (updated.body["channel"], updated.body["ts"]) == (draft.dm_channel, draft.dm_ts)
    assert not slack.calls("chat.postMessage")  # in place, not a new message
    assert f"{total} of {total} placeholders filled" in shown(updated.body)
    rows = shown(updated.body).replace(DISCLAIMER, "")  # the disclaimer names the glyphs
    assert "⟨target⟩" not in rows and "12 sites activated" in rows


@pytest.mark.parametrize("error", ["message_not_found", "cant_update_message", "channel_not_found"])
def test_a_save_whose_dm_message_is_gone_posts_a_new_one(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, error: str) -> None:
    frame = okr_m2(repository)
    posted = save_draft(app, slack, frame, target="first")
    slack.reset()
    app.click(EDIT_ACTION, button(posted.body, EDIT_ACTION)["value"], channel="DU111", where="message")
    slack.wait_for("views.update")
    form = form_of(slack.last("views.update"))
    slack.fail("chat.update", error)  # the person deleted the message, or Slack will not edit it
    app.submit(form, fill(form, frame, target="second"))
    (again,) = slack.wait_for("chat.postMessage")
    assert again.body["channel"] == "U111" and "second" in shown(again.body)
    settled(slack, 1)
    assert slack.calls("response_url") == []  # nothing to apologise for


def test_drafts_lists_only_the_persons_own_drafts_with_progress_and_buttons(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    for _ in range(2):  # several drafts of the same frame are fine
        submit_all(app, open_new_form(app, slack), frame, target="90%")
    sams = open_new_form(app, slack, user="U999")
    submit_all(app, sams, frame, user="U999", target="secret of sam")
    slack.wait_for("chat.postMessage", 3)
    app.settle()

    listing = app.command("drafts").json
    assert listing["response_type"] == "ephemeral"
    text = shown(listing)
    # Newest first; the second of a frame is named apart from the first.
    assert listed(listing) == ["OKRs — Clinical Trials Operations · M2 (2)", "OKRs — Clinical Trials Operations · M2"]
    per_row = sum(1 for f in placeholder_fields(frame) if f.kind.value == "target")
    assert text.count(f"{per_row} of {len(placeholder_fields(frame))} placeholders filled") == 2
    assert "last edited <!date^" in json.dumps(listing)
    assert "secret of sam" not in json.dumps(listing)
    ids = [b["action_id"] for blk in listing["blocks"] if blk["type"] == "actions" for b in blk["elements"]]
    assert ids.count(EDIT_ACTION) == 2 and ids.count(DELETE_ACTION) == 2
    assert not [c for c in slack.calls() if c.method != "response_url" and c.path.endswith("drafts")]


def test_no_drafts_yet_says_how_to_start_one(app: RunningApp) -> None:
    text = shown(app.command("drafts").json)
    assert "no drafts yet" in text and "/goals draft M4 clinical-project-management okr" in text


def test_home_tab_lists_the_drafts_when_opened(app: RunningApp, slack: SlackStandIn,
                                               repository: CanonRepository) -> None:
    assert app.home_opened().status == 200
    empty = slack.wait_for("views.publish")[0]
    assert empty.body["user_id"] == "U111"
    assert "no drafts yet" in shown(empty.body["view"])
    view = open_form(app, slack)
    app.submit(view, fill(view, okr_m2(repository), baseline="1"))
    slack.wait_for("views.publish", 2)
    slack.reset()
    app.home_opened()
    home = slack.wait_for("views.publish")[0].body["view"]
    assert home["type"] == "home" and len(home["blocks"]) <= 100
    assert "OKRs — Clinical Trials Operations · M2" in shown(home)
    assert "Help" in shown(home)  # help stays below the drafts


def test_delete_asks_first_then_removes_the_draft_and_marks_its_message(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    posted = save_draft(app, slack, okr_m2(repository), baseline="5")
    delete = button(posted.body, DELETE_ACTION)
    assert delete["confirm"]["confirm"]["text"] == "Delete"  # Slack asks before sending the click
    slack.reset()
    app.click(DELETE_ACTION, delete["value"], where="home")
    marked = slack.wait_for("chat.update")[0]
    assert "You deleted this draft" in shown(marked.body)
    slack.wait_for("views.publish")
    assert app.stores.drafts.list(PAT) == []
    # Clicking it again (a stale message) deletes nothing and says it is gone.
    slack.reset()
    app.click(DELETE_ACTION, delete["value"], channel="DU111", where="message")
    note = slack.wait_for("response_url")[0]
    assert "That draft is gone" in shown(note.body) and note.body["response_type"] == "ephemeral"


def test_delete_still_deletes_when_its_message_cannot_be_marked(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    posted = save_draft(app, slack, okr_m2(repository), baseline="5")
    slack.reset()
    slack.fail("chat.update", "message_not_found")  # the person deleted the DM message already
    app.click(DELETE_ACTION, button(posted.body, DELETE_ACTION)["value"], where="home")
    home = slack.wait_for("views.publish")[0].body["view"]
    assert "no drafts yet" in shown(home)
    assert app.stores.drafts.list(PAT) == []
    assert slack.calls("chat.postMessage") == []  # no apology in the DM


def test_delete_from_the_drafts_list_shows_the_list_without_it(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    for target in ("first", "second"):
        view = open_new_form(app, slack)
        app.submit(view, fill(view, okr_m2(repository), target=target))  # Next saves the step
    slack.wait_for("chat.postMessage", 2)
    listing = app.command("drafts").json
    delete = button(listing, DELETE_ACTION)
    slack.reset()
    app.click(DELETE_ACTION, delete["value"], where="ephemeral")
    replaced = slack.wait_for("response_url")[0]
    assert replaced.body["replace_original"] is True
    assert listed(replaced.body) == ["OKRs — Clinical Trials Operations · M2"]
    assert len(app.stores.drafts.list(PAT)) == 1


def test_copy_as_text_gives_the_filled_frame_privately(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    posted = save_draft(app, slack, frame, baseline="72%", target="90%", date=FUTURE)
    slack.reset()
    app.click(COPY_ACTION, button(posted.body, COPY_ACTION)["value"], channel="DU111", where="message")
    copy = slack.wait_for("response_url")[0]
    assert copy.body["response_type"] == "ephemeral"
    from bot.frames.text import render_frame
    values = app.stores.drafts.list(PAT)[0].values
    assert unescape("".join(b["text"]["text"] for b in copy.body["blocks"] if b["type"] == "section")) == \
        render_frame(frame, values)


# Sharing ---------------------------------------------------------------------------------------

def share_form_for(app: RunningApp, slack: SlackStandIn, posted: Call) -> JSON:
    slack.reset()
    app.click(SHARE_ACTION, button(posted.body, SHARE_ACTION)["value"], channel="DU111", where="message")
    return form_of(slack.wait_for("views.open")[0])


def test_share_with_empty_placeholders_asks_first_then_posts_drafted_by(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    posted = save_draft(app, slack, frame, target="90%")
    form = share_form_for(app, slack, posted)
    total = len(placeholder_fields(frame))
    filled = sum(1 for f in placeholder_fields(frame) if f.kind.value == "target")
    assert form["submit"]["text"] == "Post"
    assert f"{total - filled} of {total} placeholders are still empty" in shown(form)
    picker = inputs(form)[0]["element"]
    assert picker["type"] == "conversations_select" and picker["response_url_enabled"] is True
    # Submitting without a channel, or with one that is no conversation id, is refused next to the field.
    for picked in ("", "<#C777>", "../C777"):
        assert app.submit(form, {"channel": picked}).json == {
            "response_action": "errors", "errors": {"channel": PICK_A_DESTINATION}}
    slack.reset()
    assert app.submit(form, {"channel": "C777"}, channel="C777").body == ""
    post = slack.wait_for("response_url")[0]
    assert post.body["response_type"] == "in_channel"
    assert "Drafted by" in post.body["blocks"][0]["elements"][0]["text"]
    assert post.body["blocks"][0]["elements"][1]["text"] == "<@U111>"
    assert "90%" in shown(post.body) and "⟨baseline⟩" in shown(post.body)
    # Teammates may start their own draft from it, nothing else; the sharer may delete it.
    assert [b["action_id"] for blk in post.body["blocks"] if blk["type"] == "actions"
            for b in blk["elements"]] == [DRAFT_ACTION, SHARED_DELETE_ACTION]


def test_a_complete_draft_shares_without_asking_and_not_in_channel_gets_the_invite_note(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    posted = save_draft(app, slack, frame, baseline="1", target="2", date=FUTURE)
    form = share_form_for(app, slack, posted)
    assert form["submit"]["text"] == "Post"
    assert "still empty" not in shown(form)
    # No response_url this time (Slack omits it for some conversations): the app posts
    # itself, is not a member, and tells the person how to invite it.
    slack.reset()
    slack.fail("chat.postMessage", "not_in_channel")
    slack.fail("chat.postEphemeral", "not_in_channel")
    app.submit(form, {"channel": "C777"})
    dm = slack.wait_for("chat.postMessage", 2)[-1]
    assert dm.body["channel"] == "U111" and "/invite @Goals" in shown(dm.body)


# Validation -------------------------------------------------------------------------------------

def test_bad_values_are_refused_next_to_their_fields_and_nothing_is_saved(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    view = open_form(app, slack)
    # The first step's inputs: one baseline, two targets, two dates (and the draft's name).
    keys = {kind: [item.key for item in form_steps(frame)[0] if item.kind.value == kind]
            for kind in ("baseline", "target", "date")}
    entries = {keys["baseline"][0]: "x" * 201, keys["target"][0]: "line\nbreak",
               NAME_KEY: "bell\x07", keys["date"][0]: "2001-01-01",
               keys["date"][1]: "2027-02-30", keys["target"][1]: "fine"}
    slack.reset()
    reply = app.submit(view, entries).json
    assert reply["response_action"] == "errors"  # the form stays on its step
    errors = reply["errors"]
    assert set(errors) == set(entries) - {keys["target"][1]}
    assert "201" in errors[keys["baseline"][0]]
    assert "line break" in errors[keys["target"][0]]
    assert "U+0007" in errors[NAME_KEY]
    assert "in the past" in errors[keys["date"][0]]
    assert "not a real date" in errors[keys["date"][1]]
    assert app.stores.drafts.list(PAT) == []  # not even the fine value
    assert slack.calls() == []  # no DM message, no Home tab: nothing changed


@pytest.mark.parametrize(("tz", "accepted"), [("Pacific/Auckland", False), ("America/Los_Angeles", True)])
def test_today_is_the_persons_own_today(app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
                                        tz: str, accepted: bool) -> None:
    # 23:30 UTC on 10 January: already 11 January in Auckland, still the 10th in Los Angeles.
    slack.set_user_tz("U111", tz)
    frame = okr_m2(repository)
    view = open_form(app, slack)
    date_key = next(f.key for f in placeholder_fields(frame) if f.kind.value == "date")
    with freeze_time(datetime(2027, 1, 10, 23, 30, tzinfo=UTC), tick=True):
        reply = app.submit(view, {date_key: "2027-01-10"})
    if accepted:
        assert reply.json["response_action"] == "update"  # saved, on to the next step
        assert "step 2 of" in reply.json["view"]["title"]["text"]
        assert app.stores.drafts.list(PAT)[0].values == {date_key: "2027-01-10"}
        settled(slack, 1)
    else:
        assert "Pick today (2027-01-11)" in reply.json["errors"][date_key]
        assert app.stores.drafts.list(PAT) == []


# Privacy ----------------------------------------------------------------------------------------

def test_someone_elses_draft_id_reveals_and_changes_nothing(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    view = open_form(app, slack)
    app.submit(view, fill(view, frame, target="pat's private target"))
    posted = slack.wait_for("chat.postMessage")[0]
    settled(slack, 1)
    store = app.stores.drafts
    before = store.list(PAT)
    ref = button(posted.body, EDIT_ACTION)["value"]
    share = share_form_for(app, slack, posted)  # Pat's share form: its private_metadata names his draft
    slack.reset()
    # Sam replays Pat's buttons (the value names Pat's draft) ...
    for action in (EDIT_ACTION, COPY_ACTION, SHARE_ACTION, DELETE_ACTION, f"{PAGE_ACTION}next"):
        app.click(action, ref, user="U999", channel="C222")
    slack.wait_for("response_url", 5)
    # ... submits Pat's share form into a channel ...
    assert app.submit(share, {"channel": "C777"}, user="U999", channel="C777").body == ""
    slack.wait_for("response_url", 6)
    # ... and submits a form naming Pat's draft, as an edit and as a new one.
    state = FormState.parse(view["private_metadata"])
    assert isinstance(state, FormState)
    forged = {**view, "private_metadata": state.model_copy(update={"draft": before[0].id, "new": False}).value()}
    assert "deleted" in shown(app.submit(forged, fill(view, frame, target="hacked"), user="U999").json["view"])
    forged_new = {**view, "private_metadata": state.model_copy(update={"draft": before[0].id}).value()}
    app.submit(forged_new, fill(view, frame, target="hacked"), user="U999")
    settled(slack, 1)
    everything = json.dumps([c.body for c in slack.calls()])
    assert "pat's private target" not in everything
    assert not slack.calls("views.open")  # no form of Pat's draft opened for Sam
    assert store.list(PAT) == before  # unchanged, and still there
    # The forged "new" draft is Sam's own, in Sam's own file.
    assert [set(d.values.values()) for d in store.list(SAM)] == [{"hacked"}]
    for call in slack.calls("response_url"):
        assert "That draft is gone" in shown(call.body)


def test_drafts_are_kept_apart_per_enterprise_too(app: RunningApp, slack: SlackStandIn,
                                                  repository: CanonRepository) -> None:
    posted = save_draft(app, slack, okr_m2(repository), target="in the workspace")
    slack.reset()
    # The same team and user ids under an enterprise are another person's store.
    copy = button(posted.body, COPY_ACTION)["value"]
    app.click(COPY_ACTION, copy, enterprise="E0ORG")
    note = slack.wait_for("response_url")[0]
    assert "That draft is gone" in shown(note.body) and "in the workspace" not in json.dumps(note.body)
    # Nor does an enterprise id spelt like the folder of no enterprise: no one's, so ignored.
    slack.reset()
    assert app.click(COPY_ACTION, copy, enterprise="-").status == 200
    app.settle()
    assert slack.calls() == []


def test_the_owner_is_read_from_the_signed_context_and_no_id_poses_as_a_missing_one() -> None:
    assert owner_of(BoltContext({"user_id": "U1", "team_id": "T1"})) == Owner(team="T1", user="U1")
    assert owner_of(BoltContext({"user_id": "U1", "team_id": None})) == Owner(team=NO_TEAM, user="U1")
    assert owner_of(BoltContext({"user_id": "U1", "team_id": NO_TEAM})) is None
    assert owner_of(BoltContext({"user_id": "U1", "team_id": "T1", "enterprise_id": "-"})) is None
    assert owner_of(BoltContext({"team_id": "T1"})) is None


def test_typed_values_are_shown_as_text_never_as_markup(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    view = open_form(app, slack)
    nasty = "<!channel> <@U0BOSS> <https://evil.example|click> *bold* :boom:"
    app.submit(view, fill(view, frame, target=nasty))
    posted = slack.wait_for("chat.postMessage")[0]
    raw = json.dumps(posted.body)
    assert "<!channel>" not in raw and "<@U0BOSS>" not in raw and "<https://evil" not in raw
    assert "&lt;!channel&gt;" in raw
    for obj in text_objects(posted.body["blocks"]):
        if nasty[:10] in unescape(obj["text"]):
            assert obj["type"] == "plain_text" and obj["emoji"] is False


# The canon moves on; restarts; broken stores ----------------------------------------------------

def canon_v1(root: Path) -> Path:
    return write_canon_dir(root, levels=[level_doc("L1", dimensions=3)], families=[family_doc(levels={
        "L1": {"responsibilities": ["Builds widgets", "Ships widgets", "Tests widgets"],
               "rubrics": {"complexity": "Solves widget problems."}}})])


def canon_v2(root: Path) -> Path:
    # "Ships widgets" vanished; "Repairs widgets" is new; the others are unchanged.
    return write_canon_dir(root, levels=[level_doc("L1", dimensions=3)], families=[family_doc(levels={
        "L1": {"responsibilities": ["Builds widgets", "Repairs widgets", "Tests widgets"],
               "rubrics": {"complexity": "Solves widget problems."}}})])


def test_a_canon_change_keeps_values_and_shows_vanished_rows_apart(slack: SlackStandIn, tmp_path: Path) -> None:
    data = tmp_path / "data"
    targets: list[str] = []

    def numbered_targets(step: JSON) -> dict[str, str]:
        keys = [b["block_id"] for b in inputs(step) if b["block_id"].endswith(".target")]
        targets.extend(keys)
        return {key: f"target {targets.index(key)}" for key in keys}

    with RunningApp(slack, canon_dir=canon_v1(tmp_path / "v1"), data_dir=data) as first:
        view = open_form(first, slack, words="draft L1 widgets mbo")
        saves = len(submit_steps(first, view, numbered_targets))
        settled(slack, saves)
        first.settle()
    assert len(targets) >= 3
    slack.reset()
    with RunningApp(slack, canon_dir=canon_v2(tmp_path / "v2"), data_dir=data) as second:
        listing = second.command("drafts").json
        assert "the canon has changed" in shown(listing) and "1 no longer in the canon" in shown(listing)
        second.click(EDIT_ACTION, button(listing, EDIT_ACTION)["value"])
        form = form_of(slack.wait_for("views.open")[0])
        assert "has changed since this draft was saved" in shown(form)
        kept: dict[str, str | None] = {}

        def as_shown(step: JSON) -> dict[str, str]:
            values = {b["block_id"]: b["element"].get("initial_value") for b in inputs(step)}
            kept.update(values)
            return {key: value or "" for key, value in values.items()}

        saves = len(submit_steps(second, form, as_shown))
        assert kept[targets[0]] == "target 0" and kept[targets[2]] == "target 2"
        assert targets[1] not in kept  # its row is gone from the form ...
        slack.wait_for("chat.update")
        settled(slack, saves)
        second.settle()
        text = shown(slack.last("chat.update").body)
        # ... but not from the draft: shown apart, with what it was for.
        assert "No longer in the canon" in text
        assert "Ships widgets" in text.split("No longer in the canon")[1]
        assert "target 1" in text.split("No longer in the canon")[1]
        assert "target 0" in text.split("No longer in the canon")[0]


def test_a_restart_keeps_every_draft(slack: SlackStandIn, tmp_path: Path, repository: CanonRepository) -> None:
    data = tmp_path / "data"
    with RunningApp(slack, data_dir=data) as first:
        for target in ("a", "b", "c"):
            view = open_new_form(first, slack)
            first.submit(view, fill(view, okr_m2(repository), target=target))  # Next saves the step
        settled(slack, 3)
        before = first.stores.drafts.list(PAT)
    slack.reset()
    with RunningApp(slack, data_dir=data) as second:
        listing = shown(second.command("drafts").json)
        assert second.stores.drafts.list(PAT) == before
    for name in ("M2", "M2 (2)", "M2 (3)"):
        assert listing.count(f"\nOKRs — Clinical Trials Operations · {name}\n") == 1


def test_a_corrupt_store_file_gets_an_apology_and_is_left_untouched(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    path = DraftFiles(app.data_dir).path(PAT)
    path.parent.mkdir(parents=True, exist_ok=True)
    view = open_form(app, slack)  # opened before the file broke
    path.write_bytes(b'{"drafts": {"1": {"id": "tru')
    reply = app.command("drafts").json
    assert "could not read or save its records" in reply["text"] and "error id" in reply["text"]
    assert "Traceback" not in json.dumps(reply)
    answer = app.submit(view, fill(view, okr_m2(repository), target="x")).json
    assert answer["response_action"] == "errors" and "error id" in answer["errors"][NAME_KEY]
    # A new draft's form does not open either (the app looks for drafts of that frame
    # first): the person is told privately, with an error id.
    slack.reset()
    assert app.command("draft M2 cto okr").body == ""
    note = slack.wait_for("response_url")[0]
    assert note.body["response_type"] == "ephemeral" and "error id" in shown(note.body)
    assert "Traceback" not in json.dumps(note.body)
    assert not slack.calls("views.open")
    assert path.read_bytes() == b'{"drafts": {"1": {"id": "tru'


# Where each fault surfaces in a save: a read-only directory refuses the temporary file; a
# full disk fails the write or its fsync (the kernel may defer it), or the rename.
STORE_FAULTS = {
    "read-only at the temporary file": ("bot.store.draft_files.tempfile.mkstemp", errno.EROFS),
    "disk full at fsync": ("bot.store.draft_files.os.fsync", errno.ENOSPC),
    "disk full at the rename": ("bot.store.draft_files.os.replace", errno.ENOSPC),
}


@pytest.mark.parametrize("fault", STORE_FAULTS.values(), ids=STORE_FAULTS.keys())
def test_a_store_that_cannot_be_written_keeps_the_form_and_the_previous_draft(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, monkeypatch: pytest.MonkeyPatch,
        fault: tuple[str, int]) -> None:
    frame = okr_m2(repository)
    posted = save_draft(app, slack, frame, target="kept")
    app.click(EDIT_ACTION, button(posted.body, EDIT_ACTION)["value"])
    form = form_of(slack.wait_for("views.open", 2)[-1])
    target, failure = fault

    def fail(*_: object, **__: object) -> None:
        raise OSError(failure, os.strerror(failure))

    with monkeypatch.context() as patch:
        patch.setattr(target, fail)
        answer = app.submit(form, fill(form, frame, target="lost?")).json
    assert answer["response_action"] == "errors"  # the form stays open with what was typed
    (block, error), = answer["errors"].items()
    assert block == NAME_KEY and "could not be saved" in error  # beside the first input of the step
    assert {v for d in app.stores.drafts.list(PAT) for v in d.values.values()} == {"kept"}
    assert not list(DraftFiles(app.data_dir).path(PAT).parent.glob(".*"))  # no temporary file left
    assert app.command("M2 cto okr").status == 200  # and the app keeps serving
    # Once the disk has room again: every step saves, the last closes the form.
    assert submit_all(app, form, frame, target="saved") == len(form_steps(frame))
    assert {v for d in app.stores.drafts.list(PAT) for v in d.values.values()} == {"saved"}


def test_a_form_whose_save_fails_unexpectedly_stays_open_with_an_error_id(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    frame = okr_m2(repository)
    form = open_form(app, slack)

    def bug(*_: object, **__: object) -> None:
        raise KeyError("a bug of ours")

    with monkeypatch.context() as patch, caplog.at_level(logging.ERROR, logger="goals"):
        patch.setattr("bot.goals.drafts.drafting.Drafting.save", bug)
        reply = app.submit(form, fill(form, frame, target="typed"))
    assert reply.status == 200  # not a 500, which Slack shows as a failure to connect
    answer = reply.json
    assert answer["response_action"] == "errors"  # beside the first field: what was typed stays
    (block, text), = answer["errors"].items()
    assert block == inputs(form)[0]["block_id"] == NAME_KEY
    assert text.startswith("Sorry, something went wrong on our side (error id ")
    assert "KeyError" not in text and "Traceback" not in text
    error_id = text.split("error id ")[1].split(")")[0]
    assert error_id in caplog.text and "a bug of ours" in caplog.text  # the details are in the log
    assert app.stores.drafts.list(PAT) == []


# Long frames ----------------------------------------------------------------------------------

def big_canon(root: Path) -> Path:
    # 60 responsibilities: 60 steps of the form, and more rows than one DM message shows.
    return write_canon_dir(root, levels=[level_doc("L1", dimensions=12)], families=[family_doc(levels={
        "L1": {"responsibilities": [f"Responsibility {i} keeps <trial> & data {i} clean" for i in range(1, 61)],
               "rubrics": {"complexity": "Solves widget problems."}}})])


def test_a_frame_too_long_for_one_form_is_filled_in_parts(slack: SlackStandIn, tmp_path: Path) -> None:
    with RunningApp(slack, canon_dir=big_canon(tmp_path / "big"), data_dir=tmp_path / "data") as app:
        view = open_form(app, slack, words="draft L1 widgets okr")
        seen: list[str] = []
        parts = 0
        while True:
            parts += 1
            assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24
            keys = [b["block_id"] for b in inputs(view)]
            seen += keys
            reply = app.submit(view, {key: "7" for key in keys if key.endswith(".target")})
            if not reply.body:
                break
            assert reply.json["response_action"] == "update"
            view = reply.json["view"]
        assert parts >= 2
        repository = CanonRepository.open(tmp_path / "big")
        found = repository.family_level("widgets", "L1")
        assert found is not None
        frame = build_frame(Framework.OKR, found[0], found[1])
        assert seen[:2] == [NAME_KEY, PERIOD_END_KEY]  # the first step's own inputs
        # Then every placeholder, once, in order.
        assert seen[2:] == [f.key for f in placeholder_fields(frame)]
        drafts = app.stores.drafts.list(PAT)
        assert len(drafts) == 1  # the parts fill one draft
        assert set(drafts[0].values) == {k for k in seen if k.endswith(".target")}
        # Its DM message pages like any long frame.
        settled(slack, parts)
        app.settle()
        message = slack.last("chat.update") if slack.calls("chat.update") else slack.last("chat.postMessage")
        nexts = [b for blk in message.body["blocks"] if blk["type"] == "actions" for b in blk["elements"]
                 if b["action_id"] == f"{PAGE_ACTION}next"]
        assert nexts and DraftRef.parse(nexts[0]["value"]) == DraftRef(draft=drafts[0].id, page=1)
        slack.reset()
        app.click(f"{PAGE_ACTION}next", nexts[0]["value"], channel="DU111", where="message")
        page_two = slack.wait_for("response_url")[0].body
        assert page_two["replace_original"] is True and len(page_two["blocks"]) <= 50
        assert "Page 2 of " in shown(page_two)


# Concurrency ------------------------------------------------------------------------------------

def test_saves_arriving_at_once_lose_nothing(app: RunningApp, slack: SlackStandIn,
                                             repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    forms = [open_form(app, slack) for _ in range(8)]
    replies: list[str] = []

    def save(index: int) -> None:
        replies.append(app.submit(forms[index], fill(forms[index], frame, target=f"t{index}")).json
                       .get("response_action", ""))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == ["update"] * 8  # each saved, on to its next step
    stored = app.stores.drafts.list(PAT)
    assert sorted({next(iter(set(d.values.values()))) for d in stored}) == sorted(f"t{i}" for i in range(8))
    settled(slack, 8)


def test_two_workers_saving_one_new_draft_post_its_dm_message_once(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    # The same form submitted twice in quick succession (a double click on Save, or the
    # next part of a long form), the second reaching another gunicorn worker while the
    # first DM post is still on its way: it must update that message, not post a second
    # one that nothing would ever update again.
    frame = okr_m2(repository)
    view = open_form(app, slack)
    slack.reset()
    with RunningApp(slack, data_dir=app.data_dir) as other_worker:  # its start resets the scripts
        slack.delay("chat.postMessage", 0.5)
        assert app.submit(view, fill(view, frame, target="first")).json["response_action"] == "update"
        slack.wait_for("chat.postMessage")  # arrived, not yet answered
        assert other_worker.submit(view, fill(view, frame, target="second")).json["response_action"] == "update"
        settled(slack, 2)
    assert len(slack.calls("chat.postMessage")) == 1
    (updated,) = slack.calls("chat.update")
    (draft,) = app.stores.drafts.list(PAT)
    assert (updated.body["channel"], updated.body["ts"]) == (draft.dm_channel, draft.dm_ts)
    assert "second" in shown(updated.body)


def test_a_draft_deleted_while_its_first_dm_post_is_on_its_way_gets_that_message_marked(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    view = open_form(app, slack)
    state = FormState.parse(view["private_metadata"])
    assert state is not None
    slack.reset()
    with RunningApp(slack, data_dir=app.data_dir) as other_worker:  # its start resets the scripts
        slack.delay("chat.postMessage", 0.5)
        assert app.submit(view, fill(view, okr_m2(repository), target="t")).json["response_action"] == "update"
        slack.wait_for("chat.postMessage")  # arrived, not yet answered
        # Delete from the Home tab's list, handled by the other worker.
        other_worker.click(DELETE_ACTION, DraftRef(draft=state.draft).value(), where="home")
        slack.wait_for("views.publish", 2)
    assert len(slack.calls("chat.postMessage")) == 1
    (marked,) = slack.calls("chat.update")
    assert marked.body["channel"] == "DU111" and "You deleted this draft" in shown(marked.body)
    assert app.stores.drafts.list(PAT) == []


def test_a_form_from_an_older_version_says_nothing_was_saved(app: RunningApp, slack: SlackStandIn) -> None:
    view = open_form(app, slack)
    reply = app.submit({**view, "private_metadata": '{"old": "shape"}'}, {}).json
    assert reply["response_action"] == "update"
    assert "out of date" in shown(reply["view"]) and app.stores.drafts.list(PAT) == []


@pytest.mark.parametrize("response_url", ["none", "unreachable", "expired"])
def test_a_failure_where_there_is_no_usable_response_url_is_apologised_for_in_the_dm(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, response_url: str) -> None:
    posted = save_draft(app, slack, okr_m2(repository), target="t")
    slack.reset()
    slack.fail("views.open", "internal_error")
    edit = button(posted.body, EDIT_ACTION)["value"]
    if response_url == "none":
        app.click(EDIT_ACTION, edit, where="home")  # the Home tab: no response_url
    else:  # clicked in the DM message, whose response_url takes nothing
        app.click(EDIT_ACTION, edit, channel="DU111", where="message",
                  response_url=app.unusable_response_url(response_url))
    # An expired URL answers at once; an unreachable one is retried by the SDK first.
    apology = slack.wait_for("chat.postMessage", timeout=1 if response_url == "expired" else 4)[0]
    assert apology.body["channel"] == "U111"
    assert "Sorry, something went wrong" in apology.body["text"] and "error id" in apology.body["text"]
    assert "internal_error" not in apology.body["text"]
