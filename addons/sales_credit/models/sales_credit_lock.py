from odoo import fields, models


class SalesCreditLock(models.Model):
    """One row per customer whose credit was checked: the row that credit checks of one customer update to
    serialise. Nobody reads it; it lives apart from res_partner so that the orders, invoices and payments created
    for the customer meanwhile, which check their foreign key on res_partner, never wait or fail on it."""

    _name = "sales.credit.lock"
    _description = "Credit Check Serialisation"
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")

    _sql_constraints = [("partner_unique", "UNIQUE (partner_id)", "One row per customer.")]
