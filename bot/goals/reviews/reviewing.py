"""Reviews between two people: the owner sends a draft, the reviewer agrees or asks for
changes. Between the Slack layer and the stores, knowing nothing of Slack.

The review lives with the draft (one document, changed as one step, so the owner's and the
reviewer's clicks on two hosts never lose each other's change). The reviewer's profile
keeps a pointer per review, which is how a reviewer finds what was sent to them: looked up
among the signed reviewer's own pointers, then checked against the review the draft holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.goals.drafts.drafting import Drafting
from bot.goals.drafts.view import DraftView
from bot.goals.model import Draft, Notice, NoticeKind, Owner, Profile, Review, ReviewPointer, ReviewStatus
from bot.goals.reviews.rules import ReviewRefused, accepted, agreed, changes_asked, proposed, sent
from bot.goals.storage import ProfileEdit, ProfileStore

GONE = "That review is not yours any more: its draft was deleted, or sent to someone else."


@dataclass(frozen=True)
class Replaced:
    """The review a send replaced (sent to someone else before): its reviewer's message is
    to say so."""

    owner: Owner
    draft: Draft


@dataclass(frozen=True)
class Reviewed:
    """A draft as its review left it, with whose it is."""

    owner: Owner
    view: DraftView


ReviewResult = Reviewed | ReviewRefused


class Reviewing:
    def __init__(self, drafting: Drafting, profiles: ProfileStore) -> None:
        self.drafting = drafting
        self.profiles = profiles

    def my_reviewer(self, owner: Owner) -> str | None:
        profile = self.profiles.get(owner)
        return profile.reviewer if profile else None

    def send(self, owner: Owner, draft_id: str, reviewer: str, note: str | None, now: datetime) -> ReviewResult:
        """Send the owner's draft to `reviewer` (a user of the owner's team)."""
        refused: list[ReviewRefused] = []
        replaced: list[Review] = []

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None:
                return None
            replaced[:] = [draft.review] if draft.review else []
            result = sent(draft, reviewer, note, now)
            if isinstance(result, ReviewRefused):
                refused.append(result)
                return None
            notice = Notice(kind=NoticeKind.SENT, by=reviewer)
            return result.model_copy(update={"message_due": True,  # its DM message shows the status
                                             "notices": [*result.notices, notice]})

        saved = self.drafting.store.change(owner, draft_id, edit, touch=False)
        if refused:
            return refused[0]
        if saved is None or saved.review is None:
            return ReviewRefused(GONE)
        before = replaced[0] if replaced else None
        pointer = ReviewPointer(owner=owner, draft=draft_id)
        review_id = saved.review.id
        if before and before.reviewer != reviewer:  # the review it replaced: off that reviewer's list
            earlier = owner.model_copy(update={"user": before.reviewer})
            self.profiles.change(earlier, _without_pointer(before.id))
        reviewer_owner = owner.model_copy(update={"user": reviewer})
        self.profiles.change(reviewer_owner, _with_pointer(reviewer_owner, review_id, pointer))
        return Reviewed(owner, self.drafting.view(saved))

    def remember_reviewer(self, owner: Owner, reviewer: str) -> None:
        """"My reviewer", offered next time: once a send has reached them."""
        self.profiles.change(owner, _remembering(owner, reviewer))

    def unsend(self, owner: Owner, draft_id: str, review_id: str, before: Review | None) -> None:
        """The send of `review_id` undone (its reviewer could not be reached): the review as
        it was before, if nothing changed it since."""

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None or draft.review is None or draft.review.id != review_id \
                    or draft.review.status is not ReviewStatus.IN_REVIEW:
                return None
            undone = draft.review.reviewer  # its notice, still owed, goes with it
            notices = [n for n in draft.notices if not (n.kind is NoticeKind.SENT and n.by == undone)]
            return draft.model_copy(update={"review": before, "message_due": True, "notices": notices})

        self.drafting.store.change(owner, draft_id, edit, touch=False)

    def find(self, reviewer: Owner, review_id: str) -> Reviewed | None:
        """The review `review_id` of the signed reviewer's, if its draft still holds it."""
        profile = self.profiles.get(reviewer)
        pointer = profile.reviews.get(review_id) if profile else None
        return self._followed(reviewer, review_id, pointer) if pointer else None

    def sent_to(self, reviewer: Owner) -> list[Reviewed]:
        """Every draft sent to the reviewer that still names them, most recently changed first."""
        profile = self.profiles.get(reviewer)
        pointers = profile.reviews.items() if profile else []
        found = [self._followed(reviewer, review_id, pointer) for review_id, pointer in pointers]
        return sorted((item for item in found if item is not None), key=_changed, reverse=True)

    def _followed(self, reviewer: Owner, review_id: str, pointer: ReviewPointer) -> Reviewed | None:
        """The draft a pointer names, if it still holds that review for that reviewer."""
        draft = self.drafting.store.get(pointer.owner, pointer.draft)
        if draft is None or draft.review is None or draft.review.id != review_id \
                or draft.review.reviewer != reviewer.user:
            return None
        return Reviewed(pointer.owner, self.drafting.view(draft))

    def ask_changes(self, reviewer: Owner, review_id: str, comment: str, now: datetime,
                    sent: int | None = None) -> ReviewResult:
        """`sent`: the send the reviewer's button or form was shown (`Review.sent_at` in
        microseconds): a stale one, from before a re-send, acts on nothing."""
        return self._act(reviewer, review_id, sent, lambda draft: changes_asked(draft, reviewer.user, review_id,
                                                                                comment, now),
                         NoticeKind.CHANGES_ASKED)

    def agree(self, reviewer: Owner, review_id: str, now: datetime, sent: int | None = None) -> ReviewResult:
        return self._act(reviewer, review_id, sent, lambda draft: agreed(draft, reviewer.user, review_id, now),
                         NoticeKind.AGREED)

    def propose(self, proposer: Owner, draft_id: str, to: str, now: datetime) -> ReviewResult:
        """The proposer's draft, as a new draft of `to`'s own (same team), marked proposed;
        the proposer is offered as their reviewer."""
        draft = self.drafting.store.get(proposer, draft_id)
        if draft is None:
            return ReviewRefused(GONE)
        recipient = proposer.model_copy(update={"user": to})
        result = proposed(draft, recipient, now)
        if isinstance(result, ReviewRefused):
            return result
        stored = self.drafting.store.save(result)
        self.profiles.change(recipient, lambda current: None if current and current.reviewer else
                             (current or Profile(owner=recipient)).model_copy(update={"reviewer": proposer.user}))
        return Reviewed(recipient, self.drafting.view(stored))

    def accept(self, owner: Owner, draft_id: str, now: datetime) -> ReviewResult:
        """The owner agrees a proposed draft at once, as proposed."""
        refused: list[ReviewRefused] = []

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None:
                return None
            result = accepted(draft, owner.user, now)
            if isinstance(result, ReviewRefused):
                refused.append(result)
                return None
            return result.model_copy(update={"message_due": True})

        saved = self.drafting.store.change(owner, draft_id, edit, touch=False)
        if refused:
            return refused[0]
        return ReviewRefused(GONE) if saved is None else Reviewed(owner, self.drafting.view(saved))

    def record_reviewer_message(self, owner: Owner, draft_id: str, review_id: str, channel: str, ts: str,
                                shown: str) -> None:
        """Where the reviewer's DM message about this review is, to update it in place, and
        that it shows the review as stamped `shown` (`Review.shown_with`): nothing is due for
        it unless a change came after."""

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None or draft.review is None or draft.review.id != review_id:
                return None
            due = draft.review.message_due and draft.review.shown_with(draft) != shown
            review = draft.review.model_copy(update={"reviewer_channel": channel, "reviewer_ts": ts,
                                                     "message_due": due, "posting_since": None})
            return draft.model_copy(update={"review": review})

        self.drafting.store.change(owner, draft_id, edit, touch=False)

    def reviewer_message_posting(self, owner: Owner, draft_id: str, review_id: str, now: datetime) -> None:
        """The reviewer's message is about to be posted for the first time (`Review.posting_since`)."""

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None or draft.review is None or draft.review.id != review_id or draft.review.posting_since:
                return None
            return draft.model_copy(update={"review": draft.review.model_copy(update={"posting_since": now})})

        self.drafting.store.change(owner, draft_id, edit, touch=False)

    def let_go_reviewer_message(self, owner: Owner, draft_id: str, review_id: str) -> None:
        """The reviewer's message cannot be shown (Slack will not let Goals message them): due no more."""

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None or draft.review is None or draft.review.id != review_id or not draft.review.message_due:
                return None
            return draft.model_copy(update={"review": draft.review.model_copy(update={"message_due": False})})

        self.drafting.store.change(owner, draft_id, edit, touch=False)

    def _act(self, reviewer: Owner, review_id: str, sent: int | None,
             rule: Callable[[Draft], Draft | ReviewRefused], told: NoticeKind) -> ReviewResult:
        found = self.find(reviewer, review_id)
        if found is None:
            return ReviewRefused(GONE)
        refused: list[ReviewRefused] = []

        def edit(draft: Draft | None) -> Draft | None:
            if draft is None:
                return None
            if sent is not None and draft.review is not None and sent_stamp(draft.review) != sent:
                refused.append(ReviewRefused(RESENT))
                return None
            result = rule(draft)
            if isinstance(result, ReviewRefused):
                refused.append(result)
                return None
            return result.model_copy(update={"message_due": True,
                                             "notices": [*result.notices, Notice(kind=told, by=reviewer.user)]})

        saved = self.drafting.store.change(found.owner, found.view.draft.id, edit, touch=False)
        if refused:
            return refused[0]
        if saved is None:
            return ReviewRefused(GONE)
        return Reviewed(found.owner, self.drafting.view(saved))


RESENT = "It was sent to you again since: act on the newest message about it."


def sent_stamp(review: Review) -> int:
    """Which send of a review a button was made for: its time, in microseconds."""
    return int(review.sent_at.timestamp() * 1_000_000)


def _changed(item: Reviewed) -> datetime:
    review = item.view.draft.review
    assert review is not None  # `find` returns only drafts that hold their review
    return review.changed_at


def _with_pointer(reviewer: Owner, review_id: str, pointer: ReviewPointer) -> ProfileEdit:
    def edit(current: Profile | None) -> Profile | None:
        base = current or Profile(owner=reviewer)
        if base.reviews.get(review_id) == pointer:
            return None
        return base.model_copy(update={"reviews": {**base.reviews, review_id: pointer}})
    return edit


def _without_pointer(review_id: str) -> ProfileEdit:
    def edit(current: Profile | None) -> Profile | None:
        if current is None or review_id not in current.reviews:
            return None
        return current.model_copy(update={"reviews": {k: v for k, v in current.reviews.items() if k != review_id}})
    return edit


def _remembering(owner: Owner, reviewer: str) -> ProfileEdit:
    def edit(current: Profile | None) -> Profile | None:
        base = current or Profile(owner=owner)
        return None if base.reviewer == reviewer else base.model_copy(update={"reviewer": reviewer})
    return edit
