from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sales_base.models.res_company import MAX_DAYS

from .sales_customer_tier import MAX_WEIGHT


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
    # ranking by credit standing: points added to the tier weight; zero keeps the ranking by tier alone
    allocation_rating_weight = fields.Integer(
        string="Credit Rating Weight",
        help="Points added to the tier weight per credit rating step: A gets 3 times this, B twice, C and unrated "
        "customers once, D nothing. 0: the credit rating does not count.",
    )
    allocation_credit_rank = fields.Selection(
        [
            ("none", "Not Counted"),
            ("tiebreak", "Breaks Ties"),
            ("weight", "Adds Points"),
        ],
        string="Available Credit",
        default="none",
        required=True,
        help="How the customer's available credit (credit limit minus exposure) counts: not at all; between "
        "customers of equal points, the one with the larger share of its limit still available first; or points "
        "in proportion to that share. A customer without a credit limit gets no points and comes after "
        "those with a limit.",
    )
    allocation_credit_weight = fields.Integer(
        string="Available Credit Weight",
        help="Points for a customer with all of its credit limit available: half the limit available gives half "
        "the points; at or over the limit, or without a limit, none.",
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

    @api.constrains(
        "allocation_risk_days",
        "prebook_max_days",
        "prebook_max_share",
        "reservation_default_days",
        "allocation_rating_weight",
        "allocation_credit_weight",
    )
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
            weights = (company.allocation_rating_weight, company.allocation_credit_weight)
            if min(weights) < 0 or max(weights) > MAX_WEIGHT:
                raise ValidationError(
                    _(
                        "The weights of the credit rating and of the available credit lie between 0 and %(max)s "
                        "(%(company)s).",
                        max=MAX_WEIGHT,
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
