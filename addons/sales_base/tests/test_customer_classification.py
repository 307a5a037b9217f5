from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SuiteCommon


@tagged("post_install", "-at_install")
class TestCustomerClassification(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # like Odoo's default internal users, salespeople may create and edit contacts
        cls.salesman = new_test_user(
            cls.env, "base_salesman", groups="sales_team.group_sale_salesman,base.group_partner_manager"
        )
        cls.sale_manager = new_test_user(
            cls.env, "base_sale_manager", groups="sales_team.group_sale_manager,base.group_partner_manager"
        )
        # the tests define their own regions
        cls.env["sales.region"].search([]).action_archive()
        cls.tier_key = cls.env.ref("sales_base.tier_key")
        cls.country_cn = cls.env.ref("base.cn")
        cls.state_zj = cls.env.ref("base.state_cn_ZJ")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hangzhou Steel Trading", "is_company": True, "country_id": cls.country_cn.id}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Ms. Wang", "parent_id": cls.customer.id})

    def test_region_from_address_state_before_country(self):
        Region = self.env["sales.region"].with_user(self.sale_manager)
        china = Region.create({"name": "China", "country_ids": [Command.set(self.country_cn.ids)]})
        east = Region.create({"name": "East China", "state_ids": [Command.set(self.state_zj.ids)]})
        customer = self.customer.with_user(self.sale_manager)
        self.assertEqual(customer.sales_region_id, china)
        self.assertEqual(self.contact.sales_region_id, china)
        customer.state_id = self.state_zj
        self.assertEqual(customer.sales_region_id, east)

    def test_region_overlap_refused(self):
        Region = self.env["sales.region"].with_user(self.sale_manager)
        Region.create({"name": "China", "country_ids": [Command.set(self.country_cn.ids)]})
        with self.assertRaisesText(ValidationError, "China"):
            Region.create({"name": "Greater China", "country_ids": [Command.set(self.country_cn.ids)]})

    def test_region_list_is_managed_by_sales_managers_only(self):
        with self.assertRaises(AccessError):
            self.env["sales.region"].with_user(self.salesman).create({"name": "Asia"})
        self.assertTrue(self.env["sales.region"].with_user(self.sale_manager).create({"name": "Asia"}))

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

    def test_sales_manager_sets_tiers_and_contacts_follow(self):
        self.customer.with_user(self.sale_manager).customer_tier_id = self.tier_key
        self.assertEqual(self.contact.customer_tier_id, self.tier_key)
        new_contact = self.env["res.partner"].create({"name": "Mr. Li", "parent_id": self.customer.id})
        self.assertEqual(new_contact.customer_tier_id, self.tier_key)

    def test_salesperson_cannot_set_tiers(self):
        with self.assertRaisesText(AccessError, "Customer Tier"):
            self.customer.with_user(self.salesman).customer_tier_id = self.tier_key
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Self-ranked", "is_company": True, "customer_tier_id": self.tier_key.id}
            )
        # a contact takes its company's tier; the rest of the customer stays the salesperson's to edit
        self.customer.with_user(self.sale_manager).customer_tier_id = self.tier_key
        Partner = self.env["res.partner"].with_user(self.salesman)
        contact = Partner.create({"name": "Mr. Zhao", "parent_id": self.customer.id})
        self.assertEqual(contact.customer_tier_id, self.tier_key)
        self.customer.with_user(self.salesman).write({"phone": "+86 571 0000"})
