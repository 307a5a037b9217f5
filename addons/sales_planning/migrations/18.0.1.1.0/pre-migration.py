"""Quantities on plan lines: the existing lines have none. Adding the columns with their value first spares the
update a recomputation of the stored quantity gap of every line of every plan, line by line."""


def migrate(cr, version):
    cr.execute(
        """
        ALTER TABLE sales_plan_line
            ADD COLUMN IF NOT EXISTS target_qty numeric NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS actual_qty numeric NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS gap_qty numeric NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS is_unplanned boolean NOT NULL DEFAULT false
        """
    )
    # the defaults above were for the existing rows only; Odoo sets none on its columns
    cr.execute(
        """
        ALTER TABLE sales_plan_line
            ALTER COLUMN target_qty DROP NOT NULL, ALTER COLUMN target_qty DROP DEFAULT,
            ALTER COLUMN actual_qty DROP NOT NULL, ALTER COLUMN actual_qty DROP DEFAULT,
            ALTER COLUMN gap_qty DROP NOT NULL, ALTER COLUMN gap_qty DROP DEFAULT,
            ALTER COLUMN is_unplanned DROP NOT NULL, ALTER COLUMN is_unplanned DROP DEFAULT
        """
    )
