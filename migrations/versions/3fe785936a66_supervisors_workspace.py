"""supervisors workspace: service levels, escalation, inspection review, queue indexes

Service levels (days per category and urgency) are seeded by `flask seed`. Inspections a
supervisor already approved (approved_by_id set) start as review_status "approved".

Revision ID: 3fe785936a66
Revises: e8a41c2d9b07
Create Date: 2026-12-03 17:42:48.526263

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3fe785936a66'
down_revision = 'e8a41c2d9b07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_levels',
    sa.Column('category_code', sa.String(length=40), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['categories.code'], name=op.f('fk_service_levels_category_code_categories')),
    sa.PrimaryKeyConstraint('category_code', 'urgency', name=op.f('pk_service_levels'))
    )
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalation_level', sa.Integer(), server_default='0', nullable=False))
        # One narrow index the queue filters, counts and sorts from (it leads with status,
        # so the single-column status index goes).
        batch_op.drop_index('ix_concerns_status')
        batch_op.create_index('ix_concerns_queue', ['status', 'district_code', 'category_code', 'urgency', 'priority', 'due_date', 'assignee_id', 'created_by_id', 'deleted', 'reported_at', 'id'], unique=False)
        batch_op.create_index('ix_concerns_reported_at', ['reported_at', 'id'], unique=False)

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_status', sa.String(length=30), server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=True))
        batch_op.create_index('ix_inspections_district_inspected', ['district_code', 'inspected_at'], unique=False)
        batch_op.create_index('ix_inspections_district_review', ['district_code', 'review_status'], unique=False)
    op.execute("UPDATE inspections SET review_status = 'approved' WHERE approved_by_id IS NOT NULL")

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_district_visited', ['district_code', 'visited_at'], unique=False)



def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_district_visited')

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index('ix_inspections_district_review')
        batch_op.drop_index('ix_inspections_district_inspected')
        batch_op.drop_column('review_note')
        batch_op.drop_column('review_status')

    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.drop_index('ix_concerns_reported_at')
        batch_op.drop_index('ix_concerns_queue')
        batch_op.create_index('ix_concerns_status', ['status'], unique=False)
        batch_op.drop_column('escalation_level')

    op.drop_table('service_levels')
