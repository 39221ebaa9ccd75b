"""Goals agreed with the manager, over signed HTTP, on both stores: Alice sends her M2 OKR
draft to Bob; Bob asks for changes; Alice edits and sends it again; Bob agrees; an edit
afterwards keeps the agreed version in sight. Carol, replaying every button, changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.build import build_frame
from bot.frames.frameworks import Framework
from bot.goals.drafts.drafting import Drafting
from bot.goals.model import Owner, ReviewStatus
from bot.slack.drafts.catch_up import deliver_due
from bot.slack.shared.ids import (
    ACCEPT_ACTION,
    DRAFT_DELETE_ACTION,
    DRAFT_EDIT_ACTION,
    DRAFT_FOR_ACTION,
    PROPOSE_ACTION,
    REVIEW_AGREE_ACTION,
    REVIEW_CHANGES_ACTION,
    REVIEW_SEND_ACTION,
)
from bot.slack.shared.surfaces import Surfaces
from bot.slack.shared.values import FormState
from support.block_texts import shown
from support.draft_flow import form_of, okr_m2, open_form, submit_all
from support.slack_app_harness import RunningApp, button
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]
ALICE, BOB, CAROL = "UALICE", "UBOB", "UCAROL"
ALICE_OWNER = Owner(team="T333", user=ALICE)


@pytest.fixture
def app(slack: SlackStandIn, store_env: dict[str, str], tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data", env=store_env) as running:
        yield running


def app_surfaces(app: RunningApp, repository: CanonRepository) -> Surfaces:
    """What the app's catch-up loop works with, on the running app's stores."""
    return Surfaces(Drafting(repository, app.stores.drafts), app.stores.profiles)


def action_ids(message: JSON) -> list[str]:
    return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def alices_message(slack: SlackStandIn) -> JSON:
    """Alice's draft message as Goals last posted or updated it in her DM."""
    calls = [c for c in slack.calls() if c.method in ("chat.postMessage", "chat.update")
             and c.body.get("channel") in (ALICE, "D" + ALICE) and "thread_ts" not in c.body
             and c.body.get("blocks") and c.body["blocks"][0]["type"] == "header"
             and c.body["blocks"][0]["text"]["text"].startswith("Your draft:")]
    assert calls, "no draft message for Alice"
    return calls[-1].body


def bobs_message(slack: SlackStandIn) -> JSON:
    calls = [c for c in slack.calls() if c.method in ("chat.postMessage", "chat.update")
             and c.body.get("channel") in (BOB, "D" + BOB) and "Review:" in json.dumps(c.body.get("blocks", []))]
    assert calls, "no review message for Bob"
    return calls[-1].body


def alice_drafts(app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    """Alice fills an M2 OKR draft (12 sites for every target) from her DM: its message is posted."""
    submit_all(app, open_form(app, slack, user=ALICE, channel="D" + ALICE), okr_m2(repository),
               user=ALICE, target="12 sites")
    app.settle()


def slack_refuses(slack: SlackStandIn, trouble: str) -> None:
    """Slack answers every post, update and Home tab with a 429 (Retry-After 30 s) or a 500."""
    for method in ("chat.update", "chat.postMessage", "views.publish"):
        if trouble == "429":
            slack.rate_limit(method, retry_after=30, times=20)
        else:
            slack.server_error(method, status=500, times=20)


def click_open(app: RunningApp, slack: SlackStandIn, message: JSON, action: str, user: str) -> JSON:
    """Click `action` on `message` as `user`: the form it opens."""
    before = len(slack.calls("views.open"))
    found = button(message, action)
    app.click(found["action_id"], found["value"], user=user, channel="D" + user, where="message")
    return form_of(slack.wait_for("views.open", before + 1)[-1])


def send_for_review(app: RunningApp, slack: SlackStandIn, message: JSON, entries: dict[str, str]) -> JSON:
    """Click Send for review on Alice's draft message and submit the form: its ack."""
    form = click_open(app, slack, message, REVIEW_SEND_ACTION, ALICE)
    reply = app.submit(form, entries, user=ALICE)
    app.settle()
    return reply.json if reply.body else {}


def test_alice_and_bob_agree_her_goals_and_carol_changes_nothing(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    alice_drafts(app, slack, repository)
    shown_to_carol: list[JSON] = []

    # Alice sends it to Bob with a note.
    first = alices_message(slack)
    shown_to_carol.append(first)
    assert send_for_review(app, slack, first, {"reviewer": BOB, "note": "Q1 <please> & thanks"}) == {}
    to_bob = bobs_message(slack)
    assert "UALICE" in json.dumps(to_bob["blocks"][1]) and "asks you to review" in shown(to_bob)
    assert "“Q1 <please> & thanks”" in shown(to_bob)  # her note, as hers, escaped
    assert "12 sites" in shown(to_bob)
    assert action_ids(to_bob) == [REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION]
    shown_to_carol.append(to_bob)
    mine = alices_message(slack)
    assert "In review with" in shown(mine) and "<@UBOB>" in json.dumps(mine["blocks"])
    threads = [c for c in slack.calls("chat.postMessage") if c.body.get("thread_ts")]
    assert threads and "Sent to <@UBOB> for review." in threads[-1].body["text"]

    # Bob asks for changes, with a comment.
    changes = click_open(app, slack, to_bob, REVIEW_CHANGES_ACTION, BOB)
    assert app.submit(changes, {"comment": ""}, user=BOB).json["response_action"] == "errors"  # required
    app.submit(changes, {"comment": "Make KR1 *bolder* <!here>"}, user=BOB)
    app.settle()
    mine = alices_message(slack)
    assert "Changes asked by" in shown(mine) and "“Make KR1 *bolder* <!here>”" in shown(mine)
    assert "<!here>" not in json.dumps(mine)  # his comment is shown, never obeyed
    assert REVIEW_AGREE_ACTION not in action_ids(bobs_message(slack))  # nothing to agree until re-sent

    # Alice edits and sends it again: Bob's message is updated, not a second one.
    posts_to_bob = len([c for c in slack.calls("chat.postMessage") if c.body.get("channel") == BOB])
    submit_all(app, click_open(app, slack, mine, DRAFT_EDIT_ACTION, ALICE), frame, user=ALICE, target="20 sites")
    app.settle()
    assert "Changed since it was sent to" in shown(alices_message(slack))
    again = alices_message(slack)
    resend = click_open(app, slack, again, REVIEW_SEND_ACTION, ALICE)
    reviewer_input = next(b for b in resend["blocks"] if b.get("block_id") == "reviewer")
    assert reviewer_input["element"]["initial_user"] == BOB  # remembered as her reviewer
    app.submit(resend, {"reviewer": BOB}, user=ALICE)
    app.settle()
    assert len([c for c in slack.calls("chat.postMessage") if c.body.get("channel") == BOB]) == posts_to_bob
    to_bob = bobs_message(slack)
    assert "20 sites" in shown(to_bob) and action_ids(to_bob) == [REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION]
    shown_to_carol += [again, to_bob]

    # Carol replays every button Bob and Alice were shown: nothing changes.
    before = app.stores.drafts.list(ALICE_OWNER)
    updates_before = len(slack.calls("chat.update"))
    opens_before = len(slack.calls("views.open"))
    for message in shown_to_carol:
        for block in message["blocks"]:
            for element in block.get("elements", []) if block["type"] == "actions" else []:
                if element.get("action_id") in (REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION, REVIEW_SEND_ACTION,
                                                DRAFT_DELETE_ACTION, DRAFT_EDIT_ACTION):
                    app.click(element["action_id"], element["value"], user=CAROL, channel="D" + CAROL,
                              where="message")
    app.settle()
    assert app.stores.drafts.list(ALICE_OWNER) == before
    assert len(slack.calls("chat.update")) == updates_before
    assert len(slack.calls("views.open")) == opens_before  # no form opened for her either

    # Bob agrees; Alice's message says so, with the date in each reader's timezone.
    agree = button(to_bob, REVIEW_AGREE_ACTION)
    app.click(agree["action_id"], agree["value"], user=BOB, channel="D" + BOB, where="message")
    app.settle()
    mine = alices_message(slack)
    assert "Agreed by" in shown(mine) and "<!date^" in json.dumps(mine["blocks"])
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.review is not None and draft.review.status is ReviewStatus.AGREED
    assert draft.agreed is not None and "20 sites" in draft.agreed.values.values()

    # Editing it afterwards keeps the agreed version in sight beside the new values.
    submit_all(app, click_open(app, slack, mine, DRAFT_EDIT_ACTION, ALICE), frame, user=ALICE, target="25 sites")
    app.settle()
    mine = alices_message(slack)
    text = shown(mine)
    assert "The agreed version" in text and "20 sites" in text and "25 sites" in text


@pytest.mark.parametrize(("entries", "says"), [
    ({"reviewer": ALICE}, "you cannot review your own draft"),
    ({"reviewer": "UROBOT"}, "that one is a bot"),
    ({"reviewer": BOB, "note": "x" * 1001}, "At most 1000 characters"),
    # Refused as a value would be, beside the note: nothing half-sent, no traceback.
    ({"reviewer": BOB, "note": "late\ud800"}, "invisible control character (U+D800) at position 5"),
    ({"reviewer": BOB, "note": "\u202eevil"}, "invisible control character (U+202E) at position 1"),
])
def test_a_reviewer_who_cannot_review_is_refused_in_the_form(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, entries: dict[str, str], says: str) -> None:
    slack.set_user("UROBOT", is_bot=True)
    alice_drafts(app, slack, repository)
    answer = send_for_review(app, slack, alices_message(slack), entries)
    assert answer["response_action"] == "errors" and says in json.dumps(answer["errors"])
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.review is None


def test_a_reviewer_goals_cannot_message_is_told_to_the_owner_and_a_deleted_draft_is_withdrawn(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    alice_drafts(app, slack, repository)
    slack.fail("chat.postMessage", "cannot_dm_bot")
    send_for_review(app, slack, alices_message(slack), {"reviewer": "UGONE"})
    told = [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == ALICE
            and "could not send your draft" in json.dumps(c.body)]
    assert told
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.review is None  # not sent after all: nothing says "in review" with someone unreachable
    assert "In review with" not in shown(alices_message(slack))
    # Sent to Bob instead, then deleted: Bob's message says it was withdrawn.
    send_for_review(app, slack, alices_message(slack), {"reviewer": BOB})
    to_bob = bobs_message(slack)
    assert REVIEW_AGREE_ACTION in action_ids(to_bob)
    delete = button(alices_message(slack), DRAFT_DELETE_ACTION)
    app.click(delete["action_id"], delete["value"], user=ALICE, channel="D" + ALICE, where="message")
    app.settle()
    withdrawn = [c for c in slack.calls("chat.update") if c.body.get("channel") == "D" + BOB]
    assert withdrawn and "withdrew this draft" in shown(withdrawn[-1].body)
    assert action_ids(withdrawn[-1].body) == []


def test_bob_proposes_a_scorecard_for_carol_who_has_it_as_her_own_and_agrees_it(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    found = repository.family_level("clinical-trials-ops", "M2")
    assert found is not None
    scorecard = build_frame(Framework.SCORECARD, found[0], found[1])
    view = open_form(app, slack, words="draft M2 cto scorecard", user=BOB, channel="D" + BOB)
    submit_all(app, view, scorecard, user=BOB, target="95% on time")
    app.settle()
    bobs = [c.body for c in slack.calls("chat.postMessage") if c.body.get("channel") == BOB
            and "Your draft" in json.dumps(c.body.get("blocks", []))][-1]
    form = click_open(app, slack, bobs, PROPOSE_ACTION, BOB)
    assert app.submit(form, {"reviewer": BOB}, user=BOB).json["response_action"] == "errors"  # not himself
    assert app.submit(form, {"reviewer": CAROL}, user=BOB).body == ""
    app.settle()
    carol = Owner(team="T333", user=CAROL)
    (hers,) = app.stores.drafts.list(carol)
    assert hers.proposed_by == BOB and hers.framework is Framework.SCORECARD
    assert "95% on time" in hers.values.values()
    to_carol = [c.body for c in slack.calls("chat.postMessage") if c.body.get("channel") == CAROL][-1]
    assert "Proposed by" in shown(to_carol) and "<@UBOB>" in json.dumps(to_carol["blocks"])
    assert ACCEPT_ACTION in action_ids(to_carol) and PROPOSE_ACTION not in action_ids(to_carol)
    told = [c for c in slack.calls("chat.postMessage") if c.body.get("thread_ts") and "Proposed to" in c.body["text"]]
    assert told and told[-1].body["channel"] == "D" + BOB
    # Bob's own draft stays his; Alice (or Bob) replaying Carol's button changes nothing.
    assert len(app.stores.drafts.list(Owner(team="T333", user=BOB))) == 1
    accept = button(to_carol, ACCEPT_ACTION)
    for someone in (ALICE, BOB):
        app.click(accept["action_id"], accept["value"], user=someone, channel="D" + someone, where="message")
    app.settle()
    assert app.stores.drafts.list(carol)[0].agreed is None
    # Carol agrees it at once; Bob is told.
    app.click(accept["action_id"], accept["value"], user=CAROL, channel="D" + CAROL, where="message")
    app.settle()
    (agreed,) = app.stores.drafts.list(carol)
    assert agreed.agreed is not None and agreed.agreed.by == CAROL
    assert agreed.review is not None and agreed.review.status is ReviewStatus.AGREED
    latest = [c.body for c in slack.calls("chat.update") if c.body.get("channel") == "D" + CAROL][-1]
    assert "Agreed by" in shown(latest) and ACCEPT_ACTION not in action_ids(latest)
    assert any(c.body.get("channel") == BOB and "agreed" in c.body.get("text", "") for c in
               slack.calls("chat.postMessage"))


def test_goals_draft_for_a_mention_proposes_the_saved_draft_to_them(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    # Typed without picking from Slack's list, "@carol" is no id Goals can trust: it says how.
    unpicked = app.command("draft M2 cto okr for @carol", user=BOB).json
    assert "mention them after for" in shown(unpicked)
    # For oneself: said privately, and no form opens.
    slack.reset()
    app.command(f"draft M2 cto okr for <@{BOB}|bob>", user=BOB)
    (told,) = slack.wait_for("response_url")
    assert "you cannot review your own draft" in shown(told.body)
    app.settle()
    assert slack.calls("views.open") == []
    view = open_form(app, slack, words=f"draft M2 cto okr for <@{CAROL}|carol>", user=BOB, channel="D" + BOB)
    submit_all(app, view, okr_m2(repository), user=BOB, target="proposed target")
    app.settle()
    (hers,) = app.stores.drafts.list(Owner(team="T333", user=CAROL))
    assert hers.proposed_by == BOB and "proposed target" in hers.values.values()
    (his,) = app.stores.drafts.list(Owner(team="T333", user=BOB))
    assert his.values == hers.values


@pytest.mark.parametrize(("who", "set_up", "says"), [
    ("UROBOT", {"is_bot": True}, "that one is a bot"),
    ("UGONE", {"deleted": True}, "no longer in this workspace"),
    ("UNOBODY", None, "no longer in this workspace"),  # users.info: user_not_found
    (BOB, {}, "you cannot review your own draft"),
])
def test_a_proposal_is_checked_where_it_is_made_never_trusted_from_the_forms_metadata(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository,
        who: str, set_up: dict[str, Any] | None, says: str) -> None:
    view = open_form(app, slack, words=f"draft M2 cto okr for <@{CAROL}|carol>", user=BOB, channel="D" + BOB)
    # A crafted form: its metadata names someone the propose form and the command would refuse.
    state = FormState.parse(view["private_metadata"])
    assert state is not None and state.propose_to == CAROL
    view = {**view, "private_metadata": state.model_copy(update={"propose_to": who}).value()}
    if set_up is None:
        slack.fail("users.info", "user_not_found", times=5)
    else:
        slack.set_user(who, **set_up)
    submit_all(app, view, okr_m2(repository), user=BOB, target="proposed target")
    app.settle()
    (his,) = app.stores.drafts.list(Owner(team="T333", user=BOB))
    assert "proposed target" in his.values.values() and his.review is None  # saved, as his own
    if who != BOB:  # nothing given to them, nothing posted to them
        assert app.stores.drafts.list(Owner(team="T333", user=who)) == []
        assert [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == who] == []
    told = [c.body["text"] for c in slack.calls("chat.postMessage") if "Not proposed" in str(c.body.get("text"))]
    assert len(told) == 1 and f"<@{who}>" in told[0] and says in told[0]


def test_the_reviewer_sees_the_team_at_a_glance_in_goals_reviews_and_on_home(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    for person, target in ((ALICE, "alice's"), ("UDAN", "dan's")):
        view = open_form(app, slack, user=person, channel="D" + person)
        submit_all(app, view, okr_m2(repository), user=person, target=target)
        app.settle()
        mine = [c.body for c in slack.calls("chat.postMessage") if c.body.get("channel") == person][-1]
        form = click_open(app, slack, mine, REVIEW_SEND_ACTION, person)
        app.submit(form, {"reviewer": BOB}, user=person)
        app.settle()
    dans = [c.body for c in slack.calls("chat.postMessage") if c.body.get("channel") == BOB
            and "UDAN" in json.dumps(c.body.get("blocks", []))][-1]
    agree = button(dans, REVIEW_AGREE_ACTION)
    app.click(agree["action_id"], agree["value"], user=BOB, channel="D" + BOB, where="message")
    app.settle()

    listing = app.command("reviews", user=BOB).json
    text = shown(listing)
    assert listing["response_type"] == "ephemeral"
    assert "1 waiting for you · 0 with changes asked · 1 agreed" in text
    people = [b["text"]["text"] for b in listing["blocks"] if b["type"] == "section" and "From" in b["text"]["text"]]
    assert people == ["*From* <@UDAN>", "*From* <@UALICE>"]  # most recently changed first
    assert action_ids(listing) == [REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION]  # only Alice's waits
    assert "placeholders filled" in text
    # Its Agree is Bob's to click, from the list too.
    agree = button(listing, REVIEW_AGREE_ACTION)
    app.click(agree["action_id"], agree["value"], user=BOB, where="ephemeral")
    app.settle()
    assert "0 waiting for you · 0 with changes asked · 2 agreed" in shown(app.command("reviews", user=BOB).json)
    assert "Nothing has been sent to you for review yet." in shown(app.command("reviews", user=CAROL).json)
    slack.reset()
    app.home_opened(user=BOB)
    home = slack.wait_for("views.publish")[0].body["view"]
    assert "Sent to you for review" in shown(home) and "2 agreed" in shown(home) and len(home["blocks"]) <= 100


def test_draft_for_on_a_frame_asks_who_then_the_saved_draft_is_theirs(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame_message = app.command("M2 cto okr", user=BOB).json
    who = click_open(app, slack, frame_message, DRAFT_FOR_ACTION, BOB)
    assert who["callback_id"] == "goals_draft_for_form" and who["submit"]["text"] == "Next"
    assert app.submit(who, {"reviewer": BOB}, user=BOB).json["response_action"] == "errors"  # not himself
    answer = app.submit(who, {"reviewer": CAROL}, user=BOB).json
    assert answer["response_action"] == "update" and answer["view"]["callback_id"] == "goals_draft_form"
    submit_all(app, answer["view"], okr_m2(repository), user=BOB, target="for carol")
    app.settle()
    (hers,) = app.stores.drafts.list(Owner(team="T333", user=CAROL))
    assert hers.proposed_by == BOB and "for carol" in hers.values.values()


def test_an_edit_and_a_send_to_someone_else_reach_the_first_reviewers_message(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    frame = okr_m2(repository)
    alice_drafts(app, slack, repository)
    send_for_review(app, slack, alices_message(slack), {"reviewer": BOB})
    first = bobs_message(slack)
    # Alice edits while Bob reviews: his message says so and offers nothing to agree.
    submit_all(app, click_open(app, slack, alices_message(slack), DRAFT_EDIT_ACTION, ALICE), frame,
               user=ALICE, target="13 sites")
    app.settle()
    updated = bobs_message(slack)
    assert "Changed since it was sent to" in shown(updated) and action_ids(updated) == []
    agree = button(first, REVIEW_AGREE_ACTION)
    app.click(agree["action_id"], agree["value"], user=BOB, channel="D" + BOB, where="message")
    app.settle()
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.agreed is None  # his old button agreed nothing
    # Sent to Dan instead: Bob's message says so; Dan's changes form, submitted by Carol, does nothing.
    send_for_review(app, slack, alices_message(slack), {"reviewer": "UDAN"})
    last_to_bob = [c.body for c in slack.calls("chat.update") if c.body.get("channel") == "D" + BOB][-1]
    assert "sent this draft to someone else" in shown(last_to_bob) and action_ids(last_to_bob) == []
    to_dan = [c.body for c in slack.calls("chat.postMessage") if c.body.get("channel") == "UDAN"][-1]
    changes = click_open(app, slack, to_dan, REVIEW_CHANGES_ACTION, "UDAN")
    app.submit(changes, {"comment": "Carol's words"}, user=CAROL)
    app.settle()
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.review is not None and draft.review.status is ReviewStatus.IN_REVIEW
    assert draft.review.reviewer == "UDAN" and draft.review.comment is None


@pytest.mark.parametrize("trouble", ["429", "500"])
def test_an_agree_slack_cannot_show_yet_is_stored_and_said_so_never_reported_as_failed(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, trouble: str) -> None:
    alice_drafts(app, slack, repository)
    send_for_review(app, slack, alices_message(slack), {"reviewer": BOB})
    to_bob = bobs_message(slack)
    slack.reset()
    slack_refuses(slack, trouble)
    agree = button(to_bob, REVIEW_AGREE_ACTION)
    assert app.click(agree["action_id"], agree["value"], user=BOB, channel="D" + BOB, where="message").status == 200
    app.settle()
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.review is not None and draft.review.status is ReviewStatus.AGREED  # stored
    assert draft.message_due  # her message still to show it: the catch-up's
    told = [shown(call.body) for call in slack.calls("response_url")]
    assert len(told) == 1 and told[0].startswith("Agreed. Slack is slow right now")
    assert not any("did not go through" in text or "Sorry" in text for text in told)
    assert draft.review.message_due  # and Bob's message, to show it is agreed
    # Once Slack answers again, the catch-up shows both, once each, each in place.
    slack.reset()
    deliver_due(app_surfaces(app, repository), app.app.client, timedelta(0))
    assert "Agreed" in shown(alices_message(slack))
    bobs = bobs_message(slack)
    assert REVIEW_AGREE_ACTION not in action_ids(bobs) and "greed" in shown(bobs)
    chats = [c for c in slack.calls() if c.method.startswith("chat.")]
    assert [c.method for c in chats] == ["chat.update", "chat.update", "chat.postMessage"]
    assert chats[-1].body.get("thread_ts") and chats[-1].body["text"] == f"Agreed by <@{BOB}>."  # her notice, owed
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert not draft.message_due and draft.review is not None and not draft.review.message_due
    assert draft.notices == []
    slack.reset()
    deliver_due(app_surfaces(app, repository), app.app.client, timedelta(0))  # nothing more is due
    assert [c.method for c in slack.calls() if c.method.startswith("chat.")] == []


@pytest.mark.parametrize("trouble", ["429", "500"])
def test_a_review_sent_while_slack_refuses_reaches_the_reviewer_once_slack_recovers(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository, trouble: str) -> None:
    alice_drafts(app, slack, repository)
    mine = alices_message(slack)
    form = click_open(app, slack, mine, REVIEW_SEND_ACTION, ALICE)
    slack.reset()
    slack_refuses(slack, trouble)
    app.submit(form, {"reviewer": BOB}, user=ALICE)
    app.settle()
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.review is not None and draft.review.status is ReviewStatus.IN_REVIEW  # sent
    assert draft.review.message_due and draft.message_due  # Bob's message and hers still to show
    assert not [c for c in slack.calls("chat.postMessage") if c.status == 200]
    slack.reset()
    deliver_due(app_surfaces(app, repository), app.app.client, timedelta(0))
    to_bob = [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == BOB]
    assert len(to_bob) == 1 and action_ids(to_bob[0].body) == [REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION]
    assert "In review with" in shown(alices_message(slack))
    slack.reset()
    deliver_due(app_surfaces(app, repository), app.app.client, timedelta(0))
    assert [c for c in slack.calls("chat.postMessage") if c.body.get("channel") == BOB] == []  # exactly once


def test_a_notice_slack_posted_then_answered_500_for_is_looked_for_not_posted_twice(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    alice_drafts(app, slack, repository)
    send_for_review(app, slack, alices_message(slack), {"reviewer": BOB})
    to_bob = bobs_message(slack)
    slack.reset()
    slack.posted_then_error("chat.postMessage", 500)  # the one post of an Agree: Alice's notice
    agree = button(to_bob, REVIEW_AGREE_ACTION)
    app.click(agree["action_id"], agree["value"], user=BOB, channel="D" + BOB, where="message")
    app.settle()
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    (owed,) = draft.notices
    assert owed.posting_since is not None  # Slack may have it: looked for before anything more
    posts = len(slack.calls("chat.postMessage"))
    deliver_due(app_surfaces(app, repository), app.app.client, timedelta(0))
    assert slack.calls("conversations.replies") and len(slack.calls("chat.postMessage")) == posts
    agreed = [m for m in slack.posted("D" + ALICE) if m.get("thread_ts") and m["text"] == f"Agreed by <@{BOB}>."]
    assert len(agreed) == 1  # once, though Slack answered 500 the first time
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.notices == [] and not draft.message_due


def test_a_reviewer_message_slack_posted_then_answered_500_for_is_found_not_posted_twice(
        app: RunningApp, slack: SlackStandIn, repository: CanonRepository) -> None:
    alice_drafts(app, slack, repository)
    form = click_open(app, slack, alices_message(slack), REVIEW_SEND_ACTION, ALICE)
    slack.posted_then_error("chat.postMessage", 500)  # the send's first post: Bob's message
    app.submit(form, {"reviewer": BOB}, user=ALICE)
    app.settle()

    def bobs() -> list[dict[str, Any]]:
        return [m for m in slack.posted("D" + BOB) if "Review:" in json.dumps(m.get("blocks", []))]

    # Never resent blindly: looked for in his DM by its metadata (here, as Alice's message is
    # shown), found, and shown there.
    assert [call.status for call in slack.calls("chat.postMessage") if call.body.get("channel") == BOB] == [500]
    (to_bob,) = bobs()
    (draft,) = app.stores.drafts.list(ALICE_OWNER)
    assert draft.review is not None and not draft.review.message_due and draft.review.reviewer_ts == to_bob["ts"]
    told = [call.body["text"] for call in slack.calls("chat.postMessage") if call.body.get("channel") == ALICE]
    assert not any("Slack is slow" in text for text in told)  # it did arrive: nothing to excuse
    deliver_due(app_surfaces(app, repository), app.app.client, timedelta(0))
    assert len(bobs()) == 1
