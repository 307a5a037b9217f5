from odoo import api, models
from odoo.tools import SQL


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model
    def _sales_receivable_sql(self, alias="aml"):
        """The one definition of a receivable item, settled or open: a posted journal item on a receivable
        account. The payment history (ratings, collection scorecard) reads these."""
        return SQL(
            """%(aml)s.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
               AND %(aml)s.parent_state = 'posted'""",
            aml=SQL.identifier(alias),
        )

    @api.model
    def _sales_open_receivable_sql(self, alias="aml"):
        """The one definition of an open receivable item, for credit exposure, dunning and ageing alike.

        Every receivable item that is not fully reconciled: invoices, credit notes (negative), payments not yet
        matched (negative), and opening balances posted as journal entries. The test on ``reconciled`` matches
        Odoo's own index of unreconciled items.
        """
        return SQL(
            "%(receivable)s AND %(aml)s.reconciled IS NOT TRUE AND %(aml)s.amount_residual != 0",
            receivable=self._sales_receivable_sql(alias),
            aml=SQL.identifier(alias),
        )

    @api.model
    def _sales_open_receivable_domain(self):
        """The same definition as a domain, for the ORM's searches and counts."""
        return [
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("parent_state", "=", "posted"),
            ("amount_residual", "!=", 0),
        ]
