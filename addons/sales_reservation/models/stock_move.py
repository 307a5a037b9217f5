from datetime import datetime

from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    allocation_weight = fields.Integer(
        compute="_compute_allocation_weight",
        help="Allocation weight of the customer's tier: the higher, the earlier this delivery gets stock.",
    )

    def _compute_allocation_weight(self):
        for move in self:
            partner = move.sale_line_id.order_id.partner_id.commercial_partner_id
            move.allocation_weight = partner.customer_tier_id.allocation_weight

    def _action_assign(self, force_qty=False):
        # Odoo reserves the moves one after the other in the order of the recordset: put the most
        # important customers first where the company allocates by priority.
        by_priority = self.filtered(lambda move: move.company_id.allocation_by_priority)
        if by_priority:
            self = by_priority.sorted(lambda move: move._get_allocation_sort_key()) | (self - by_priority)
        return super()._action_assign(force_qty=force_qty)

    def _get_allocation_sort_key(self):
        """Allocation order: customer tier weight, urgency, requested date, order date (smallest first)."""
        self.ensure_one()
        order = self.sale_line_id.order_id
        return (
            -self.allocation_weight,
            -int(self.priority or 0),
            self.date_deadline or datetime.max,
            order.date_order or self.date,
            self.id,
        )
