"""Alembic environment: migrations run on the connection the application hands over."""
from alembic import context
from sqlmodel import SQLModel

from disbursement.store import database  # noqa: F401  (imports every table module: the tables on the metadata)



def _ours(obj, name, type_, reflected, compare_to) -> bool:
    """The scheduler's job store table belongs to APScheduler, not to our migrations."""
    return not (type_ == "table" and name == "apscheduler_jobs")


connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True,
                  include_object=_ours)
with context.begin_transaction():
    context.run_migrations()
