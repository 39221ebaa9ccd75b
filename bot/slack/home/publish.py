"""The Home tab, published for one person: their pick, their drafts, what was sent to them,
their reminder settings."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.goals.model import Owner, Profile, Reminders
from bot.slack.home.picker import Choice, checked
from bot.slack.home.view import help_blocks, home_view
from bot.slack.reminders.blocks import settings_blocks
from bot.slack.shared.surfaces import Surfaces


def last_choice(surfaces: Surfaces, owner: Owner) -> Choice:
    """The family, level and framework the person last picked, as far as the canon still
    has them."""
    return _choice_of(surfaces, surfaces.profiles.get(owner))


def _choice_of(surfaces: Surfaces, profile: Profile | None) -> Choice:
    if profile is None:
        return Choice()
    return checked(Choice(profile.family, profile.level, profile.framework),
                   surfaces.drafting.repository.vocabulary())


def refresh_home(client: WebClient, surfaces: Surfaces, owner: Owner) -> None:
    drafting = surfaces.drafting
    vocabulary = drafting.repository.vocabulary()
    profile = surfaces.profiles.get(owner)  # read once: the person's pick and their reminders
    picked = _choice_of(surfaces, profile)
    frame = drafting.frame(*picked.frame) if picked.frame else None
    settings = settings_blocks(profile.reminders if profile else Reminders(), datetime.now(UTC))
    view = home_view(vocabulary, picked, frame, drafting.views(owner), help_blocks(vocabulary),
                     surfaces.reviewing.sent_to(owner), settings)
    client.views_publish(user_id=owner.user, view=view)
