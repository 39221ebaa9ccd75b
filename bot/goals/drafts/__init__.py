"""Drafts: starting, saving, listing and deleting them (`Drafting`), and a draft seen with its frame."""
