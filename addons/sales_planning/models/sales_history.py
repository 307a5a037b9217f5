from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# the dimensions a sales row may be grouped by besides team, salesperson and key customer
ROW_COLUMNS = ("region", "category", "product")


class SalesHistory(models.AbstractModel):
    """Monthly sales of a company, as forecasts and plans read them: one grouped query."""

    _name = "sales.history"
    _description = "Monthly Sales History"

    @api.model
    def _get_months(self, date_from, date_to):
        """The first days of the months from ``date_from`` to ``date_to``."""
        month, months = date_from.replace(day=1), []
        while month <= date_to:
            months.append(month)
            month += relativedelta(months=1)
        return months

    @api.model
    def _read_monthly(self, company, date_from, date_to, source, item, key_customers):
        """Sales by team, salesperson, customer (the key customers by themselves, the others as False), item and
        month: list of (team id, user id, partner id or False, item id, first day of month, amount)."""
        rows = self._read_sales(company, date_from, date_to, source, key_customers, {item})
        index = 5 if item == "product" else 4
        return [(row[0], row[1], row[2], row[index], row[6], row[7]) for row in rows]

    @api.model
    def _read_sales(self, company, date_from, date_to, source, key_customers, columns, uom=None):
        """Sales from ``date_from`` to ``date_to`` (days and months in the company's time zone as the suite
        defines it, see ``res.company._sales_local_date_sql``), in company currency, by team, salesperson, key
        customer (the others as False), the ``columns`` asked for among region, category and product (False for
        the others), and month.

        :param source: "order" (confirmed orders by order date) or "invoice" (posted invoices net of credit
            notes, by invoice date)
        :param uom: the unit to add quantities in; sales in units of another category make a clear error
        :return: list of (team, user, partner, region, category, product, first day of month, amount, quantity)
        """
        query = (self._get_invoice_query if source == "invoice" else self._get_order_query)(
            company, date_from, date_to, key_customers, columns, uom
        )
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        if uom and any(row[-1] for row in rows):
            self._raise_mixed_units(company, date_from, date_to, source, uom)
        return [tuple(value or False for value in row[:6]) + (row[6], row[7] or 0.0, row[8] or 0.0) for row in rows]

    @api.model
    def _get_columns_sql(self, columns, partner_alias, product_alias):
        region = SQL("%s.sales_region_id", SQL.identifier(partner_alias))
        categ = SQL("pt.categ_id")
        product = SQL("%s.id", SQL.identifier(product_alias))
        return SQL(", ").join(
            expression if name in columns else SQL("NULL::int")
            for name, expression in zip(ROW_COLUMNS, (region, categ, product))
        )

    @api.model
    def _get_quantity_sql(self, uom, quantity, line_uom):
        """The quantity in ``uom`` (NULL without a unit) and whether the line's unit is of another category."""
        if not uom:
            return SQL("NULL::numeric, false")
        return SQL(
            """SUM(CASE WHEN %(lu)s.category_id = %(categ)s THEN %(qty)s / %(lu)s.factor * %(factor)s END),
               BOOL_OR(%(lu)s.category_id != %(categ)s)""",
            lu=SQL.identifier(line_uom),
            categ=uom.category_id.id,
            qty=quantity,
            factor=uom.factor,
        )

    @api.model
    def _get_utc_bounds(self, company, date_from, date_to):
        """The moments, in UTC, the local days ``date_from`` to ``date_to`` start and end."""
        tz = pytz.timezone(company._sales_tz())
        return tuple(
            tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
            for day in (date_from, date_to + relativedelta(days=1))
        )

    @api.model
    def _get_order_query(self, company, date_from, date_to, key_customers, columns, uom):
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "price_subtotal", "display_type", "product_uom_qty", "product_uom"]
        )
        self.env["sale.order"].flush_model(
            ["team_id", "user_id", "partner_id", "date_order", "state", "company_id", "currency_rate"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id", "sales_region_id"])
        start, end = self._get_utc_bounds(company, date_from, date_to)
        # the order's month in the suite's time zone: sale.report and Sales Analysis put it in the same month
        month = SQL("date_trunc('month', %s)::date", company._sales_local_date_sql(SQL("o.date_order")))
        return SQL(
            """
            SELECT o.team_id, o.user_id,
                   CASE WHEN cp.id IN %(keys)s THEN cp.id END, %(columns)s, %(month)s,
                   SUM(%(amount)s), %(quantity)s
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_partner p ON p.id = o.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN product_product pp ON pp.id = l.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN uom_uom lu ON lu.id = l.product_uom
             WHERE %(confirmed)s AND o.company_id = %(company)s
               AND o.date_order >= %(start)s AND o.date_order < %(end)s
          GROUP BY 1, 2, 3, 4, 5, 6, 7
            """,
            keys=tuple(key_customers.ids) or (0,),
            columns=self._get_columns_sql(columns, "cp", "pp"),
            month=month,
            amount=self.env["sale.order.line"]._sales_company_amount_sql(SQL("l.price_subtotal")),
            confirmed=self.env["sale.order.line"]._sales_confirmed_sql(),
            quantity=self._get_quantity_sql(uom, SQL("l.product_uom_qty"), "lu"),
            company=company.id,
            start=start,
            end=end,
        )

    @api.model
    def _get_invoice_query(self, company, date_from, date_to, key_customers, columns, uom):
        self.env["account.move.line"].flush_model(
            ["move_id", "product_id", "balance", "display_type", "quantity", "product_uom_id"]
        )
        self.env["account.move"].flush_model(
            ["team_id", "invoice_user_id", "commercial_partner_id", "invoice_date", "move_type", "state", "company_id"]
        )
        self.env["res.partner"].flush_model(["sales_region_id"])
        # balance is negative for sales, positive for credit notes; invoice dates are days already
        return SQL(
            """
            SELECT m.team_id, m.invoice_user_id,
                   CASE WHEN cp.id IN %(keys)s THEN cp.id END, %(columns)s,
                   date_trunc('month', m.invoice_date)::date, SUM(-aml.balance), %(quantity)s
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              JOIN res_partner cp ON cp.id = m.commercial_partner_id
              JOIN product_product pp ON pp.id = aml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN uom_uom lu ON lu.id = aml.product_uom_id
             WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
               AND aml.display_type = 'product' AND m.company_id = %(company)s
               AND m.invoice_date BETWEEN %(start)s AND %(end)s
          GROUP BY 1, 2, 3, 4, 5, 6, 7
            """,
            keys=tuple(key_customers.ids) or (0,),
            columns=self._get_columns_sql(columns, "cp", "pp"),
            quantity=self._get_quantity_sql(
                uom,
                SQL("CASE WHEN m.move_type = 'out_refund' THEN -aml.quantity ELSE aml.quantity END"),
                "lu",
            ),
            company=company.id,
            start=date_from,
            end=date_to,
        )

    @api.model
    def _raise_mixed_units(self, company, date_from, date_to, source, uom):
        """Quantities in units of different categories do not add up: name the products and their units."""
        if source == "invoice":
            table, uom_column = SQL("account_move_line"), SQL("x.product_uom_id")
            filters = SQL("x.parent_state = 'posted' AND x.date BETWEEN %s AND %s", date_from, date_to)
        else:
            start, end = self._get_utc_bounds(company, date_from, date_to)
            table, uom_column = SQL("sale_order_line"), SQL("x.product_uom")
            filters = SQL(
                "x.state = 'sale' AND x.order_id IN "
                "(SELECT id FROM sale_order WHERE date_order >= %s AND date_order < %s)",
                start,
                end,
            )
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT x.product_id, u.id FROM %s x JOIN uom_uom u ON u.id = %s
                    WHERE x.company_id = %s AND x.product_id IS NOT NULL AND u.category_id != %s AND %s LIMIT 5""",
                table,
                uom_column,
                company.id,
                uom.category_id.id,
                filters,
            )
        )
        pairs = self.env.cr.fetchall()
        raise UserError(
            _(
                "Quantities are planned in %(unit)s, but %(products)s sold in units that do not convert to it: "
                "quantities in different units do not add up. Plan quantities for products of one unit (e.g. by "
                "product or by a category sold in one unit), or set the quantity target to zero.",
                unit=uom.name,
                products=", ".join(
                    f"{self.env['product.product'].browse(product).display_name} "
                    f"({self.env['uom.uom'].browse(unit).name})"
                    for product, unit in pairs
                ),
            )
        )
