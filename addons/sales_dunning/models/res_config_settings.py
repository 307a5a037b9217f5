from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_auto_run = fields.Boolean(related="company_id.dunning_auto_run", readonly=False)
    dunning_fee_mode = fields.Selection(related="company_id.dunning_fee_mode", readonly=False)
    dunning_fee_product_id = fields.Many2one(related="company_id.dunning_fee_product_id", readonly=False)
    dunning_lift_holds = fields.Boolean(related="company_id.dunning_lift_holds", readonly=False)
    dunning_policy_default_id = fields.Many2one(
        "sales.dunning.policy",
        string="Default Dunning Policy",
        compute="_compute_dunning_policy_default_id",
        inverse="_inverse_dunning_policy_default_id",
        readonly=False,
        domain="[('company_id', '=', company_id)]",
        help="Policy of every customer of this company that has none of its own.",
    )

    @api.depends("company_id")
    def _compute_dunning_policy_default_id(self):
        Partner = self.env["res.partner"]
        self.dunning_policy_default_id = Partner._fields["dunning_policy_id"].get_company_dependent_fallback(Partner)

    def _inverse_dunning_policy_default_id(self):
        for settings in self:
            self.env["ir.default"].set(
                "res.partner",
                "dunning_policy_id",
                settings.dunning_policy_default_id.id,
                company_id=settings.company_id.id,
            )

    # ------------------------------------------------------------
    # EARLY WARNING
    # ------------------------------------------------------------

    warning_promise = fields.Boolean(related="company_id.warning_promise", readonly=False)
