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
    credit_count_draft_invoices = fields.Boolean(related="company_id.credit_count_draft_invoices", readonly=False)
    credit_overdue_amount_limit = fields.Monetary(related="company_id.credit_overdue_amount_limit", readonly=False)
    credit_overdue_days_limit = fields.Integer(related="company_id.credit_overdue_days_limit", readonly=False)
    credit_check_on_confirm = fields.Boolean(related="company_id.credit_check_on_confirm", readonly=False)
    credit_check_on_change = fields.Boolean(related="company_id.credit_check_on_change", readonly=False)
    credit_delivery_check = fields.Selection(related="company_id.credit_delivery_check", readonly=False)
    credit_manager_id = fields.Many2one(related="company_id.credit_manager_id", readonly=False)
    review_forbid_self_approval = fields.Boolean(related="company_id.review_forbid_self_approval", readonly=False)
    review_fallback_group_id = fields.Many2one(related="company_id.review_fallback_group_id", readonly=False)

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

    # ------------------------------------------------------------
    # EARLY WARNING
    # ------------------------------------------------------------

    warning_order_late = fields.Boolean(related="company_id.warning_order_late", readonly=False)
    warning_credit = fields.Boolean(related="company_id.warning_credit", readonly=False)
    warning_credit_margin = fields.Float(related="company_id.warning_credit_margin", readonly=False)
    warning_decision = fields.Boolean(related="company_id.warning_decision", readonly=False)
    warning_decision_hours = fields.Integer(related="company_id.warning_decision_hours", readonly=False)
    warning_escalation_hours = fields.Integer(related="company_id.warning_escalation_hours", readonly=False)
    warning_stopped = fields.Boolean(related="company_id.warning_stopped", readonly=False)
    warning_stopped_factor = fields.Float(related="company_id.warning_stopped_factor", readonly=False)

    # go-live data
    golive_journal_id = fields.Many2one(related="company_id.golive_journal_id", readonly=False)
    golive_account_id = fields.Many2one(related="company_id.golive_account_id", readonly=False)
