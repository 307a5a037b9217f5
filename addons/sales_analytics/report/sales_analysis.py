from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.sales_base.models.sales_grading import GRADES


class SalesAnalysis(models.Model):
    """One row per confirmed order line, amounts in the current company's currency.

    Unlike sale.report, the view does not aggregate: grouped reads aggregate once, over plain rows,
    which keeps them fast on millions of lines. Amounts of companies in another currency are converted as
    sale.report converts them, with Odoo's currency table; when all the selected companies share one currency,
    there is nothing to convert and no join.
    """

    _name = "sales.analysis"
    _description = "Sales Analysis"
    _auto = False
    _rec_name = "order_id"
    _order = "date desc, id desc"
    _depends = {
        "sale.order": ["date_order", "state", "partner_id", "user_id", "team_id", "company_id", "currency_rate"],
        "sale.order.line": [
            "order_id",
            "product_id",
            "product_uom_qty",
            "qty_delivered",
            "qty_invoiced",
            "price_subtotal",
            "price_reduce_taxexcl",
            "untaxed_amount_invoiced",
            "untaxed_amount_to_invoice",
            "display_type",
            "product_uom",
        ],
        "res.partner": [
            *("commercial_partner_id", "customer_tier_id", "sales_region_id", "country_id", "state_id"),
            "sales_grade",
        ],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["categ_id", "sales_grade"],
        "uom.uom": ["factor"],
        "res.company": ["currency_id"],
        "res.currency.rate": ["rate", "name", "company_id"],
    }

    # dimensions
    date = fields.Datetime("Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Line", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_tier_id = fields.Many2one("sales.customer.tier", readonly=True)
    sales_region_id = fields.Many2one("sales.region", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", readonly=True)
    # the customer's and product's ABC grade today, in the line's company (sales_base's grading)
    customer_grade = fields.Selection(GRADES, readonly=True)
    product_grade = fields.Selection(GRADES, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True, help="The current company's currency.")

    # measures
    qty_ordered = fields.Float(digits="Product Unit of Measure", readonly=True)
    qty_delivered = fields.Float(digits="Product Unit of Measure", readonly=True)
    qty_invoiced = fields.Float(digits="Product Unit of Measure", readonly=True)
    amount_ordered = fields.Monetary("Ordered", readonly=True)
    amount_delivered = fields.Monetary("Delivered", readonly=True)
    amount_invoiced = fields.Monetary("Invoiced", readonly=True)
    amount_to_deliver = fields.Monetary("To Deliver", readonly=True)
    amount_to_invoice = fields.Monetary("To Invoice", readonly=True)
    order_count = fields.Integer(
        "Orders", aggregator="count_distinct", readonly=True, help="Number of orders: counts each order once."
    )
    margin = fields.Monetary(readonly=True, help="Ordered amount less the products' cost, where the cost is known.")

    # ------------------------------------------------------------
    # QUERY
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        if grain := self.env.context.get("sales_analysis_total"):
            return self.env["sales.analysis.total"]._total_query(grain)
        return SQL("SELECT %s FROM %s WHERE %s", self._select(), self._from(), self._where())

    def init(self):
        self.env["sales.analysis.total"]._build()

    # ------------------------------------------------------------
    # GROUPED READS: from the totals when they answer exactly
    # ------------------------------------------------------------

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        grain = self.env["sales.analysis.total"]._grain_for(self, domain, groupby, aggregates, having, order)
        if not grain:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        totals = self.with_context(sales_analysis_total=grain)
        rows = super(SalesAnalysis, totals)._read_group(domain, groupby, aggregates, having, offset, limit, order)
        # the groups' records in the caller's environment: the context that reads the totals stays here
        return [
            tuple(value.with_env(self.env) if isinstance(value, models.BaseModel) else value for value in row)
            for row in rows
        ]

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "__count" and self.env.context.get("sales_analysis_total"):
            return SQL("COALESCE(SUM(%s), 0)::int", SQL.identifier(self._table, "line_count"))
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_having(self, having_domain, query):
        if self.env.context.get("sales_analysis_total"):
            # a key whose lines are all gone (cancelled, say) keeps a total of zeros: no group, as without totals
            return SQL("SUM(%s) <> 0", SQL.identifier(self._table, "line_count"))
        return super()._read_group_having(having_domain, query)

    @api.model
    def _company_amounts(self):
        """{measure: SQL} of the amounts over a line ``l`` and its order ``o``, in the currency of the order's
        company, at the order's rate; the analysis's totals keep their sums."""
        own_company = self.env["sale.order.line"]._sales_company_amount_sql
        return {
            "amount_ordered": own_company(SQL("l.price_subtotal")),
            "amount_delivered": own_company(SQL("l.qty_delivered * l.price_reduce_taxexcl")),
            "amount_invoiced": own_company(SQL("l.untaxed_amount_invoiced")),
            "amount_to_deliver": own_company(
                SQL("GREATEST(l.product_uom_qty - l.qty_delivered, 0) * l.price_reduce_taxexcl")
            ),
            "amount_to_invoice": own_company(SQL("l.untaxed_amount_to_invoice")),
        }

    @api.model
    def _select(self):
        # the order's currency to its company's, then to the current company's where the selected companies differ
        _join, to_current = self.env["res.company"]._sales_currency_table_sql(SQL("o.company_id"))
        # quantities in the product's unit, like sale.report
        to_product_uom = SQL("/ line_uom.factor * product_uom.factor")
        fields_sql = {
            "id": SQL("l.id"),
            "date": SQL("o.date_order"),
            "order_id": SQL("l.order_id"),
            "product_id": SQL("l.product_id"),
            "product_tmpl_id": SQL("p.product_tmpl_id"),
            "categ_id": SQL("t.categ_id"),
            "partner_id": SQL("partner.commercial_partner_id"),
            "customer_tier_id": SQL("customer.customer_tier_id"),
            "sales_region_id": SQL("customer.sales_region_id"),
            "country_id": SQL("customer.country_id"),
            "state_id": SQL("customer.state_id"),
            "customer_grade": self._customer_grade_sql(),
            "product_grade": SQL("t.sales_grade ->> o.company_id::text"),
            "user_id": SQL("o.user_id"),
            "team_id": SQL("o.team_id"),
            "company_id": SQL("o.company_id"),
            "currency_id": SQL("%s", self.env.company.currency_id.id),
            "qty_ordered": SQL("l.product_uom_qty %s", to_product_uom),
            "qty_delivered": SQL("l.qty_delivered %s", to_product_uom),
            "qty_invoiced": SQL("l.qty_invoiced %s", to_product_uom),
            **{name: SQL("%s %s", amount, to_current) for name, amount in self._company_amounts().items()},
            "order_count": SQL("l.order_id"),
            # the cost is company-dependent (jsonb per company); no cost, no margin
            "margin": SQL("%s %s", self.env["sale.order.line"]._sales_company_margin_sql(), to_current),
        }
        fields_sql.update(self._select_additional_fields())
        return SQL(", ").join(SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in fields_sql.items())

    @api.model
    def _customer_grade_sql(self):
        """SQL: the ABC grade of the ``customer`` of rows of company ``o.company_id`` (the lines or the totals)."""
        return SQL("customer.sales_grade ->> o.company_id::text")

    @api.model
    def _select_additional_fields(self):
        """Hook: {field name: SQL expression} for fields that other addons add to the analysis."""
        return {}

    @api.model
    def _from(self):
        currency_table, _factor = self.env["res.company"]._sales_currency_table_sql(SQL("o.company_id"))
        # Every dimension's table is a LEFT JOIN on its primary key: PostgreSQL drops such a join when a read uses
        # none of its columns, so a grouped read pays only for what it groups by and sums. The rows are the same
        # as with inner joins: an order has a customer, and a product line has a product and a unit (Odoo's
        # constraint on sale_order_line), each never deleted while referenced.
        return SQL(
            """
            sale_order_line l
            JOIN sale_order o ON o.id = l.order_id
            LEFT JOIN res_partner partner ON partner.id = o.partner_id
            LEFT JOIN res_partner customer ON customer.id = partner.commercial_partner_id
            LEFT JOIN product_product p ON p.id = l.product_id
            LEFT JOIN product_template t ON t.id = p.product_tmpl_id
            LEFT JOIN uom_uom line_uom ON line_uom.id = l.product_uom
            LEFT JOIN uom_uom product_uom ON product_uom.id = t.uom_id
            %s
            """,
            currency_table,
        )

    @api.model
    def _where(self):
        return self.env["sale.order.line"]._sales_confirmed_sql()
