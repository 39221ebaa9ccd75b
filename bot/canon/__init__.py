"""The canon: its file format, loading and checking it, the read-only repository, and the
spreadsheet form. Nothing else in Goals opens canon files."""
