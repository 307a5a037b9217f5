from odoo.tests import Form, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCustomerClassification(SalesCreditCommon):
    def test_contacts_follow_the_commercial_partner(self):
        contact = self.env["res.partner"].create({"name": "Ms. Wang", "parent_id": self.customer.id})
        self.customer.with_user(self.sale_manager).customer_tier_id = self.tier_key
        self.customer.with_user(self.credit_manager).credit_rating = "b"
        self.assertEqual(contact.customer_tier_id, self.tier_key)
        self.assertEqual(contact.credit_rating, "b")
        new_contact = self.env["res.partner"].create({"name": "Mr. Li", "parent_id": self.customer.id})
        self.assertEqual(new_contact.customer_tier_id, self.tier_key)

    def test_company_default_credit_policy(self):
        other = self.env["res.partner"].create({"name": "Ningbo Tools", "is_company": True})
        other.credit_policy = "warn"
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.credit_policy_default, "none")
        settings.credit_policy_default = "block"
        settings.save().execute()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer._get_credit_policy(), "block")
        self.assertEqual(other._get_credit_policy(), "warn")
