"""Check-ins: which targets, what may be typed, how one is recorded beside a draft."""
