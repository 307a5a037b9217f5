from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditMaster(SalesCreditCommon):
    """A salesperson with Contact Creation cannot change a customer's credit control through its hierarchy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_credit(cls.customer, limit=1000, policy="block")
        cls.customer.with_user(cls.credit_manager).credit_rating = "b"
        cls.credit_master = new_test_user(
            cls.env, "credit_master", groups="sales_credit.group_credit_manager,base.group_partner_manager"
        )
        cls.Partner = cls.env["res.partner"].with_user(cls.salesman)
        cls.shell = cls.Partner.create({"name": "Shell Trading", "is_company": True})

    def assertRefused(self, partners_and_vals):
        for partner, vals in partners_and_vals:
            with self.assertRaisesText(AccessError, "credit control"):
                partner.with_user(self.salesman).write(vals)

    def test_customer_made_contact_of_a_new_company_is_refused(self):
        self.assertRefused(
            [
                (self.customer, {"parent_id": self.shell.id, "is_company": False}),
                (self.customer, {"parent_id": self.shell.id, "company_type": "person"}),
            ]
        )
        self.assertEqual(self.customer.commercial_partner_id, self.customer)
        self.assertEqual(self.customer.credit_limit, 1000)

    def test_individual_customer_made_contact_is_refused(self):
        person = self.Partner.create({"name": "Mr. Chen"})
        self.set_credit(person, limit=500)
        self.assertRefused([(person, {"parent_id": self.shell.id})])

    def test_contact_moved_off_a_controlled_customer_is_refused(self):
        self.assertRefused([(self.contact, {"parent_id": self.shell.id})])
        self.assertEqual(self.contact.commercial_partner_id, self.customer)

    def test_contact_turned_company_is_refused(self):
        # its orders would leave the customer's exposure, under a copy of its limit
        self.assertRefused([(self.contact, {"is_company": True})])

    def test_commercial_partner_written_directly_is_refused(self):
        self.assertRefused([(self.contact, {"commercial_partner_id": self.shell.id})])

    def test_company_change_is_judged_on_the_credit_control(self):
        # the credit settings are per company of the user, not of the partner: nothing changes
        self.customer.with_user(self.salesman).write({"company_id": self.company.id})
        self.assertEqual(self.customer.credit_limit, 1000)
        self.assertRefused([(self.customer, {"company_id": False, "parent_id": self.shell.id, "is_company": False})])

    def test_company_adopting_a_customer_as_contact_is_refused(self):
        with self.assertRaisesText(AccessError, "credit control"):
            self.Partner.create({"name": "Holding", "is_company": True, "child_ids": [Command.link(self.contact.id)]})

    def test_contact_created_under_a_company_takes_its_credit_control(self):
        contact = self.Partner.create({"name": "Mr. Zhou", "parent_id": self.customer.id})
        self.assertEqual(contact.commercial_partner_id, self.customer)
        self.assertEqual(contact.with_user(self.credit_user).credit_limit, 1000)
        self.assertEqual(contact.credit_policy, "block")

    def test_uncontrolled_partners_move_freely(self):
        other = self.Partner.create({"name": "Other Trading", "is_company": True})
        person = self.Partner.create({"name": "Ms. Li", "parent_id": self.shell.id})
        person.write({"parent_id": other.id})
        self.assertEqual(person.commercial_partner_id, other)

    def test_merge_into_a_controlled_customer_is_refused(self):
        duplicate = self.Partner.create({"name": "Hangzhou Steel Trading Co.", "is_company": True})
        self.order(300, partner=duplicate, confirm=True)
        with self.assertRaisesText(AccessError, "credit control"):
            self.merge(self.salesman, self.customer | duplicate, self.customer)
        self.assertTrue(duplicate.exists())

    def test_merge_of_a_controlled_customer_away_is_refused(self):
        # the customer's settings, written onto the destination, are refused first
        with self.assertRaisesText(AccessError, "Credit Manager"):
            self.merge(self.salesman, self.customer | self.shell, self.shell)
        self.assertTrue(self.customer.exists())

    def test_merge_of_uncontrolled_duplicates_is_allowed(self):
        duplicate = self.Partner.create({"name": "Shell Trading Ltd", "is_company": True})
        self.merge(self.salesman, self.shell | duplicate, self.shell)
        self.assertFalse(duplicate.exists())

    def test_credit_manager_may_make_the_changes(self):
        self.contact.with_user(self.credit_master).write({"parent_id": self.shell.id})
        self.customer.with_user(self.credit_master).write({"parent_id": self.shell.id, "is_company": False})
        self.assertEqual(self.customer.commercial_partner_id, self.shell)
        duplicate = self.env["res.partner"].create({"name": "Shell Duplicate", "is_company": True})
        self.set_credit(duplicate, limit=50)
        self.merge(self.credit_master, self.shell | duplicate, self.shell)
        self.assertFalse(duplicate.exists())

    def merge(self, user, partners, destination):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .create({"partner_ids": [Command.set(partners.ids)], "dst_partner_id": destination.id})
        )
        wizard.action_merge()


@tagged("post_install", "-at_install")
class TestCreditTracking(SalesCreditCommon):
    def test_credit_changes_show_in_the_chatter(self):
        term = self.env.ref("account.account_payment_term_30days")
        customer = self.customer.with_user(self.credit_manager).with_context(tracking_disable=False, mail_notrack=False)
        # Odoo does not track records in the transaction that creates them: end it as a commit would
        self.env.flush_all()
        self.env.cr.precommit.run()
        for fname, value in (
            ("credit_limit", 5000),
            ("credit_policy", "block"),
            ("credit_hold", True),
            ("credit_hold_reason", "Cheque bounced"),
            ("allowed_payment_term_ids", [Command.set(term.ids)]),
        ):
            customer.write({fname: value})
            # tracking values are written when the transaction is about to commit
            self.env.flush_all()
            self.env.cr.precommit.run()
            message = self.env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "=", self.customer.id)], order="id desc", limit=1
            )
            tracked = message.tracking_value_ids.field_id.mapped("name")
            self.assertEqual(tracked, [fname])
