from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sales_base.models.res_company import MAX_DAYS


class ResCompany(models.Model):
    _inherit = "res.company"

    allocation_by_priority = fields.Boolean(
        string="Allocate by Customer Priority",
        help="When several deliveries wait for the same product, reserve stock for the customer of the "
        "highest tier first, then urgent orders, then the earliest requested date, then the oldest order.",
    )
    allocation_redistribute = fields.Boolean(
        string="Redistribute Reserved Stock",
        help="An allocation run takes reserved quantities back from lower-priority deliveries to serve "
        "higher-priority ones: never from deliveries being picked, never from designated reservations, never "
        "more than needed.",
    )
    allocation_exclude_blocked = fields.Boolean(
        string="No Stock for Blocked Customers",
        help="Customers on credit hold or past the overdue thresholds get no stock from allocation runs "
        "(without this, they are served last).",
    )
    allocation_risk_days = fields.Integer(
        string="Orders at Risk Within (days)",
        default=7,
        help="A delivery not fully reserved whose promised date falls within these days is at risk.",
    )
    prebook_tier_ids = fields.Many2many(
        "sales.customer.tier",
        string="Tiers that May Pre-book Quotations",
        help="Only customers of these tiers may have stock reserved for a quotation or without an order; "
        "empty means all tiers.",
    )
    prebook_max_days = fields.Integer(
        string="Pre-booking Maximum Days",
        default=14,
        help="A reservation for a quotation or without an order expires at most this many days ahead.",
    )
    prebook_max_share = fields.Float(
        string="Pre-booking Maximum Share (%)",
        default=50,
        help="Reservations for quotations or without an order may hold at most this share of a product's "
        "stock on hand in the warehouse.",
    )
    reservation_default_days = fields.Integer(
        string="Reservation Validity (days)", default=7, help="Default expiry of a new designated reservation."
    )

    @api.constrains("allocation_risk_days", "prebook_max_days", "prebook_max_share", "reservation_default_days")
    def _check_allocation_settings(self):
        for company in self:
            days = (company.allocation_risk_days, company.prebook_max_days, company.reservation_default_days)
            if min(days) < 0 or max(days) > MAX_DAYS or company.reservation_default_days < 1:
                raise ValidationError(
                    _(
                        "Days lie between 0 and %(max)s, and a reservation is valid for at least one day "
                        "(%(company)s).",
                        max=MAX_DAYS,
                        company=company.name,
                    )
                )
            if not 0 <= company.prebook_max_share <= 100:
                raise ValidationError(
                    _(
                        "The pre-booking share of stock is a percentage between 0 and 100, not %(share)s.",
                        share=self.env["sales.formatter"]._percent(company.prebook_max_share),
                    )
                )
