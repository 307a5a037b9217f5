from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.sales_base.models.sales_grading import GRADES

FIGURES = [("target", "Target"), ("actual", "Actual")]


class SalesPlanCompletionReport(models.Model):
    """The month lines of plans, once as target and once as actual: a graph then shows the two side by side."""

    _name = "sales.plan.completion.report"
    _description = "Sales Plan Monthly Completion"
    _auto = False
    _order = "date desc, plan_id, figure desc"

    line_id = fields.Many2one("sales.plan.line", string="Plan Line", readonly=True)
    plan_id = fields.Many2one("sales.plan", readonly=True)
    plan_state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")], string="Plan Status", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Key Customer", readonly=True)
    region_id = fields.Many2one("sales.region", string="Sales Region", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    is_unplanned = fields.Boolean(string="Other / Unplanned", readonly=True)
    customer_grade = fields.Selection(GRADES, readonly=True)
    product_grade = fields.Selection(GRADES, readonly=True)
    date = fields.Date(string="Month", readonly=True)
    figure = fields.Selection(FIGURES, readonly=True)
    amount = fields.Monetary(readonly=True)
    qty = fields.Float(string="Quantity", digits="Product Unit of Measure", readonly=True)

    @api.model
    def get_empty_list_help(self, help_message):
        return super().get_empty_list_help(self.env["sales.plan.line"]._get_salesperson_empty_help() or help_message)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS
            SELECT l.id * 2 + f.n AS id, l.id AS line_id, l.plan_id, p.state AS plan_state, l.company_id,
                   c.currency_id, l.team_id, l.user_id, l.partner_id, l.region_id, l.categ_id, l.product_id,
                   l.is_unplanned, l.customer_grade, l.product_grade, l.date_from AS date, f.figure,
                   CASE f.figure WHEN 'target' THEN l.target_amount ELSE l.actual_amount END AS amount,
                   CASE f.figure WHEN 'target' THEN l.target_qty ELSE l.actual_qty END AS qty
              FROM sales_plan_line l
              JOIN sales_plan p ON p.id = l.plan_id
              JOIN res_company c ON c.id = l.company_id
             CROSS JOIN (VALUES (0, 'target'), (1, 'actual')) AS f(n, figure)
             WHERE l.period_type = 'month'
            """,
                table=SQL.identifier(self._table),
            )
        )
