"""Goals: canon-derived goal templates for Slack and the terminal."""
