"""children's keys to their candidate deferrable

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 05:10:00

A bulk import writes a batch's credentials, experience and skill lists (about fifteen
rows per candidate) before it takes the organization's lock, while another batch holds
it, and the candidates themselves under the lock; the keys from credentials,
experiences and declared skills to ``candidates`` are therefore checked at commit in
that transaction (SET CONSTRAINTS ... DEFERRED). They stay INITIALLY IMMEDIATE: every
other write checks them per statement, as before.

PostgreSQL alters the constraints in place (no table rewrite, a brief lock). SQLite
(which never stages) rebuilds the three tables, keeping the skill lists of credentials
and experience aside while it does: the old tables' drop would cascade to them.
"""

from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_CHILDREN = ('credentials', 'experiences', 'candidate_skills')
_GRANDCHILDREN = ('credential_skills', 'experience_skills')


def _name(table: str) -> str:
    return f'fk_{table}_candidate_id_candidates'


def _set(deferrable: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        clause = "DEFERRABLE INITIALLY IMMEDIATE" if deferrable else "NOT DEFERRABLE"
        for table in _CHILDREN:
            op.execute(f'ALTER TABLE {table} ALTER CONSTRAINT {_name(table)} {clause}')
        return
    # Dropping the old credentials and experiences tables would cascade to their skill
    # lists (foreign keys are on): keep those rows aside and put them back.
    for table in _GRANDCHILDREN:
        op.execute(f'CREATE TEMPORARY TABLE kept_{table} AS SELECT * FROM {table}')
    for table in _CHILDREN:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(_name(table), type_='foreignkey')
            batch_op.create_foreign_key(
                _name(table), 'candidates', ['candidate_id'], ['id'], ondelete='CASCADE',
                **({"deferrable": True, "initially": "IMMEDIATE"} if deferrable else {}))
    for table in _GRANDCHILDREN:
        op.execute(f'DELETE FROM {table}')
        op.execute(f'INSERT INTO {table} SELECT * FROM kept_{table}')
        op.execute(f'DROP TABLE kept_{table}')


def upgrade() -> None:
    _set(deferrable=True)


def downgrade() -> None:
    _set(deferrable=False)
