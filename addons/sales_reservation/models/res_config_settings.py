from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    allocation_by_priority = fields.Boolean(related="company_id.allocation_by_priority", readonly=False)
    allocation_redistribute = fields.Boolean(related="company_id.allocation_redistribute", readonly=False)
    allocation_exclude_blocked = fields.Boolean(related="company_id.allocation_exclude_blocked", readonly=False)
    allocation_rating_weight = fields.Integer(related="company_id.allocation_rating_weight", readonly=False)
    allocation_credit_rank = fields.Selection(related="company_id.allocation_credit_rank", readonly=False)
    allocation_credit_weight = fields.Integer(related="company_id.allocation_credit_weight", readonly=False)
    allocation_risk_days = fields.Integer(related="company_id.allocation_risk_days", readonly=False)
    prebook_tier_ids = fields.Many2many(related="company_id.prebook_tier_ids", readonly=False)
    prebook_max_days = fields.Integer(related="company_id.prebook_max_days", readonly=False)
    prebook_max_share = fields.Float(related="company_id.prebook_max_share", readonly=False)
    reservation_default_days = fields.Integer(related="company_id.reservation_default_days", readonly=False)
