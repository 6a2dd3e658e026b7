"""Bulk writes of plain rows."""
from sqlmodel import Session, SQLModel


def insert_rows(session: Session, model: type[SQLModel], rows: list[dict]) -> None:
    """Insert plain rows in the session's transaction: on PostgreSQL by COPY (psycopg; its executemany sends one
    INSERT a row), elsewhere by one executemany INSERT through Core (the ORM's bulk path costs about three times as
    much a row). Each value goes through its column's type (money to øre) as in an INSERT, and COPY fires every row
    and constraint trigger as an INSERT does: the append-only, closed-year and balance checks hold alike."""
    if not rows:
        return
    connection = session.connection()
    names = list(rows[0])
    if connection.dialect.name != "postgresql" or any(row.keys() != rows[0].keys() for row in rows):
        connection.execute(model.__table__.insert(), rows)
        return
    columns = [model.__table__.columns[name] for name in names]
    processors = [column.type.bind_processor(connection.dialect) for column in columns]
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(model.__table__.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([process(row[name]) if process else row[name] for name, process in zip(names, processors)])
