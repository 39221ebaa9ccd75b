"""Everything Slack-specific, one room per thing a person does (frames, compare, drafts,
reviews, check_ins, reminders, share, home, command), each holding its Block Kit layouts,
the Slack calls it makes and one listeners module; `shared` holds the primitives every
room uses; `routes` is the registration map and `app` wires the Bolt app."""
