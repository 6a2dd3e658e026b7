"""The one clock: read at the edge (the CLI, the scheduler) and passed down; freezegun controls it in tests."""
from datetime import datetime, timezone


def stored_utc(moment: datetime) -> datetime:
    """A stored timestamp as aware UTC: SQLite hands timestamps back without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def now() -> datetime:
    """Aware local time: its date is the operator's today, and stored timestamps keep their offset."""
    return datetime.now(timezone.utc).astimezone()
