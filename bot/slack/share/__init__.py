"""Sharing a frame, a comparison or a draft into a channel or with a person, and taking it down."""
