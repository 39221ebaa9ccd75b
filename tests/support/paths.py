"""Where tests find the repository, the reference documents and the snapshots."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_CANON = REPO_ROOT / "canon"
# The reference documents live beside the repository, not in it: a user's clone has none.
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"
SNAPSHOTS_DIR = REPO_ROOT / "tests" / "snapshots"
