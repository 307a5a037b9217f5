import hashlib
import re

import pytz

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL

# The totals of the analysis, one table per grain: per company, local month, salesperson, team and customer, and
# per company, local month, salesperson, team and product line. A customer's tier, region, country, state and ABC
# grade are read from the customer at read time, so changing them (or grading again) needs no upkeep. A product's
# grade varies within a product line: grouped by it, the analysis reads the lines.
GRAINS = {
    "category": {"key": "categ_id", "sql": "t.categ_id"},
    "customer": {"key": "partner_id", "sql": "partner.commercial_partner_id"},
}
# the fields of the analysis each grain answers for
GRAIN_FIELDS = {
    "category": {"company_id", "currency_id", "date", "user_id", "team_id", "categ_id"},
    "customer": {
        *("company_id", "currency_id", "date", "user_id", "team_id", "partner_id"),
        *("customer_tier_id", "sales_region_id", "country_id", "state_id"),
        "customer_grade",
    },
}
# the date's groupings a monthly total answers exactly (in its own time zone)
MONTHLY_GRANULARITIES = {"month", "quarter", "year", "month_number", "quarter_number", "year_number"}
TZ_PATTERN = re.compile(r"^[A-Za-z0-9_/+-]+$")
# the statements on the tables the totals depend on, each with a trigger
TRIGGERS = [
    ("sale_order_line", "INSERT"),
    ("sale_order_line", "DELETE"),
    ("sale_order_line", "UPDATE"),
    ("sale_order", "UPDATE"),
    ("res_partner", "UPDATE"),
    ("product_template", "UPDATE"),
]


class SalesAnalysisTotal(models.AbstractModel):
    """Exact sums of the analysis's lines, kept in the transaction that changes the lines.

    A grouped read of ten million lines takes seconds however lean its query; the same read over the totals,
    about a month's lines of a customer (or of a product line and salesperson) in one row, takes a fraction of it.
    PostgreSQL triggers on the lines, the orders, the customers' companies and the products' lines add each
    change as a delta row (old contribution subtracted, new added): no row is updated, so concurrent
    confirmations never wait on each other, and every path reaches them (the ORM's recomputations of delivered and
    invoiced quantities, other addons' SQL), which overrides of ``write`` would miss. A daily job merges the deltas.
    The months are those of one time zone (the main company's when the totals were built); a grouped read in
    another time zone, by day or week, on a date that is not a month's start or on a field the totals do not keep
    reads the lines, as before.
    """

    _name = "sales.analysis.total"
    _description = "Sales Analysis Totals"

    @api.model
    def _measures(self):
        return self.env["sales.analysis"]._company_amounts()

    @api.model
    def _tz(self, default="UTC"):
        return self.env["ir.config_parameter"].sudo().get_param("sales_analytics.totals_tz") or default

    @api.model
    def _month_sql(self, tz):
        """SQL: the UTC moment (naive) the local month of the order ``o`` starts at, in ``tz``."""
        return SQL(
            "timezone('UTC', timezone(%s, date_trunc('month', timezone(%s, timezone('UTC', o.date_order)))))", tz, tz
        )

    @api.model
    def _total_table(self, grain):
        return SQL.identifier(f"sales_analysis_total_{grain}")

    @api.model
    def _total_columns(self, grain):
        return ["company_id", "date", "user_id", "team_id", GRAINS[grain]["key"], "line_count", *self._measures()]

    @api.model
    def _contribution(self, grain, sign, tz, lines, orders, partners=None, templates=None):
        """SQL: the rows of ``lines`` (a FROM item, alias l) of confirmed ``orders``, summed per key of ``grain``,
        times ``sign``; ``partners`` and ``templates`` stand for res_partner and product_template when given."""
        if grain == "customer":
            joins = SQL("JOIN %s partner ON partner.id = o.partner_id", partners or SQL("res_partner"))
        else:
            joins = SQL(
                "JOIN product_product p ON p.id = l.product_id JOIN %s t ON t.id = p.product_tmpl_id",
                templates or SQL("product_template"),
            )
        keys = [SQL("o.company_id"), self._month_sql(tz), SQL("o.user_id"), SQL("o.team_id"), SQL(GRAINS[grain]["sql"])]
        sums = [SQL("%s * COUNT(*)", sign)] + [
            # a line's amount not computed yet counts as nothing, as in the lines' sums: no NULL in the totals
            SQL("%s * COALESCE(SUM(%s), 0)", sign, m)
            for m in self._measures().values()
        ]
        return SQL(
            "SELECT %s, %s FROM %s l JOIN %s o ON o.id = l.order_id %s WHERE %s GROUP BY %s",
            SQL(", ").join(keys),
            SQL(", ").join(sums),
            lines,
            orders,
            joins,
            self.env["sale.order.line"]._sales_confirmed_sql(),
            SQL("1, 2, 3, 4, 5"),
        )

    @api.model
    def _add_delta(self, grain, tz, *contributions):
        """SQL: add the net of ``contributions`` to the totals of ``grain`` (nothing where they cancel out)."""
        columns = SQL(", ").join(map(SQL.identifier, self._total_columns(grain)))
        return self._insert_net(grain, SQL("(%s) d (%s)", SQL(" UNION ALL ").join(contributions), columns))

    @api.model
    def _insert_net(self, grain, rows, prefix=None):
        """SQL: insert into the totals of ``grain`` the sums per key of ``rows`` (a FROM item with the totals'
        columns), leaving out the keys whose sums are all zero; ``prefix`` is a WITH clause ``rows`` reads."""
        columns = self._total_columns(grain)
        keys = SQL(", ").join(map(SQL.identifier, columns[:5]))
        sums = columns[5:]
        return SQL(
            "%s INSERT INTO %s (%s) SELECT %s, %s FROM %s GROUP BY %s HAVING %s",
            prefix or SQL(),
            self._total_table(grain),
            SQL(", ").join(map(SQL.identifier, columns)),
            keys,
            SQL(", ").join(SQL("SUM(%s)", SQL.identifier(name)) for name in sums),
            rows,
            keys,
            SQL(" OR ").join(SQL("SUM(%s) <> 0", SQL.identifier(name)) for name in sums),
        )

    # ------------------------------------------------------------
    # TRIGGERS
    # ------------------------------------------------------------

    @api.model
    def _changed(self, columns):
        """SQL: the ids of the rows of the statement whose ``columns`` changed."""
        return SQL(
            "(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (%s) IS DISTINCT FROM (%s))",
            SQL(", ").join(SQL.identifier("o", c) for c in columns),
            SQL(", ").join(SQL.identifier("n", c) for c in columns),
        )

    @api.model
    def _trigger_bodies(self, tz):
        """{(table, event): [SQL statement]}: what each statement on the tables the totals depend on runs."""
        depends = self.env["sales.analysis"]._depends
        line_changed = self._changed(depends["sale.order.line"])
        order_changed = self._changed(depends["sale.order"])
        partner_changed = self._changed(["commercial_partner_id"])
        template_changed = self._changed(["categ_id"])

        def rows(transition, changed):
            return SQL("(SELECT r.* FROM %s r WHERE r.id IN %s)", SQL(transition), changed)

        order_lines = SQL("(SELECT * FROM sale_order_line WHERE order_id IN %s)", order_changed)
        partner_lines = SQL(
            "(SELECT l.* FROM sale_order_line l JOIN sale_order so ON so.id = l.order_id WHERE so.partner_id IN %s)",
            partner_changed,
        )
        template_lines = SQL(
            """(SELECT l.* FROM sale_order_line l JOIN product_product pp ON pp.id = l.product_id
                WHERE pp.product_tmpl_id IN %s)""",
            template_changed,
        )
        orders = SQL("sale_order")
        bodies = {}
        for grain in GRAINS:
            delta = self._add_delta
            add = self._contribution
            bodies.setdefault(("sale_order_line", "INSERT"), []).append(
                delta(grain, tz, add(grain, 1, tz, SQL("new_rows"), orders))
            )
            bodies.setdefault(("sale_order_line", "DELETE"), []).append(
                delta(grain, tz, add(grain, -1, tz, SQL("old_rows"), orders))
            )
            bodies.setdefault(("sale_order_line", "UPDATE"), []).append(
                delta(
                    grain,
                    tz,
                    add(grain, -1, tz, rows("old_rows", line_changed), orders),
                    add(grain, 1, tz, rows("new_rows", line_changed), orders),
                )
            )
            bodies.setdefault(("sale_order", "UPDATE"), []).append(
                delta(
                    grain,
                    tz,
                    add(grain, -1, tz, order_lines, rows("old_rows", order_changed)),
                    add(grain, 1, tz, order_lines, rows("new_rows", order_changed)),
                )
            )
        bodies[("res_partner", "UPDATE")] = [
            self._add_delta(
                "customer",
                tz,
                self._contribution("customer", -1, tz, partner_lines, orders, rows("old_rows", partner_changed)),
                self._contribution("customer", 1, tz, partner_lines, orders, rows("new_rows", partner_changed)),
            )
        ]
        bodies[("product_template", "UPDATE")] = [
            self._add_delta(
                "category",
                tz,
                self._contribution(
                    "category", -1, tz, template_lines, orders, templates=rows("old_rows", template_changed)
                ),
                self._contribution(
                    "category", 1, tz, template_lines, orders, templates=rows("new_rows", template_changed)
                ),
            )
        ]
        return bodies

    @api.model
    def _definition(self, tz):
        """(DDL statements, signature): the tables, functions and triggers of the totals in ``tz``."""
        assert tz in pytz.all_timezones_set and TZ_PATTERN.match(tz), tz
        cr = self.env.cr
        statements = []
        for grain in GRAINS:
            columns = ", ".join(
                f"{name} {'bigint' if name == 'line_count' else 'numeric' if name.startswith('amount') else 'int4'}"
                for name in self._total_columns(grain)
                if name != "date"
            )
            statements.append(f"CREATE TABLE sales_analysis_total_{grain} (date timestamp, {columns})")
        for (table, event), body in self._trigger_bodies(tz).items():
            name = f"sales_analysis_total_{table}_{event.lower()}"
            code = ";\n".join(cr.mogrify(statement.code, statement.params).decode() for statement in body)
            transitions = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
                event, "OLD TABLE AS old_rows NEW TABLE AS new_rows"
            )
            statements.append(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
                f"BEGIN\n{code};\nRETURN NULL;\nEND\n$body$"
            )
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transitions} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        return statements, hashlib.sha1("\n".join(statements).encode()).hexdigest()

    # ------------------------------------------------------------
    # UPKEEP
    # ------------------------------------------------------------

    @api.model
    def _build(self, tz=None):
        """(Re)create the totals in ``tz`` (by default the one they have, at first the main company's) and fill them
        from the lines, unless they exist with this very definition. Run on install and update of the addon, and when
        the time zone changes."""
        params = self.env["ir.config_parameter"].sudo()
        tz = tz or self._tz(default=self._default_tz())
        statements, signature = self._definition(tz)
        if params.get_param("sales_analytics.totals_signature") == signature and self._totals_exist():
            return
        self._drop()
        for statement in statements:
            self.env.cr.execute(statement)
        for grain in GRAINS:
            self.env.cr.execute(self._fill(grain, tz))
        params.set_param("sales_analytics.totals_tz", tz)
        params.set_param("sales_analytics.totals_signature", signature)

    @api.model
    def _default_tz(self):
        tz = self.env.ref("base.main_company").partner_id.tz or self.env.ref("base.user_admin").tz
        return tz if tz in pytz.all_timezones_set and TZ_PATTERN.match(tz) else "UTC"

    @api.model
    def _totals_exist(self):
        self.env.cr.execute("SELECT to_regclass('sales_analysis_total_customer') IS NOT NULL")
        return self.env.cr.fetchone()[0]

    @api.model
    def _fill(self, grain, tz):
        columns = self._total_columns(grain)
        return SQL(
            "INSERT INTO %s (%s) %s",
            self._total_table(grain),
            SQL(", ").join(map(SQL.identifier, columns)),
            self._contribution(grain, 1, tz, SQL("sale_order_line"), SQL("sale_order")),
        )

    @api.model
    def _drop(self):
        """Remove the totals' triggers, functions, tables and parameters (uninstall, rebuild)."""
        self.env["ir.config_parameter"].sudo().search([("key", "=like", "sales_analytics.totals_%")]).unlink()
        for table, event in TRIGGERS:
            name = f"sales_analysis_total_{table}_{event.lower()}"
            self.env.cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(name), SQL.identifier(table)))
            self.env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(name)))
        for grain in GRAINS:
            self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", self._total_table(grain)))

    @api.model
    def _cron_compact(self):
        """Merge each key's delta rows into one (the totals stay the same: concurrent changes add rows this leaves
        alone); a key whose lines are all gone leaves no row."""
        for grain in GRAINS:
            gone = SQL("WITH gone AS (DELETE FROM %s RETURNING *)", self._total_table(grain))
            self.env.cr.execute(self._insert_net(grain, SQL("gone"), prefix=gone))

    @api.model
    def _differences(self):
        """{grain: number of keys whose totals differ from the lines'}: the check of the benchmark and the tests."""
        tz = self._tz()
        result = {}
        for grain in GRAINS:
            columns = self._total_columns(grain)
            keys, sums = columns[:5], columns[5:]
            kept = SQL(
                "SELECT %s, %s FROM %s GROUP BY %s HAVING SUM(line_count) <> 0",
                SQL(", ").join(map(SQL.identifier, keys)),
                SQL(", ").join(SQL("SUM(%s)", SQL.identifier(name)) for name in sums),
                self._total_table(grain),
                SQL(", ").join(map(SQL.identifier, keys)),
            )
            lines = self._contribution(grain, 1, tz, SQL("sale_order_line"), SQL("sale_order"))
            self.env.cr.execute(
                SQL("SELECT COUNT(*) FROM ((%s EXCEPT %s) UNION ALL (%s EXCEPT %s)) d", kept, lines, lines, kept)
            )
            result[grain] = self.env.cr.fetchone()[0]
        return result

    # ------------------------------------------------------------
    # READ
    # ------------------------------------------------------------

    @api.model
    def _grain_for(self, analysis, domain, groupby, aggregates, having, order):
        """The grain whose totals answer this grouped read of ``analysis`` exactly, or None to read the lines."""
        # the signature is there while the totals are (a cached parameter: no query per read)
        params = self.env["ir.config_parameter"].sudo()
        if (
            having
            or not params.get_param("sales_analytics.totals_signature")
            or self.env.context.get("sales_analysis_lines")
        ):
            return None
        # Odoo groups dates in the context's time zone, else in UTC
        context_tz = self.env.context.get("tz")
        tz = self._tz()
        if (context_tz if context_tz in pytz.all_timezones_set else "UTC") != tz:
            return None
        measures = {f"{name}:sum" for name in self._measures()}
        if any(spec != "__count" and spec not in measures for spec in aggregates):
            return None
        used = set()
        for spec in groupby:
            name, _dot, granularity = spec.partition(":")
            if name == "date" and granularity not in MONTHLY_GRANULARITIES:
                return None
            used.add(name)
        rules = self.env["ir.rule"]._compute_domain(analysis._name, "read") or []
        for leaf in [*domain, *rules]:
            if not expression.is_leaf(leaf) or not isinstance(leaf[0], str):
                continue
            name = leaf[0].split(".")[0]
            if name == "date" and not self._month_bound(leaf, tz):
                return None
            used.add(name)
        if order:
            allowed = set(groupby) | set(aggregates)
            for term in order.split(","):
                if term.strip().split(" ")[0] not in allowed:
                    return None
        return next((grain for grain, fields in GRAIN_FIELDS.items() if used <= fields), None)

    @api.model
    def _month_bound(self, leaf, tz):
        """Whether a condition on the date holds alike for every line of a month in ``tz``: from or before the
        start of a month."""
        _name, operator, value = leaf
        if operator not in (">=", "<") or not value:
            return False
        try:
            moment = self.env["sales.analysis"]._fields["date"].to_datetime(value)
        except (TypeError, ValueError):
            return False
        local = pytz.utc.localize(moment).astimezone(pytz.timezone(tz))
        return local.day == 1 and (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)

    @api.model
    def _total_query(self, grain):
        """SQL: the rows of the totals of ``grain`` under the analysis's columns, amounts in the current company's
        currency as the analysis converts them."""
        join, to_current = self.env["res.company"]._sales_currency_table_sql(SQL("o.company_id"))
        columns = {
            "company_id": SQL("o.company_id"),
            "currency_id": SQL("%s", self.env.company.currency_id.id),
            "date": SQL("o.date"),
            "user_id": SQL("o.user_id"),
            "team_id": SQL("o.team_id"),
            "line_count": SQL("o.line_count"),
            **{name: SQL("o.%s %s", SQL.identifier(name), to_current) for name in self._measures()},
        }
        if grain == "customer":
            columns |= {
                "partner_id": SQL("o.partner_id"),
                "customer_tier_id": SQL("customer.customer_tier_id"),
                "sales_region_id": SQL("customer.sales_region_id"),
                "country_id": SQL("customer.country_id"),
                "state_id": SQL("customer.state_id"),
                "customer_grade": self.env["sales.analysis"]._customer_grade_sql(),
            }
            join = SQL("LEFT JOIN res_partner customer ON customer.id = o.partner_id %s", join)
        else:
            columns["categ_id"] = SQL("o.categ_id")
        return SQL(
            "SELECT %s FROM %s o %s",
            SQL(", ").join(SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in columns.items()),
            self._total_table(grain),
            join,
        )
