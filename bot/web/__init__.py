"""HTTP: `goals-bot` (gunicorn or Socket Mode), the gate before Bolt, and the request shapes."""
