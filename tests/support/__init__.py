"""Test helpers shared by the end-to-end tests (local stand-ins for Slack)."""
