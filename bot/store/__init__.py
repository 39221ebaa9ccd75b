"""Storage backends: the TinyDB files under GOALS_DATA_DIR (the embedded default). They
implement the Protocols of `bot.goals.storage` and are built only by `bot.store.factory`."""
