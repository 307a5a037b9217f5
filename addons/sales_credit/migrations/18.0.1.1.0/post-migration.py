"""Credit holds and order reviews were one model, sales.order.hold: each kind moves to its own model.

Rows keep their ids, dates and decisions; a review's "released" is now "approved"; the reason, written then in the
salesperson's language, is kept as it was. Odoo drops the old table when it removes the old model after this.
"""

from odoo.tools import SQL

COMMON = (
    "id, order_id, user_id, team_id, company_id, state, decided_by_id, decided_date, decision_note, "
    "decision_hours, create_uid, create_date, write_uid, write_date"
)


def migrate(cr, version):
    cr.execute("SELECT to_regclass('sales_order_hold') IS NOT NULL")
    if not cr.fetchone()[0]:
        return
    reason = SQL(
        "CASE WHEN reason IS NOT NULL"
        " THEN jsonb_build_array(jsonb_build_array('text', jsonb_build_object('text', reason))) END"
    )
    cr.execute(
        SQL(
            """
        INSERT INTO sales_credit_hold (%(common)s, partner_id, reason_data, amount, credit_limit, open_receivable,
                                       draft_invoices, delivered_uninvoiced, undelivered, exposure, overdue_amount,
                                       overdue_days)
        SELECT %(common)s, partner_id, %(reason)s, amount, credit_limit, open_receivable, draft_invoices,
               delivered_uninvoiced, undelivered, exposure, overdue_amount, overdue_days
          FROM sales_order_hold
         WHERE hold_type = 'credit'
            """,
            common=SQL(COMMON),
            reason=reason,
        )
    )
    cr.execute(
        SQL(
            """
        INSERT INTO sales_order_review (%(common_new)s, partner_id, reason_data, rule_id, sequence, in_sequence,
                                        reviewer_user_id, reviewer_group_id, requested_by_id, amount)
        SELECT %(common_old)s, partner_id, %(reason)s, rule_id, sequence, in_sequence, reviewer_user_id,
               reviewer_group_id, create_uid, amount
          FROM sales_order_hold
         WHERE hold_type = 'review' AND rule_id IS NOT NULL
            """,
            common_new=SQL(COMMON),
            common_old=SQL(COMMON.replace("state,", "CASE WHEN state = 'released' THEN 'approved' ELSE state END,")),
            reason=reason,
        )
    )
    for table in ("sales_credit_hold", "sales_order_review"):
        cr.execute(
            SQL(
                "SELECT setval(pg_get_serial_sequence(%(table)s, 'id'), GREATEST((SELECT MAX(id) FROM %(ident)s), 1))",
                table=table,
                ident=SQL.identifier(table),
            )
        )
