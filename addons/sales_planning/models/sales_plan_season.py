from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SalesPlanSeason(models.Model):
    """A month's share of the year in a plan's manual seasonality profile."""

    _name = "sales.plan.season"
    _description = "Sales Plan Seasonality"
    _order = "plan_id, month"

    plan_id = fields.Many2one("sales.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    month = fields.Selection([(str(m), str(m)) for m in range(1, 13)], required=True)
    percentage = fields.Float(string="Share (%)", digits=(16, 2), required=True)

    _sql_constraints = [("month_unique", "UNIQUE (plan_id, month)", "Each month appears once in the profile.")]

    @api.constrains("percentage")
    def _check_percentage(self):
        for season in self:
            if not 0 <= season.percentage <= 100:
                raise ValidationError(
                    _("A month's share is between 0 and 100 %%, not %(percentage)s.", percentage=season.percentage)
                )
