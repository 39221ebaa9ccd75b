"""Reviews: the rules (send, ask for changes, agree, propose, what an edit does) and `Reviewing` over the stores."""
