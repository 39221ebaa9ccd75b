-- Each person's drafts: the owner's key columns come from the signed request; the draft
-- itself is the Draft model as JSON, so a new field needs no migration.
CREATE TABLE drafts (
    enterprise text NOT NULL,          -- '-' for none, as the file store's folder
    team       text NOT NULL,
    slack_user text NOT NULL,
    id         text NOT NULL,
    document   jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (enterprise, team, slack_user, id)
);
CREATE INDEX drafts_by_owner_newest ON drafts (enterprise, team, slack_user, updated_at DESC);

-- Signatures of requests already answered, for Slack's five-minute window.
CREATE TABLE replay (
    signature text PRIMARY KEY,
    seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX replay_by_age ON replay (seen_at);
