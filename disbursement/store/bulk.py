"""Bulk writes of plain rows."""
from sqlmodel import Session, SQLModel


def insert_rows(session: Session, model: type[SQLModel], rows: list[dict]) -> None:
    """One executemany INSERT of plain rows through Core, in the session's transaction. The ORM's bulk path
    (`session.execute(insert(Model), rows)`) costs about three times as much per row (docs/performance.md)."""
    if rows:
        session.connection().execute(model.__table__.insert(), rows)
