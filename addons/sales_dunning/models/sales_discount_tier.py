from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sales_base.models.res_company import MAX_DAYS


class SalesDiscountTier(models.Model):
    """A further early-payment discount tier of a payment term.

    The first tier is Odoo's own early discount of the term (its percentage and days); these records
    add the later, smaller ones, e.g. 3 % within 14 days (Odoo's), then 2 % within 30 days (a tier).
    """

    _name = "sales.discount.tier"
    _description = "Cash Discount Tier"
    _order = "payment_term_id, days, id"

    payment_term_id = fields.Many2one("account.payment.term", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="payment_term_id.company_id", store=True)
    days = fields.Integer(required=True, help="Days after the invoice date during which this discount applies.")
    percentage = fields.Float(string="Discount %", required=True, digits="Discount")

    @api.constrains("days", "percentage")
    def _check_tiers(self):
        # first the tier alone: the term's check below reads the database
        for tier in self:
            if not 0 <= tier.days <= MAX_DAYS:
                raise ValidationError(
                    _("A discount tier lasts between 0 and %(max)s days, not %(days)s.", max=MAX_DAYS, days=tier.days)
                )
        self.payment_term_id._check_discount_tiers()

    @api.depends("days", "percentage")
    def _compute_display_name(self):
        for tier in self:
            tier.display_name = _("%(percentage)s %% within %(days)s days", percentage=tier.percentage, days=tier.days)

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers.payment_term_id._check_no_open_invoice()
        return tiers

    def write(self, vals):
        self.payment_term_id._check_no_open_invoice()
        return super().write(vals)

    def unlink(self):
        self.payment_term_id._check_no_open_invoice()
        return super().unlink()
