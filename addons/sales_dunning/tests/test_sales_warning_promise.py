from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon


@tagged("post_install", "-at_install")
class TestWarningBrokenPromise(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company = cls.env.company
        cls.salesman = new_test_user(cls.env, "promise_salesman", groups="sales_team.group_sale_salesman")
        cls.controller = new_test_user(cls.env, "promise_controller", groups="sales_credit.group_credit_manager")
        cls.company.write({"credit_manager_id": cls.controller.id, "warning_promise": True})
        cls.customer = cls.env["res.partner"].create({"name": "Shaoxing Dyeworks", "is_company": True})
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_user_id": cls.salesman.id,
                "invoice_date": cls.today - timedelta(days=40),
                "invoice_date_due": cls.today - timedelta(days=10),
                "invoice_line_ids": [
                    Command.create({"name": "Dye", "quantity": 1, "price_unit": 800, "tax_ids": [Command.clear()]})
                ],
            }
        )
        cls.invoice.action_post()
        cls.invoice.write({"promise_date": cls.today + timedelta(days=3), "promise_amount": 800})

    def run_warnings(self, days=0):
        with freeze_time(self.today + timedelta(days=days)):
            self.env["sales.warning"]._cron_run_warnings()

    def broken(self, user):
        """The open broken promises of the customer ``user`` sees in Sales > Orders > Early Warnings."""
        return (
            self.env["sales.warning"]
            .with_user(user)
            .search(
                [
                    ("kind", "=", "promise_broken"),
                    ("state", "=", "open"),
                    ("partner_id", "=", self.customer.id),
                    ("user_id", "=", user.id),
                ]
            )
        )

    def test_promise_not_yet_due_is_no_warning(self):
        self.run_warnings(days=3)
        self.assertFalse(self.broken(self.salesman))

    def test_promise_past_its_date_unpaid_warns_salesperson_and_controller_once(self):
        self.run_warnings(days=4)
        for user in (self.salesman, self.controller):
            warning = self.broken(user)
            self.assertEqual(warning.res_id, self.invoice.id)
            self.assertIn("800.00", warning.detail)
        self.assertEqual(self.invoice.activity_ids.user_id, self.salesman | self.controller)
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.salesman.partner_id.ids)])
        self.assertEqual(len(mails), 1)
        self.assertIn("Broken Promise to Pay", mails.body_html)
        self.run_warnings(days=5)
        self.assertEqual(len(self.invoice.activity_ids), 2)
        self.assertEqual(self.env["mail.mail"].search_count([("recipient_ids", "in", self.salesman.partner_id.ids)]), 1)

    def test_paid_invoice_resolves_the_broken_promise(self):
        self.run_warnings(days=4)
        warning = self.broken(self.salesman)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({"payment_date": self.today})._create_payments()
        self.run_warnings(days=5)
        self.assertEqual(warning.state, "resolved")
        self.assertFalse(self.invoice.activity_ids)

    def test_setting_off_gives_no_promise_warning(self):
        self.company.warning_promise = False
        self.run_warnings(days=4)
        self.assertFalse(self.broken(self.salesman))

    def test_promise_is_broken_from_the_next_day_of_the_company_time_zone(self):
        # 20:00 UTC is 04:00 the next morning in Shanghai: the promised day is over there
        self.company.partner_id.tz = "Asia/Shanghai"
        self.invoice.promise_date = self.today
        with freeze_time(datetime.combine(self.today, time(15, 0))):
            self.env["sales.warning"]._cron_run_warnings()
        self.assertFalse(self.broken(self.salesman))
        with freeze_time(datetime.combine(self.today, time(20, 0))):
            self.env["sales.warning"]._cron_run_warnings()
        self.assertTrue(self.broken(self.salesman))
