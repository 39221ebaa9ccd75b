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
FORM_NOTE = "Fill what you know; you can leave any field empty."
STEP_NOTE = ("Step {step} of {steps}: each step is saved when you move on (Next or Back), and closing "
             "the form keeps what you typed.")
CLOSED_NOT_SAVED = ("You closed your draft's form. Everything you typed is saved except these, "
                    "which could not be saved as typed:")
CLOSED_NOT_SAVED_ITEM = '  - {label}: "{typed}" ({why})'
CLOSED_FIX = "Open the draft with Edit to enter them again."
CLOSED_SAVE_FAILED = ("You closed your draft's form, but it could not be saved (the server's storage "
                      "failed), so nothing was changed. What you typed, to enter again with Edit "
                      "(error id {error_id}):")
CLOSED_GONE = "You closed a draft's form, but that draft was deleted meanwhile, so nothing was saved."
