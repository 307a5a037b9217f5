from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import create_index


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def init(self):
        result = super().init()
        # the exposure reads the open lines of a thousand customers' orders at a time: on ten million lines,
        # the few still open (not fully invoiced) are found here instead of among every line of those orders
        create_index(
            self.env.cr,
            "sale_order_line_credit_open_index",
            self._table,
            ["order_id"],
            where=self._credit_open_sql().code,
        )
        return result

    @api.model
    def _credit_open_sql(self, alias=None):
        """SQL condition: the line of a confirmed order still open for the credit exposure (not fully invoiced,
        or a down payment invoiced); the exposure's query and its partial index share it."""

        def column(name):
            return SQL.identifier(alias, name) if alias else SQL.identifier(name)

        return SQL(
            "%s = 'sale' AND %s IS NULL AND (%s < GREATEST(%s, %s) OR (%s AND %s != 0))",
            column("state"),
            column("display_type"),
            column("qty_invoiced"),
            column("product_uom_qty"),
            column("qty_delivered"),
            column("is_downpayment"),
            column("qty_invoiced"),
        )

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
