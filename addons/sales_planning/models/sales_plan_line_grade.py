from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.sales_base.models.sales_grading import GRADES


class SalesPlanLine(models.Model):
    """The ABC grades of a plan line's customer and product (sales_base's grading), kept on the line so that plan
    versus actual groups and filters by them; refreshed by every grading and whenever lines are made or change
    customer or product."""

    _inherit = "sales.plan.line"

    # plain columns, written in bulk by _refresh_grades: an update of the addon adds them empty, with no
    # computation line by line over every plan
    customer_grade = fields.Selection(
        GRADES,
        readonly=True,
        help="The ABC grade of the line's key customer in the plan's company, as of the last grading.",
    )
    product_grade = fields.Selection(
        GRADES,
        readonly=True,
        help="The ABC grade of the line's product in the plan's company, as of the last grading.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._refresh_grades(SQL("l.id = ANY(%s)", lines.ids))
        return lines

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & {"partner_id", "product_id", "plan_id"}:
            self._refresh_grades(SQL("l.id = ANY(%s)", self.ids))
        return result

    @api.model
    def _insert(self, vals_list):
        lines = super()._insert(vals_list)
        self._refresh_grades(SQL("l.id = ANY(%s)", lines.ids))
        return lines

    @api.model
    def _refresh_grades(self, where):
        """Write the current grades of the customers and products of the plan lines ``l`` matching ``where`` (SQL),
        in one statement."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            UPDATE sales_plan_line l
               SET customer_grade = g.customer_grade, product_grade = g.product_grade
              FROM (SELECT l.id,
                           customer.sales_grade ->> l.company_id::text AS customer_grade,
                           t.sales_grade ->> l.company_id::text AS product_grade
                      FROM sales_plan_line l
                      LEFT JOIN res_partner partner ON partner.id = l.partner_id
                      LEFT JOIN res_partner customer ON customer.id = partner.commercial_partner_id
                      LEFT JOIN product_product p ON p.id = l.product_id
                      LEFT JOIN product_template t ON t.id = p.product_tmpl_id
                     WHERE %s) g
             WHERE l.id = g.id
               AND (l.customer_grade, l.product_grade) IS DISTINCT FROM (g.customer_grade, g.product_grade)
                """,
                where,
            )
        )
        self.invalidate_model(["customer_grade", "product_grade"])
