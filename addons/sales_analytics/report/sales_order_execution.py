from odoo import fields, models
from odoo.tools import SQL


class SalesOrderExecution(models.Model):
    """One row per confirmed order line: what was promised, what went out and when.

    On time: the first delivery left on or before the promised date. In full: the whole ordered quantity was
    delivered. OTIF: the whole quantity left by the promised date. Rates are averages of 0/100 per line, over
    the lines already due or fully delivered.
    """

    _name = "sales.order.execution"
    _description = "Order Execution"
    _auto = False
    _rec_name = "order_id"
    _order = "promised_date, id"
    _depends = {
        "sale.order": ["date_order", "commitment_date", "state", "partner_id", "user_id", "team_id", "company_id"],
        "sale.order.line": [
            "order_id",
            "product_id",
            "product_uom_qty",
            "qty_delivered",
            "customer_lead",
            "display_type",
        ],
        "stock.move": ["sale_line_id", "state", "date", "quantity", "location_dest_id", "procure_method"],
        "stock.location": ["usage"],
        "res.partner": ["commercial_partner_id"],
        "res.company": ["sales_at_risk_days"],
        "product.product": ["type"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    date = fields.Datetime("Order Date", readonly=True)
    promised_date = fields.Datetime(readonly=True, help="Commitment date, or order date plus the lead time.")
    delivery_date = fields.Datetime("Last Delivery", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    qty_ordered = fields.Float("Ordered", digits="Product Unit of Measure", readonly=True)
    qty_delivered = fields.Float("Delivered", digits="Product Unit of Measure", readonly=True)
    qty_reserved = fields.Float("Reserved", digits="Product Unit of Measure", readonly=True)
    delivery_status = fields.Selection(
        [("none", "Not Delivered"), ("partial", "Partially Delivered"), ("full", "Fully Delivered")],
        readonly=True,
    )
    is_late = fields.Boolean("Late", readonly=True, help="Past its promised date and not fully delivered.")
    is_at_risk = fields.Boolean(
        "At Risk",
        readonly=True,
        help="Not fully delivered, promised within the company's at-risk horizon, and its stock not reserved.",
    )
    days_late = fields.Float(
        aggregator="avg",
        readonly=True,
        help="Days after the promised date the line was (or still is not) fully delivered.",
    )
    on_time_rate = fields.Float("On Time (%)", aggregator="avg", readonly=True)
    in_full_rate = fields.Float("In Full (%)", aggregator="avg", readonly=True)
    otif_rate = fields.Float("OTIF (%)", aggregator="avg", readonly=True)
    fill_rate = fields.Float("Fill Rate (%)", aggregator="avg", readonly=True)

    @property
    def _table_query(self):
        promised = SQL("COALESCE(o.commitment_date, o.date_order + l.customer_lead * INTERVAL '1 day')")
        now = SQL("(NOW() AT TIME ZONE 'UTC')")
        full = SQL("l.qty_delivered >= l.product_uom_qty")
        # a line is judged once fully delivered or once its promised date has passed
        judged = SQL("(%s OR %s < %s)", full, promised, now)
        return SQL(
            """
            SELECT l.id, l.order_id, o.date_order AS date, %(promised)s AS promised_date,
                   moves.last_date AS delivery_date, l.product_id, partner.commercial_partner_id AS partner_id,
                   o.user_id, o.team_id, o.company_id,
                   l.product_uom_qty AS qty_ordered, l.qty_delivered, COALESCE(open_moves.qty, 0) AS qty_reserved,
                   CASE WHEN %(full)s THEN 'full' WHEN l.qty_delivered > 0 THEN 'partial' ELSE 'none' END
                       AS delivery_status,
                   NOT %(full)s AND %(promised)s < %(now)s AS is_late,
                   NOT %(full)s AND %(promised)s < %(now)s + company.sales_at_risk_days * INTERVAL '1 day'
                       AND COALESCE(open_moves.qty, 0) < l.product_uom_qty - l.qty_delivered AS is_at_risk,
                   CASE WHEN %(judged)s THEN GREATEST(DATE_PART('day',
                        CASE WHEN %(full)s THEN moves.last_date ELSE %(now)s END - %(promised)s), 0) END AS days_late,
                   CASE WHEN %(judged)s THEN
                        CASE WHEN moves.first_date::date <= %(promised)s::date THEN 100 ELSE 0 END END AS on_time_rate,
                   CASE WHEN %(judged)s THEN CASE WHEN %(full)s THEN 100 ELSE 0 END END AS in_full_rate,
                   CASE WHEN %(judged)s THEN
                        CASE WHEN COALESCE(moves.qty_on_time, 0) >= l.product_uom_qty THEN 100 ELSE 0 END
                   END AS otif_rate,
                   CASE WHEN %(judged)s THEN LEAST(l.qty_delivered / NULLIF(l.product_uom_qty, 0), 1) * 100 END
                       AS fill_rate
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_company company ON company.id = o.company_id
              JOIN res_partner partner ON partner.id = o.partner_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id AND t.type = 'consu'
         LEFT JOIN (SELECT m.sale_line_id, MIN(m.date) AS first_date, MAX(m.date) AS last_date,
                           SUM(m.quantity) FILTER (WHERE m.date::date <= COALESCE(so.commitment_date,
                               so.date_order + sl.customer_lead * INTERVAL '1 day')::date) AS qty_on_time
                      FROM stock_move m
                      JOIN stock_location dest ON dest.id = m.location_dest_id AND dest.usage = 'customer'
                      JOIN sale_order_line sl ON sl.id = m.sale_line_id
                      JOIN sale_order so ON so.id = sl.order_id
                     WHERE m.state = 'done'
                  GROUP BY m.sale_line_id) moves ON moves.sale_line_id = l.id
         LEFT JOIN (SELECT sale_line_id, SUM(quantity) AS qty
                      FROM stock_move
                     WHERE state NOT IN ('done', 'cancel', 'draft') AND sale_line_id IS NOT NULL
                       AND procure_method = 'make_to_stock'
                  GROUP BY sale_line_id) open_moves ON open_moves.sale_line_id = l.id
             WHERE o.state = 'sale' AND l.display_type IS NULL AND l.product_uom_qty > 0
            """,
            promised=promised,
            now=now,
            full=full,
            judged=judged,
        )
