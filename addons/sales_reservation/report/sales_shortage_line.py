from odoo import fields, models
from odoo.tools import SQL


class SalesShortageLine(models.Model):
    """One open sale delivery move taking from stock: what its customer ordered and what is reserved for it."""

    _name = "sales.shortage.line"
    _description = "Sales Delivery Coverage"
    _auto = False
    _order = "at_risk desc, date_deadline, id"
    _depends = {
        "stock.move": [
            "product_id",
            "product_qty",
            "state",
            "procure_method",
            "location_id",
            "sale_line_id",
            "company_id",
            "date_deadline",
            "priority",
            "picking_id",
        ],
        "stock.move.line": ["move_id", "quantity_product_uom"],
        "sale.order.line": ["order_id"],
        "sale.order": ["partner_id", "user_id", "commitment_date", "date_order"],
        "res.partner": ["commercial_partner_id", "customer_tier_id"],
    }

    move_id = fields.Many2one("stock.move", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_tier_id = fields.Many2one("sales.customer.tier", readonly=True)
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], readonly=True)
    date_deadline = fields.Datetime("Promised Date", readonly=True)
    demand_qty = fields.Float("Ordered", digits="Product Unit of Measure", readonly=True)
    reserved_qty = fields.Float("Reserved", digits="Product Unit of Measure", readonly=True)
    missing_qty = fields.Float("Missing", digits="Product Unit of Measure", readonly=True)
    at_risk = fields.Boolean(
        readonly=True,
        help="Not fully reserved and promised within the company's at-risk days (Settings > Stock Allocation).",
    )
    allocation_priority = fields.Char(related="move_id.allocation_priority")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT m.id, m.id AS move_id, m.picking_id, m.product_id, loc.warehouse_id, m.company_id,
                   so.id AS order_id, so.user_id, cp.id AS partner_id, cp.customer_tier_id, m.priority,
                   COALESCE(m.date_deadline, so.commitment_date) AS date_deadline,
                   m.product_qty AS demand_qty, COALESCE(ml.qty, 0) AS reserved_qty,
                   GREATEST(m.product_qty - COALESCE(ml.qty, 0), 0) AS missing_qty,
                   (m.product_qty > COALESCE(ml.qty, 0)
                    AND COALESCE(m.date_deadline, so.commitment_date)
                        <= NOW() + make_interval(days => COALESCE(c.allocation_risk_days, 0))) AS at_risk
              FROM stock_move m
              JOIN sale_order_line sol ON sol.id = m.sale_line_id
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner p ON p.id = so.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN res_company c ON c.id = m.company_id
              JOIN stock_location loc ON loc.id = m.location_id
         LEFT JOIN %(reserved)s ml ON ml.move_id = m.id
             WHERE %(demand)s
            """,
            reserved=self.env["stock.move"]._sales_reserved_qty_sql(),
            demand=self.env["stock.move"]._sales_stock_demand_sql("m", "loc"),
        )
