"""What the file stores share of their folders."""

from __future__ import annotations

import tempfile
from pathlib import Path


def probe_writable(folder: Path) -> None:
    """Raise OSError unless a file could be written in `folder` now (made if missing); leaves nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
        pass
