from odoo import _, fields, models

# original invoice numbers are kept as they are: the go-live journal reads them as numbers that never reset,
# so that Odoo neither renumbers them nor compares the year in them with the invoice date
GOLIVE_SEQUENCE_REGEX = r"^(?P<prefix1>.*?)(?P<seq>\d{0,9})(?P<suffix>\D*?)$"


class ResCompany(models.Model):
    # the go-live settings stay apart from the credit settings: another concept, another file
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    golive_journal_id = fields.Many2one(
        "account.journal",
        string="Go-Live Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales journal of the open invoices and credit notes loaded from the old system, under their original "
        "numbers. Empty: a Go-Live Invoices journal is created at the first load.",
    )
    golive_account_id = fields.Many2one(
        "account.account",
        string="Go-Live Opening Account",
        domain="[('account_type', 'not in', ('asset_receivable', 'liability_payable', 'off_balance'))]",
        help="Counterpart of the open receivables loaded from the old system, the account that takes the opening "
        "balances. Empty: the undistributed profits account, where Odoo puts opening balance differences.",
    )
    golive_location_id = fields.Many2one(
        "stock.location",
        string="Go-Live Deliveries Location",
        help="Virtual location the quantities delivered before go-live come from, so that they leave no stock.",
    )

    def _get_golive_journal(self):
        """The journal of the go-live invoices, created the first time; it keeps the original numbers."""
        self.ensure_one()
        # sudo: the user who loads receivables may create invoices but not journals
        company = self.sudo()
        journal = company.golive_journal_id
        if not journal:
            journal = company.env["account.journal"].create(
                {
                    "name": _("Go-Live Invoices"),
                    "code": "GOLIV",
                    "type": "sale",
                    "company_id": self.id,
                    "show_on_dashboard": False,
                }
            )
            company.golive_journal_id = journal
        if journal.sequence_override_regex != GOLIVE_SEQUENCE_REGEX:
            journal.sequence_override_regex = GOLIVE_SEQUENCE_REGEX
        return journal.with_env(self.env)

    def _get_golive_account(self):
        self.ensure_one()
        # sudo: Odoo creates the undistributed profits account if the chart has none
        return (self.golive_account_id or self.sudo().get_unaffected_earnings_account()).with_env(self.env)

    def _get_golive_location(self):
        """The virtual location of the deliveries made before go-live, created the first time."""
        self.ensure_one()
        # sudo: the user who loads orders needs no inventory rights for this technical location
        company = self.sudo()
        if not company.golive_location_id:
            company.golive_location_id = company.env["stock.location"].create(
                {
                    "name": _("Go-Live Deliveries"),
                    "usage": "inventory",
                    "location_id": self.env.ref("stock.stock_location_locations_virtual").id,
                    "company_id": self.id,
                }
            )
        return company.golive_location_id.with_env(self.env)
