from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        self._consume_designated_reservations()
        return res

    def _consume_designated_reservations(self):
        """The deliveries of confirmed orders take the stock designated for them, or for their customer."""
        # sudo: confirming salespeople hand over reservations others may have made for the same customer
        reservations = (
            self.env["sales.reservation"]
            .sudo()
            .search(
                [
                    ("state", "=", "reserved"),
                    ("company_id", "in", self.company_id.ids),
                    "|",
                    ("order_id", "in", self.ids),
                    "&",
                    ("order_id", "=", False),
                    ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                ]
            )
        )
        for order in self:
            mine = reservations.filtered(
                lambda r: (
                    r.order_id == order
                    or (
                        not r.order_id
                        and r.partner_id == order.partner_id.commercial_partner_id
                        and r.warehouse_id == order.warehouse_id
                    )
                )
            )
            moves = order.order_line.move_ids
            # two-step deliveries: the move taking from stock is the pick before the shipment
            moves = (moves | moves.move_orig_ids)._filter_sales_stock_demand()
            mine.filtered(lambda r: r.product_id in moves.product_id)._consume(moves)
            reservations -= mine
