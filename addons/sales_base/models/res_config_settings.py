from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_background_threshold = fields.Integer(related="company_id.sales_background_threshold", readonly=False)

    # ABC grading
    sales_grade_customer_basis = fields.Selection(related="company_id.sales_grade_customer_basis", readonly=False)
    sales_grade_product_basis = fields.Selection(related="company_id.sales_grade_product_basis", readonly=False)
    sales_at_risk_days = fields.Integer(related="company_id.sales_at_risk_days", readonly=False)
    sales_grade_months = fields.Integer(related="company_id.sales_grade_months", readonly=False)
    sales_grade_a_share = fields.Float(related="company_id.sales_grade_a_share", readonly=False)
    sales_grade_b_share = fields.Float(related="company_id.sales_grade_b_share", readonly=False)

    def action_sales_grade_now(self):
        return self.env["sales.grading"].action_grade_now()
