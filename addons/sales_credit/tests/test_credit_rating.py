from odoo.tests import tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditRating(SalesCreditCommon):
    def test_suggestion_from_payment_behaviour(self):
        punctual = self.env["res.partner"].create({"name": "Punctual Co", "is_company": True})
        late = self.env["res.partner"].create({"name": "Late Co", "is_company": True})
        for days_ago in (100, 80, 60):
            self.pay(self.invoice(100, partner=punctual, days_ago=days_ago), days_ago=days_ago)
        # two of three invoices paid 20 days late: average 13.3 days (B), share 67 % (D)
        self.pay(self.invoice(100, partner=late, days_ago=100), days_ago=80)
        self.pay(self.invoice(100, partner=late, days_ago=90), days_ago=70)
        self.pay(self.invoice(100, partner=late, days_ago=60), days_ago=60)
        partners = (punctual | late).with_user(self.credit_user)
        self.assertEqual(partners.mapped("credit_rating_suggested"), ["a", "d"])

    def test_current_overdue_weighs_in(self):
        self.invoice(100, days_ago=45)
        self.assertEqual(self.customer.with_user(self.credit_user).credit_rating_suggested, "c")

    def test_no_history_no_suggestion(self):
        self.assertFalse(self.customer.with_user(self.credit_user).credit_rating_suggested)

    def test_credit_manager_accepts_the_suggestion(self):
        self.invoice(100, days_ago=10)
        customer = self.customer.with_user(self.credit_manager)
        customer.action_accept_suggested_rating()
        self.assertEqual(self.customer.credit_rating, "b")
