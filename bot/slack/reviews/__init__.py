"""Reviews in Slack: send, propose, agree, ask for changes; the reviewer's message and the team list."""
