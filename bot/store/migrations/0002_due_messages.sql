-- Finding the DM messages a save left due reads only those (a partial index), not every draft.
CREATE INDEX drafts_message_due ON drafts (updated_at) WHERE (document->>'message_due') = 'true';
