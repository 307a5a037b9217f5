from odoo import fields, models


class SalesPlanRevision(models.Model):
    """A recorded change of an approved plan's target: who, when, old and new value, why."""

    _name = "sales.plan.revision"
    _description = "Sales Plan Revision"
    _order = "date desc, id desc"

    plan_id = fields.Many2one("sales.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    line_id = fields.Many2one("sales.plan.line", string="Plan Line", ondelete="set null")
    line_name = fields.Char(string="Line", required=True)
    user_id = fields.Many2one("res.users", string="Revised By", required=True, default=lambda self: self.env.user)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    old_amount = fields.Monetary(string="Old Target")
    new_amount = fields.Monetary(string="New Target")
    reason = fields.Char(required=True)
