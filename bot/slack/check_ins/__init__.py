"""Check-ins in Slack: the form in steps, the latest check-in under each target, the history."""
