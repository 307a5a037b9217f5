from odoo import api, fields, models

from .res_partner import CREDIT_POLICIES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_policy_default = fields.Selection(
        CREDIT_POLICIES,
        string="Default Credit Policy",
        compute="_compute_credit_policy_default",
        inverse="_inverse_credit_policy_default",
        readonly=False,
        help="Policy of every customer of this company that has none of its own.",
    )

    @api.depends("company_id")
    def _compute_credit_policy_default(self):
        Partner = self.env["res.partner"]
        fallback = Partner._fields["credit_policy"].get_company_dependent_fallback(Partner)
        self.credit_policy_default = fallback or "none"

    def _inverse_credit_policy_default(self):
        for settings in self:
            self.env["ir.default"].set(
                "res.partner",
                "credit_policy",
                settings.credit_policy_default,
                company_id=settings.company_id.id,
            )
