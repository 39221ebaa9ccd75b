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
VALUE_ACTION = "value"  # every form input's action_id; its block_id is the placeholder key
CHANNEL_BLOCK = "channel"  # the share form's channel picker
