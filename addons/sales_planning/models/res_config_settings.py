from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_plan_actual_source = fields.Selection(related="company_id.sales_plan_actual_source", readonly=False)
    sales_plan_season_min_months = fields.Integer(related="company_id.sales_plan_season_min_months", readonly=False)
    sales_plan_season_fallback = fields.Selection(related="company_id.sales_plan_season_fallback", readonly=False)
    sales_plan_feeds_replenishment = fields.Boolean(related="company_id.sales_plan_feeds_replenishment", readonly=False)
