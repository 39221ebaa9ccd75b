"""The registration map: every id Goals listens for, and the top-level function that answers it.

Listeners live with their feature (`bot/slack/<feature>/listeners.py`) and never import each
other. Each names the services it needs (`repository`, `drafting`, `surfaces`) beside Bolt's
arguments; `bound` fills them here, once. `Routes` decides the order in which Bolt tries
them: commands first.
"""

from __future__ import annotations

import re

from slack_bolt import App

from bot.canon.repository import CanonRepository
from bot.slack.check_ins import listeners as check_ins
from bot.slack.command import listeners as commands
from bot.slack.compare import listeners as compare
from bot.slack.drafts import listeners as drafts
from bot.slack.frames import listeners as frames
from bot.slack.home import listeners as home
from bot.slack.reminders import listeners as reminders
from bot.slack.reviews import listeners as reviews
from bot.slack.share import listeners as share
from bot.slack.shared import errors, ids
from bot.slack.shared.routing import Routes, ack_only, bound, opens_form
from bot.slack.shared.surfaces import Surfaces


def _prefix(action: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(action)}")


def register_all(app: App, repository: CanonRepository, surfaces: Surfaces) -> None:
    errors.register(app)
    deps = {"repository": repository, "drafting": surfaces.drafting, "surfaces": surfaces}

    def lazy(*listeners: object) -> list[object]:
        return [bound(listener, deps) for listener in listeners]  # type: ignore[arg-type]

    def form(*listeners: object) -> list[object]:
        """Lazy listeners that open a form with the trigger_id: run in a pool of their own."""
        return [opens_form(bound(listener, deps)) for listener in listeners]  # type: ignore[arg-type]

    routes = Routes(app)
    # `/goals draft ...` and `/goals compare ...` are matched before the general `/goals`.
    routes.command(ids.COMMAND, matchers=[bound(drafts.wants_draft, deps)])(
        ack=ack_only, lazy=form(drafts.open_from_command))
    routes.command(ids.COMMAND, matchers=[bound(compare.wants_compare, deps)])(
        ack=bound(compare.ack_compare, deps), lazy=lazy(compare.post_stretch))
    routes.command(ids.COMMAND)(bound(commands.goals, deps))

    routes.action(_prefix(ids.SWITCH_ACTION))(ack=ack_only, lazy=lazy(frames.show))
    routes.action(_prefix(ids.PAGE_ACTION))(ack=ack_only, lazy=lazy(frames.show))
    routes.action(ids.COPY_ACTION)(ack=ack_only, lazy=lazy(frames.copy))
    routes.action(ids.SHARE_ACTION)(ack=ack_only, lazy=form(share.open_share))

    routes.action(_prefix(ids.COMPARE_STRETCH_ACTION))(ack=ack_only, lazy=lazy(compare.show_stretch))
    routes.action(_prefix(ids.COMPARE_PAGE_ACTION))(ack=ack_only, lazy=lazy(compare.page))
    routes.action(ids.COMPARE_COPY_ACTION)(ack=ack_only, lazy=lazy(compare.copy))
    routes.action(ids.COMPARE_SHARE_ACTION)(ack=ack_only, lazy=form(share.open_share))

    routes.action(ids.DRAFT_ACTION)(ack=ack_only, lazy=form(drafts.open_from_frame))
    routes.view(ids.DRAFT_FORM_CALLBACK)(ack=bound(drafts.submit_form, deps), lazy=lazy(drafts.after_save))
    routes.view({"type": "view_closed", "callback_id": ids.DRAFT_FORM_CALLBACK})(
        ack=ack_only, lazy=lazy(drafts.closed_form))
    routes.action(ids.DRAFT_BACK_ACTION)(ack=ack_only, lazy=lazy(drafts.go_back))
    routes.action(ids.DRAFT_EDIT_ACTION)(ack=ack_only, lazy=form(drafts.edit))
    routes.action(ids.DRAFT_CONTINUE_ACTION)(ack=ack_only, lazy=form(drafts.edit))
    routes.action(ids.DRAFT_ANOTHER_ACTION)(ack=ack_only, lazy=form(drafts.start_another))
    routes.action(ids.DRAFT_COPY_ACTION)(ack=ack_only, lazy=lazy(drafts.copy))
    routes.action(_prefix(ids.DRAFT_PAGE_ACTION))(ack=ack_only, lazy=lazy(drafts.page))
    routes.action(ids.DRAFT_SHARE_ACTION)(ack=ack_only, lazy=form(share.open_share))
    routes.view(ids.DRAFT_SHARE_CALLBACK)(ack=share.ack_share, lazy=lazy(share.post_share))
    routes.action(ids.SHARED_DELETE_ACTION)(ack=ack_only, lazy=lazy(share.delete_shared))
    routes.action(ids.DRAFT_DELETE_ACTION)(ack=ack_only, lazy=lazy(drafts.delete))
    routes.event("app_home_opened")(ack=ack_only, lazy=lazy(home.publish_home))
    routes.action(ids.REVIEW_SEND_ACTION)(ack=ack_only, lazy=form(reviews.open_send))
    routes.view(ids.REVIEW_SEND_CALLBACK)(ack=reviews.ack_send, lazy=lazy(reviews.post_send))
    routes.action(ids.REVIEW_AGREE_ACTION)(ack=ack_only, lazy=lazy(reviews.agree))
    routes.action(ids.REVIEW_CHANGES_ACTION)(ack=ack_only, lazy=form(reviews.open_changes))
    routes.view(ids.REVIEW_CHANGES_CALLBACK)(ack=reviews.ack_changes, lazy=lazy(reviews.post_changes))
    routes.action(ids.DRAFT_FOR_ACTION)(ack=ack_only, lazy=form(reviews.open_draft_for))
    routes.view(ids.DRAFT_FOR_CALLBACK)(ack=bound(reviews.ack_draft_for, deps), lazy=[])
    routes.action(ids.PROPOSE_ACTION)(ack=ack_only, lazy=form(reviews.open_propose))
    routes.view(ids.PROPOSE_CALLBACK)(ack=reviews.ack_propose, lazy=lazy(reviews.post_propose))
    routes.action(ids.ACCEPT_ACTION)(ack=ack_only, lazy=lazy(reviews.accept))
    routes.action(_prefix(ids.PICK_ACTION))(ack=ack_only, lazy=lazy(home.pick))
    routes.action(ids.PICK_SHOW_ACTION)(ack=ack_only, lazy=lazy(frames.show))
    routes.action(_prefix(ids.RUN_ACTION))(ack=ack_only, lazy=form(commands.run))
    routes.action(ids.REMINDER_OPEN_ACTION)(ack=ack_only, lazy=lazy(reminders.open_draft))
    routes.action(ids.REMINDER_SNOOZE_ACTION)(ack=ack_only, lazy=lazy(reminders.snooze))
    routes.action(ids.REMINDER_SETTINGS_ACTION)(ack=ack_only, lazy=form(reminders.open_settings))
    routes.action(ids.REMINDER_CADENCE_ACTION)(ack=ack_only, lazy=lazy(reminders.set_cadence))
    routes.action(ids.REMINDER_PAUSE_ACTION)(ack=ack_only, lazy=lazy(reminders.set_pause))
    routes.action(ids.REMINDER_TOGGLE_ACTION)(ack=ack_only, lazy=lazy(reminders.toggle))
    routes.action(ids.CHECK_IN_ACTION)(ack=ack_only, lazy=form(check_ins.open_check_in))
    routes.view(ids.CHECK_IN_CALLBACK)(ack=bound(check_ins.submit_check_in, deps),
                                       lazy=lazy(check_ins.after_check_in))
    routes.view({"type": "view_closed", "callback_id": ids.CHECK_IN_CALLBACK})(
        ack=ack_only, lazy=lazy(check_ins.closed_check_in))
    routes.action(ids.CHECK_IN_BACK_ACTION)(ack=ack_only, lazy=lazy(check_ins.go_back))
    routes.action(ids.CHECK_IN_HISTORY_ACTION)(ack=ack_only, lazy=form(check_ins.open_history))
    routes.add_rest()
