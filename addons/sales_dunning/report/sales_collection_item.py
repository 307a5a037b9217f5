from odoo import api, fields, models
from odoo.tools import SQL

BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]


class SalesCollectionItem(models.Model):
    """Open receivable items of customers with the salesperson who answers for them, their age and dunning state.

    Every open receivable item as sales_credit defines it: invoices, credit notes and unapplied payments
    (negative), opening balances posted as journal entries. Each item sits in the bucket of its own due date
    (its date when it has none), as Odoo's Aged Receivable places them, so that a customer's buckets add up to
    its receivable balance.
    """

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
            "date",
            "date_maturity",
            "company_id",
            "dunning_level_id",
            "dunning_blocked",
        ],
        "account.move": [
            "invoice_user_id",
            "team_id",
            "move_type",
            "promise_date",
            "promise_amount",
            "invoice_currency_rate",
        ],
        "res.partner": ["commercial_partner_id", "user_id"],
        "res.users": ["sale_team_id"],
        "res.currency.rate": ["rate", "name", "company_id"],
        "res.company": ["currency_id"],
    }

    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    move_type = fields.Selection(
        lambda self: self.env["account.move"]._fields["move_type"].selection, string="Type", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True, help="The current company's currency.")
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
        today = fields.Date.context_today(self)
        age = SQL("(%s - COALESCE(aml.date_maturity, aml.date))", today)
        # amounts of several companies in the current company's currency, as sale.report converts them
        currency_join, to_current = self.env["res.company"]._sales_currency_table_sql(SQL("aml.company_id"))
        return SQL(
            """
            SELECT aml.id, aml.move_id, move.move_type, customer.id AS partner_id, %(user)s AS user_id,
                   %(team)s AS team_id, aml.company_id, %(currency)s AS currency_id,
                   COALESCE(aml.date_maturity, aml.date) AS date_due, GREATEST(%(age)s, 0) AS days_overdue,
                   CASE WHEN %(age)s <= 0 THEN 'not_due' WHEN %(age)s <= 30 THEN '1_30'
                        WHEN %(age)s <= 60 THEN '31_60' WHEN %(age)s <= 90 THEN '61_90' ELSE 'over_90' END AS bucket,
                   aml.amount_residual %(to_current)s AS residual, aml.dunning_level_id AS level_id,
                   aml.dunning_blocked AS blocked, move.promise_date,
                   move.promise_amount / COALESCE(NULLIF(move.invoice_currency_rate, 0), 1) %(to_current)s
                       AS promise_amount,
                   COALESCE(move.promise_date < %(today)s, FALSE) AS promise_broken
              FROM account_move_line aml
              %(joins)s
              %(currency_join)s
             WHERE %(open)s
            """,
            currency=self.env.company.currency_id.id,
            currency_join=currency_join,
            to_current=to_current,
            user=self._collection_user_sql(),
            team=self._collection_team_sql(),
            joins=self._collection_joins_sql("aml"),
            age=age,
            today=today,
            open=self.env["account.move.line"]._sales_open_receivable_sql(alias="aml"),
        )

    # ------------------------------------------------------------
    # ATTRIBUTION, shared with the scorecard
    # ------------------------------------------------------------

    @api.model
    def _collection_joins_sql(self, alias):
        """Joins from a receivable item (``alias``) to its entry ``move``, its ``customer`` (commercial
        partner) and the ``salesman`` who answers for it."""
        return SQL(
            """
              JOIN account_move move ON move.id = %(aml)s.move_id
         LEFT JOIN res_partner item_partner ON item_partner.id = %(aml)s.partner_id
         LEFT JOIN res_partner customer ON customer.id = item_partner.commercial_partner_id
         LEFT JOIN res_users salesman ON salesman.id = COALESCE(move.invoice_user_id, customer.user_id)
            """,
            aml=SQL.identifier(alias),
        )

    @api.model
    def _collection_user_sql(self):
        """The salesperson of the invoice or credit note; for other items (payments, opening entries, which
        Odoo gives no salesperson) the customer's."""
        return SQL("salesman.id")

    @api.model
    def _collection_team_sql(self):
        """The team of the invoice or credit note, else the salesperson's main team (Odoo gives payments and
        journal entries the team of whoever entered them)."""
        return SQL(
            """CASE WHEN move.move_type IN ('out_invoice', 'out_refund', 'out_receipt') AND move.team_id IS NOT NULL
                    THEN move.team_id ELSE salesman.sale_team_id END"""
        )

    # ------------------------------------------------------------
    # ORDER: buckets by age, not by their keys
    # ------------------------------------------------------------

    @api.model
    def _bucket_position_sql(self, expression):
        return SQL("array_position(%s, %s::text)", [key for key, _label in BUCKETS], expression)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "bucket":
            field = self._field_to_sql(alias, field_name, query)
            return SQL("%s %s %s", self._bucket_position_sql(field), direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_group_orderby(self, order, groupby_terms, query):
        # the pivot's and list's groups of ages come in this order (Not Due, 1-30, ...)
        if "bucket" in groupby_terms:
            groupby_terms = dict(groupby_terms, bucket=self._bucket_position_sql(groupby_terms["bucket"]))
        return super()._read_group_orderby(order, groupby_terms, query)
