"""The one clock: read at the edge (the CLI, the scheduler) and passed down; freezegun controls it in tests."""
from datetime import datetime, timezone


def now() -> datetime:
    """Aware local time: its date is the operator's today, and stored timestamps keep their offset."""
    return datetime.now(timezone.utc).astimezone()
