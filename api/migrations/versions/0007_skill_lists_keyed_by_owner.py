"""skill lists keyed by (owner, position)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 04:30:00

The four skill lists (candidate, credential, experience and offering skills) had a
serial id as primary key and an index on the owner's id. Nothing looks a skill row up
by its id: they are read through their owner, in position order. A bulk import writes
about twelve of them per candidate, and each paid a sequence value and two index
inserts. The primary key is now (owner, position), positions being unique per owner
(the list's order); its leading column serves the foreign key, so the owner index and
the id go. Existing rows are kept as they are.

SQLite rebuilds each table (batch mode). PostgreSQL drops the id column (no rewrite:
the space comes back as rows are rewritten or vacuumed) and the owner index, then
builds the new primary key's index; ALTER TABLE holds each table's exclusive lock
until the migration commits, so reads (index builds, candidate pages) wait too: run
the upgrade in a quiet moment. The downgrade gives every row a new id (PostgreSQL
rewrites each table to fill the serial column).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# (table, owner column)
_SKILL_LISTS = (('credential_skills', 'credential_id'), ('experience_skills', 'experience_id'),
                ('offering_skills', 'offering_id'), ('candidate_skills', 'candidate_id'))


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _on_postgresql():
        # Index builds over a large table may outlast the service's statement timeout.
        op.execute("SET LOCAL statement_timeout = 0")
    for table, owner in _SKILL_LISTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{owner}'))
            batch_op.drop_constraint(batch_op.f(f'pk_{table}'), type_='primary')
            batch_op.drop_column('id')
            batch_op.create_primary_key(batch_op.f(f'pk_{table}'), [owner, 'position'])


def downgrade() -> None:
    postgresql = _on_postgresql()
    if postgresql:
        op.execute("SET LOCAL statement_timeout = 0")
    for table, owner in reversed(_SKILL_LISTS):
        if postgresql:
            # SERIAL, as 0001 and 0003 created it: existing rows draw their ids from it.
            op.execute(f'ALTER TABLE {table} ADD COLUMN id SERIAL NOT NULL')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'pk_{table}'), type_='primary')
            if not postgresql:
                # The rebuilt table's INTEGER primary key is SQLite's rowid: copied rows
                # are numbered as they are inserted.
                batch_op.add_column(sa.Column('id', sa.Integer(), nullable=False),
                                    insert_after=owner)
            batch_op.create_primary_key(batch_op.f(f'pk_{table}'), ['id'])
            batch_op.create_index(batch_op.f(f'ix_{table}_{owner}'), [owner], unique=False)
