from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    allocation_priority = fields.Char(
        compute="_compute_allocation_priority",
        help="Why this line's delivery is served before or after others: customer tier and weight, urgency, "
        "requested date, order date.",
    )

    def _compute_allocation_priority(self):
        for line in self:
            moves = line.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
            line.allocation_priority = moves[:1].allocation_priority
