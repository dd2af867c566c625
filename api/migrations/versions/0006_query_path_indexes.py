"""indexes for every query path

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 01:30:00

Found by tests/integration/test_query_plans.py: the foreign keys that decisions and
ranking runs keep to jobs, candidates and runs had no index (deleting a job or erasing
a candidate scanned every decision and run), a tenant's candidates in id order had
only a tenant index (each list page and index-build batch sorted or filtered the whole
tenant), and matching a resume by email scanned the tenant's candidates.

The indexes on the skill lists' skill_id served no query (skill lists are read through
their owner) and cost about an eighth of the database's work in a bulk import: dropped.

On PostgreSQL each CREATE INDEX blocks writes to its table while it runs (seconds at a
million candidates); run the upgrade in a quiet moment.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_SKILL_LISTS = ('credential_skills', 'experience_skills', 'offering_skills', 'candidate_skills')


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Index builds over a large table may outlast the service's statement timeout.
        op.execute("SET LOCAL statement_timeout = 0")
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_organization_id'))
        batch_op.create_index('ix_candidates_org_id', ['organization_id', 'id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":  # see the model: PostgreSQL only
        op.create_index('ix_candidates_org_email', 'candidates',
                        ['organization_id', sa.text('lower(email)')], unique=False)
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_candidate_id'), ['candidate_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_ranking_run_id'), ['ranking_run_id'],
                              unique=False)
    with op.batch_alter_table('ranking_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_runs_job_id'), ['job_id'], unique=False)
    for table in _SKILL_LISTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_skill_id'))


def downgrade() -> None:
    for table in _SKILL_LISTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_skill_id'), ['skill_id'],
                                  unique=False)
    with op.batch_alter_table('ranking_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_runs_job_id'))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_ranking_run_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_job_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_candidate_id'))
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_candidates_org_email', table_name='candidates')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_candidates_org_id')
        batch_op.create_index(batch_op.f('ix_candidates_organization_id'), ['organization_id'],
                              unique=False)
