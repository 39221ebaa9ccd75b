"""The Home tab: the pickers, the person's drafts, what was sent to them, their reminder settings."""
