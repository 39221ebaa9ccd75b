"""Drafts in Slack: starting one, the form in steps, its DM message, lists, and the catch-up of DM messages left due."""
