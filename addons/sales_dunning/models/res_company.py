from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_auto_run = fields.Boolean(
        string="Daily Dunning Run",
        help="Every day, a dunning run is computed, confirmed and its emails sent automatically.",
    )
    dunning_fee_mode = fields.Selection(
        [("invoice", "A separate fee invoice"), ("next_invoice", "A line on the customer's next invoice")],
        string="Charge Dunning Fees As",
        default="invoice",
        required=True,
    )
    dunning_fee_product_id = fields.Many2one(
        "product.product",
        default=lambda self: self.env.ref("sales_dunning.product_dunning_fee", raise_if_not_found=False),
        domain=[("type", "=", "service")],
        help="The service charged for dunning fees: its income account and taxes apply to the fee lines.",
    )
    dunning_lift_holds = fields.Boolean(
        string="Lift Dunning Holds",
        default=True,
        help="Every day, a credit hold set by a dunning level is lifted once the customer has no item overdue by "
        "that level's days; holds set by hand are never lifted.",
    )

    @api.constrains("dunning_fee_product_id")
    def _check_dunning_fee_product(self):
        for company in self.filtered("dunning_fee_product_id"):
            if company.dunning_fee_product_id.type != "service":
                raise ValidationError(
                    _(
                        "The dunning fee product of %(company)s must be a service: %(product)s is not.",
                        company=company.name,
                        product=company.dunning_fee_product_id.display_name,
                    )
                )

    @api.model
    def _init_dunning_fee_product(self):
        """At installation: the companies without a dunning fee product take the one the addon installs."""
        companies = self.with_context(active_test=False).search([("dunning_fee_product_id", "=", False)])
        companies.dunning_fee_product_id = self.env.ref("sales_dunning.product_dunning_fee")

    def _get_dunning_fee_product(self):
        """The product of this company's dunning fees: its own, else the one the addon installs."""
        self.ensure_one()
        default = self.env.ref("sales_dunning.product_dunning_fee", raise_if_not_found=False)
        return self.dunning_fee_product_id or default

    # ------------------------------------------------------------
    # EARLY WARNING
    # ------------------------------------------------------------

    warning_promise = fields.Boolean(
        string="Warn of Broken Promises to Pay",
        default=True,
        help="Invoices whose promised payment date has passed while they are still open: the invoice's salesperson "
        "and the credit controller are warned, and get a to-do on the invoice.",
    )
