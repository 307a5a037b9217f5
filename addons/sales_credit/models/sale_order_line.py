from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse({vals["order_id"] for vals in vals_list if vals.get("order_id")})
        totals = {order.id: order.amount_total for order in orders if order.state == "sale"}
        lines = super().create(vals_list)
        if totals:
            orders._credit_check_growth(totals)
        return lines

    def write(self, vals):
        orders = self.order_id.filtered(lambda o: o.state == "sale") if self._credit_fields() & vals.keys() else None
        totals = {order.id: order.amount_total for order in orders} if orders else {}
        res = super().write(vals)
        if totals:
            orders._credit_check_growth(totals)
        return res

    def _credit_fields(self):
        """Line fields whose change can raise the order's total."""
        return {"product_uom_qty", "price_unit", "discount", "tax_id", "product_id", "product_uom"}
