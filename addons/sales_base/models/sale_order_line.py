from odoo import api, models
from odoo.tools import SQL


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model
    def _sales_confirmed_sql(self, line="l", order="o"):
        """SQL condition: the one definition of the suite's sales, the product lines (no section, no note) of
        confirmed orders, for a query on ``line`` joining its order as ``order``. The analysis, its order
        execution, the plans' history and the daily report count these."""
        return SQL(
            "%(order)s.state = 'sale' AND %(line)s.display_type IS NULL",
            order=SQL.identifier(order),
            line=SQL.identifier(line),
        )

    @api.model
    def _sales_company_amount_sql(self, amount, order="o"):
        """SQL: ``amount`` (an expression in the order's currency) in the currency of the order's company, at the
        order's own rate, as sale.report converts it."""
        return SQL("(%s / COALESCE(NULLIF(%s.currency_rate, 0), 1))", amount, SQL.identifier(order))

    @api.model
    def _sales_company_margin_sql(self):
        """SQL: the margin of a line ``l`` of order ``o``, in the currency of the order's company: its untaxed
        amount less its quantity, in the unit of product ``p`` (template ``t``, units ``line_uom`` and
        ``product_uom``), times the product's cost in that company. The cost is company-dependent (jsonb per
        company): no cost, no margin (NULL). The sales analysis's margin and the ABC grading by margin."""
        return SQL(
            "(%s - l.product_uom_qty / line_uom.factor * product_uom.factor"
            " * (p.standard_price ->> o.company_id::text)::numeric)",
            self._sales_company_amount_sql(SQL("l.price_subtotal")),
        )
