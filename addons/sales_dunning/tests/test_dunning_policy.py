from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon


@tagged("post_install", "-at_install")
class TestDunningPolicy(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dunning_user = new_test_user(cls.env, "dunning_user", groups="sales_dunning.group_dunning_user")
        cls.dunning_manager = new_test_user(cls.env, "dunning_manager", groups="sales_dunning.group_dunning_manager")
        cls.Policy = cls.env["sales.dunning.policy"].with_user(cls.dunning_manager)

    def _levels(self, *days):
        return [Command.create({"name": f"Level {i}", "sequence": i, "days": d}) for i, d in enumerate(days, 1)]

    def test_levels_come_strictly_later(self):
        policy = self.Policy.create({"name": "Standard", "level_ids": self._levels(-3, 15, 30)})
        self.assertEqual(policy.level_ids.mapped("days"), [-3, 15, 30])
        with self.assertRaisesText(ValidationError, "Level 2"):
            self.Policy.create({"name": "Bad", "level_ids": self._levels(15, 15)})
        with self.assertRaisesText(ValidationError, "Level 3"):
            policy.level_ids[2].days = 10
        self.assertEqual(policy.level_ids[2].days, 30, "the refused change is not saved")

    def test_policy_needs_a_level(self):
        with self.assertRaisesText(ValidationError, "at least one level"):
            self.Policy.create({"name": "Empty"})
        policy = self.Policy.create({"name": "One", "level_ids": self._levels(10)})
        with self.assertRaisesText(ValidationError, "at least one level"):
            policy.level_ids.unlink()

    def test_fee_not_negative(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.Policy.create({"name": "Fee", "level_ids": [Command.create({"name": "First", "days": 10, "fee": -5})]})

    def test_only_managers_define_policies(self):
        with self.assertRaises(AccessError):
            self.env["sales.dunning.policy"].with_user(self.dunning_user).create(
                {"name": "Mine", "level_ids": self._levels(10)}
            )

    def test_company_default_and_customer_override(self):
        standard = self.Policy.create({"name": "Standard", "level_ids": self._levels(10, 30)})
        strict = self.Policy.create({"name": "Strict", "level_ids": self._levels(1)})
        settings = Form(self.env["res.config.settings"])
        settings.dunning_policy_default_id = standard
        settings.save().execute()
        customer = self.env["res.partner"].create({"name": "Suzhou Fabrics", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Mr. Zhou", "parent_id": customer.id})
        self.assertEqual(customer.dunning_policy_id, standard)
        customer.dunning_policy_id = strict
        self.assertEqual(contact.dunning_policy_id, strict)
