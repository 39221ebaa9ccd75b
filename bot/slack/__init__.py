"""Everything Slack-specific: Block Kit layouts by surface, button values, reading payloads,
answers, delivery and its fallbacks, errors, the Slack-side service and the thin listeners."""
