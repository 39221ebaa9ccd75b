"""The draft model: whose drafts (`Owner`, always from the signed request) and a `Draft`, a
frame's identity plus a person's values for its placeholder keys."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

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


class Profile(BaseModel):
    """What Goals remembers of a person between visits: their own family and level ("my
    level"), and the framework they last chose. A document, so later fields (a reviewer,
    reminder settings) need no migration."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    owner: Owner
    family: str | None = None
    level: str | None = None
    framework: Framework | None = None
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
