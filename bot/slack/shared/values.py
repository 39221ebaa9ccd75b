"""Values that go out through Slack and come back: a button's value, a form's
private_metadata. Compact JSON out, parsed strictly on the way back in, each field typed once.

None of them says whose anything is: that always comes from the signed request. A draft id
read here is only ever looked up among the clicking person's own drafts.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.frames.comparison import Comparison
from bot.frames.frameworks import Framework
from bot.frames.model import Frame
from bot.goals.checks import NAME_MAX_CHARS
from bot.goals.model import ID_FIELD
from bot.grammar.requests import SUGGESTION_WORDS_MAX

FamilySlug = Annotated[str, Field(min_length=1, max_length=200)]
LevelCode = Annotated[str, Field(min_length=1, max_length=64)]
Page = Annotated[int, Field(ge=0, le=1000)]
DraftId = Annotated[str, Field(pattern=ID_FIELD)]
TimeZone = Annotated[str, Field(max_length=64)]
UserId = Annotated[str, Field(pattern=ID_FIELD)]  # as `Owner.user`
DraftName = Annotated[str, Field(min_length=1, max_length=NAME_MAX_CHARS)]
ChannelId = Annotated[str, Field(pattern=r"^[CG][A-Z0-9]{1,30}$")]
BlockId = Annotated[str, Field(min_length=1, max_length=255)]


class ButtonValue(BaseModel):
    # Strict: a forged `"p": true` is refused rather than read as page 1.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True)

    def value(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_defaults=True)

    @classmethod
    def parse(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        try:
            return cls.model_validate_json(value)
        except ValidationError:
            return None


class FrameRef(ButtonValue):
    """What a frame's button points at."""

    family: FamilySlug = Field(alias="f")
    level: LevelCode = Field(alias="l")
    framework: Framework | None = Field(alias="w", default=None)  # None: the overview
    page: Page = Field(alias="p", default=0)
    # A stretch frame: the family and level of the person it is for (both, or neither).
    for_family: FamilySlug | None = Field(alias="sf", default=None)
    for_level: LevelCode | None = Field(alias="sl", default=None)

    @classmethod
    def of(cls, frame: Frame, page: int = 0) -> FrameRef:
        stretch = frame.stretch
        return cls(family=frame.family_slug, level=frame.level_code, framework=frame.framework, page=page,
                   for_family=stretch.family_slug if stretch else None,
                   for_level=stretch.level_code if stretch else None)


class CompareRef(ButtonValue):
    """What a comparison's button points at."""

    lower_family: FamilySlug = Field(alias="lf")
    lower_level: LevelCode = Field(alias="ll")
    higher_family: FamilySlug = Field(alias="hf")
    higher_level: LevelCode = Field(alias="hl")
    framework: Framework = Field(alias="w")  # of the stretch frame
    page: Page = Field(alias="p", default=0)

    @classmethod
    def of(cls, comparison: Comparison, page: int = 0) -> CompareRef:
        lower, higher = comparison.lower, comparison.higher
        return cls(lower_family=lower.family.slug, lower_level=lower.level.code,
                   higher_family=higher.family.slug, higher_level=higher.level.code,
                   framework=comparison.stretch.framework, page=page)


class DraftRef(ButtonValue):
    """A draft button's value: which draft (of the person clicking) and which page."""

    draft: DraftId = Field(alias="d")
    page: Page = Field(alias="p", default=0)


class FormState(ButtonValue):
    """The draft form's private_metadata."""

    draft: DraftId = Field(alias="d")
    new: bool = Field(alias="n", default=False)  # not saved yet: the first save creates it
    family: FamilySlug = Field(alias="f")
    level: LevelCode = Field(alias="l")
    framework: Framework = Field(alias="w")
    part: Page = Field(alias="p", default=0)  # the step of the form, from 0
    tz: TimeZone | None = Field(alias="z", default=None)  # the person's Slack timezone
    # A stretch draft: the family and level of the person it is for (both, or neither).
    for_family: FamilySlug | None = Field(alias="sf", default=None)
    for_level: LevelCode | None = Field(alias="sl", default=None)
    # Inputs (block ids) whose value the form shows was typed but refused, not saved: saved
    # with the step even if unchanged since.
    typed: list[BlockId] = Field(alias="t", default_factory=list, max_length=16)
    # A new draft's name as the form first shows it ("… (2)"): given to the draft at its
    # first save unless the person typed another.
    preset: DraftName | None = Field(alias="nm", default=None)
    # `/goals draft … for @alice`: once saved, the draft is proposed to this person.
    propose_to: UserId | None = Field(alias="pt", default=None)
    # The channel the form was opened from, where the person is told privately once it is
    # saved (none from a DM or the Home tab: the draft's message is in their DM already).
    channel: ChannelId | None = Field(alias="c", default=None)


class ChoiceState(ButtonValue):
    """The private_metadata of the modal that asks whether to continue a draft or start
    another: the channel it was asked from, for the form that follows (`FormState.channel`)."""

    channel: ChannelId | None = Field(alias="c", default=None)


class ShareState(ButtonValue):
    """The share form's private_metadata: what is shared, exactly one of a draft (of the
    person submitting), a frame or a comparison."""

    draft: DraftId | None = Field(alias="d", default=None)
    frame: FrameRef | None = Field(alias="fr", default=None)
    comparison: CompareRef | None = Field(alias="cr", default=None)

    @model_validator(mode="after")
    def _one_thing(self) -> Self:
        if sum(thing is not None for thing in (self.draft, self.frame, self.comparison)) != 1:
            raise ValueError("a share shares exactly one thing")
        if self.frame is not None and self.frame.framework is None:
            raise ValueError("a shared frame has a framework")
        return self


class SharedRef(ButtonValue):
    """A Delete button for what someone shared: who shared it, and for a share sent to a
    person (whose DM the sharer cannot see) which messages, the button being in the note
    Goals sends the sharer. Goals wrote it into its own message, which nobody else can edit;
    the click is acted on only when the person Slack signs as clicking is that sharer."""

    by: UserId = Field(alias="b")
    channel: Annotated[str, Field(pattern=ID_FIELD)] | None = Field(alias="c", default=None)
    messages: list[Annotated[str, Field(pattern=r"^[0-9]{1,20}\.[0-9]{1,10}$")]] = Field(
        alias="t", default_factory=list, max_length=60)


class RunRef(ButtonValue):
    """A button that runs words as `/goals WORDS` would: only the words, parsed again on the
    click like anything typed, so a crafted value can ask for nothing a person could not type."""

    words: str = Field(alias="r", min_length=1, max_length=SUGGESTION_WORDS_MAX)


class ReviewRef(ButtonValue):
    """A reviewer's button (Agree, Ask for changes) and the changes form's private_metadata:
    which review, looked up only among the clicking person's own reviews."""

    review: DraftId = Field(alias="r")
    sent: Annotated[int, Field(ge=0)] | None = Field(alias="s", default=None)  # which send: `sent_stamp`


class CheckInState(ButtonValue):
    """The check-in form's private_metadata: which draft (of the person submitting), which
    check-in its steps save into, and the step shown."""

    draft: DraftId = Field(alias="d")
    check_in: DraftId = Field(alias="c")  # made by the first step's save
    part: Page = Field(alias="p", default=0)


class DigestRef(ButtonValue):
    """A reminder's Snooze button: which digest it was on (the person's, from the signed request)."""

    digest: DraftId = Field(alias="g")


class ToggleRef(ButtonValue):
    """The reminder settings' on/off button: what clicking it turns them to."""

    on: bool = Field(alias="on")
