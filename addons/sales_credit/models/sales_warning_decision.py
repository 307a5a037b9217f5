from datetime import timedelta

from odoo import fields, models
from odoo.osv import expression


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
        """A hold waiting too long goes to the company's other credit managers: only credit managers may decide a
        hold. With no other credit manager there is nobody to escalate to."""
        self.ensure_one()
        managers = self.company_id._get_warning_group_users("sales_credit.group_credit_manager")
        return managers - self.order_id._get_credit_managers()


class SalesOrderReview(models.Model):
    _inherit = "sales.order.review"

    def _get_escalation_users(self):
        """A review waiting too long goes to the company's fallback reviewers, who may then decide it too (see
        ``_is_escalated_to``)."""
        self.ensure_one()
        company = self.company_id
        fallback = company.review_fallback_group_id.users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids and self._is_escalated_to(u)
        )
        return fallback - self._get_reviewers()

    def _is_reviewer(self, user):
        return super()._is_reviewer(user) or self._is_escalated_to(user)

    def _is_escalated_to(self, user):
        """Whether this review has waited past the escalation hours of the early warning and ``user`` is one of
        the fallback reviewers it went to: they may decide it as well, except on their own orders."""
        self.ensure_one()
        company = self.company_id
        if not (company.warning_decision and self.state == "pending" and self.create_date):
            return False
        if self.create_date >= fields.Datetime.now() - timedelta(hours=company.warning_escalation_hours):
            return False
        if company.review_forbid_self_approval and self._is_own_order(user):
            return False
        return company.review_fallback_group_id in user.groups_id

    def _search_is_my_review(self, operator, value):
        domain = super()._search_is_my_review(operator, value)
        escalated = self._get_escalated_to_domain(self.env.user)
        if not escalated:
            return domain
        if (operator == "=") == value:
            return expression.OR([domain, escalated])
        return expression.AND([domain, [("id", "not in", self._search(escalated))]])

    def _get_escalated_to_domain(self, user):
        """The domain of the reviews escalated to ``user`` (``_is_escalated_to``), one branch per company of his."""
        now = fields.Datetime.now()
        branches = []
        for company in user.company_ids:
            if not company.warning_decision or company.review_fallback_group_id not in user.groups_id:
                continue
            branch = [
                ("company_id", "=", company.id),
                ("create_date", "<", now - timedelta(hours=company.warning_escalation_hours)),
            ]
            if company.review_forbid_self_approval:
                branch += [
                    ("user_id", "!=", user.id),
                    ("requested_by_id", "!=", user.id),
                    ("order_id.create_uid", "!=", user.id),
                    ("order_id.partner_id.commercial_partner_id", "!=", user.partner_id.commercial_partner_id.id),
                ]
            branches.append(branch)
        return expression.AND([[("state", "=", "pending")], expression.OR(branches)]) if branches else []
