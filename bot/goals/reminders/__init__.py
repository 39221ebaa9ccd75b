"""Reminders: what is due when (pure rules), and `Reminding`, which claims and records digests over the stores."""
