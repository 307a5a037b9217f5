from odoo import fields, models
from odoo.tools import SQL


class SalesOrderCollection(models.Model):
    """Per confirmed sale order: what its posted invoices and credit notes invoiced, what of it is settled, open
    and overdue, in company currency.

    An invoice shared by several orders is split between them in proportion to each order's lines on it. Open
    and overdue read the open receivable items as sales_credit defines them; settled is invoiced less open
    (payments, cash discounts, write-offs and applied credit notes).
    """

    _name = "sales.order.collection"
    _description = "Order Collections"
    _auto = False
    _rec_name = "order_id"
    _order = "date_order desc, id desc"
    _depends = {
        "sale.order": ["date_order", "state", "partner_id", "user_id", "team_id", "company_id"],
        "sale.order.line": ["order_id", "invoice_lines"],
        "account.move.line": [
            "move_id",
            "price_total",
            "display_type",
            "account_id",
            "reconciled",
            "parent_state",
            "amount_residual",
            "date",
            "date_maturity",
        ],
        "account.move": ["state", "move_type", "amount_total_signed"],
        "res.partner": ["commercial_partner_id"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    date_order = fields.Datetime("Order Date", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_invoiced = fields.Monetary("Invoiced", readonly=True, help="Posted invoices less posted credit notes.")
    amount_paid = fields.Monetary(
        "Settled", readonly=True, help="Invoiced less open: paid, discounted, written off or set off by credit notes."
    )
    amount_open = fields.Monetary("Open", readonly=True)
    amount_overdue = fields.Monetary("Overdue", readonly=True, help="The open part past its due date.")
    is_overdue = fields.Boolean("Overdue Items", readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            WITH order_move AS (
                SELECT sol.order_id, aml.move_id, SUM(aml.price_total) AS linked
                  FROM sale_order_line_invoice_rel rel
                  JOIN sale_order_line sol ON sol.id = rel.order_line_id
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                 WHERE aml.parent_state = 'posted'
              GROUP BY sol.order_id, aml.move_id
            ), move_share AS (
                SELECT om.order_id, om.move_id,
                       COALESCE(om.linked / NULLIF(lines.total, 0), 1) AS share
                  FROM order_move om
                  JOIN (SELECT aml.move_id, SUM(aml.price_total) AS total
                          FROM account_move_line aml
                         WHERE aml.move_id IN (SELECT move_id FROM order_move) AND aml.display_type = 'product'
                      GROUP BY aml.move_id) lines ON lines.move_id = om.move_id
            ), move_open AS (
                SELECT aml.move_id, SUM(aml.amount_residual) AS amount_open,
                       SUM(aml.amount_residual) FILTER (WHERE COALESCE(aml.date_maturity, aml.date) < %(today)s)
                           AS amount_overdue
                  FROM account_move_line aml
                 WHERE %(open)s AND aml.move_id IN (SELECT move_id FROM order_move)
              GROUP BY aml.move_id
            ), figures AS (
                SELECT ms.order_id,
                       SUM(ms.share * move.amount_total_signed) AS amount_invoiced,
                       SUM(ms.share * COALESCE(mo.amount_open, 0)) AS amount_open,
                       SUM(ms.share * COALESCE(mo.amount_overdue, 0)) AS amount_overdue
                  FROM move_share ms
                  JOIN account_move move ON move.id = ms.move_id
                                        AND move.move_type IN ('out_invoice', 'out_refund')
             LEFT JOIN move_open mo ON mo.move_id = ms.move_id
              GROUP BY ms.order_id
            )
            SELECT o.id, o.id AS order_id, o.date_order, partner.commercial_partner_id AS partner_id, o.user_id,
                   o.team_id, o.company_id, company.currency_id,
                   ROUND(f.amount_invoiced, currency.decimal_places) AS amount_invoiced,
                   ROUND(f.amount_invoiced - f.amount_open, currency.decimal_places) AS amount_paid,
                   ROUND(f.amount_open, currency.decimal_places) AS amount_open,
                   ROUND(f.amount_overdue, currency.decimal_places) AS amount_overdue,
                   f.amount_overdue > 0 AS is_overdue
              FROM figures f
              JOIN sale_order o ON o.id = f.order_id
              JOIN res_company company ON company.id = o.company_id
              JOIN res_currency currency ON currency.id = company.currency_id
              JOIN res_partner partner ON partner.id = o.partner_id
             WHERE o.state = 'sale'
            """,
            today=today,
            open=self.env["account.move.line"]._sales_open_receivable_sql(alias="aml"),
        )
