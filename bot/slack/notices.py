"""The fixed sentences Slack surfaces say about drafts when something stops them: each in
one place, as the person reads it. Frame text is in `bot.frames.templates`; help and errors
about words in `bot.grammar.usage`; apologies in `bot.slack.errors`."""

from bot.slack.ids import COMMAND

NO_PLACEHOLDERS = "This frame has no placeholders to fill, so there is nothing to draft."
GONE = f"That draft is gone: it was deleted, or it is not yours. Type {COMMAND} drafts to see yours."
STALE_FORM = ("This form is out of date (Goals was updated while it was open), so nothing was "
              "saved. Open the draft again with Edit, or start one with Draft targets.")
SAVE_FAILED = ("Your draft could not be saved (the server's storage failed), so nothing was "
               "changed. Your entries are still here: try Save again in a moment. (error id {error_id})")
NOT_SAVED_TITLE = "Draft not saved"
DELETED_WHILE_OPEN = ("This draft was deleted while the form was open, so nothing was saved. "
                      "Start a new one with Draft targets on any frame.")
NO_FRAME = "The canon no longer has {family} at {level}, so there is no frame to fill. Nothing was saved."
FORM_EXPIRED = ("Slack gave up waiting for the form to open (it allows 3 seconds). "
                "Please click Draft targets or type the command again.")
PICK_A_CHANNEL = "Pick a channel to share into."
