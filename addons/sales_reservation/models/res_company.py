from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    allocation_by_priority = fields.Boolean(
        string="Allocate by Customer Priority",
        help="When several deliveries wait for the same product, reserve stock for the customer of the "
        "highest tier first, then urgent orders, then the earliest requested date, then the oldest order.",
    )
