"""`/goals` itself: what the words answer, and the buttons that run words (suggestions, examples)."""
