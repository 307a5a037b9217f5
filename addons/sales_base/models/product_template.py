from odoo import fields, models

from .sales_grading import GRADES


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # written in bulk by the grading (sales.grading), per company
    sales_grade = fields.Selection(
        GRADES,
        string="ABC Grade",
        company_dependent=True,
        readonly=True,
        help="The product's share of this company's sales over the grading period: A the largest, C the rest "
        "(Sales > Configuration > Settings > ABC Grading). Empty: no sales in the period.",
    )
    sales_grade_date = fields.Date(string="Graded On", company_dependent=True, readonly=True)
