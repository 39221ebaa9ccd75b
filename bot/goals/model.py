"""The draft model: whose drafts (`Owner`, always from the signed request) and a `Draft`, a
frame's identity plus a person's values for its placeholder keys."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.frames.frameworks import Framework

# Starting with a letter or digit, as Slack's ids and ours do: "-" names the folder of no
# enterprise (and the owner of no team), so no id may be "-".
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# Anchored: pydantic's `pattern` searches, so an unanchored one would pass "../../etc".
ID_FIELD = rf"^{ID.pattern}$"
NO_TEAM = "-"  # org-wide installs can send requests without a team


class Owner(BaseModel):
    """Whose drafts: from the signed payload, never from a button value."""

    model_config = ConfigDict(frozen=True)

    team: str = Field(pattern=rf"^(?:{NO_TEAM}|{ID.pattern})$")
    user: str = Field(pattern=ID_FIELD)
    enterprise: str | None = Field(default=None, pattern=ID_FIELD)


class ReviewStatus(StrEnum):
    """Where a draft stands with its reviewer. DRAFT: edited since it was last sent."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_ASKED = "changes_asked"
    AGREED = "agreed"


class Agreed(BaseModel):
    """The values a reviewer agreed, kept when the owner edits the draft afterwards."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    values: dict[str, str]
    by: str = Field(pattern=ID_FIELD)
    at: datetime


class Review(BaseModel):
    """A draft's review: who reviews it, where it stands, and what was sent. Typed text (the
    owner's note, the reviewer's comment) is a person's, shown as theirs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=ID_FIELD)
    reviewer: str = Field(pattern=ID_FIELD)
    status: ReviewStatus
    note: str | None = None
    comment: str | None = None  # the reviewer's, when they asked for changes
    sent_values: dict[str, str] = Field(default_factory=dict)
    sent_at: datetime
    changed_at: datetime
    # The reviewer's DM message about it, updated in place on every change.
    reviewer_channel: str | None = None
    reviewer_ts: str | None = None
    # Set in the same write as a change the reviewer's message must show, cleared once it
    # does: the draft stays due (`Draft.message_due`) until then, so the catch-up that
    # shows the owner's message shows the reviewer's too, after a crash or Slack's refusal.
    message_due: bool = False
    # Set just before the reviewer's message is first posted, cleared once it is recorded: a
    # post cut short (a timeout, a 5xx Slack delivered all the same) is looked for first.
    posting_since: datetime | None = None

    def shown_with(self, draft: Draft) -> str:
        """What the reviewer's message shows, as a stamp: this review's last change and the
        draft as it stood."""
        return f"{self.changed_at.isoformat()}|{draft.shown_as}"


class NoticeKind(StrEnum):
    SENT = "sent"
    CHANGES_ASKED = "changes_asked"
    AGREED = "agreed"


class Notice(BaseModel):
    """One short line owed to a draft's owner about a change to its review (who did what),
    recorded in the same write as the change and posted once under the draft's DM message."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=ID_FIELD)
    kind: NoticeKind
    by: str = Field(pattern=ID_FIELD)  # the reviewer
    # Set just before it is posted: a post cut short is looked for in the thread first.
    posting_since: datetime | None = None


class CheckStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class TargetCheck(BaseModel):
    """What a person said of one ⟨target⟩ in a check-in: all theirs, shown as theirs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str | None = None  # where it stands now, as they put it ("8 sites")
    status: CheckStatus | None = None
    note: str | None = None


class CheckIn(BaseModel):
    """A dated record of progress against a draft's targets, by target placeholder key. It
    never changes the draft's values: `targets` holds the target each entry was measured
    against, as the draft had it then."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=ID_FIELD)
    at: datetime  # first saved: the check-in's date
    changed_at: datetime  # last saved (a form in steps saves each step into the same check-in)
    entries: dict[str, TargetCheck] = Field(default_factory=dict)
    targets: dict[str, str] = Field(default_factory=dict)


class Draft(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=ID_FIELD)
    owner: Owner
    family: str
    level: str
    framework: Framework
    # A stretch draft: the frame of `family` at `level` read as a stretch for the person at
    # this family and level (both, or neither), and labelled so.
    for_family: str | None = None
    for_level: str | None = None
    name: str | None = None  # the person's own name for it ("H1 2027"); None: named after its frame
    canon_fingerprint: str
    values: dict[str, str] = Field(default_factory=dict)
    # What each filled placeholder was for, so a value whose row leaves the canon can still
    # be shown with its label ("no longer in the canon").
    labels: dict[str, str] = Field(default_factory=dict)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    dm_channel: str | None = None  # where the draft's DM message lives, to update it in place
    dm_ts: str | None = None
    # Set in the same write as a save, cleared once the DM message shows it: work promised
    # survives a crash, and any host can finish it (`DraftStore.due_messages`).
    message_due: bool = False
    # Set just before the DM message's first post, cleared once it is recorded: a post cut
    # short (a crash, a timeout Slack still delivered) is looked for before posting again.
    posting_since: datetime | None = None
    review: Review | None = None
    agreed: Agreed | None = None  # the last agreed version, kept through later edits
    proposed_by: str | None = Field(default=None, pattern=ID_FIELD)  # a manager who drafted it for the owner
    notices: list[Notice] = Field(default_factory=list)  # owed to the owner, oldest first
    check_ins: list[CheckIn] = Field(default_factory=list)  # oldest first

    @property
    def shown_as(self) -> str:
        """What the DM message shows, as a stamp: a save changes `updated_at`, a check-in
        (which is no edit of the draft) its own count or time."""
        last = self.check_ins[-1].changed_at.isoformat() if self.check_ins else ""
        return f"{self.updated_at.isoformat()}|{len(self.check_ins)}|{last}"


class ReviewPointer(BaseModel):
    """In a reviewer's profile: whose draft a review of theirs is about. The draft's own
    review is the authority; a pointer whose draft no longer names this review finds nothing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner: Owner
    draft: str = Field(pattern=ID_FIELD)


class Cadence(StrEnum):
    """How often a draft with targets and no recent check-in is nudged."""

    OFF = "off"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class ReminderKind(StrEnum):
    DATE_SOON = "date_soon"  # a ⟨date⟩ is 7 days away
    DATE_TODAY = "date_today"
    CHECK_IN = "check_in"  # no check-in for a cadence's interval


class ReminderItem(BaseModel):
    """One thing a reminder names: a draft, and a date of it or a check-in due."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str  # the same item is never sent twice: `Reminders.sent` holds its key
    draft: str = Field(pattern=ID_FIELD)
    kind: ReminderKind
    due_at: datetime
    day: date | None = None  # the ⟨date⟩ it is about (DATE_SOON, DATE_TODAY)


class Digest(BaseModel):
    """Everything due for one person at one time, as one DM. Claimed (its items recorded as
    sent) before it is posted; `posted` once Slack has it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=ID_FIELD)
    items: list[ReminderItem]
    claimed_at: datetime


class Reminders(BaseModel):
    """A person's reminders: their settings, and what was sent. `due_at` is when something is
    next due for them; the store indexes it, so a sweep reads only those due."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadence: Cadence = Cadence.BIWEEKLY
    paused_until: date | None = None  # none before this day (leave)
    off: bool = False
    # "Snooze a week": what falls due from `snoozed_from` is held until `snoozed_until`, then sent.
    snoozed_from: datetime | None = None
    snoozed_until: datetime | None = None
    tz: str | None = Field(default=None, max_length=64)  # their Slack timezone, as last known
    due_at: datetime | None = None
    sent: dict[str, datetime] = Field(default_factory=dict)  # item key: when it was claimed
    sending: Digest | None = None  # claimed, not yet known to be posted
    last_digest: Digest | None = None  # the last one posted: what its Snooze button snoozes
    unreachable: str | None = None  # Slack could not DM them (why); nothing is sent until they come back
    dm_channel: str | None = None  # where their reminders are posted


class Profile(BaseModel):
    """What Goals remembers of a person between visits: their own family and level ("my
    level"), and the framework they last chose. A document, so later fields (a reviewer,
    reminder settings) need no migration."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner: Owner
    family: str | None = None
    level: str | None = None
    framework: Framework | None = None
    reviewer: str | None = Field(default=None, pattern=ID_FIELD)  # "my reviewer", offered next time
    reviews: dict[str, ReviewPointer] = Field(default_factory=dict)  # sent to this person, by review id
    reminders: Reminders = Field(default_factory=Reminders)
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
