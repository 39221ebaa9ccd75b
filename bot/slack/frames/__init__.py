"""A frame in Slack: its Block Kit message (pages, framework switch, Copy, Share) and its buttons."""
