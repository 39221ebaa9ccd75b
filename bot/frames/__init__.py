"""Canon turned into frames (pure): the frameworks, every fixed template sentence, the rules
that decide which rows exist, comparisons of two levels, and the plain-text form."""
