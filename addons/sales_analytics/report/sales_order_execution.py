from odoo import fields, models
from odoo.tools import SQL


class SalesOrderExecution(models.Model):
    """One row per confirmed order line: what was promised, what went out and when, what came back.

    Every measure judges the outgoing deliveries (goods that left for the customer), compared as local dates (the
    user's time zone, as the suite buckets every date) with the promised date; returns are reported beside them
    and change none of them. On time: the first delivery left on or before the promised day. In full: the
    deliveries reached the ordered quantity. OTIF: they reached it by the promised day. Rates are averages of
    0/100 per line, over the lines already due or fully delivered.
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
            "product_uom",
            "customer_lead",
            "display_type",
        ],
        "stock.move": [
            "sale_line_id",
            "state",
            "date",
            "quantity",
            "product_uom",
            "location_id",
            "location_dest_id",
            "procure_method",
        ],
        "stock.location": ["usage"],
        "res.partner": ["commercial_partner_id"],
        "res.company": ["sales_at_risk_days"],
        "product.product": ["type"],
        "uom.uom": ["factor"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    date = fields.Datetime("Order Date", readonly=True)
    promised_date = fields.Datetime(readonly=True, help="Commitment date, or order date plus the lead time.")
    delivery_date = fields.Datetime(
        "Delivered in Full",
        readonly=True,
        help="When the deliveries to the customer reached the ordered quantity; empty while they have not.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    qty_ordered = fields.Float("Ordered", digits="Product Unit of Measure", readonly=True)
    qty_delivered = fields.Float(
        "Delivered",
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantity that left for the customer, whenever; returns do not reduce it.",
    )
    qty_on_time = fields.Float(
        "Delivered on Time",
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantity that left for the customer on or before the promised day.",
    )
    qty_returned = fields.Float(
        "Returned", digits="Product Unit of Measure", readonly=True, help="Quantity the customer sent back."
    )
    qty_reserved = fields.Float("Reserved", digits="Product Unit of Measure", readonly=True)
    delivery_status = fields.Selection(
        [("none", "Not Delivered"), ("partial", "Partially Delivered"), ("full", "Fully Delivered")],
        readonly=True,
    )
    is_late = fields.Boolean("Late", readonly=True, help="Past its promised day and not fully delivered.")
    is_at_risk = fields.Boolean(
        "At Risk",
        readonly=True,
        help="Not fully delivered, promised within the company's at-risk horizon, and its stock not reserved.",
    )
    days_late = fields.Integer(
        aggregator="avg",
        readonly=True,
        help="Days from the promised day to the day the line was delivered in full (or to today, while it is not).",
    )
    on_time_rate = fields.Float("On Time (%)", aggregator="avg", readonly=True)
    in_full_rate = fields.Float("In Full (%)", aggregator="avg", readonly=True)
    otif_rate = fields.Float("OTIF (%)", aggregator="avg", readonly=True)
    fill_rate = fields.Float("Fill Rate (%)", aggregator="avg", readonly=True)

    # ------------------------------------------------------------
    # QUERY
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        today = self.env.company._sales_today()
        return SQL(
            """
            SELECT id, order_id, date, promised_date, full_date AS delivery_date, product_id, partner_id, user_id,
                   team_id, company_id, qty_ordered, qty_delivered, qty_on_time, qty_returned, qty_reserved,
                   CASE WHEN full_day IS NOT NULL THEN 'full' WHEN qty_delivered > 0 THEN 'partial' ELSE 'none' END
                       AS delivery_status,
                   full_day IS NULL AND promised_day < %(today)s AS is_late,
                   full_day IS NULL AND promised_day <= %(today)s + sales_at_risk_days
                       AND qty_reserved < qty_ordered - qty_delivered AS is_at_risk,
                   CASE WHEN %(judged)s THEN GREATEST(COALESCE(full_day, %(today)s) - promised_day, 0) END
                       AS days_late,
                   CASE WHEN %(judged)s THEN CASE WHEN first_day <= promised_day THEN 100 ELSE 0 END END
                       AS on_time_rate,
                   CASE WHEN %(judged)s THEN CASE WHEN full_day IS NOT NULL THEN 100 ELSE 0 END END AS in_full_rate,
                   CASE WHEN %(judged)s THEN CASE WHEN qty_on_time >= qty_ordered THEN 100 ELSE 0 END END
                       AS otif_rate,
                   CASE WHEN %(judged)s THEN LEAST(qty_delivered / qty_ordered, 1) * 100 END AS fill_rate
              FROM (%(lines)s) line
            """,
            today=today,
            # a line is judged once fully delivered or once its promised day has passed
            judged=SQL("(full_day IS NOT NULL OR promised_day < %s)", today),
            lines=self._lines_query(),
        )

    def _lines_query(self):
        """Per order line: the promised date and day, and the figures of its deliveries and returns."""
        company = self.env.company
        promised = SQL("COALESCE(o.commitment_date, o.date_order + l.customer_lead * INTERVAL '1 day')")
        return SQL(
            """
            SELECT l.id, l.order_id, o.date_order AS date, %(promised)s AS promised_date,
                   %(promised_day)s AS promised_day, l.product_id, partner.commercial_partner_id AS partner_id,
                   o.user_id, o.team_id, o.company_id, company.sales_at_risk_days, l.product_uom_qty AS qty_ordered,
                   COALESCE(moves.qty_out, 0) AS qty_delivered,
                   COALESCE(moves.qty_on_time, 0) AS qty_on_time,
                   COALESCE(moves.qty_returned, 0) AS qty_returned,
                   COALESCE(open_moves.qty, 0) AS qty_reserved,
                   moves.first_day, moves.full_date, %(full_day)s AS full_day
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_company company ON company.id = o.company_id
              JOIN res_partner partner ON partner.id = o.partner_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id AND t.type = 'consu'
         LEFT JOIN (%(moves)s) moves ON moves.sale_line_id = l.id
         LEFT JOIN (SELECT sale_line_id, SUM(quantity) AS qty
                      FROM stock_move
                     WHERE state NOT IN ('done', 'cancel', 'draft') AND sale_line_id IS NOT NULL
                       AND procure_method = 'make_to_stock'
                  GROUP BY sale_line_id) open_moves ON open_moves.sale_line_id = l.id
             WHERE %(confirmed)s AND l.product_uom_qty > 0
            """,
            confirmed=self.env["sale.order.line"]._sales_confirmed_sql(),
            promised=promised,
            promised_day=company._sales_local_date_sql(promised),
            full_day=company._sales_local_date_sql(SQL("moves.full_date")),
            moves=self._moves_query(promised),
        )

    def _moves_query(self, promised):
        """Per order line, from its done moves in the line's unit: the outgoing quantity (to the customer), the part
        of it that left by the promised day, the first day one left, the moment they reached the ordered quantity,
        and the returned quantity (from the customer)."""
        company = self.env.company
        return SQL(
            """
            SELECT sale_line_id,
                   SUM(qty) FILTER (WHERE outgoing) AS qty_out,
                   SUM(qty) FILTER (WHERE outgoing AND day <= promised_day) AS qty_on_time,
                   MIN(day) FILTER (WHERE outgoing) AS first_day,
                   MIN(date) FILTER (WHERE outgoing AND running_out >= qty_ordered) AS full_date,
                   SUM(qty) FILTER (WHERE NOT outgoing) AS qty_returned
              FROM (SELECT m.sale_line_id, m.date, %(day)s AS day, %(promised_day)s AS promised_day,
                           dest.usage = 'customer' AS outgoing, l.product_uom_qty AS qty_ordered, mv_qty.qty,
                           SUM(CASE WHEN dest.usage = 'customer' THEN mv_qty.qty ELSE 0 END)
                               OVER (PARTITION BY m.sale_line_id ORDER BY m.date, m.id) AS running_out
                      FROM stock_move m
                      JOIN stock_location dest ON dest.id = m.location_dest_id
                      JOIN stock_location src ON src.id = m.location_id
                      JOIN sale_order_line l ON l.id = m.sale_line_id
                      JOIN sale_order o ON o.id = l.order_id
                      JOIN uom_uom move_uom ON move_uom.id = m.product_uom
                      JOIN uom_uom line_uom ON line_uom.id = l.product_uom
                      CROSS JOIN LATERAL (SELECT CASE WHEN m.product_uom = l.product_uom THEN m.quantity
                                             ELSE m.quantity / move_uom.factor * line_uom.factor END AS qty) mv_qty
                     WHERE m.state = 'done' AND (dest.usage = 'customer') <> (src.usage = 'customer')) move
          GROUP BY sale_line_id
            """,
            day=company._sales_local_date_sql(SQL("m.date")),
            promised_day=company._sales_local_date_sql(promised),
        )
