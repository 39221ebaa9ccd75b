"""Reviews, without Slack, on both stores: send, ask for changes, agree; an edit after
agreeing keeps the agreed version; only the named reviewer acts, only on their own review;
two hosts acting at once lose nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.canon.repository import CanonRepository
from bot.frames.frameworks import Framework
from bot.goals.drafts.drafting import Drafting, Saved, Target
from bot.goals.fields import placeholder_fields
from bot.goals.model import Owner, ReviewStatus
from bot.goals.reviews.reviewing import GONE, RESENT, Reviewed, Reviewing, sent_stamp
from bot.goals.reviews.rules import NOT_WAITING, YOURSELF, ReviewRefused, check_text
from bot.goals.storage import Stores
from bot.settings import store_settings
from bot.store.factory import open_stores

ALICE = Owner(team="T1", user="UALICE")
BOB = Owner(team="T1", user="UBOB")
CAROL = Owner(team="T1", user="UCAROL")
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def stores(store_env: dict[str, str], tmp_path: Path) -> Iterator[Stores]:
    opened = open_stores(store_settings({"GOALS_DATA_DIR": str(tmp_path), **store_env}))
    yield opened
    opened.close()


@pytest.fixture
def reviewing(repository: CanonRepository, stores: Stores) -> Reviewing:
    return Reviewing(Drafting(repository, stores.drafts), stores.profiles)


def alices_draft(reviewing: Reviewing, target: str = "12 sites") -> str:
    drafting = reviewing.drafting
    frame = drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    keys = [f.key for f in placeholder_fields(frame) if f.kind.value == "target"]
    result = drafting.save(ALICE, Target(draft="d1", family="clinical-trials-ops", level="M2",
                                         framework=Framework.OKR, new=True), {keys[0]: target}, None, NOW)
    assert isinstance(result, Saved)
    return result.draft.id


def sent_to_bob(reviewing: Reviewing, draft_id: str, note: str | None = "Please look") -> Reviewed:
    result = reviewing.send(ALICE, draft_id, BOB.user, note, NOW)
    assert isinstance(result, Reviewed)
    return result


def review_id(item: Reviewed) -> str:
    assert item.view.draft.review is not None
    return item.view.draft.review.id


def test_send_ask_for_changes_edit_send_again_agree(reviewing: Reviewing) -> None:
    draft_id = alices_draft(reviewing)
    first = sent_to_bob(reviewing, draft_id)
    review = first.view.draft.review
    assert review is not None and review.status is ReviewStatus.IN_REVIEW and review.note == "Please look"
    assert review.sent_values == first.view.draft.values
    assert reviewing.my_reviewer(ALICE) is None  # remembered only once the send reached Bob:
    reviewing.remember_reviewer(ALICE, BOB.user)
    assert reviewing.my_reviewer(ALICE) == BOB.user  # offered next time
    (listed,) = reviewing.sent_to(BOB)
    assert listed.owner == ALICE and listed.view.draft.id == draft_id

    asked = reviewing.ask_changes(BOB, review_id(first), "Make KR1 bolder", NOW)
    assert isinstance(asked, Reviewed) and asked.view.draft.review is not None
    assert (asked.view.draft.review.status, asked.view.draft.review.comment) == (
        ReviewStatus.CHANGES_ASKED, "Make KR1 bolder")
    # Bob cannot agree what he asked to change until it is sent again.
    assert reviewing.agree(BOB, review_id(first), NOW) == ReviewRefused(NOT_WAITING)

    frame = reviewing.drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    key = next(f.key for f in placeholder_fields(frame) if f.kind.value == "target")
    target = Target(draft=draft_id, family="clinical-trials-ops", level="M2", framework=Framework.OKR)
    assert isinstance(reviewing.drafting.save(ALICE, target, {key: "20 sites"}, None, NOW), Saved)
    again = sent_to_bob(reviewing, draft_id, None)
    assert review_id(again) == review_id(first)  # the same review: Bob's message is updated, not duplicated
    assert len(reviewing.sent_to(BOB)) == 1

    done = reviewing.agree(BOB, review_id(again), NOW)
    assert isinstance(done, Reviewed)
    draft = done.view.draft
    assert draft.review is not None and draft.review.status is ReviewStatus.AGREED
    assert draft.agreed is not None and draft.agreed.values[key] == "20 sites" and draft.agreed.by == BOB.user


def test_editing_an_agreed_draft_keeps_the_agreed_version_and_is_a_draft_again(reviewing: Reviewing) -> None:
    draft_id = alices_draft(reviewing, "12 sites")
    item = sent_to_bob(reviewing, draft_id)
    assert isinstance(reviewing.agree(BOB, review_id(item), NOW), Reviewed)
    frame = reviewing.drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    key = next(f.key for f in placeholder_fields(frame) if f.kind.value == "target")
    target = Target(draft=draft_id, family="clinical-trials-ops", level="M2", framework=Framework.OKR)
    saved = reviewing.drafting.save(ALICE, target, {key: "30 sites"}, None, NOW)
    assert isinstance(saved, Saved)
    assert saved.draft.review is not None and saved.draft.review.status is ReviewStatus.DRAFT
    assert saved.draft.agreed is not None and saved.draft.agreed.values[key] == "12 sites"
    assert saved.draft.values[key] == "30 sites"


def test_only_the_named_reviewer_acts_and_only_on_their_own_review(reviewing: Reviewing) -> None:
    draft_id = alices_draft(reviewing)
    item = sent_to_bob(reviewing, draft_id)
    # Carol knows the review's id (a replayed button): it is not among hers, so nothing.
    assert reviewing.find(CAROL, review_id(item)) is None
    assert isinstance(reviewing.agree(CAROL, review_id(item), NOW), ReviewRefused)
    assert isinstance(reviewing.ask_changes(CAROL, review_id(item), "no", NOW), ReviewRefused)
    assert reviewing.sent_to(CAROL) == []
    # Alice cannot agree her own draft, nor send it to herself.
    assert isinstance(reviewing.agree(ALICE, review_id(item), NOW), ReviewRefused)
    assert reviewing.send(ALICE, draft_id, ALICE.user, None, NOW) == ReviewRefused(YOURSELF)
    # Sent to Carol instead: Bob's pointer no longer finds it, and Bob cannot act.
    carol = reviewing.send(ALICE, draft_id, CAROL.user, None, NOW)
    assert isinstance(carol, Reviewed)
    assert reviewing.find(BOB, review_id(item)) is None and reviewing.sent_to(BOB) == []
    bobs = reviewing.profiles.get(BOB)
    assert bobs is not None and bobs.reviews == {}  # off his list, not only hidden
    assert reviewing.agree(BOB, review_id(item), NOW) == ReviewRefused(GONE)
    unchanged = reviewing.drafting.get(ALICE, draft_id)
    assert unchanged is not None and unchanged.draft.review is not None
    assert unchanged.draft.review.reviewer == CAROL.user and unchanged.draft.review.status is ReviewStatus.IN_REVIEW


def test_a_deleted_draft_is_gone_for_its_reviewer(reviewing: Reviewing) -> None:
    draft_id = alices_draft(reviewing)
    item = sent_to_bob(reviewing, draft_id)
    assert reviewing.drafting.delete(ALICE, draft_id) is not None
    assert reviewing.find(BOB, review_id(item)) is None
    assert isinstance(reviewing.agree(BOB, review_id(item), NOW), ReviewRefused)


@pytest.fixture
def second_host(repository: CanonRepository, store_env: dict[str, str], tmp_path: Path) -> Iterator[Reviewing]:
    """The same storage opened again: another host's process, with stores of its own."""
    opened = open_stores(store_settings({"GOALS_DATA_DIR": str(tmp_path), **store_env}))
    yield Reviewing(Drafting(repository, opened.drafts), opened.profiles)
    opened.close()


def test_the_owners_edit_and_the_reviewers_agree_at_once_lose_neither(reviewing: Reviewing,
                                                                      second_host: Reviewing) -> None:
    draft_id = alices_draft(reviewing)
    item = sent_to_bob(reviewing, draft_id)
    frame = reviewing.drafting.frame("clinical-trials-ops", "M2", Framework.OKR)
    assert frame is not None
    key = next(f.key for f in placeholder_fields(frame) if f.kind.value == "baseline")
    target = Target(draft=draft_id, family="clinical-trials-ops", level="M2", framework=Framework.OKR)
    start = threading.Barrier(2)
    results: list[object] = []

    def agree() -> None:  # Bob's click, on the other host
        start.wait()
        results.append(second_host.agree(BOB, review_id(item), NOW))

    def edit() -> None:
        start.wait()
        results.append(reviewing.drafting.save(ALICE, target, {key: "72%"}, None, NOW))

    threads = [threading.Thread(target=agree), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = reviewing.drafting.get(ALICE, draft_id)
    assert final is not None and final.draft.values[key] == "72%"  # the edit is never lost
    review = final.draft.review
    assert review is not None
    # Either order is a true story: agreed then edited (a draft again, agreed kept), or edited
    # then the agree refused (nothing agreed).
    if final.draft.agreed is not None:
        assert review.status is ReviewStatus.DRAFT and key not in final.draft.agreed.values
    else:
        assert review.status is ReviewStatus.DRAFT
        assert any(isinstance(r, ReviewRefused) for r in results)


@pytest.mark.parametrize(("text", "required", "ok"), [
    ("", True, False), ("   ", True, False), ("", False, True), ("x" * 1000, True, True),
    ("x" * 1001, False, False), ("line one\nline two", True, True), ("bell\x07", False, False),
])
def test_notes_and_comments_are_checked(text: str, required: bool, ok: bool) -> None:
    assert (check_text(text, required=required) is None) == ok


def test_a_button_from_before_a_resend_acts_on_nothing(reviewing: Reviewing) -> None:
    draft_id = alices_draft(reviewing)
    first = sent_to_bob(reviewing, draft_id)
    review = first.view.draft.review
    assert review is not None
    stale = sent_stamp(review)
    later = reviewing.send(ALICE, draft_id, BOB.user, None, NOW.replace(minute=5))
    assert isinstance(later, Reviewed) and later.view.draft.review is not None
    assert reviewing.agree(BOB, review.id, NOW, stale) == ReviewRefused(RESENT)
    assert reviewing.ask_changes(BOB, review.id, "old", NOW, stale) == ReviewRefused(RESENT)
    done = reviewing.agree(BOB, review.id, NOW, sent_stamp(later.view.draft.review))
    assert isinstance(done, Reviewed)
