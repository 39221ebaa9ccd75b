"""Block Kit for reviews: where a draft stands (on the owner's message, in lists), the
reviewer's message (the draft exactly as sent, the owner's note, Agree and Ask for changes),
the agreed version kept beside later edits, and the two forms.

What people typed (a note, a comment) goes only into plain_text, escaped, and is marked as
theirs; mentions and dates are ours, in mrkdwn Slack renders in each reader's timezone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.goals.drafts.view import DraftView
from bot.goals.fields import value_labels
from bot.goals.model import Review, ReviewStatus
from bot.goals.reviews.reviewing import sent_stamp
from bot.goals.reviews.rules import NOTE_MAX_CHARS, can_accept
from bot.slack.frames.blocks import frame_footer, frame_head, frame_pages
from bot.slack.shared.ids import (
    COMMENT_BLOCK,
    DRAFT_FOR_CALLBACK,
    NOTE_BLOCK,
    PROPOSE_CALLBACK,
    REVIEW_AGREE_ACTION,
    REVIEW_CHANGES_ACTION,
    REVIEW_CHANGES_CALLBACK,
    REVIEW_SEND_CALLBACK,
    REVIEWER_BLOCK,
    VALUE_ACTION,
)
from bot.slack.shared.layout import Message, button, context, mention, packed_sections, sections, title_blocks
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX
from bot.slack.shared.text import escape, plain, shortened
from bot.slack.shared.values import DraftRef, FrameRef, ReviewRef


def when(at: datetime) -> str:
    """A date as Slack shows it to each reader, in their own timezone."""
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}}|{at:%Y-%m-%d}>"


STATUS_WORDS: dict[ReviewStatus, str] = {
    ReviewStatus.IN_REVIEW: "In review with",
    ReviewStatus.CHANGES_ASKED: "Changes asked by",
    ReviewStatus.AGREED: "Agreed by",
    ReviewStatus.DRAFT: "Changed since it was sent to",
}


def status_text(review: Review) -> str:
    """Where the draft stands, as mrkdwn (Goals' words, a mention and a date only)."""
    words = f"{STATUS_WORDS[review.status]} {mention(review.reviewer).text}"
    if review.status is ReviewStatus.AGREED:
        return f"*{words}* on {when(review.changed_at)}"
    return f"*{words}* · {when(review.changed_at)}"


def status_elements(view: DraftView) -> list[MarkdownTextObject | PlainTextObject]:
    """The draft's review status, and the reviewer's comment quoted as theirs; nothing for a
    draft never sent. Context elements, to sit beside a draft's progress."""
    draft, review = view.draft, view.draft.review
    if review is None:
        return []
    text = status_text(review)
    proposed = draft.proposed_by is not None and review.reviewer == draft.proposed_by
    if can_accept(draft):
        text = f"*Proposed by {mention(review.reviewer).text}* · {when(review.sent_at)}"
    elif proposed and review.status is ReviewStatus.DRAFT and review.note is None and review.comment is None \
            and review.reviewer_ts is None:  # proposed, edited since, never sent back
        text = f"*Proposed by {mention(review.reviewer).text}*, changed since · {when(review.changed_at)}"
    elif review.status is ReviewStatus.AGREED and draft.agreed and draft.agreed.by == draft.owner.user:
        text = (f"*Agreed by {mention(draft.owner.user).text}* as proposed by {mention(review.reviewer).text}, "
                f"on {when(review.changed_at)}")
    elements: list[MarkdownTextObject | PlainTextObject] = [MarkdownTextObject(text=text)]
    # The comment stays in sight while the owner works on it (until it is sent again).
    if review.status in (ReviewStatus.CHANGES_ASKED, ReviewStatus.DRAFT) and review.comment:
        elements.append(plain(f"“{shortened(review.comment, 1900)}”"))
    return elements


def status_blocks(view: DraftView) -> list[Block]:
    elements = status_elements(view)
    return [ContextBlock(elements=elements)] if elements else []


def agreed_blocks(view: DraftView) -> list[Block]:
    """After an edit of an agreed draft: the agreed version beside the new values."""
    agreed, review = view.draft.agreed, view.draft.review
    if agreed is None or review is None or review.status is ReviewStatus.AGREED:
        return []
    labels = {**view.draft.labels, **(value_labels(view.frame) if view.frame else {})}
    lines = [f"{labels.get(key, key)}: {value}" for key, value in agreed.values.items()]
    head = ContextBlock(elements=[MarkdownTextObject(
        text=f"*The agreed version* ({mention(agreed.by).text}, {when(agreed.at)}), as it was:")])
    return [head, *packed_sections(lines or ["(no values)"])]


def review_buttons(review: Review) -> ActionsBlock:
    ref = ReviewRef(review=review.id, sent=sent_stamp(review))
    return ActionsBlock(elements=[button("Agree", REVIEW_AGREE_ACTION, ref, style="primary"),
                                  button("Ask for changes", REVIEW_CHANGES_ACTION, ref)])


def reviewer_message(owner_user: str, view: DraftView) -> Message:
    """What the reviewer gets: who asks, their note, and the draft exactly as sent; Agree and
    Ask for changes while it waits for them, then where it stands."""
    review = view.draft.review
    assert review is not None
    blocks: list[Block] = [*title_blocks(f"Review: {view.name}"),
                           ContextBlock(elements=[mention(owner_user),
                                                  plain("asks you to review their draft.")])]
    if review.note:
        blocks.append(ContextBlock(elements=[plain("Their note:"), plain(f"“{shortened(review.note, 1900)}”")]))
    if view.frame is None:  # the canon no longer has its frame: the values, by what they were for
        blocks += packed_sections([f"{view.draft.labels.get(k, k)}: {v}" for k, v in review.sent_values.items()]
                                  or ["(no values)"])
    else:
        pages = frame_pages(view.frame, review.sent_values, chrome=8)
        blocks += [*frame_head(view.frame), *pages[0], *frame_footer(0, 1)]
        if len(pages) > 1:
            labels = value_labels(view.frame)
            blocks += context(f"This draft is {len(pages)} pages long; the first is shown, and every value "
                              "as sent follows:")
            blocks += packed_sections([f"{labels.get(k, k)}: {v}" for k, v in review.sent_values.items()])
    waiting = review.status is ReviewStatus.IN_REVIEW
    if not waiting:
        blocks += status_blocks(view)
    blocks = blocks[:MESSAGE_BLOCKS_MAX - 1]
    if waiting:
        blocks.append(review_buttons(review))
    return Message(text=escape(f"Review: {view.name}"), blocks=blocks)


def replaced_message(owner_user: str, name: str) -> Message:
    return Message(text=escape(f"Sent to someone else: {name}"), blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"{mention(owner_user).text} sent this draft to someone else "
                                                  "for review instead.")),
        *context(name)])


def withdrawn_message(owner_user: str, name: str) -> Message:
    return Message(text=escape(f"Withdrawn: {name}"), blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"{mention(owner_user).text} withdrew this draft: they deleted it.")),
        *context(name)])


def draft_for_form(ref: FrameRef, name: str) -> dict[str, object]:
    """Draft for…: who the draft is for; then the draft's form, whose save proposes it to them."""
    blocks: list[Block] = [
        *sections(f"Draft {name} for someone: fill it in next, and once you save it they get it as a draft of "
                  "their own, marked as proposed by you. You keep a copy."),
        InputBlock(block_id=REVIEWER_BLOCK, label="For",
                   element=UserSelectElement(action_id=VALUE_ACTION, placeholder="Pick a person")),
    ]
    return View(type="modal", callback_id=DRAFT_FOR_CALLBACK, title="Draft for…", submit="Next",
                close="Cancel", private_metadata=ref.value(), blocks=blocks).to_dict()


def propose_form(view: DraftView) -> dict[str, object]:
    """Propose to…: the person this draft is for; they get it as a draft of their own."""
    blocks: list[Block] = [
        *sections(f"Propose {view.name} to someone. They get it as a draft of their own, with your values, "
                  "marked as proposed by you: they can edit it, send it back to you for review, or agree it "
                  "at once. Your own draft stays as it is."),
        InputBlock(block_id=REVIEWER_BLOCK, label="For",
                   element=UserSelectElement(action_id=VALUE_ACTION, placeholder="Pick a person")),
    ]
    return View(type="modal", callback_id=PROPOSE_CALLBACK, title="Propose a draft", submit="Propose",
                close="Cancel", private_metadata=DraftRef(draft=view.draft.id).value(), blocks=blocks).to_dict()


def send_form(view: DraftView, reviewer: str | None) -> dict[str, object]:
    """Send for review: a person (the last one, offered again) and an optional note."""
    blocks: list[Block] = [
        *sections(f"Send {view.name} for review. They get a message from Goals with your values exactly as they "
                  "are now, and can agree or ask for changes."),
        InputBlock(block_id=REVIEWER_BLOCK, label="Reviewer",
                   element=UserSelectElement(action_id=VALUE_ACTION, placeholder="Pick a person",
                                             initial_user=reviewer)),
        InputBlock(block_id=NOTE_BLOCK, label="Note", optional=True,
                   hint=f"Shown to them as yours; up to {NOTE_MAX_CHARS} characters.",
                   element=PlainTextInputElement(action_id=VALUE_ACTION, multiline=True,
                                                 max_length=NOTE_MAX_CHARS)),
    ]
    return View(type="modal", callback_id=REVIEW_SEND_CALLBACK, title="Send for review", submit="Send",
                close="Cancel", private_metadata=DraftRef(draft=view.draft.id).value(), blocks=blocks).to_dict()


def changes_form(review: Review, owner_user: str, name: str) -> dict[str, object]:
    """Ask for changes: a comment, required, for the owner to read."""
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"What should {mention(owner_user).text} change in "
                                                  f"{escape(name)}?", verbatim=True)),
        InputBlock(block_id=COMMENT_BLOCK, label="Comment",
                   hint=f"They see it as yours, word for word; up to {NOTE_MAX_CHARS} characters.",
                   element=PlainTextInputElement(action_id=VALUE_ACTION, multiline=True,
                                                 max_length=NOTE_MAX_CHARS)),
    ]
    ref = ReviewRef(review=review.id, sent=sent_stamp(review))
    return View(type="modal", callback_id=REVIEW_CHANGES_CALLBACK, title="Ask for changes", submit="Send",
                close="Cancel", private_metadata=ref.value(), blocks=blocks).to_dict()


def typed(view: Mapping[str, object], block: str) -> str:
    """What was typed into the form's input `block` ('' for nothing)."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, Mapping) else None
    element = values.get(block, {}).get(VALUE_ACTION) if isinstance(values, Mapping) else None
    value = element.get("value") if isinstance(element, Mapping) else None
    return value if isinstance(value, str) else ""
