from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.tools import SQL

# rates computed from the sums of their parts, whatever the grouping: {rate: (numerator, denominator, factor)}
RATES = {
    "collected_rate": ("amount_collected", "amount_due", 100.0),
    "days_to_pay": ("collected_days", "amount_collected", 1.0),
    "overdue_share": ("amount_overdue", "amount_open", 100.0),
    "promise_kept_rate": ("promises_kept", "promises_judged", 100.0),
}


class SalesCollectionScorecard(models.Model):
    """Per month, salesperson and team: what was collected against what fell due, how fast customers paid,
    how much of the open balance was overdue at the month's end, and which promises to pay were kept.

    - Collected: payments (and bank statement lines) matched with the salesperson's invoices, in the month
      both existed (the matching's date, as Odoo's reports date it).
    - Due: the salesperson's invoices falling due in the month.
    - Days to pay: from invoice date to that matching date, weighted by the amount collected.
    - Open and overdue: the balance of every receivable item attributed as in the ageing, at the month's end
      (today for the current month), built from the items and their matchings month by month; for the current
      month they are the ageing's totals.
    - Promises: invoices promised for the month; kept when payments of the promised amount (the whole invoice
      without one) were matched by the promised date, broken once the date passed without.
    """

    _name = "sales.collection.scorecard"
    _description = "Collection Scorecard"
    _auto = False
    _order = "date desc, id"
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "account_id",
            "parent_state",
            "balance",
            "amount_currency",
            "date",
            "date_maturity",
            "company_id",
        ],
        "account.move": [
            "invoice_user_id",
            "team_id",
            "move_type",
            "invoice_date",
            "promise_date",
            "promise_amount",
            "origin_payment_id",
            "statement_line_id",
        ],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount", "debit_amount_currency", "max_date"],
        "res.partner": ["commercial_partner_id", "user_id"],
        "res.users": ["sale_team_id"],
    }

    date = fields.Date("Month", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_collected = fields.Monetary("Collected", readonly=True)
    amount_due = fields.Monetary("Due", readonly=True, help="Invoices falling due in the month.")
    collected_rate = fields.Float("Collected vs Due (%)", digits=(16, 1), readonly=True, aggregator="avg")
    collected_days = fields.Float(readonly=True, help="Days to pay times amount collected, summed.")
    days_to_pay = fields.Float(
        "Days to Pay",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="From invoice date to payment, weighted by amount.",
    )
    amount_open = fields.Monetary("Open at Month End", readonly=True)
    amount_overdue = fields.Monetary("Overdue at Month End", readonly=True)
    overdue_share = fields.Float("Overdue (%)", digits=(16, 1), readonly=True, aggregator="avg")
    promises_kept = fields.Integer(readonly=True)
    promises_broken = fields.Integer(readonly=True)
    promises_judged = fields.Integer(readonly=True, help="Promises kept or broken.")
    promise_kept_rate = fields.Float("Promises Kept (%)", digits=(16, 1), readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        item = self.env["sales.collection.item"]
        return SQL(
            """
            WITH item AS (
                -- every receivable item, settled or open: the open items' history
                SELECT aml.id, aml.move_id, aml.company_id, %(user)s AS user_id, %(team)s AS team_id,
                       aml.balance, aml.amount_currency, aml.date, COALESCE(aml.date_maturity, aml.date) AS date_due,
                       move.move_type, COALESCE(move.invoice_date, aml.date) AS invoice_date,
                       move.promise_date, move.promise_amount
                  FROM account_move_line aml
                  %(joins)s
                 WHERE %(receivable)s
            ), matching AS (
                SELECT part.debit_move_id, part.credit_move_id, part.amount, part.debit_amount_currency,
                       part.max_date, (pay.origin_payment_id IS NOT NULL OR pay.statement_line_id IS NOT NULL)
                           AS is_payment
                  FROM account_partial_reconcile part
                  JOIN account_move_line credit ON credit.id = part.credit_move_id
                  JOIN account_move pay ON pay.id = credit.move_id
                 WHERE part.max_date <= %(today)s
            ), item_day AS (
                SELECT company_id, user_id, team_id, date, date_due, SUM(balance) AS balance,
                       SUM(balance) FILTER (WHERE move_type = 'out_invoice') AS invoiced
                  FROM item
              GROUP BY company_id, user_id, team_id, date, date_due
            ), settled_day AS (
                -- a matching settles both its items on its date; matched with a payment, it collects the invoice
                SELECT i.company_id, i.user_id, i.team_id, side.max_date, i.date_due, SUM(side.amount) AS amount,
                       SUM(-side.amount) FILTER (WHERE side.is_payment AND i.move_type = 'out_invoice') AS collected,
                       SUM(-side.amount * (side.max_date - i.invoice_date))
                           FILTER (WHERE side.is_payment AND i.move_type = 'out_invoice') AS collected_days
                  FROM (SELECT debit_move_id AS line_id, -amount AS amount, max_date, is_payment FROM matching
                         UNION ALL
                        SELECT credit_move_id, amount, max_date, FALSE FROM matching) side
                  JOIN item i ON i.id = side.line_id
              GROUP BY i.company_id, i.user_id, i.team_id, side.max_date, i.date_due
            ), event AS (
                -- an item opens on its date and is overdue from the day after its due date; invoices fall due
                SELECT i.company_id, i.user_id, i.team_id, e.day, e.open, e.overdue, e.due,
                       0.0 AS collected, 0.0 AS collected_days, 0 AS kept, 0 AS broken
                  FROM item_day i
                 CROSS JOIN LATERAL (VALUES
                       (i.date, i.balance, 0.0, 0.0),
                       (GREATEST(i.date, i.date_due + 1), 0.0, i.balance, 0.0),
                       (CASE WHEN i.invoiced IS NOT NULL THEN i.date_due END, 0.0, 0.0, i.invoiced)
                       ) AS e(day, open, overdue, due)
                 UNION ALL
                SELECT s.company_id, s.user_id, s.team_id, e.day, e.open, e.overdue, 0.0, e.collected,
                       e.collected_days, 0, 0
                  FROM settled_day s
                 CROSS JOIN LATERAL (VALUES
                       (s.max_date, s.amount, 0.0, 0.0, 0.0),
                       (GREATEST(s.max_date, s.date_due + 1), 0.0, s.amount, 0.0, 0.0),
                       (CASE WHEN s.collected IS NOT NULL THEN s.max_date END, 0.0, 0.0, s.collected,
                        s.collected_days)
                       ) AS e(day, open, overdue, collected, collected_days)
                 UNION ALL
                SELECT company_id, user_id, team_id, promise_date, 0.0, 0.0, 0.0, 0.0, 0.0,
                       (paid >= promised)::int, (paid < promised AND promise_date < %(today)s)::int
                  FROM (SELECT i.move_id, i.company_id, i.user_id, i.team_id, i.promise_date,
                               COALESCE(NULLIF(MAX(i.promise_amount), 0), SUM(i.amount_currency)) AS promised,
                               SUM(COALESCE(paid.amount, 0)) AS paid
                          FROM item i
                     LEFT JOIN (SELECT m.debit_move_id, SUM(m.debit_amount_currency) AS amount
                                  FROM matching m
                                  JOIN item i ON i.id = m.debit_move_id
                                 WHERE m.is_payment AND m.max_date <= i.promise_date
                              GROUP BY m.debit_move_id) paid ON paid.debit_move_id = i.id
                         WHERE i.promise_date IS NOT NULL AND i.move_type = 'out_invoice'
                      GROUP BY i.move_id, i.company_id, i.user_id, i.team_id, i.promise_date) promise
            ), monthly AS (
                SELECT company_id, COALESCE(user_id, 0) AS user_key, COALESCE(team_id, 0) AS team_key,
                       date_trunc('month', day)::date AS month,
                       SUM(open) AS open, SUM(overdue) AS overdue, SUM(due) AS due, SUM(collected) AS collected,
                       SUM(collected_days) AS collected_days, SUM(kept) AS kept, SUM(broken) AS broken
                  FROM event
                 -- balances up to today; what falls due, is collected or promised, for the whole month
                 WHERE day < %(next_month)s AND (day <= %(today)s OR (open = 0 AND overdue = 0))
              GROUP BY 1, 2, 3, 4
            ), card AS (
                SELECT g.company_id, g.user_key, g.team_key, g.month,
                       COALESCE(m.collected, 0) AS collected, COALESCE(m.due, 0) AS due,
                       COALESCE(m.collected_days, 0) AS collected_days,
                       SUM(COALESCE(m.open, 0)) OVER w AS open, SUM(COALESCE(m.overdue, 0)) OVER w AS overdue,
                       COALESCE(m.kept, 0) AS kept, COALESCE(m.broken, 0) AS broken
                  FROM (SELECT company_id, user_key, team_key,
                               generate_series(MIN(month), %(month)s, INTERVAL '1 month')::date AS month
                          FROM monthly
                      GROUP BY company_id, user_key, team_key) g
             LEFT JOIN monthly m ON m.company_id = g.company_id AND m.user_key = g.user_key
                                AND m.team_key = g.team_key AND m.month = g.month
                WINDOW w AS (PARTITION BY g.company_id, g.user_key, g.team_key ORDER BY g.month)
            )
            SELECT ROW_NUMBER() OVER (ORDER BY c.company_id, c.month, c.user_key, c.team_key) AS id,
                   c.month AS date, NULLIF(c.user_key, 0) AS user_id, NULLIF(c.team_key, 0) AS team_id,
                   c.company_id, company.currency_id,
                   c.collected AS amount_collected, c.due AS amount_due, c.collected_days,
                   c.open AS amount_open, c.overdue AS amount_overdue,
                   c.kept AS promises_kept, c.broken AS promises_broken, c.kept + c.broken AS promises_judged,
                   100 * c.collected / NULLIF(c.due, 0) AS collected_rate,
                   c.collected_days / NULLIF(c.collected, 0) AS days_to_pay,
                   100 * c.overdue / NULLIF(c.open, 0) AS overdue_share,
                   100.0 * c.kept / NULLIF(c.kept + c.broken, 0) AS promise_kept_rate
              FROM card c
              JOIN res_company company ON company.id = c.company_id
             WHERE c.collected != 0 OR c.due != 0 OR c.open != 0 OR c.overdue != 0 OR c.kept + c.broken != 0
            """,
            user=item._collection_user_sql(),
            team=item._collection_team_sql(),
            joins=item._collection_joins_sql("aml"),
            receivable=self.env["account.move.line"]._sales_receivable_sql("aml"),
            today=today,
            month=today.replace(day=1),
            next_month=today.replace(day=1) + relativedelta(months=1),
        )

    def _read_group_select(self, aggregate_spec, query):
        # a rate of a group is the rate of its sums (a weighted average), not the average of its rows' rates
        fname = aggregate_spec.split(":")[0]
        if fname not in RATES:
            return super()._read_group_select(aggregate_spec, query)
        numerator, denominator, factor = RATES[fname]
        return SQL(
            "%s * SUM(%s) / NULLIF(SUM(%s), 0)",
            factor,
            self._field_to_sql(self._table, numerator, query),
            self._field_to_sql(self._table, denominator, query),
        )
