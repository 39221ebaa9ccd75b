"""The fixed sentences Slack surfaces say about drafts when something stops them: each in
one place, as the person reads it. Frame text is in `bot.frames.templates`; help and errors
about words in `bot.grammar.usage`; apologies in `bot.slack.shared.errors`."""

from bot.slack.shared.ids import COMMAND

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

# Check-ins
CHECK_IN_NOTE = ("How does each target stand now, in your own words? Fill what you know; any field can "
                 "stay empty. Your draft and its targets stay as they are.")
NO_TARGETS = ("This draft has no targets filled in yet, so there is nothing to check in against. "
              "Fill a target with Edit first.")
CHECK_IN_NOT_SAVED_TITLE = "Check-in not saved"
CHECK_IN_GONE = (f"That draft is gone (it was deleted, or it is not yours), so the check-in was not saved. "
                 f"Type {COMMAND} drafts to see yours.")
CHECK_IN_SAVE_FAILED = ("Your check-in could not be saved (the server's storage failed), so nothing was "
                        "changed. Your entries are still here: try again in a moment. (error id {error_id})")
CHECK_IN_STALE = ("This check-in form is out of date (Goals was updated while it was open), so nothing was "
                  "saved. Click Check in on your draft to start again.")
CHECK_IN_EXPIRED = ("Slack gave up waiting for the form to open (it allows 3 seconds). "
                    "Please click the button again.")
CHECK_IN_CLOSED_NOT_SAVED = ("You closed your check-in. Everything you typed is saved except these, "
                             "which could not be saved as typed:")
CHECK_IN_CLOSED_FIX = "Click Check in on your draft to enter them again."
CHECK_IN_CLOSED_SAVE_FAILED = ("You closed your check-in, but it could not be saved (the server's storage "
                               "failed), so nothing was changed. What you typed, to enter again with Check in "
                               "(error id {error_id}):")
CHECK_IN_CLOSED_GONE = ("You closed a check-in, but its draft is gone (deleted, or not yours), so nothing was "
                        "saved. You typed:")
CHECK_IN_CLOSED_NO_TARGETS = ("You closed a check-in, but its draft has no filled targets any more, so nothing "
                              "was saved. You typed:")

# Reminders
SNOOZED = "Snoozed: your reminders come back on {day} at 09:00 your time."
PAUSE_NOT_A_DATE = ("Not paused: that is not a date Goals can read. Pick a day from the calendar; "
                    "your settings are as they were.")
PAUSE_IN_THE_PAST = ("Not paused: {day} has passed. Pick a later day to pause reminders until then (today ends "
                     "a pause); your settings are as they were.")
PAUSE_TOO_FAR = ("Not paused: {day} is more than a year away. Pick a day by {furthest}, or turn reminders off; "
                 "your settings are as they were.")
