from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

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

    # ------------------------------------------------------------
    # REPLENISHMENT: the shortage raises Odoo's own replenishment (orderpoints, routes, purchase, manufacturing)
    # ------------------------------------------------------------

    def action_replenish(self):
        """Order what these shortages miss through Odoo's replenishment rules, then show them in the report."""
        orderpoints, archived = self._get_replenishment_orderpoints()
        no_route = orderpoints.filtered(lambda op: not op.rule_ids)
        to_order = (orderpoints - no_route).filtered(
            lambda op: float_compare(op.qty_to_order, 0, precision_rounding=op.product_uom.rounding) > 0
        )
        ordered, error = to_order._sales_replenish()
        # an automatic rule keeps Odoo's own quantity: the scheduler would order a manual one every night
        orderpoints.filtered(lambda op: op.trigger == "auto").action_remove_manual_qty_to_order()
        return self._replenishment_notification(orderpoints, ordered, no_route, error, archived)

    def action_open_replenishment(self):
        """Prepare Odoo's replenishment rules for these shortages and open the replenishment report on them."""
        orderpoints, archived = self._get_replenishment_orderpoints(report=True)
        action = self._get_replenishment_report_action(orderpoints)
        if not archived:
            return action
        no_route = self.env["stock.warehouse.orderpoint"]
        return self._replenishment_notification(orderpoints, [], no_route, False, archived)

    def _get_replenishment_orderpoints(self, report=False):
        """Create or update, per short product and warehouse, the orderpoint of the warehouse's stock so that
        its quantity to order covers what the shortage misses beyond the stock already on its way and the
        quantities Odoo counts in progress (requests for quotation, draft manufacturing orders...).

        A rule archived on purpose stays archived: its product is left out. With ``report`` (the rules are
        only shown), an automatic rule keeps Odoo's own quantity.

        :return: (the orderpoints (sudo), the archived orderpoints whose products are left out)
        """
        rows = self.filtered(lambda row: row.warehouse_id and row.product_id.is_storable)
        if not rows:
            raise UserError(_("Select products short of stock in a warehouse: only those can be replenished."))
        # sudo: a reservation manager raises the replenishment the shortage calls for, as Odoo's replenishment
        # report makes its own orderpoints whoever opens it
        orderpoint_model = self.env["stock.warehouse.orderpoint"].sudo().with_context(active_test=False)
        existing = orderpoint_model.search(
            [("product_id", "in", rows.product_id.ids), ("warehouse_id", "in", rows.warehouse_id.ids)],
            order="trigger desc, id",
        )
        orderpoints = archived = orderpoint_model.browse()
        for row in rows:
            location = row.warehouse_id.lot_stock_id
            mine = existing.filtered(
                lambda op, row=row: op.product_id == row.product_id and op.warehouse_id == row.warehouse_id
            )
            on_stock = mine.filtered(lambda op, location=location: op.location_id == location)
            orderpoint = on_stock.filtered("active")[:1] or mine.filtered("active")[:1]
            if not orderpoint and on_stock:
                archived |= on_stock
                continue
            if not orderpoint:
                orderpoint = orderpoint_model.create(row._prepare_orderpoint_vals())
                orderpoint._set_default_route_id()
                orderpoint.qty_multiple = orderpoint._get_qty_multiple_to_order()
            if orderpoint.snoozed_until:
                orderpoint.snoozed_until = False
            if not (report and orderpoint.trigger == "auto"):
                row._set_orderpoint_quantity(orderpoint)
            orderpoints |= orderpoint
        return orderpoints.with_context(active_test=True), archived

    def _prepare_orderpoint_vals(self):
        """A manual replenishment rule on the warehouse's stock, as Odoo's replenishment report makes them."""
        self.ensure_one()
        orderpoint_model = self.env["stock.warehouse.orderpoint"]
        return orderpoint_model._get_orderpoint_values(self.product_id.id, self.warehouse_id.lot_stock_id.id) | {
            "warehouse_id": self.warehouse_id.id,
            "company_id": self.company_id.id,
        }

    def _set_orderpoint_quantity(self, orderpoint):
        """Order at least what the shortage misses beyond what is on its way and what Odoo's orderpoint counts
        in progress (e.g. Purchase's requests for quotation); more when Odoo's forecast asks more."""
        self.ensure_one()
        # a negative quantity in progress is demand another module adds (a plan): not stock on its way
        in_progress = max(orderpoint._quantity_in_progress().get(orderpoint.id, 0.0), 0.0)
        missing = max(self.uncovered_qty - self.incoming_qty - in_progress, 0.0)
        rounding = orderpoint.product_uom.rounding
        if orderpoint.qty_multiple > 0:
            missing = float_round(missing / orderpoint.qty_multiple, precision_digits=0, rounding_method="UP")
            missing *= orderpoint.qty_multiple
        if float_compare(missing, orderpoint.qty_to_order, precision_rounding=rounding) > 0:
            orderpoint.qty_to_order_manual = missing

    def _replenishment_notification(self, orderpoints, ordered, no_route, error, archived):
        fmt = self.env["sales.formatter"]
        lines = []
        if archived:
            lines.append(
                _(
                    "Not replenished: the replenishment rule of %(products)s is archived. Restore it in Inventory > "
                    "Configuration > Reordering Rules (filter Archived) to replenish from the shortage.",
                    products=", ".join(archived.product_id.mapped("display_name")),
                )
            )
        if ordered:
            lines.append(
                _(
                    "Ordered: %(products)s.",
                    products=", ".join(
                        f"{product.display_name} ({fmt._quantity(qty, product.uom_id)})" for product, qty in ordered
                    ),
                )
            )
        if no_route:
            lines.append(
                _(
                    "No route can supply %(products)s: give the product a route (Buy with a vendor, Manufacture, or "
                    "resupply from another warehouse) or the warehouse a resupply warehouse; its replenishment "
                    "rule waits in the replenishment report.",
                    products=", ".join(no_route.product_id.mapped("display_name")),
                )
            )
        if error:
            lines.append(_("Odoo could not order: %(error)s The replenishment rules wait in the report.", error=error))
        if not lines:
            lines.append(
                _("Nothing to order: the stock on hand, on its way and already being ordered covers these deliveries.")
            )
        warn = bool(no_route or error or archived)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Replenishment"),
                "message": " ".join(lines),
                "type": "warning" if warn else "success",
                "sticky": warn,
                "next": self._get_replenishment_report_action(orderpoints),
            },
        }

    def _get_replenishment_report_action(self, orderpoints):
        """Odoo's replenishment report, on these orderpoints only."""
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_orderpoint_replenish")
        action["domain"] = [("id", "in", orderpoints.ids)]
        action["context"] = {"search_default_trigger": False}
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
