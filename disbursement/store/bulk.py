"""Bulk writes of plain rows."""
from sqlmodel import Session, SQLModel


def insert_rows(session: Session, model: type[SQLModel], rows: list[dict]) -> None:
    """Insert plain rows in the session's transaction, each value through its column's type (money to øre, dates) as
    SQLAlchemy would bind it: on PostgreSQL by COPY (psycopg's executemany sends one INSERT a row), on SQLite by the
    driver's executemany (SQLAlchemy's per-row parameter building cost as much as the insert itself; the ORM's bulk
    path about three times as much). COPY fires every row and constraint trigger as an INSERT does: the append-only,
    closed-year and balance checks hold alike. Rows of different columns go through SQLAlchemy's INSERT."""
    if not rows:
        return
    connection = session.connection()
    names = list(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows):
        connection.execute(model.__table__.insert(), rows)
        return
    processors = [model.__table__.columns[name].type.bind_processor(connection.dialect) for name in names]
    values = ([process(row[name]) if process else row[name] for name, process in zip(names, processors)]
              for row in rows)
    quote = connection.dialect.identifier_preparer.quote
    table, columns = quote(model.__table__.name), ", ".join(quote(name) for name in names)
    cursor = connection.connection.driver_connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(names))})", values)
    finally:
        cursor.close()
