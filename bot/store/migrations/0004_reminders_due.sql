-- When each person's reminders are next due (the document's reminders.due_at), as a column a
-- sweep can find through an index: only those with something due are in it (a partial index),
-- so a sweep reads what is due, not every profile. Written by every change, with the document.
ALTER TABLE profiles ADD COLUMN remind_at timestamptz;
UPDATE profiles SET remind_at = (document->'reminders'->>'due_at')::timestamptz
    WHERE document->'reminders'->>'due_at' IS NOT NULL;
CREATE INDEX profiles_remind_at ON profiles (remind_at) WHERE remind_at IS NOT NULL;
