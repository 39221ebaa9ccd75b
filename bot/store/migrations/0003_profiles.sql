-- What Goals remembers of each person (the Profile model as JSON, so a new field needs no
-- migration): one row per person, keyed as the drafts' owner is.
CREATE TABLE profiles (
    enterprise text NOT NULL,          -- '-' for none, as the file store's folder
    team       text NOT NULL,
    slack_user text NOT NULL,
    document   jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (enterprise, team, slack_user)
);
