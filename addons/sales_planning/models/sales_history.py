from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL


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
        """Sales from ``date_from`` to ``date_to`` in company currency, by team, salesperson, customer (the key
        customers by themselves, the others as False), item and month.

        :param source: "order" (confirmed orders by order date) or "invoice" (posted invoices net of credit
            notes, by invoice date)
        :param item: "category" (product category) or "product"
        :return: list of (team id, user id, partner id or False, item id, first day of month, amount)
        """
        keys = tuple(key_customers.ids) or (0,)
        item_column = SQL("pp.id") if item == "product" else SQL("pt.categ_id")
        if source == "invoice":
            self.env["account.move.line"].flush_model(["move_id", "product_id", "balance", "display_type"])
            self.env["account.move"].flush_model(
                [
                    "team_id",
                    "invoice_user_id",
                    "commercial_partner_id",
                    "invoice_date",
                    "move_type",
                    "state",
                    "company_id",
                ]
            )
            # balance is negative for sales, positive for credit notes
            query = SQL(
                """
                SELECT m.team_id, m.invoice_user_id,
                       CASE WHEN m.commercial_partner_id IN %(keys)s THEN m.commercial_partner_id END,
                       %(item)s, date_trunc('month', m.invoice_date)::date, SUM(-aml.balance)
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN product_product pp ON pp.id = aml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
                   AND aml.display_type = 'product' AND m.company_id = %(company)s
                   AND m.invoice_date BETWEEN %(start)s AND %(end)s
              GROUP BY 1, 2, 3, 4, 5
                """,
                keys=keys,
                item=item_column,
                company=company.id,
                start=date_from,
                end=date_to,
            )
        else:
            self.env["sale.order.line"].flush_model(["order_id", "product_id", "price_subtotal", "display_type"])
            self.env["sale.order"].flush_model(
                ["team_id", "user_id", "partner_id", "date_order", "state", "company_id", "currency_rate"]
            )
            query = SQL(
                """
                SELECT o.team_id, o.user_id,
                       CASE WHEN p.commercial_partner_id IN %(keys)s THEN p.commercial_partner_id END,
                       %(item)s, date_trunc('month', o.date_order)::date,
                       SUM(l.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1))
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN res_partner p ON p.id = o.partner_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE o.state = 'sale' AND o.company_id = %(company)s AND l.display_type IS NULL
                   AND o.date_order >= %(start)s AND o.date_order < %(end)s
              GROUP BY 1, 2, 3, 4, 5
                """,
                keys=keys,
                item=item_column,
                company=company.id,
                start=date_from,
                end=date_to + relativedelta(days=1),
            )
        self.env.cr.execute(query)
        return [
            (team or False, user or False, partner or False, item_id or False, month, amount or 0.0)
            for team, user, partner, item_id, month, amount in self.env.cr.fetchall()
        ]
