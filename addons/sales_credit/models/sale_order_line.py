from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse({vals["order_id"] for vals in vals_list if vals.get("order_id")})
        before = orders._credit_changed_orders()._credit_snapshot()
        lines = super().create(vals_list)
        lines._after_order_change(before, {fname for vals in vals_list for fname in vals})
        return lines

    def write(self, vals):
        watched = self._credit_fields() & vals.keys()
        orders = self.order_id if watched else self.order_id.browse()
        before = orders._credit_changed_orders()._credit_snapshot()
        res = super().write(vals)
        if watched:
            self._after_order_change(before, watched, orders)
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._review_reset(set(), self._credit_fields())
        return res

    def _after_order_change(self, before, changed, orders=None):
        """Orders whose lines changed: reviews of quotations reset, confirmed orders checked again."""
        orders = orders if orders is not None else self.order_id
        orders._review_reset(set(), changed)
        orders.filtered(lambda o: o.id in before)._after_confirmed_change(before, set(), changed)

    def _credit_fields(self):
        """Line fields whose change can raise the order's total or change what a review looked at."""
        return {"product_uom_qty", "price_unit", "discount", "tax_id", "product_id", "product_uom"}
