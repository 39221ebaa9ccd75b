"""The team at a glance: `/goals reviews` and the reviewer's Home tab list every draft sent to
the signed person, grouped by person, with the counts on top and Agree / Ask for changes on
the ones waiting only; within Slack's limits, saying how many more there are. Over signed
HTTP on both stores, with the reviews seeded through `Reviewing` itself."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.goals.drafts.drafting import Drafting, Saved, Target
from bot.goals.drafts.view import DraftView
from bot.goals.fields import Progress, placeholder_fields
from bot.goals.model import Draft, Owner, Review, ReviewStatus
from bot.goals.reviews.reviewing import Reviewed, Reviewing
from bot.slack.home.picker import Choice
from bot.slack.home.view import help_blocks, home_view
from bot.slack.reviews.team_list import NONE_YET, TITLE, reviews_message
from bot.slack.shared.ids import REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION
from bot.slack.shared.limits import HOME_BLOCKS_MAX, MESSAGE_BLOCKS_MAX
from bot.slack.shared.values import ReviewRef
from support.block_texts import shown
from support.draft_flow import okr_m2
from support.slack_app_harness import RunningApp
from support.slack_standin import SlackStandIn

JSON = dict[str, Any]
TEAM = "T333"  # the harness's workspace: the command's and the Home tab's team
ALICE, DAN, ERIN = (Owner(team=TEAM, user=user) for user in ("UALICE", "UDAN", "UERIN"))
BOB, CAROL = Owner(team=TEAM, user="UBOB"), Owner(team=TEAM, user="UCAROL")
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


# --- the blocks, from reviews made up in memory -------------------------------------------

def made_up(owner: str, number: int, status: ReviewStatus, name: str | None = None) -> Reviewed:
    changed = NOW - timedelta(hours=number)
    review = Review(id=f"r{number}", reviewer="UBOB", status=status, sent_at=changed, changed_at=changed,
                    comment="Bolder, please" if status is ReviewStatus.CHANGES_ASKED else None)
    draft = Draft(id=f"d{number}", owner=Owner(team=TEAM, user=owner), family="clinical-trials-ops", level="M2",
                  framework=Framework.OKR, canon_fingerprint="x", name=name, review=review)
    return Reviewed(draft.owner, DraftView(draft=draft, frame=None, progress=Progress(number % 4, 6), leftovers=[]))


def actions(blocks: list[JSON]) -> list[JSON]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def names(blocks: list[JSON]) -> list[str]:
    """The drafts' names, as listed (plain_text sections)."""
    return [b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["type"] == "plain_text"]


def test_nothing_sent_yet_says_so_and_offers_nothing_to_click() -> None:
    message = reviews_message([]).as_kwargs()
    assert NONE_YET in shown(message) and not actions(message["blocks"])


def test_counts_people_status_progress_last_change_and_buttons_only_on_those_waiting() -> None:
    items = [made_up("UALICE", 1, ReviewStatus.IN_REVIEW, name="<Alice's> & *goals*"),
             made_up("UDAN", 2, ReviewStatus.CHANGES_ASKED),
             made_up("UALICE", 3, ReviewStatus.AGREED),
             made_up("UERIN", 4, ReviewStatus.DRAFT)]
    blocks = reviews_message(items).as_kwargs()["blocks"]
    text = shown({"blocks": blocks})
    assert blocks[0]["text"]["text"] == TITLE
    assert "1 waiting for you · 1 with changes asked · 1 agreed · 1 changed since it was sent" in text
    people = [b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["type"] == "mrkdwn"]
    assert people == ["*From* <@UALICE>", "*From* <@UDAN>", "*From* <@UERIN>"]  # grouped, latest change first
    # Alice's two under her name, her own words for the draft as typed (plain text, escaped: never markup).
    assert names(blocks) == ["&lt;Alice's&gt; &amp; *goals*", "okr — clinical-trials-ops · M2",
                             "okr — clinical-trials-ops · M2", "okr — clinical-trials-ops · M2"]
    assert "<Alice's> & *goals*" in text and "1 of 6 placeholders filled" in text and "In review with <@UBOB>" in text
    assert "Changes asked by <@UBOB>" in text and "“Bolder, please”" in text and "Agreed by <@UBOB>" in text
    assert f"<!date^{int((NOW - timedelta(hours=2)).timestamp())}^" in text  # the last change, in their timezone
    buttons = actions(blocks)
    assert [b["action_id"] for b in buttons] == [REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION]
    assert {ref.review for b in buttons if (ref := ReviewRef.parse(b["value"]))} == {"r1"}


def test_a_long_list_fits_a_message_in_order_and_says_how_many_more() -> None:
    items = [made_up(f"U{n % 7}", n, ReviewStatus.IN_REVIEW if n % 2 else ReviewStatus.AGREED) for n in range(40)]
    blocks = reviews_message(items).as_kwargs()["blocks"]
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    listed = len(names(blocks))
    assert 0 < listed < 40
    assert f"{40 - listed} more, changed earlier: not shown here." in shown({"blocks": blocks})
    assert "20 waiting for you · 0 with changes asked · 20 agreed" in shown({"blocks": blocks})  # all counted
    assert len(blocks) >= MESSAGE_BLOCKS_MAX - 4  # as many as fit: a draft takes at most 4 blocks


def test_a_list_that_fits_exactly_has_no_note_of_more() -> None:
    items = [made_up("UALICE", n, ReviewStatus.AGREED) for n in range(16)]  # 2 + 1 + 16 * 2 = 35 blocks
    blocks = reviews_message(items).as_kwargs()["blocks"]
    assert len(names(blocks)) == 16 and "more" not in shown({"blocks": blocks})


def test_home_shows_the_section_only_when_something_was_sent_within_its_100_blocks(
        repository: CanonRepository) -> None:
    vocabulary = repository.vocabulary()
    choice = Choice(family="clinical-trials-ops", level="M2", framework=Framework.OKR)
    frame = okr_m2(repository)
    assert "Sent to you for review" not in shown(home_view(vocabulary, choice, frame, []))
    many = [made_up(f"U{n % 5}", n, ReviewStatus.IN_REVIEW) for n in range(60)]
    home = home_view(vocabulary, choice, frame, [], reviews=many)
    assert len(home["blocks"]) <= HOME_BLOCKS_MAX
    text = shown(home)
    assert TITLE in text and "60 waiting for you" in text
    listed = waiting_listed(home)
    assert f"{60 - listed} more, changed earlier" in text


def test_home_shares_its_room_with_the_drafts_and_keeps_its_help(repository: CanonRepository) -> None:
    vocabulary = repository.vocabulary()
    choice = Choice(family="clinical-trials-ops", level="M2", framework=Framework.OKR)
    frame = okr_m2(repository)
    drafts = [made_up("UBOB", n, ReviewStatus.IN_REVIEW).view for n in range(30)]
    helped = home_view(vocabulary, choice, frame, drafts, help_blocks(vocabulary))
    many = [made_up(f"U{n % 5}", n, ReviewStatus.IN_REVIEW) for n in range(60)]
    home = home_view(vocabulary, choice, frame, drafts, help_blocks(vocabulary), reviews=many)
    assert len(home["blocks"]) <= HOME_BLOCKS_MAX
    assert home["blocks"][-1] == helped["blocks"][-1]  # the help's examples, never cut off
    text = shown(home)
    assert TITLE in text and "Your drafts" in text
    in_message = len(names(reviews_message(many).as_kwargs()["blocks"]))
    listed = waiting_listed(home)
    assert 0 < listed < in_message  # the drafts keep half the room
    assert f"{60 - listed} more, changed earlier: type /goals reviews to see more." in text
    # With no drafts of their own, the list takes the room, more than a message holds.
    alone = home_view(vocabulary, choice, frame, [], help_blocks(vocabulary), reviews=many)
    assert len(alone["blocks"]) <= HOME_BLOCKS_MAX and waiting_listed(alone) > in_message
    assert f"{60 - waiting_listed(alone)} more, changed earlier: not shown here." in shown(alone)


def waiting_listed(view: JSON) -> int:
    return len([b for b in view["blocks"] if b["type"] == "actions" and b["elements"][0]["action_id"]
                == REVIEW_AGREE_ACTION])


# --- over signed HTTP, on both stores ---------------------------------------------------------

@pytest.fixture
def app(slack: SlackStandIn, store_env: dict[str, str], tmp_path: Path) -> Iterator[RunningApp]:
    with RunningApp(slack, data_dir=tmp_path / "data", env=store_env) as running:
        yield running


@pytest.fixture
def reviewing(app: RunningApp, repository: CanonRepository) -> Reviewing:
    return Reviewing(Drafting(repository, app.stores.drafts), app.stores.profiles)


def sent(reviewing: Reviewing, owner: Owner, to: Owner, target: str, at: datetime = NOW) -> str:
    """A draft of `owner`'s with one target typed, sent to `to`: its review id."""
    frame = reviewing.drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    key = next(f.key for f in placeholder_fields(frame) if f.kind.value == "target")
    saved = reviewing.drafting.save(owner, Target(draft="d1", family="clinical-trials-ops", level="M2",
                                                  framework=Framework.OKR, new=True), {key: target}, None, at)
    assert isinstance(saved, Saved)
    result = reviewing.send(owner, saved.draft.id, to.user, None, at)
    assert isinstance(result, Reviewed) and result.view.draft.review is not None
    return result.view.draft.review.id


def review_ids(message: JSON) -> list[str]:
    return [ref.review for b in actions(message["blocks"])
            if b["action_id"] == REVIEW_AGREE_ACTION and (ref := ReviewRef.parse(b["value"]))]


def test_goals_reviews_lists_what_was_sent_to_the_signed_person_only(app: RunningApp, reviewing: Reviewing) -> None:
    alices = sent(reviewing, ALICE, BOB, "alice's target")
    dans = sent(reviewing, DAN, BOB, "dan's target", NOW + timedelta(minutes=1))
    erins = sent(reviewing, ERIN, BOB, "erin's target", NOW + timedelta(minutes=2))
    assert isinstance(reviewing.ask_changes(BOB, dans, "More ambitious", NOW + timedelta(minutes=3)), Reviewed)
    assert isinstance(reviewing.agree(BOB, erins, NOW + timedelta(minutes=4)), Reviewed)
    # The same person in another workspace: not Bob's of this one.
    sent(reviewing, Owner(team="T999", user="UALICE"), Owner(team="T999", user="UBOB"), "elsewhere")

    listing = app.command("reviews", user=BOB.user).json
    text = shown(listing)
    assert listing["response_type"] == "ephemeral"
    assert "1 waiting for you · 1 with changes asked · 1 agreed" in text
    people = [b["text"]["text"] for b in listing["blocks"] if b["type"] == "section" and "From" in b["text"]["text"]]
    assert people == ["*From* <@UERIN>", "*From* <@UDAN>", "*From* <@UALICE>"]  # most recently changed first
    assert review_ids(listing) == [alices]  # only the one waiting for him has buttons
    assert [b["action_id"] for b in actions(listing["blocks"])] == [REVIEW_AGREE_ACTION, REVIEW_CHANGES_ACTION]
    assert "“More ambitious”" in text and "1 of " in text and "placeholders filled" in text

    carols = app.command("reviews", user=CAROL.user).json
    assert carols["response_type"] == "ephemeral"
    assert NONE_YET in shown(carols) and not actions(carols["blocks"])
    assert "UALICE" not in json.dumps(carols) and alices not in json.dumps(carols)


def test_a_review_sent_again_to_someone_else_leaves_the_first_reviewers_list(
        app: RunningApp, reviewing: Reviewing) -> None:
    alices = sent(reviewing, ALICE, BOB, "alice's target")
    assert review_ids(app.command("reviews", user=BOB.user).json) == [alices]
    (draft,) = app.stores.drafts.list(ALICE)
    again = reviewing.send(ALICE, draft.id, CAROL.user, None, NOW + timedelta(minutes=5))
    assert isinstance(again, Reviewed) and again.view.draft.review is not None

    bobs = app.command("reviews", user=BOB.user).json
    assert NONE_YET in shown(bobs) and not actions(bobs["blocks"])
    carols = app.command("reviews", user=CAROL.user).json
    assert review_ids(carols) == [again.view.draft.review.id]
    assert "1 waiting for you · 0 with changes asked · 0 agreed" in shown(carols)


def test_the_reviewers_home_tab_has_the_section_and_no_one_elses_does(
        app: RunningApp, slack: SlackStandIn, reviewing: Reviewing) -> None:
    alices = sent(reviewing, ALICE, BOB, "alice's target")
    app.home_opened(user=BOB.user)
    home = slack.wait_for("views.publish")[0].body
    assert home["user_id"] == BOB.user
    view = home["view"]
    assert len(view["blocks"]) <= HOME_BLOCKS_MAX
    assert TITLE in shown(view) and "1 waiting for you · 0 with changes asked · 0 agreed" in shown(view)
    assert review_ids(view) == [alices]

    slack.reset()
    app.home_opened(user=CAROL.user)
    carols = slack.wait_for("views.publish")[0].body["view"]
    assert TITLE not in shown(carols) and alices not in json.dumps(carols)
