from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Company-dependent: the company's default policy is the field's ir.default (set in the settings).
    dunning_policy_id = fields.Many2one(
        "sales.dunning.policy",
        company_dependent=True,
        help="How this customer is reminded of overdue invoices; empty uses the company default.",
    )

    dunning_excluded = fields.Boolean(
        string="Excluded from Dunning",
        help="No dunning letter for this customer (e.g. a dispute handled by hand).",
    )
    dunning_letter_ids = fields.One2many("sales.dunning.letter", "partner_id", string="Dunning History")

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["dunning_policy_id", "dunning_excluded"]

    def _get_protected_fields(self):
        # whether and how a customer is dunned is the collectors' decision, not the salesperson's
        dunning_user = ("sales_dunning.group_dunning_user",)
        return super()._get_protected_fields() | {"dunning_policy_id": dunning_user, "dunning_excluded": dunning_user}
