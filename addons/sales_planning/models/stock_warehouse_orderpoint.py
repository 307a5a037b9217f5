import operator as py_operator
from collections import defaultdict

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, frozendict

OPERATORS = {
    "=": py_operator.eq,
    "!=": py_operator.ne,
    ">": py_operator.gt,
    ">=": py_operator.ge,
    "<": py_operator.lt,
    "<=": py_operator.le,
}


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    sales_planned_demand = fields.Float(
        string="Planned Demand",
        digits="Product Unit of Measure",
        compute="_compute_sales_planned_demand",
        search="_search_sales_planned_demand",
        help="What the approved sales plan still expects to sell of the product in its periods up to the lead-days "
        "date, beyond what confirmed sale orders of those periods already ask for (they are in the forecast "
        "already). It lowers the forecast, so that the quantity to order covers the plan.",
    )
    sales_planned_demand_detail = fields.Text(
        string="Planned Demand From",
        compute="_compute_sales_planned_demand",
        help="The plan lines the planned demand comes from: per period, planned, already ordered, still to sell.",
    )

    def _compute_sales_planned_demand(self):
        demand = self._get_sales_planned_demand()
        formatter = self.env["sales.formatter"]
        for orderpoint in self:
            sources = demand.get(orderpoint.id, [])
            orderpoint.sales_planned_demand = sum(source["remaining"] for source in sources)
            orderpoint.sales_planned_demand_detail = "\n".join(
                self.env._(
                    "%(plan)s, %(period)s: planned %(planned)s, ordered %(ordered)s, still to sell %(remaining)s",
                    plan=source["plan"].name,
                    period=source["period"],
                    planned=formatter._quantity(source["planned"], orderpoint.product_uom),
                    ordered=formatter._quantity(source["ordered"], orderpoint.product_uom),
                    remaining=formatter._quantity(source["remaining"], orderpoint.product_uom),
                )
                for source in sources
            )

    def _search_sales_planned_demand(self, operator, value):
        if operator not in ("=", "!=", ">", ">=", "<", "<=") or not isinstance(value, (int, float)):
            raise UserError(_("Planned Demand can only be compared with a number."))
        # the figure exists only where plans feed replenishment: computed there, as Odoo searches its To Order
        fed = self.search([("company_id.sales_plan_feeds_replenishment", "=", True)])
        matched = fed.filtered_domain([("sales_planned_demand", operator, value)])
        if not OPERATORS[operator](0.0, value):
            return [("id", "in", matched.ids)]
        return ["|", ("id", "in", matched.ids), ("id", "not in", fed.ids)]

    def _compute_qty_to_order_computed(self):
        # Odoo asks the quantity in progress again rule by rule where it is 0: answer from the batch's figures
        computed = self.filtered(lambda op: op.product_id and op.location_id)._quantity_in_progress()
        return super(
            StockWarehouseOrderpoint, self.with_context(sales_quantity_in_progress=frozendict(computed))
        )._compute_qty_to_order_computed()

    def _quantity_in_progress(self):
        """The planned demand still to come is counted like an outgoing quantity: the forecast, and with it the
        quantity to order, include it."""
        known = self.env.context.get("sales_quantity_in_progress")
        if known is not None and all(orderpoint_id in known for orderpoint_id in self.ids):
            return {orderpoint_id: known[orderpoint_id] for orderpoint_id in self.ids}
        res = super()._quantity_in_progress()
        for orderpoint_id, sources in self._get_sales_planned_demand().items():
            res[orderpoint_id] = res.get(orderpoint_id, 0.0) - sum(source["remaining"] for source in sources)
        return res

    @api.model
    def _get_orderpoint_action(self):
        """Odoo's replenishment report also lists the products whose approved plan asks for more than the stock
        will hold, with a manual rule as it makes for the products short of stock."""
        action = super()._get_orderpoint_action()
        companies = self.env.companies.filtered("sales_plan_feeds_replenishment")
        if companies:
            products = self._get_sales_plan_products(companies)
            for company in companies:
                short = self._get_sales_plan_short_products(company, products[company])
                created = self._create_sales_plan_orderpoints(company, short)
                # only the rules with something to order stay, as Odoo keeps its own manual ones
                created.filtered(lambda op: op.qty_to_order <= 0).with_user(SUPERUSER_ID).unlink()
        return action

    def action_view_sales_planned_demand(self):
        self.ensure_one()
        lines = self.env["sales.plan.line"].browse(
            line_id for source in self._get_sales_planned_demand().get(self.id, []) for line_id in source["line_ids"]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_planning.sales_plan_line_action")
        action["name"] = _("Planned Demand of %(product)s", product=self.product_id.display_name)
        action["domain"] = [("id", "in", lines.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------
    # Planned demand
    # ------------------------------------------------------------

    def _get_sales_planned_demand(self):
        """The demand of approved plans per orderpoint, in the product's unit, for the orderpoints on the stock
        location of their company's main warehouse, in companies where plans feed replenishment.

        Per company, product and period one plan counts, the last approved of those planning the product in
        periods overlapping it; its lines of the product with no breakdown
        below them count when their period has started by the orderpoint's lead-days date and has not ended. The
        confirmed sales of the product in a line's period are already in Odoo's forecast: only the rest counts.

        :return: {orderpoint id: [{plan, date_from, date_to, period, planned, ordered, remaining, line_ids}]}
        """
        orderpoints = self._get_sales_planned_demand_orderpoints()
        if not orderpoints:
            return {}
        today = fields.Date.today()
        sources = self._read_sales_plan_quantities(
            orderpoints.company_id, orderpoints.product_id, today, max(orderpoints.mapped("lead_days_date"))
        )
        self._add_sales_ordered_quantities(sources)
        demand = defaultdict(list)
        for orderpoint in orderpoints:
            for source in sources.get((orderpoint.company_id.id, orderpoint.product_id.id), []):
                if source["date_from"] <= orderpoint.lead_days_date:
                    demand[orderpoint.id].append(source)
        return demand

    def _get_sales_planned_demand_orderpoints(self):
        """The orderpoints plans feed: on the stock location of the company's main warehouse (plans have no
        warehouse), in a company that lets plans feed replenishment."""
        orderpoints = self.filtered(
            lambda op: (
                op.company_id.sales_plan_feeds_replenishment
                and op.id
                and op.product_id
                and op.location_id
                and op.lead_days_date
            )
        )
        if not orderpoints:
            return orderpoints
        main_locations = self._get_sales_plan_locations(orderpoints.company_id)
        return orderpoints.filtered(lambda op: op.location_id == main_locations.get(op.company_id))

    @api.model
    def _get_sales_plan_locations(self, companies):
        """{company: the stock location of its main warehouse (the first by sequence)}: where plans' demand goes."""
        locations = {}
        # the warehouses of the plans' companies, whoever reads the report: the location is where demand is counted
        for warehouse in self.env["stock.warehouse"].sudo().search([("company_id", "in", companies.ids)]):
            locations.setdefault(warehouse.company_id, warehouse.lot_stock_id)
        return locations

    @api.model
    def _get_sales_plan_products(self, companies):
        """{company: the storable products its approved plans still have quantities of}: one grouped read."""
        # which products are planned, whoever opens the report: the report shows stock figures only
        groups = (
            self.env["sales.plan.line"]
            .sudo()
            ._read_group(
                [
                    ("plan_id.state", "=", "approved"),
                    ("company_id", "in", companies.ids),
                    ("product_id", "!=", False),
                    ("child_ids", "=", False),
                    ("target_qty", ">", 0),
                    ("date_to", ">=", fields.Date.today()),
                ],
                ["company_id"],
                ["product_id:recordset"],
            )
        )
        products = defaultdict(lambda: self.env["product.product"])
        for company, company_products in groups:
            products[company] = company_products.sudo(False).filtered("is_storable")
        return products

    @api.model
    def _create_sales_plan_orderpoints(self, company, products):
        """Manual reordering rules, as the replenishment report makes them, for the ``products`` without one on
        the stock of the company's main warehouse; return them."""
        location = self._get_sales_plan_locations(company).get(company)
        if not location or not products:
            return self.browse()
        existing = self.with_context(active_test=False).search(
            [("product_id", "in", products.ids), ("location_id", "=", location.id)]
        )
        vals_list = []
        for product in products - existing.product_id:
            vals = self._get_orderpoint_values(product.id, location.id)
            vals.update(name=_("Replenishment Report"), warehouse_id=location.warehouse_id.id, company_id=company.id)
            vals_list.append(vals)
        # made as Odoo's report makes its manual rules: it removes them once nothing is left to order
        orderpoints = self.with_user(SUPERUSER_ID).with_company(company).create(vals_list).with_user(self.env.user)
        orderpoints._set_default_route_id()
        for orderpoint in orderpoints:
            orderpoint.qty_multiple = orderpoint._get_qty_multiple_to_order()
        return orderpoints

    @api.model
    def _get_sales_plan_short_products(self, company, products):
        """The ``products`` without a rule on the stock of the company's main warehouse whose forecast there (all
        moves, as Odoo's report first checks its own products) does not cover what the plans still expect to
        sell in periods not yet over: only those may need a new rule. A few grouped reads for all products."""
        location = self._get_sales_plan_locations(company).get(company)
        if not location or not products:
            return products.browse()
        products -= (
            self.with_context(active_test=False)
            .search([("product_id", "in", products.ids), ("location_id", "=", location.id)])
            .product_id
        )
        if not products:
            return products
        sources = self._read_sales_plan_quantities(company, products, fields.Date.today())
        self._add_sales_ordered_quantities(sources)
        forecast = {
            row["id"]: row["virtual_available"]
            for row in products.with_context(location=location.id).read(["virtual_available"])
        }
        short_ids = []
        for product in products:
            planned = sum(source["remaining"] for source in sources.get((company.id, product.id), []))
            if float_compare(forecast[product.id], planned, precision_rounding=product.uom_id.rounding) < 0:
                short_ids.append(product.id)
        return products.browse(short_ids)

    @api.model
    def _read_sales_plan_quantities(self, companies, products, date_from, date_to=None):
        """The planned quantities of the ``products`` in periods from ``date_from`` to ``date_to`` (or all to
        come), in the product's unit: {(company id, product id): [source]}. Per company, product and period one
        plan counts: the last approved of those planning the product in overlapping periods (a plan for next
        year takes over from its first period, the rest of this year's plan still counts)."""
        # the warehouse reads the plans' quantities, not the plans: no access to sales plans is needed for it
        groups = (
            self.env["sales.plan.line"]
            .sudo()
            ._read_group(
                [
                    ("plan_id.state", "=", "approved"),
                    ("company_id", "in", companies.ids),
                    ("product_id", "in", products.ids),
                    ("child_ids", "=", False),
                    ("target_qty", ">", 0),
                    ("date_to", ">=", date_from),
                ],
                ["company_id", "product_id", "plan_id", "period_type", "date_from:day", "date_to:day"],
                ["target_qty:sum", "id:array_agg"],
            )
        )
        sources = defaultdict(list)
        for company, product, plan, period_type, start, end, qty, line_ids in self._latest_sales_plan_rows(groups):
            unit = plan.uom_id or product.uom_id
            if (date_to and start > date_to) or unit.category_id != product.uom_id.category_id:
                continue
            sources[(company.id, product.id)].append(
                {
                    "plan": plan,
                    "company": company,
                    "product": product,
                    "date_from": start,
                    "date_to": end,
                    "period": self.env["sales.plan.line"]._format_period(period_type, start, plan),
                    "planned": unit._compute_quantity(qty, product.uom_id, round=False),
                    "ordered": 0.0,
                    "remaining": 0.0,
                    "line_ids": line_ids,
                }
            )
        return sources

    @api.model
    def _latest_sales_plan_rows(self, groups):
        """Of the grouped plan rows, those no later approved plan overrides: a row is dropped where a plan
        approved after its own plans the same company and product in an overlapping period."""
        by_product = defaultdict(list)
        for row in groups:
            by_product[(row[0], row[1])].append(row)

        def recency(plan):
            return (plan.approved_date or plan.create_date, plan.id)

        for rows in by_product.values():
            for row in rows:
                plan, start, end = row[2], row[4], row[5]
                if not any(
                    recency(other[2]) > recency(plan) and other[4] <= end and other[5] >= start for other in rows
                ):
                    yield row

    @api.model
    def _add_sales_ordered_quantities(self, sources):
        """Set on each source the quantity of its product confirmed sale orders ordered in its period (order
        dates in the company's time zone, as plans count them) and what remains of the plan: one query per
        company."""
        by_company = defaultdict(list)
        for company_sources in sources.values():
            for source in company_sources:
                by_company[source["company"]].append(source)
        History = self.env["sales.history"]
        self.env["sale.order.line"].flush_model(["order_id", "product_id", "product_uom_qty", "product_uom"])
        self.env["sale.order"].flush_model(["date_order", "state", "company_id"])
        for company, company_sources in by_company.items():
            bounds = [History._get_utc_bounds(company, s["date_from"], s["date_to"]) for s in company_sources]
            ordered = dict(
                self.env.execute_query(
                    SQL(
                        """
                SELECT p.idx, SUM(l.product_uom_qty / lu.factor * pu.factor)
                  FROM unnest(%(idx)s::int[], %(products)s::int[], %(starts)s::timestamp[], %(ends)s::timestamp[])
                       AS p(idx, product_id, date_start, date_end)
                  JOIN sale_order_line l ON l.product_id = p.product_id
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN uom_uom lu ON lu.id = l.product_uom
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                 WHERE %(confirmed)s AND o.company_id = %(company)s
                   AND o.date_order >= p.date_start AND o.date_order < p.date_end
                   AND lu.category_id = pu.category_id
              GROUP BY p.idx
                        """,
                        idx=list(range(len(company_sources))),
                        products=[source["product"].id for source in company_sources],
                        starts=[start for start, _end in bounds],
                        ends=[end for _start, end in bounds],
                        confirmed=self.env["sale.order.line"]._sales_confirmed_sql(),
                        company=company.id,
                    )
                )
            )
            for idx, source in enumerate(company_sources):
                source["ordered"] = float(ordered.get(idx) or 0.0)
                rest = source["planned"] - source["ordered"]
                rounding = source["product"].uom_id.rounding
                source["remaining"] = rest if float_compare(rest, 0.0, precision_rounding=rounding) > 0 else 0.0
