"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 13:03:52.751213
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intake_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('doc_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('loaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('job_date', sa.Date(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_run_job'), ['job'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_run_job_date'), ['job_date'], unique=False)

    op.create_table('journal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('job_date', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('job_run_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['journal.id'], ),
    sa.ForeignKeyConstraint(['job_run_id'], ['job_run.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('job', 'job_date', 'seq')
    )
    op.create_table('municipality',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['intake_file.id'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('organisation',
    sa.Column('cvr', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('iban', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['intake_file.id'], ),
    sa.PrimaryKeyConstraint('cvr')
    )
    op.create_table('subsidy_grant',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('organisation_cvr', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('grant_date', sa.Date(), nullable=False),
    sa.Column('cohort_year', sa.Integer(), nullable=False),
    sa.Column('duration_years', sa.Integer(), nullable=False),
    sa.Column('project_start', sa.Date(), nullable=True),
    sa.Column('support_hours_per_week', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('social_support_annual', sa.BigInteger(), nullable=False),
    sa.Column('social_support_price_year', sa.Integer(), nullable=False),
    sa.Column('conversion_amount', sa.BigInteger(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['intake_file.id'], ),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], ),
    sa.ForeignKeyConstraint(['organisation_cvr'], ['organisation.cvr'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('subsidy_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subsidy_grant_municipality_code'), ['municipality_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_subsidy_grant_organisation_cvr'), ['organisation_cvr'], unique=False)

    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('loan_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.CheckConstraint("loan_type IN ('nominal', 'index')", name='loan_type_known'),
    sa.ForeignKeyConstraint(['grant_id'], ['subsidy_grant.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('grant_id', 'number')
    )
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_grant_id'), ['grant_id'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('grant_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('received', sa.Date(), nullable=False),
    sa.Column('auditor_statement', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('estimate', 'actuals')", name='report_kind_known'),
    sa.ForeignKeyConstraint(['file_id'], ['intake_file.id'], ),
    sa.ForeignKeyConstraint(['grant_id'], ['subsidy_grant.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_grant_id'), ['grant_id'], unique=False)

    op.create_table('claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('line', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('support', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient_cvr', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('grant_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['grant_id'], ['subsidy_grant.id'], ),
    sa.ForeignKeyConstraint(['journal_id'], ['journal.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_line'), ['line'], unique=False)

    op.create_table('dwelling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('area_m2', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('rent', sa.BigInteger(), nullable=False),
    sa.Column('subsidy_per_m2', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('price_year', sa.Integer(), nullable=False),
    sa.CheckConstraint('count > 0', name='count_positive'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['grant_id'], ['subsidy_grant.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('grant_id', 'ref')
    )
    with op.batch_alter_table('dwelling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dwelling_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dwelling_grant_id'), ['grant_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('line', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('support', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient_cvr', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('grant_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('value_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['grant_id'], ['subsidy_grant.id'], ),
    sa.ForeignKeyConstraint(['journal_id'], ['journal.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_line'), ['line'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_value_date'), ['value_date'], unique=False)

    op.create_table('posting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('line', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('component', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('account', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('grant_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('recipient_cvr', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_account', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recipient_book', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
    sa.ForeignKeyConstraint(['grant_id'], ['subsidy_grant.id'], ),
    sa.ForeignKeyConstraint(['journal_id'], ['journal.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posting_journal_id'), ['journal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posting_line'), ['line'], unique=False)

    op.create_table('report_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('dwelling_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('non_eligible_months', sa.Integer(), nullable=False),
    sa.Column('vacant_months', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dwelling_id'], ['dwelling.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id', 'dwelling_id')
    )
    with op.batch_alter_table('report_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_line_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('report_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_line_report_id'))

    op.drop_table('report_line')
    with op.batch_alter_table('posting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posting_line'))
        batch_op.drop_index(batch_op.f('ix_posting_journal_id'))

    op.drop_table('posting')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_value_date'))
        batch_op.drop_index(batch_op.f('ix_payment_line'))

    op.drop_table('payment')
    with op.batch_alter_table('dwelling', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dwelling_grant_id'))
        batch_op.drop_index(batch_op.f('ix_dwelling_department_id'))

    op.drop_table('dwelling')
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_line'))

    op.drop_table('claim')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_grant_id'))

    op.drop_table('report')
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_grant_id'))

    op.drop_table('department')
    with op.batch_alter_table('subsidy_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subsidy_grant_organisation_cvr'))
        batch_op.drop_index(batch_op.f('ix_subsidy_grant_municipality_code'))

    op.drop_table('subsidy_grant')
    op.drop_table('organisation')
    op.drop_table('municipality')
    op.drop_table('journal')
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_run_job_date'))
        batch_op.drop_index(batch_op.f('ix_job_run_job'))

    op.drop_table('job_run')
    op.drop_table('intake_file')
