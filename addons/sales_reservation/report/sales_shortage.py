from odoo import fields, models
from odoo.tools import SQL

from ..models.stock_move import OPEN_STATES


class SalesShortage(models.Model):
    """Per product and warehouse: what sale deliveries wait for, against the stock there."""

    _name = "sales.shortage"
    _description = "Sales Stock Shortage"
    _auto = False
    _order = "uncovered_qty desc, product_id"
    # what the query reads: Odoo flushes these before searching the view
    _depends = {
        "stock.move": [
            "product_id",
            "product_qty",
            "state",
            "procure_method",
            "location_id",
            "location_dest_id",
            "sale_line_id",
            "company_id",
            "sales_reservation_id",
            "date",
        ],
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
    demand_qty = fields.Float(
        "Ordered",
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantity of the open sale deliveries taking from this warehouse's stock.",
    )
    reserved_qty = fields.Float(
        "Reserved",
        digits="Product Unit of Measure",
        readonly=True,
        help="Part of the ordered quantity already reserved for those deliveries.",
    )
    waiting_qty = fields.Float("Waiting", digits="Product Unit of Measure", readonly=True)
    on_hand_qty = fields.Float("On Hand", digits="Product Unit of Measure", readonly=True)
    free_qty = fields.Float(
        "Free", digits="Product Unit of Measure", readonly=True, help="On hand and reserved for nothing."
    )
    uncovered_qty = fields.Float(
        "Uncovered",
        digits="Product Unit of Measure",
        readonly=True,
        help="Waiting quantity that the free stock cannot cover.",
    )
    order_count = fields.Integer("Orders", readonly=True)
    designated_qty = fields.Float(
        "Designated",
        digits="Product Unit of Measure",
        readonly=True,
        help="Held by designated reservations for customers and quotations.",
    )
    incoming_qty = fields.Float(
        "Incoming",
        digits="Product Unit of Measure",
        readonly=True,
        help="Expected from receipts and other transfers into this warehouse.",
    )
    incoming_date = fields.Datetime("Next Arrival", readonly=True)

    def action_allocate(self):
        """Allocate the stock of these products to their waiting deliveries now."""
        return self.env["sales.allocation.run"]._action_run(self.product_id)

    def action_view_deliveries(self):
        """The open sale deliveries of these products, by customer tier, at-risk first."""
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_reservation.sales_shortage_line_action")
        action["domain"] = [("product_id", "in", self.product_id.ids)]
        return action

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
                  JOIN stock_location loc ON loc.id = m.location_id
             LEFT JOIN %(reserved)s ml ON ml.move_id = m.id
                 WHERE %(demand)s
              GROUP BY m.product_id, loc.warehouse_id, m.company_id
            ),
            designated AS (
                SELECT m.product_id, loc.warehouse_id, SUM(ml.quantity_product_uom) AS designated_qty
                  FROM stock_move m
                  JOIN stock_move_line ml ON ml.move_id = m.id
                  JOIN stock_location loc ON loc.id = m.location_id
                 WHERE m.sales_reservation_id IS NOT NULL AND m.state IN %(open_states)s
              GROUP BY m.product_id, loc.warehouse_id
            ),
            incoming AS (
                SELECT m.product_id, dest.warehouse_id, SUM(m.product_qty) AS incoming_qty, MIN(m.date) AS incoming_date
                  FROM stock_move m
                  JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'internal'
                  JOIN stock_location src ON src.id = m.location_id
                 WHERE m.state IN %(open_states)s
                   AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
                   AND m.product_id IN (SELECT product_id FROM demand)
              GROUP BY m.product_id, dest.warehouse_id
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
                   d.order_count,
                   COALESCE(des.designated_qty, 0) AS designated_qty,
                   COALESCE(i.incoming_qty, 0) AS incoming_qty, i.incoming_date
              FROM demand d
              JOIN product_product p ON p.id = d.product_id
         LEFT JOIN stock s ON s.product_id = d.product_id
                          AND s.warehouse_id IS NOT DISTINCT FROM d.warehouse_id
         LEFT JOIN designated des ON des.product_id = d.product_id
                                 AND des.warehouse_id IS NOT DISTINCT FROM d.warehouse_id
         LEFT JOIN incoming i ON i.product_id = d.product_id AND i.warehouse_id IS NOT DISTINCT FROM d.warehouse_id
            """,
            open_states=OPEN_STATES,
            reserved=self.env["stock.move"]._sales_reserved_qty_sql(),
            demand=self.env["stock.move"]._sales_stock_demand_sql("m", "loc"),
        )
