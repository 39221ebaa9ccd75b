"""The words people type after `/goals` or `goals` (pure): parsing them into a request, and
the help, listings and error answers shared by Slack and the terminal."""
