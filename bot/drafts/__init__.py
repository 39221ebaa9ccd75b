"""Drafts: a frame plus a person's values. The draft model, the rules on typed values, the
drafting service, and the storage Protocols every backend implements."""
