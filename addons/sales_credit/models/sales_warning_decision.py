from odoo import fields, models


class SalesDecisionMixin(models.AbstractModel):
    """Credit holds and order reviews in the early warning: who hears of one waiting, and who next."""

    _inherit = "sales.decision.mixin"

    def _get_waiting_signals(self, deciders, escalate_since):
        """The warnings of this record waiting since before the warning hours: for ``deciders``; and, once it waits
        since before ``escalate_since``, escalated (level 1) to the next reviewers."""
        self.ensure_one()
        base = {
            "kind": "decision_waiting",
            "res_model": self._name,
            "res_id": self.id,
            "partner_id": self.order_id.partner_id.commercial_partner_id.id,
            "order_id": self.order_id.id,
        }
        since = fields.Datetime.to_string(self.create_date)
        signals = [dict(base, user_ids=deciders.ids, data={"since": since})]
        if self.create_date < escalate_since:
            limit = self.company_id.warning_escalation_hours
            escalation = self._get_escalation_users() - deciders
            signals.append(dict(base, level=1, user_ids=escalation.ids, data={"since": since, "limit": limit}))
        return signals

    def _get_escalation_users(self):
        """Who a record waiting too long goes to next."""
        raise NotImplementedError


class SalesCreditHold(models.Model):
    _inherit = "sales.credit.hold"

    def _get_escalation_users(self):
        """A hold waiting too long goes to the company's other credit managers, else to its sales managers."""
        self.ensure_one()
        company = self.company_id
        managers = company._get_warning_group_users("sales_credit.group_credit_manager")
        deciders = self.order_id._get_credit_managers()
        return (managers - deciders) or company._get_warning_group_users("sales_team.group_sale_manager")


class SalesOrderReview(models.Model):
    _inherit = "sales.order.review"

    def _get_escalation_users(self):
        """A review waiting too long goes to the company's fallback reviewers, else to its credit managers."""
        self.ensure_one()
        company = self.company_id
        reviewers = self._get_reviewers()
        fallback = company.review_fallback_group_id.users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )
        return (fallback - reviewers) or company._get_warning_group_users("sales_credit.group_credit_manager")
