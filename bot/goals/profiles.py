"""What Goals remembers of a person between visits (`Profile`): their family, level and
framework as last picked, so the Home tab and a bare `/goals` open where they left off."""

from __future__ import annotations

from bot.frames.frameworks import Framework
from bot.goals.model import Owner, Profile
from bot.goals.storage import ProfileStore


def remember(store: ProfileStore, owner: Owner, family: str | None, level: str | None,
             framework: Framework | None) -> Profile | None:
    """Keep the person's latest pick; writes nothing when it is what Goals already holds."""

    def edit(current: Profile | None) -> Profile | None:
        base = current or Profile(owner=owner)
        if (base.family, base.level, base.framework) == (family, level, framework) and current is not None:
            return None
        return base.model_copy(update={"family": family, "level": level, "framework": framework})

    return store.change(owner, edit)
