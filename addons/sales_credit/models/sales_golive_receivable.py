from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class SalesGoliveReceivable(models.Model):
    _name = "sales.golive.receivable"
    _inherit = ["sales.golive.mixin"]
    _description = "Go-Live Open Receivable"
    _order = "state desc, invoice_date_due, id"

    name = fields.Char(
        string="Invoice Number", required=True, index=True, help="The invoice's number in the old system."
    )
    invoice_date = fields.Date(required=True)
    invoice_date_due = fields.Date(string="Due Date", required=True)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    amount_total = fields.Monetary(
        string="Invoice Amount",
        help="The invoice's total, for reference, negative for a credit note; empty: not known.",
    )
    amount_residual = fields.Monetary(
        string="Open Amount",
        required=True,
        help="What the customer still owes on it; negative: a credit the customer still has (a credit note or a "
        "payment not yet applied), loaded as a credit note.",
    )
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")],
        string="Kind",
        compute="_compute_move_type",
        store=True,
        help="Invoice: the customer owes the open amount. Credit note: a negative open amount, the customer's "
        "credit, which nets what he owes.",
    )
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, copy=False, index="btree_not_null")

    @api.depends("amount_residual")
    def _compute_move_type(self):
        for row in self:
            row.move_type = "out_refund" if row.amount_residual < 0 else "out_invoice"

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("invoice_date", "invoice_date_due", "amount_total", "amount_residual")
    def _check_amounts_and_dates(self):
        today = fields.Date.context_today(self)
        for row in self:
            if row.invoice_date_due < row.invoice_date:
                raise ValidationError(
                    _(
                        "Invoice %(invoice)s: the due date %(due)s is before the invoice date %(date)s.",
                        invoice=row.name,
                        due=row.invoice_date_due,
                        date=row.invoice_date,
                    )
                )
            if row.invoice_date > today:
                raise ValidationError(
                    _(
                        "Invoice %(invoice)s: the invoice date %(date)s is in the future.",
                        invoice=row.name,
                        date=row.invoice_date,
                    )
                )
            if row.currency_id.is_zero(row.amount_residual):
                raise ValidationError(
                    _(
                        "Invoice %(invoice)s: the open amount cannot be zero; leave settled invoices and credit notes "
                        "out of the file.",
                        invoice=row.name,
                    )
                )
            row._check_open_within_total()

    def _check_open_within_total(self):
        """The open amount has the sign of the invoice amount and is not above it (a credit note: both negative)."""
        self.ensure_one()
        if not self.amount_total:
            return
        money = self.env["sales.formatter"]._money
        names = {
            "invoice": self.name,
            "open": money(self.amount_residual, self.currency_id),
            "total": money(self.amount_total, self.currency_id),
        }
        if (self.amount_total < 0) != (self.amount_residual < 0):
            raise ValidationError(
                _(
                    "Invoice %(invoice)s: the open amount %(open)s and the invoice amount %(total)s must have the same "
                    "sign: both negative for a credit note.",
                    **names,
                )
            )
        if self.currency_id.compare_amounts(abs(self.amount_residual), abs(self.amount_total)) > 0:
            raise ValidationError(
                _("Invoice %(invoice)s: the open amount %(open)s is above the invoice amount %(total)s.", **names)
            )

    @api.constrains("name")
    def _check_unique_number(self):
        names = self.mapped("name")
        rows = self.search([("name", "in", names), ("company_id", "in", self.company_id.ids)])
        for (_company, name), same in rows.grouped(lambda r: (r.company_id, r.name)).items():
            if len(same) > 1:
                raise ValidationError(
                    _("Invoice number %(invoice)s is given twice: each open invoice is one row.", invoice=name)
                )
        # sudo: the number may be taken by an invoice of a journal the user does not read
        used = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("name", "in", names),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("company_id", "in", self.company_id.ids),
                ],
                limit=1,
            )
        )
        if used:
            raise ValidationError(
                _(
                    "Invoice number %(invoice)s is used already by an invoice in Odoo: it was loaded before, or "
                    "give the invoice another number.",
                    invoice=used.name,
                )
            )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _golive_load(self):
        """Post the open invoices and credit notes under their original numbers in the go-live journal."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise UserError(
                _("Loading open receivables posts invoices: it needs the Invoicing rights of the accounting app.")
            )
        company = self.env.company
        journal = company._get_golive_journal()
        account = company._get_golive_account()
        moves = self.env["account.move"].create([row._prepare_golive_invoice_vals(journal, account) for row in self])
        moves.action_post()
        for row, move in zip(self, moves, strict=True):
            row.move_id = move

    def _prepare_golive_invoice_vals(self, journal, account):
        self.ensure_one()
        if self.move_type == "out_refund":
            label = _("Open credit of credit note %(invoice)s at go-live", invoice=self.name)
        else:
            label = _("Open amount of invoice %(invoice)s at go-live", invoice=self.name)
        return {
            "move_type": self.move_type,
            "name": self.name,
            "journal_id": journal.id,
            "partner_id": self.partner_id.id,
            "invoice_user_id": (self.user_id or self.partner_id.user_id).id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.invoice_date,
            "invoice_date_due": self.invoice_date_due,
            "invoice_payment_term_id": False,
            "invoice_origin": _("Go-live"),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": label,
                        "quantity": 1,
                        # a credit note carries its amount positive, as Odoo's credit notes do
                        "price_unit": abs(self.amount_residual),
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def _golive_link_fields(self):
        return super()._golive_link_fields() | {"move_id"}

    def _golive_summary(self):
        refunds = self.filtered(lambda row: row.move_type == "out_refund")
        return _(
            "Posted in the go-live journal: %(invoices)s open invoices and %(refunds)s open credit notes.",
            invoices=len(self) - len(refunds),
            refunds=len(refunds),
        )

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": _("Import Template for Open Receivables"),
                "template": "/sales_credit/static/xls/sales_golive_receivables.csv",
            }
        ]
