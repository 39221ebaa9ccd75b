"""The Home tab's view, built without Slack: within Slack's limits and slack-sdk's model for
every shipped frame and any number of drafts; the pickers for any canon."""

from __future__ import annotations

from pathlib import Path

from slack_sdk.models.views import View

from bot.canon.repository import CanonRepository
from bot.slack.home.picker import Choice, picker_blocks
from bot.slack.home.view import help_blocks, home_view
from bot.slack.shared.ids import PICK_ACTION, PICK_FAMILY
from bot.slack.shared.limits import HOME_BLOCKS_MAX, SELECT_OPTIONS_MAX
from support.canon_files import family_doc, level_doc, shipped_frames, write_canon_dir
from support.draft_helpers import draft_view, some_values


def test_every_shipped_frame_with_many_drafts_makes_a_home_slack_accepts(repository: CanonRepository) -> None:
    vocabulary = repository.vocabulary()
    for frame in shipped_frames(repository):
        drafts = [draft_view(frame, some_values(frame, every=n + 1)) for n in range(60)]
        choice = Choice(frame.family_slug, frame.level_code, frame.framework)
        home = home_view(vocabulary, choice, frame, drafts, help_blocks(vocabulary))
        View(**home).validate_json()  # slack-sdk's own checks of a view and every block in it
        assert len(home["blocks"]) <= HOME_BLOCKS_MAX
        text = str(home["blocks"])
        assert "Help" in text and "Your drafts" in text and "not shown here" in text


def test_a_canon_of_more_families_than_a_select_holds_says_so(tmp_path: Path) -> None:
    families = [family_doc(slug=f"family-{n:03d}", name=f"Family {n:03d}", levels={"L1": {}}) for n in range(130)]
    repository = CanonRepository.open(write_canon_dir(tmp_path, levels=[level_doc("L1")], families=families))
    blocks = [block.to_dict() for block in picker_blocks(repository.vocabulary(), Choice())]
    (family_select,) = [e for b in blocks if b["type"] == "actions" for e in b["elements"]
                        if e["action_id"] == f"{PICK_ACTION}{PICK_FAMILY}"]
    assert len(family_select["options"]) == SELECT_OPTIONS_MAX
    assert "30 more job families are not in this list: type /goals list to see them all." in str(blocks)
