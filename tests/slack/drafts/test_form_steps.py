"""The draft form in steps: at most eight inputs a step, one date input for a row's dates,
unique labels, the draft's name and a period end on the first step, Back, and closing the
form keeping what was typed; stretch drafts keep their label."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS, Framework
from bot.frames.model import Frame, PlaceholderKind
from bot.goals.drafts.drafting import NAME_KEY, PERIOD_END_KEY, Drafting, Saved
from bot.goals.fields import form_inputs, placeholder_fields
from bot.slack.drafts.blocks import draft_message, drafts_blocks
from bot.slack.drafts.form import STEP_INPUTS_MAX, draft_form, form_steps, new_draft_form
from bot.slack.drafts.form_saving import save_submission
from bot.slack.shared.ids import DRAFT_ACTION, DRAFT_BACK_ACTION
from bot.slack.shared.values import FormState, FrameRef
from bot.store.draft_files import DraftFiles
from support.block_texts import shown
from support.canon_files import shipped_frames
from support.draft_flow import form_of, inputs, okr_m2, open_form, submit_all
from support.draft_helpers import NOW, PAT, big, check_modal, input_blocks, new_draft, state_for
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]
FUTURE = "2099-03-01"


def every_frame(repository: CanonRepository) -> list[Frame]:
    return [*shipped_frames(repository), *(build_frame(w, *big()) for w in ALL_FRAMEWORKS)]


def walk(frame: Frame) -> list[JSON]:
    """Every step of a new draft's form, as Next shows them one after the other."""
    draft, state = new_draft(frame), state_for(frame, new=True)
    views = [draft_form(frame, draft, state, canon_changed=False, leftover_count=0)]
    while views[-1]["submit"]["text"] == "Next":
        assert len(views) < 100
        following = FormState.parse(views[-1]["private_metadata"])
        assert following is not None
        views.append(draft_form(frame, draft, following.model_copy(update={"part": following.part + 1}),
                                canon_changed=False, leftover_count=0))
    return views


def test_no_step_of_any_shipped_frame_shows_more_than_eight_inputs(repository: CanonRepository) -> None:
    for frame in every_frame(repository):
        views = walk(frame)
        assert len(views) == len(form_steps(frame))
        shown_keys: list[str] = []
        for number, view in enumerate(views):
            check_modal(view)
            assert len(input_blocks(view)) <= STEP_INPUTS_MAX, (frame.framework, frame.level_code, number)
            assert view["notify_on_close"] is True
            blocks = [b["block_id"] for b in input_blocks(view)]
            assert (NAME_KEY in blocks and PERIOD_END_KEY in blocks) == (number == 0)
            shown_keys += [b for b in blocks if b not in (NAME_KEY, PERIOD_END_KEY)]
            if len(views) > 1:
                assert view["title"]["text"] == f"Draft · step {number + 1} of {len(views)}"
            back = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
                    if e["action_id"] == DRAFT_BACK_ACTION]
            assert len(back) == (number > 0)
        assert views[-1]["submit"]["text"] == "Save"
        assert shown_keys == [item.key for item in form_inputs(frame)]  # each input once, in order


def test_a_row_is_a_step_and_a_scorecard_perspective_is_split_evenly(repository: CanonRepository) -> None:
    found = repository.family_level("clinical-trials-ops", "M2")
    assert found is not None
    okr = build_frame(Framework.OKR, *found[:2])
    assert [{item.row for item in step} for step in form_steps(okr)] == [{n} for n in range(len(okr.rows))]
    scorecard = build_frame(Framework.SCORECARD, *found[:2])
    assert [len(step) for step in form_steps(scorecard)] == [4, 4, 6, 6]


def test_a_smart_goal_has_one_date_input_saved_under_both_its_dates(repository: CanonRepository,
                                                                    tmp_path: Path) -> None:
    found = repository.family_level("clinical-trials-ops", "M2")
    assert found is not None
    frame = build_frame(Framework.SMART, *found[:2])
    dates = [item for item in form_inputs(frame) if item.kind is PlaceholderKind.DATE]
    assert len(dates) == len(frame.rows)
    for item in dates:
        assert [key.rsplit(".", 2)[1] for key in item.keys] == ["measurable", "time_bound"]
    drafting = Drafting(repository, DraftFiles(tmp_path / "data"))
    started = drafting.start(PAT, "clinical-trials-ops", "M2", Framework.SMART)
    assert started is not None
    form = new_draft_form(started)
    assert [b["label"]["text"] for b in input_blocks(form)] == [
        "Draft name", "Period end", "Goal 1 · baseline", "Goal 1 · target", "Goal 1 · date"]
    state = FormState.parse(form["private_metadata"])
    assert state is not None
    view = submission(form, {dates[0].key: FUTURE})
    result, answer = save_submission(drafting, PAT, state, view, NOW)
    assert isinstance(result, Saved) and answer["response_action"] == "update"
    assert {key: result.draft.values[key] for key in dates[0].keys} == dict.fromkeys(dates[0].keys, FUTURE)


def test_labels_are_unique_in_every_frame(repository: CanonRepository) -> None:
    for frame in every_frame(repository):
        labels = [item.label for item in form_inputs(frame)]
        assert len(labels) == len(set(labels)), frame.framework
        assert all("(optional)" not in label for label in labels)  # Slack marks optional inputs itself


def test_period_end_fills_only_the_empty_dates_of_every_step(repository: CanonRepository, tmp_path: Path) -> None:
    drafting = Drafting(repository, DraftFiles(tmp_path / "data"))
    started = drafting.start(PAT, "clinical-trials-ops", "M2", Framework.OKR)
    assert started is not None and started.frame is not None
    frame = started.frame
    form = new_draft_form(started)
    state = FormState.parse(form["private_metadata"])
    assert state is not None
    first_date = next(item for item in form_steps(frame)[0] if item.kind is PlaceholderKind.DATE)
    typed = {first_date.key: "2098-01-01", PERIOD_END_KEY: FUTURE, NAME_KEY: "  H1 2099  "}
    result, _ = save_submission(drafting, PAT, state, submission(form, typed), NOW)
    assert isinstance(result, Saved)
    dates = [f.key for f in placeholder_fields(frame) if f.kind is PlaceholderKind.DATE]
    assert {key: result.draft.values[key] for key in first_date.keys} == dict.fromkeys(first_date.keys, "2098-01-01")
    assert all(result.draft.values[key] == FUTURE for key in dates if key not in first_date.keys)
    assert not [f for f in placeholder_fields(frame) if f.kind is not PlaceholderKind.DATE
                and f.key in result.draft.values]
    assert result.draft.name == "H1 2099"
    # A period end in the past is refused like any date, beside its input; nothing is saved.
    past = {PERIOD_END_KEY: "2000-01-01"}
    again = state.model_copy(update={"new": False})
    _, answer = save_submission(drafting, PAT, again, submission(form, past), NOW)
    assert answer["response_action"] == "errors" and list(answer["errors"]) == [PERIOD_END_KEY]


def test_a_draft_name_is_checked_and_shown_where_drafts_are(repository: CanonRepository, tmp_path: Path) -> None:
    drafting = Drafting(repository, DraftFiles(tmp_path / "data"))
    started = drafting.start(PAT, "clinical-trials-ops", "M2", Framework.OKR)
    assert started is not None
    form = new_draft_form(started)
    name_input = input_blocks(form)[0]
    assert name_input["element"]["placeholder"]["text"] == "OKRs — Clinical Trials Operations · M2"
    assert name_input["element"]["max_length"] == 80
    state = FormState.parse(form["private_metadata"])
    assert state is not None
    _, answer = save_submission(drafting, PAT, state, submission(form, {NAME_KEY: "a\u202ename"}), NOW)
    assert list(answer["errors"]) == [NAME_KEY]
    result, _ = save_submission(drafting, PAT, state, submission(form, {NAME_KEY: "<!here> H1"}), NOW)
    assert isinstance(result, Saved)
    view = drafting.get(PAT, result.draft.id)
    assert view is not None and view.name == "<!here> H1"
    message = json.dumps(draft_message(view).as_kwargs())
    assert "Your draft: &lt;!here&gt; H1" in message and "<!here>" not in message
    assert "&lt;!here&gt; H1" in json.dumps([b.to_dict() for b in drafts_blocks([view], 5)])


def test_a_stretch_draft_keeps_its_stretch_label(repository: CanonRepository, tmp_path: Path) -> None:
    drafting = Drafting(repository, DraftFiles(tmp_path / "data"))
    started = drafting.start(PAT, "clinical-project-management", "M4", Framework.OKR, "clinical-trials-ops", "M2")
    if started is None:
        pytest.skip("the shipped canon has no M3 for clinical-trials-ops")
    assert started.frame is not None and started.frame.stretch_label
    form = new_draft_form(started)
    state = FormState.parse(form["private_metadata"])
    assert state is not None and (state.for_family, state.for_level) == ("clinical-trials-ops", "M2")
    result, _ = save_submission(drafting, PAT, state, submission(form, {NAME_KEY: "stretch"}), NOW)
    assert isinstance(result, Saved)
    assert (result.draft.for_family, result.draft.for_level) == ("clinical-trials-ops", "M2")
    view = drafting.get(PAT, result.draft.id)
    assert view is not None and view.frame is not None and view.frame.stretch is not None
    assert shown(draft_message(view).as_kwargs()).count(started.frame.stretch_label) == 1


def submission(form: JSON, typed: dict[str, str]) -> JSON:
    """The form as Slack submits it: every input's state, `typed` where given."""
    values: JSON = {}
    for block in input_blocks(form):
        element = block["element"]
        value = typed.get(block["block_id"]) or element.get("initial_date") or element.get("initial_value")
        if element["type"] == "datepicker":
            values[block["block_id"]] = {"value": {"type": "datepicker", "selected_date": value}}
        else:
            values[block["block_id"]] = {"value": {"type": "plain_text_input", "value": value}}
    return {**form, "state": {"values": values}}


# Over signed HTTP --------------------------------------------------------------------------


def in_form(app: RunningApp, form: JSON, typed: dict[str, str], kind: str, view_id: str = "V0000001",
            **extra: Any) -> Any:
    """A payload from inside the open form: a Back click, or the form closed."""
    view = {**submission(form, typed), "id": view_id, "hash": "1700000000.abc", "team_id": "T333"}
    payload: JSON = {"type": kind, "team": {"id": "T333", "domain": "acme"},
                     "user": {"id": "U111", "username": "pat", "team_id": "T333"},
                     "api_app_id": "A444", "token": "legacy-verification-token", "view": view, **extra}
    return app.signed(urllib.parse.urlencode({"payload": json.dumps(payload)}))


def back(app: RunningApp, form: JSON, typed: dict[str, str]) -> Any:
    return in_form(app, form, typed, "block_actions", trigger_id="9.2.3",
                   container={"type": "view", "view_id": "V0000001"},
                   actions=[{"action_id": DRAFT_BACK_ACTION, "block_id": "goals_draft_back", "value": "1",
                             "type": "button", "action_ts": "1700000001.000200",
                             "text": {"type": "plain_text", "text": "Back"}}])


def close(app: RunningApp, form: JSON, typed: dict[str, str]) -> Any:
    return in_form(app, form, typed, "view_closed", is_cleared=False)


def next_step(app: RunningApp, form: JSON, typed: dict[str, str]) -> JSON:
    reply = app.submit(form, typed)
    assert reply.json["response_action"] == "update"
    view: JSON = reply.json["view"]
    return view


def test_back_saves_the_step_and_shows_the_one_before(app: RunningApp, slack: SlackStandIn,
                                                    repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    first = open_form(app, slack)
    second = next_step(app, first, {NAME_KEY: "H1"})
    app.settle()
    target = next(item for item in form_steps(frame)[1] if item.kind is PlaceholderKind.TARGET)
    slack.reset()
    assert back(app, second, {target.key: "40 sites"}).status == 200
    app.settle()
    update = slack.last("views.update")
    assert update.body["view_id"] == "V0000001" and update.body["hash"] == "1700000000.abc"
    shown_again = form_of(update)
    assert FormState.parse(shown_again["private_metadata"]).part == 0  # type: ignore[union-attr]
    assert NAME_KEY in [b["block_id"] for b in inputs(shown_again)]
    (draft,) = app.stores.drafts.list(PAT_HTTP)
    assert draft.values[target.key] == "40 sites" and draft.name == "H1"
    assert slack.calls("chat.update") or slack.calls("chat.postMessage")  # the DM shows the save


def test_back_with_a_refused_value_stays_on_the_step_and_says_why(app: RunningApp, slack: SlackStandIn,
                                                                 repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    second = next_step(app, open_form(app, slack), {})
    app.settle()
    step = form_steps(frame)[1]
    target = next(item for item in step if item.kind is PlaceholderKind.TARGET)
    date = next(item for item in step if item.kind is PlaceholderKind.DATE)
    slack.reset()
    back(app, second, {target.key: "kept", date.key: "2000-01-01"})
    app.settle()
    again = form_of(slack.last("views.update"))
    state = FormState.parse(again["private_metadata"])
    assert state is not None and state.part == 1
    values = {b["block_id"]: b["element"].get("initial_value") or b["element"].get("initial_date")
              for b in inputs(again)}
    assert values[target.key] == "kept" and values[date.key] == "2000-01-01"  # nothing typed is lost
    assert "Not saved: Pick today" in shown(again)
    (draft,) = app.stores.drafts.list(PAT_HTTP)
    assert target.key not in draft.values
    # Fixing the date and going on saves what was typed before as well.
    fixed = next_step(app, again, {target.key: "kept", date.key: FUTURE})
    assert FormState.parse(fixed["private_metadata"]).part == 2  # type: ignore[union-attr]
    (draft,) = app.stores.drafts.list(PAT_HTTP)
    assert draft.values[target.key] == "kept" and draft.values[date.key] == FUTURE


def test_closing_the_form_keeps_what_was_typed_and_dms_what_was_refused(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    form = open_form(app, slack)
    step = form_steps(frame)[0]
    target = next(item for item in step if item.kind is PlaceholderKind.TARGET)
    date = next(item for item in step if item.kind is PlaceholderKind.DATE)
    slack.reset()
    assert close(app, form, {target.key: "12 <sites>", date.key: "2000-01-01"}).status == 200
    app.settle()
    (draft,) = app.stores.drafts.list(PAT_HTTP)
    assert draft.values == {target.key: "12 <sites>"}
    notes = [c for c in slack.calls("chat.postMessage") if "could not be saved" in shown(c.body)]
    assert len(notes) == 1 and notes[0].body["channel"] == "U111"
    assert '"2000-01-01"' in shown(notes[0].body) and date.label in shown(notes[0].body)
    assert "<" not in json.dumps(notes[0].body["blocks"]).replace("\\u003c", "")  # escaped
    assert slack.calls("views.publish")  # the Home tab shows the draft


def test_a_new_draft_closed_with_nothing_typed_stores_nothing(app: RunningApp, slack: SlackStandIn) -> None:
    form = open_form(app, slack)
    slack.reset()
    assert close(app, form, {}).status == 200
    app.settle()
    assert app.stores.drafts.list(PAT_HTTP) == []
    assert not slack.calls("chat.postMessage")


def test_a_stretch_frames_draft_button_starts_a_stretch_draft(app: RunningApp, slack: SlackStandIn,
                                                            repository: CanonRepository) -> None:
    if repository.family_level("clinical-project-management", "M4") is None:
        pytest.skip("no M3")
    ref = FrameRef(family="clinical-project-management", level="M4", framework=Framework.OKR,
                   for_family="clinical-trials-ops", for_level="M2")
    app.click(DRAFT_ACTION, ref.value())
    form = form_of(slack.wait_for("views.open")[0])
    app.settle()
    assert "Stretch frame" in shown(form)
    app.submit(form, {NAME_KEY: "reach"})
    posted = slack.wait_for("chat.postMessage")[0]
    assert "Stretch frame" in shown(posted.body) and "Your draft: reach" in shown(posted.body)


PAT_HTTP = PAT.model_copy(update={"team": "T333", "user": "U111"})


def test_closing_the_form_of_a_draft_deleted_meanwhile_quotes_back_what_was_typed(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    first = open_form(app, slack)
    second = next_step(app, first, {NAME_KEY: "H1"})  # stored now
    app.settle()
    (draft,) = app.stores.drafts.list(PAT_HTTP)
    app.stores.drafts.delete(PAT_HTTP, draft.id)
    target = next(item for item in form_steps(frame)[1] if item.kind is PlaceholderKind.TARGET)
    slack.reset()
    app.close(second, {target.key: "40 <sites>"})
    (dm,) = slack.wait_for("chat.postMessage")
    text = shown(dm.body)
    assert dm.body["channel"] == "U111" and "deleted meanwhile" in text
    assert f'{target.label}: "40 <sites>" (not saved)' in text  # by its label, as typed
    assert target.key not in text and app.stores.drafts.list(PAT_HTTP) == []


def test_over_signed_http_no_step_of_any_shipped_frame_has_more_than_eight_inputs(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    for frame in shipped_frames(repository):
        words = f"draft {frame.level_code} {frame.family_slug} {frame.framework.value}"
        view = open_form(app, slack, words)
        # submit_all checks every step as Slack shows it; a target in each, so it is stored.
        steps = submit_all(app, view, frame, target="t")
        assert steps == len(form_steps(frame)), words
    app.settle()
    assert len(app.stores.drafts.list(PAT_HTTP)) == len(list(shipped_frames(repository)))
