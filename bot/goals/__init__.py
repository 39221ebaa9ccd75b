"""Drafts, reviews, check-ins and reminders: the rules of a person's goals through their life
(pure), the services that apply them over the stores, and the storage Protocols every backend
implements. Shared here: the stored model, the checks on typed values, a draft's fields."""
