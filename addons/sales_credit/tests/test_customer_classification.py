from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCustomerClassification(SalesCreditCommon):
    def test_region_from_address_state_before_country(self):
        Region = self.env["sales.region"].with_user(self.sale_manager)
        china = Region.create({"name": "China", "country_ids": [Command.set(self.country_cn.ids)]})
        east = Region.create({"name": "East China", "state_ids": [Command.set(self.state_zj.ids)]})
        customer = self.customer.with_user(self.sale_manager)
        self.assertEqual(customer.sales_region_id, china)
        customer.state_id = self.state_zj
        self.assertEqual(customer.sales_region_id, east)

    def test_region_overlap_refused(self):
        Region = self.env["sales.region"].with_user(self.sale_manager)
        Region.create({"name": "China", "country_ids": [Command.set(self.country_cn.ids)]})
        with self.assertRaisesText(ValidationError, "China"):
            Region.create({"name": "Greater China", "country_ids": [Command.set(self.country_cn.ids)]})

    def test_contacts_follow_the_commercial_partner(self):
        contact = self.env["res.partner"].create({"name": "Ms. Wang", "parent_id": self.customer.id})
        self.customer.with_user(self.sale_manager).customer_tier_id = self.tier_key
        self.customer.with_user(self.credit_manager).credit_rating = "b"
        self.assertEqual(contact.customer_tier_id, self.tier_key)
        self.assertEqual(contact.credit_rating, "b")
        new_contact = self.env["res.partner"].create({"name": "Mr. Li", "parent_id": self.customer.id})
        self.assertEqual(new_contact.customer_tier_id, self.tier_key)

    def test_tier_list_is_managed_by_sales_managers_only(self):
        with self.assertRaises(AccessError):
            self.env["sales.customer.tier"].with_user(self.salesman).create({"name": "Platinum", "code": "platinum"})
        tier = (
            self.env["sales.customer.tier"]
            .with_user(self.sale_manager)
            .create({"name": "Platinum", "code": "platinum"})
        )
        self.customer.customer_tier_id = tier
        self.assertEqual(tier.partner_count, 1)

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
