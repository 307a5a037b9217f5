from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import format_date, formatLang


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
    # the hold is the dunning's while this is set: a credit manager changing the hold makes it his own
    dunning_hold_level_id = fields.Many2one(
        "sales.dunning.level",
        string="Held by Dunning Level",
        company_dependent=True,
        readonly=True,
        help="The dunning level that put this customer on credit hold; the hold is lifted when no item is overdue "
        "by that level's days any more (company setting).",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["dunning_policy_id", "dunning_excluded"]

    def write(self, vals):
        held = self.browse()
        if vals.keys() & {"credit_hold", "credit_hold_reason"}:
            held = self.filtered("dunning_hold_level_id")
            before = {partner: (partner.credit_hold, partner.credit_hold_reason) for partner in held}
        result = super().write(vals)
        taken = held.filtered(lambda partner: (partner.credit_hold, partner.credit_hold_reason) != before[partner])
        if taken:
            # sudo: a hold changed by its credit manager (checked above) is no longer the dunning's to lift
            taken.sudo().write({"dunning_hold_level_id": False})
        return result

    def _get_protected_fields(self):
        # whether and how a customer is dunned is the collectors' decision, not the salesperson's; which hold
        # dunning may lift is part of the credit control
        dunning_user = ("sales_dunning.group_dunning_user",)
        return super()._get_protected_fields() | {
            "dunning_policy_id": dunning_user,
            "dunning_excluded": dunning_user,
            "dunning_hold_level_id": ("sales_credit.group_credit_manager",),
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cron_lift_dunning_holds(self):
        """Daily: lift the credit holds set by dunning of the customers no longer overdue by the holding level's
        days, in every company that lifts them (setting)."""
        for company in self.env["res.company"].search([("dunning_lift_holds", "=", True)]):
            # sudo: the scheduled check reads and lifts holds that only credit managers may write
            partners = self.sudo().with_company(company).search([("dunning_hold_level_id", "!=", False)])
            partners._lift_dunning_holds()

    def _lift_dunning_holds(self):
        """Lift the dunning holds of these customers (current company) whose oldest overdue item is now younger
        than the days of the level that set the hold, with a note on each customer."""
        figures = self._get_credit_figures()
        for partner in self:
            level = partner.dunning_hold_level_id
            overdue = figures[partner.id]
            # a level reached before the due date (negative days) holds while anything is overdue
            if overdue["overdue_days"] >= max(level.days, 1):
                continue
            # changing the hold clears the level that set it (see write)
            partner.write({"credit_hold": False, "credit_hold_reason": False})
            note = partner._get_dunning_hold_lifted_note(level, overdue)
            partner.message_post(body=note, subtype_xmlid="mail.mt_note")

    def _get_dunning_hold_lifted_note(self, level, overdue):
        self.ensure_one()
        company = self.env.company
        return Markup("%s") % _(
            "Credit hold set by dunning level %(level)s lifted on %(date)s: overdue now %(amount)s "
            "(oldest %(days)s days), under the level's %(level_days)s days.",
            level=level.name,
            date=format_date(self.env, fields.Date.context_today(self)),
            amount=formatLang(self.env, overdue["overdue_amount"], currency_obj=company.currency_id),
            days=overdue["overdue_days"],
            level_days=level.days,
        )
