from odoo import fields, models
from odoo.tools import SQL


class SalesShortage(models.Model):
    """Per product and warehouse: what sale deliveries wait for, against the stock there."""

    _name = "sales.shortage"
    _description = "Sales Stock Shortage"
    _auto = False
    _order = "uncovered_qty desc, product_id"
    # what the query reads: Odoo flushes these before searching the view
    _depends = {
        "stock.move": ["product_id", "product_qty", "state", "procure_method", "location_id", "sale_line_id",
                       "company_id"],
        "stock.move.line": ["move_id", "quantity_product_uom"],
        "stock.quant": ["product_id", "location_id", "quantity", "reserved_quantity"],
        "stock.location": ["usage", "warehouse_id"],
        "sale.order.line": ["order_id"],
        "product.product": ["product_tmpl_id"],
    }

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    demand_qty = fields.Float("Ordered", digits="Product Unit of Measure", readonly=True,
                              help="Quantity of the open sale deliveries taking from this warehouse's stock.")
    reserved_qty = fields.Float("Reserved", digits="Product Unit of Measure", readonly=True,
                                help="Part of the ordered quantity already reserved for those deliveries.")
    waiting_qty = fields.Float("Waiting", digits="Product Unit of Measure", readonly=True)
    on_hand_qty = fields.Float("On Hand", digits="Product Unit of Measure", readonly=True)
    free_qty = fields.Float("Free", digits="Product Unit of Measure", readonly=True,
                            help="On hand and reserved for nothing.")
    uncovered_qty = fields.Float("Uncovered", digits="Product Unit of Measure", readonly=True,
                                 help="Waiting quantity that the free stock cannot cover.")
    order_count = fields.Integer("Orders", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH demand AS (
                SELECT m.product_id, loc.warehouse_id, m.company_id,
                       SUM(m.product_qty) AS demand_qty,
                       SUM(COALESCE(ml.qty, 0)) AS reserved_qty,
                       COUNT(DISTINCT sol.order_id) AS order_count
                  FROM stock_move m
                  JOIN sale_order_line sol ON sol.id = m.sale_line_id
                  JOIN stock_location loc ON loc.id = m.location_id AND loc.usage = 'internal'
             LEFT JOIN (SELECT move_id, SUM(quantity_product_uom) AS qty
                          FROM stock_move_line
                         WHERE move_id IS NOT NULL
                      GROUP BY move_id) ml ON ml.move_id = m.id
                 WHERE m.state IN %(open_states)s
                   AND m.procure_method = 'make_to_stock'
              GROUP BY m.product_id, loc.warehouse_id, m.company_id
            ),
            stock AS (
                SELECT q.product_id, loc.warehouse_id,
                       SUM(q.quantity) AS on_hand_qty,
                       SUM(q.quantity - q.reserved_quantity) AS free_qty
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id AND loc.usage = 'internal'
                 WHERE q.product_id IN (SELECT product_id FROM demand)
              GROUP BY q.product_id, loc.warehouse_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY d.product_id, d.warehouse_id) AS id,
                   d.product_id, p.product_tmpl_id, d.warehouse_id, d.company_id,
                   d.demand_qty, d.reserved_qty, d.demand_qty - d.reserved_qty AS waiting_qty,
                   COALESCE(s.on_hand_qty, 0) AS on_hand_qty, COALESCE(s.free_qty, 0) AS free_qty,
                   GREATEST(d.demand_qty - d.reserved_qty - GREATEST(COALESCE(s.free_qty, 0), 0), 0)
                       AS uncovered_qty,
                   d.order_count
              FROM demand d
              JOIN product_product p ON p.id = d.product_id
         LEFT JOIN stock s ON s.product_id = d.product_id
                          AND s.warehouse_id IS NOT DISTINCT FROM d.warehouse_id
            """,
            open_states=("waiting", "confirmed", "partially_available", "assigned"),
        )
