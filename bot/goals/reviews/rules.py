"""The rules of a review, as pure functions of a draft: send it to a reviewer, ask for
changes, agree, and what an edit by its owner does to where it stands.

Each returns the draft as it is to be stored, or a `ReviewRefused` saying why not; who is
acting is passed in by the caller, from the signed request, and checked against the review
stored with the draft, never taken from a button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.goals import checks
from bot.goals.model import Agreed, Draft, Owner, Review, ReviewStatus

NOTE_MAX_CHARS = 1000  # the owner's note and the reviewer's comment


@dataclass(frozen=True)
class ReviewRefused:
    """Nothing changed; `why` says so in the person's words."""

    why: str


NOT_YOURS = "That review is not yours to act on."
NOT_WAITING = "This draft is not waiting for your review any more."
YOURSELF = "Pick someone else: you cannot review your own draft."


def check_text(text: str, *, required: bool) -> str | None:
    """What is wrong with a note or a comment, or None. One line to a paragraph."""
    if required and not text.strip():
        return "Say what should change, please: the comment is what they will read."
    return checks.check_text(text, max_chars=NOTE_MAX_CHARS, lines=True)


def sent(draft: Draft, reviewer: str, note: str | None, now: datetime) -> Draft | ReviewRefused:
    """The draft sent (or sent again) to `reviewer`, its current values the ones to review.
    Sent again to the same reviewer, it keeps the review and its message (updated, not a new
    one); to someone else, it starts a new review."""
    if reviewer == draft.owner.user:
        return ReviewRefused(YOURSELF)
    before = draft.review
    same = before is not None and before.reviewer == reviewer
    review = Review(
        **({"id": before.id, "reviewer_channel": before.reviewer_channel, "reviewer_ts": before.reviewer_ts}
           if same and before else {}),
        reviewer=reviewer, status=ReviewStatus.IN_REVIEW, note=note or None, comment=None,
        sent_values=dict(draft.values), sent_at=now, changed_at=now, message_due=True)
    return draft.model_copy(update={"review": review})


def _acting(draft: Draft, reviewer: str, review_id: str) -> Review | ReviewRefused:
    review = draft.review
    if review is None or review.id != review_id or review.reviewer != reviewer:
        return ReviewRefused(NOT_YOURS)
    if review.status is not ReviewStatus.IN_REVIEW:
        return ReviewRefused(NOT_WAITING)
    return review


def changes_asked(draft: Draft, reviewer: str, review_id: str, comment: str, now: datetime) -> Draft | ReviewRefused:
    review = _acting(draft, reviewer, review_id)
    if isinstance(review, ReviewRefused):
        return review
    changed = review.model_copy(update={"status": ReviewStatus.CHANGES_ASKED, "comment": comment, "changed_at": now,
                                        "message_due": True})
    return draft.model_copy(update={"review": changed})


def agreed(draft: Draft, reviewer: str, review_id: str, now: datetime) -> Draft | ReviewRefused:
    """Agreed as sent: the values the reviewer was shown, not any typed since."""
    review = _acting(draft, reviewer, review_id)
    if isinstance(review, ReviewRefused):
        return review
    changed = review.model_copy(update={"status": ReviewStatus.AGREED, "comment": None, "changed_at": now,
                                        "message_due": True})
    return draft.model_copy(update={"review": changed,
                                    "agreed": Agreed(values=dict(review.sent_values), by=reviewer, at=now)})


def edited(draft: Draft, now: datetime) -> Draft:
    """After its owner changed its values: a draft again (the agreed version kept), so what
    was agreed and what changed are both there to see."""
    review = draft.review
    if review is None or review.status is ReviewStatus.DRAFT:
        return draft
    # The reviewer's message, where there is one, says it changed since they had it.
    return draft.model_copy(update={"review": review.model_copy(update={
        "status": ReviewStatus.DRAFT, "changed_at": now, "message_due": review.reviewer_ts is not None})})


def proposed(draft: Draft, to: Owner, now: datetime) -> Draft | ReviewRefused:
    """`draft`, as proposed by its owner to `to`: a new draft of `to`'s own, the same frame,
    name and values, marked as proposed by the proposer (who is offered as its reviewer)."""
    if to.user == draft.owner.user:
        return ReviewRefused("Pick someone else: this draft is already yours.")
    return Draft(owner=to, family=draft.family, level=draft.level, framework=draft.framework,
                 for_family=draft.for_family, for_level=draft.for_level, name=draft.name,
                 canon_fingerprint=draft.canon_fingerprint, values=dict(draft.values), labels=dict(draft.labels),
                 created_at=now, updated_at=now, proposed_by=draft.owner.user, message_due=True,
                 review=Review(reviewer=draft.owner.user, status=ReviewStatus.DRAFT, sent_values=dict(draft.values),
                               sent_at=now, changed_at=now))


def accepted(draft: Draft, by: str, now: datetime) -> Draft | ReviewRefused:
    """A proposed draft agreed at once by its owner, as it was proposed."""
    review = draft.review
    if by != draft.owner.user or draft.proposed_by is None or review is None \
            or review.reviewer != draft.proposed_by:
        return ReviewRefused(NOT_YOURS)
    if draft.values != review.sent_values or review.status is not ReviewStatus.DRAFT:
        return ReviewRefused("It has changed since it was proposed: send it for review instead.")
    return draft.model_copy(update={
        "review": review.model_copy(update={"status": ReviewStatus.AGREED, "changed_at": now}),
        "agreed": Agreed(values=dict(draft.values), by=by, at=now)})


def can_accept(draft: Draft) -> bool:
    """Whether its owner can still agree it as proposed (unchanged, not sent back)."""
    review = draft.review
    return (draft.proposed_by is not None and review is not None and review.reviewer == draft.proposed_by
            and review.status is ReviewStatus.DRAFT and draft.values == review.sent_values)
