"""Every action_id and callback_id Goals puts on a surface, and so every one it listens for.
Ids ending in "_" are prefixes: the suffix (a framework, prev/next) is part of the id."""

COMMAND = "/goals"  # the slash command, as the manifest declares it

# Frames
SWITCH_ACTION = "goals_switch_"  # + framework
COPY_ACTION = "goals_copy"
SHARE_ACTION = "goals_share"
DRAFT_ACTION = "goals_draft"  # start a draft of the frame: opens the form
PAGE_ACTION = "goals_page_"  # + prev / next

# Comparisons
COMPARE_STRETCH_ACTION = "goals_compare_stretch_"  # + framework: show that stretch frame
COMPARE_COPY_ACTION = "goals_compare_copy"
COMPARE_SHARE_ACTION = "goals_compare_share"
COMPARE_PAGE_ACTION = "goals_compare_page_"  # + prev / next

# Drafts
DRAFT_FORM_CALLBACK = "goals_draft_form"
DRAFT_SHARE_CALLBACK = "goals_draft_share_form"
DRAFT_EDIT_ACTION = "goals_draft_edit"
DRAFT_COPY_ACTION = "goals_draft_copy"
DRAFT_SHARE_ACTION = "goals_draft_share"
DRAFT_DELETE_ACTION = "goals_draft_delete"
DRAFT_PAGE_ACTION = "goals_draft_page_"  # + prev / next
DRAFT_CONTINUE_ACTION = "goals_draft_continue"  # in "you have a draft of this": edit that one
DRAFT_ANOTHER_ACTION = "goals_draft_another"  # ... or start another of the same frame
DRAFT_BACK_ACTION = "goals_draft_back"  # the draft form's Back button: saves the step, shows the one before
VALUE_ACTION = "value"  # every form input's action_id; its block_id is the placeholder key
CHANNEL_BLOCK = "channel"  # the share form's channel picker
PERSON_BLOCK = "person"  # the share form's person picker
SHARED_DELETE_ACTION = "goals_shared_delete"  # on a shared message: its sharer deletes it

# The pickers (Home tab, bare /goals): a job family, a level, a framework, then what to do
PICK_BLOCK = "goals_pick"  # the actions block holding the three selects
PICK_ACTION = "goals_pick_"  # + family / level / framework
PICK_FAMILY = "family"
PICK_LEVEL = "level"
PICK_FRAMEWORK = "framework"
PICK_SHOW_ACTION = "goals_show_picked"  # show the picked frame (not a "goals_pick_" id)

# The framework menu on a frame (a static select): matched by SWITCH_ACTION's prefix, so the
# same listener answers it and the overview's buttons
SWITCH_MENU_ACTION = f"{SWITCH_ACTION}menu"

# Run these words, as `/goals WORDS` would (an error's suggestions, help's examples)
RUN_ACTION = "goals_run_"  # + the button's index in its block

# Reviews: the owner sends a draft; the reviewer agrees or asks for changes
REVIEW_SEND_ACTION = "goals_review_send"  # on a draft: opens the send-for-review form
REVIEW_SEND_CALLBACK = "goals_review_send_form"
REVIEW_AGREE_ACTION = "goals_review_agree"  # the reviewer's
REVIEW_CHANGES_ACTION = "goals_review_changes"  # the reviewer's: opens the comment form
REVIEW_CHANGES_CALLBACK = "goals_review_changes_form"
REVIEWER_BLOCK = "reviewer"  # the send form's person picker
NOTE_BLOCK = "note"  # the send form's note
COMMENT_BLOCK = "comment"  # the changes form's comment
DRAFT_FOR_ACTION = "goals_draft_for"  # on a frame: draft it for someone (a person first, then the form)
DRAFT_FOR_CALLBACK = "goals_draft_for_form"
PROPOSE_ACTION = "goals_propose"  # on a draft: propose it to someone, as a draft of theirs
PROPOSE_CALLBACK = "goals_propose_form"
ACCEPT_ACTION = "goals_accept"  # on a proposed draft: its owner agrees it at once

# Check-ins: progress against each ⟨target⟩ of a draft
CHECK_IN_ACTION = "goals_check_in"  # on a draft, in a list, on a reminder: opens the check-in form
CHECK_IN_CALLBACK = "goals_check_in_form"
CHECK_IN_BACK_ACTION = "goals_check_in_back"  # the form's Back: saves the step, shows the one before
CHECK_IN_HISTORY_ACTION = "goals_check_in_history"  # every check-in of a draft, newest first

# Reminders: the digest DM's buttons, and the settings (Home tab, or a modal from a reminder)
REMINDER_OPEN_ACTION = "goals_reminder_open"  # shows the draft a reminder names
REMINDER_SNOOZE_ACTION = "goals_reminder_snooze"
REMINDER_SETTINGS_ACTION = "goals_reminder_settings"  # opens the settings modal
REMINDER_SETTINGS_VIEW = "goals_reminder_settings_form"
REMINDER_CADENCE_ACTION = "goals_reminder_cadence"  # a static select: off, weekly, biweekly, monthly
REMINDER_PAUSE_ACTION = "goals_reminder_pause"  # a date picker: no reminders until that day
REMINDER_TOGGLE_ACTION = "goals_reminder_toggle"  # turns reminders off, or on again
