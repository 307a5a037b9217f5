from odoo import fields, models
from odoo.tools import SQL

BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]


class SalesCollectionItem(models.Model):
    """Open customer invoice items with the salesperson who sold them, their age and their dunning state."""

    _name = "sales.collection.item"
    _description = "Collection Item"
    _auto = False
    _order = "date_due, id"
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "account_id",
            "reconciled",
            "parent_state",
            "amount_residual",
            "date_maturity",
            "company_id",
            "dunning_level_id",
            "dunning_blocked",
        ],
        "account.move": ["invoice_user_id", "team_id", "move_type", "promise_date", "promise_amount"],
        "res.partner": ["commercial_partner_id"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_due = fields.Date("Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKETS, string="Age", readonly=True)
    residual = fields.Monetary("Due", readonly=True)
    level_id = fields.Many2one("sales.dunning.level", string="Dunning Level", readonly=True)
    blocked = fields.Selection(
        [("dispute", "In Dispute"), ("manual", "Excluded by Hand")], readonly=True, string="Dunning Exclusion"
    )
    promise_date = fields.Date(readonly=True)
    promise_amount = fields.Monetary(readonly=True)
    promise_broken = fields.Boolean(readonly=True, help="The customer promised to pay by a date now past.")

    @property
    def _table_query(self):
        age = SQL("(CURRENT_DATE - aml.date_maturity)")
        return SQL(
            """
            SELECT aml.id, aml.move_id, p.commercial_partner_id AS partner_id, move.invoice_user_id AS user_id,
                   move.team_id, aml.company_id, aml.company_currency_id AS currency_id,
                   aml.date_maturity AS date_due, GREATEST(%(age)s, 0) AS days_overdue,
                   CASE WHEN %(age)s <= 0 THEN 'not_due' WHEN %(age)s <= 30 THEN '1_30'
                        WHEN %(age)s <= 60 THEN '31_60' WHEN %(age)s <= 90 THEN '61_90' ELSE 'over_90' END AS bucket,
                   aml.amount_residual AS residual, aml.dunning_level_id AS level_id, aml.dunning_blocked AS blocked,
                   move.promise_date, move.promise_amount,
                   COALESCE(move.promise_date < CURRENT_DATE, FALSE) AS promise_broken
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id AND move.move_type = 'out_invoice'
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
               AND aml.reconciled IS NOT TRUE
               AND aml.parent_state = 'posted'
               AND aml.amount_residual > 0
            """,
            age=age,
        )
