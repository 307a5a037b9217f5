from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditSecurity(SalesCreditCommon):
    def test_salesperson_cannot_change_credit_settings(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        customer = self.customer.with_user(self.salesman)
        for vals in (
            {"credit_rating": "a"},
            {"credit_policy": "none"},
            {"credit_hold": True},
            {"credit_hold_reason": "x"},
            {"customer_tier_id": self.tier_key.id},
        ):
            with self.assertRaises(AccessError, msg=vals):
                customer.write(vals)
        with self.assertRaises(AccessError):
            customer.write({"credit_limit": 1_000_000})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Self-rated", "is_company": True, "credit_rating": "a"}
            )
        self.assertEqual(self.customer.credit_limit, 1000)
        self.assertEqual(self.customer.credit_policy, "block")

    def test_credit_user_reads_but_cannot_change(self):
        self.set_credit(self.customer, limit=1000)
        customer = self.customer.with_user(self.credit_user)
        self.assertEqual(customer.credit_limit, 1000)
        self.assertEqual(customer.credit_exposure, 0)
        with self.assertRaises(AccessError):
            customer.write({"credit_limit": 5000})

    def test_salesperson_still_manages_customers_and_contacts(self):
        self.set_credit(self.customer, limit=1000, policy="block")
        self.customer.with_user(self.credit_manager).credit_rating = "b"
        Partner = self.env["res.partner"].with_user(self.salesman)
        new = Partner.create({"name": "New Customer Ltd", "is_company": True})
        contact = Partner.create({"name": "Mr. Zhao", "parent_id": self.customer.id})
        self.assertEqual(contact.credit_rating, "b")
        # between customers without credit control; off a controlled one: see test_credit_master
        moved = Partner.create({"name": "Ms. Li", "parent_id": new.id})
        moved.write({"parent_id": Partner.create({"name": "Other Customer Ltd", "is_company": True}).id})
        self.customer.with_user(self.salesman).write({"phone": "+86 571 0000"})

    def test_credit_manager_sets_tiers_too(self):
        self.customer.with_user(self.credit_manager).customer_tier_id = self.tier_key
        self.assertEqual(self.contact.customer_tier_id, self.tier_key)

    def test_bad_values_are_refused(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.customer.with_user(self.credit_manager).credit_limit = -1
        with self.assertRaisesText(ValidationError, "below zero"):
            self.company.credit_overdue_amount_limit = -5
        with self.assertRaisesText(ValidationError, "below zero"):
            self.company.credit_overdue_days_limit = -1

    def test_holds_are_read_only_for_salespeople(self):
        self.set_credit(self.customer, limit=100, policy="block")
        order = self.order(500, confirm=True)
        hold = order.credit_hold_ids.with_user(self.salesman)
        self.assertEqual(hold.state, "pending")
        with self.assertRaises(AccessError):
            hold.write({"state": "released"})
        other = self.env["res.users"].create(
            {
                "name": "Other seller",
                "login": "other_seller",
                "groups_id": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        self.assertFalse(self.env["sales.credit.hold"].with_user(other).search([("id", "=", hold.id)]))
