"""Reminders in Slack: the digest DM, its buttons and settings, and the sweep that sends them."""
