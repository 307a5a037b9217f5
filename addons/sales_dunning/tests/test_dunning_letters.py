"""What follows a confirmed run: fees, holds and their lifting, and the letters' names and screens."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon

from .test_dunning_run import DUE, make_invoice


@tagged("post_install", "-at_install")
class TestDunningLetters(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dunning_user = new_test_user(cls.env, "letters_clerk", groups="sales_dunning.group_dunning_user")
        cls.dunning_manager = new_test_user(
            cls.env, "letters_boss", groups="sales_dunning.group_dunning_manager", email="boss@example.com"
        )
        cls.credit_manager = new_test_user(cls.env, "letters_credit", groups="sales_credit.group_credit_manager")
        cls.billing_user = new_test_user(cls.env, "letters_billing", groups="account.group_account_invoice")
        cls.seller = new_test_user(cls.env, "letters_seller", groups="sales_team.group_sale_salesman")
        cls.other_seller = new_test_user(cls.env, "letters_other", groups="sales_team.group_sale_salesman")
        cls.sales_manager = new_test_user(cls.env, "letters_manager", groups="sales_team.group_sale_manager")
        cls.company = cls.env.company
        cls.policy = cls.env["sales.dunning.policy"].create(
            {
                "name": "Letters ladder",
                "level_ids": [
                    Command.create({"sequence": 1, "name": "First", "days": 10, "channel": "email"}),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "Final",
                            "days": 30,
                            "channel": "email",
                            "fee": 15,
                            "hold_customer": True,
                        }
                    ),
                ],
            }
        )
        cls.first, cls.final = cls.policy.level_ids.sorted("sequence")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Slow Payer Ltd",
                "is_company": True,
                "email": "ap@slowpayer.example.com",
                "user_id": cls.seller.id,
            }
        )
        cls.customer.dunning_policy_id = cls.policy
        cls.invoice = make_invoice(cls.env, cls.customer, 1000)
        cls.fee_account = cls.env["account.account"].create(
            {"name": "Dunning fees earned", "code": "759100", "account_type": "income_other"}
        )
        cls.fee_product = cls.env["product.product"].create(
            {
                "name": "Reminder charge",
                "type": "service",
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.fee_account.id,
            }
        )
        settings = cls.env["res.config.settings"].create({"dunning_fee_product_id": cls.fee_product.id})
        settings.execute()

    def run_on(self, day):
        """A run on ``day``: computed by the dunning user, confirmed by the dunning manager."""
        with freeze_time(day):
            run = self.env["sales.dunning.run"].with_user(self.dunning_user).create({"date": day})
            run.action_compute()
            run.with_user(self.dunning_manager).action_done()
            return run

    def letter(self, run, partner=None):
        return run.letter_ids.filtered(lambda letter: letter.partner_id == (partner or self.customer))

    def item(self, invoice=None):
        return (invoice or self.invoice).line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    def reach_final(self):
        """The invoice was dunned at the first level; 31 days late, the final level's run holds the customer."""
        self.item().sudo().dunning_level_id = self.first
        return self.letter(self.run_on(DUE + timedelta(days=31)))

    def pay(self, invoice, day):
        with freeze_time(day):
            self.env["account.payment.register"].with_user(self.billing_user).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": day})._create_payments()
        self.assertEqual(invoice.payment_state, "paid")

    def lift_holds(self, day):
        with freeze_time(day):
            self.env.ref("sales_dunning.ir_cron_dunning_lift_holds").method_direct_trigger()
        self.customer.invalidate_recordset()

    # ------------------------------------------------------------
    # FEES
    # ------------------------------------------------------------

    def test_fee_invoice_is_due_on_the_run_date_on_the_fee_product(self):
        self.customer.property_payment_term_id = self.env.ref("account.account_payment_term_30days")
        letter = self.reach_final()
        run_date = DUE + timedelta(days=31)
        fee_invoice = letter.fee_move_id
        self.assertRecordValues(
            fee_invoice,
            [
                {
                    "state": "posted",
                    "invoice_date": run_date,
                    "invoice_date_due": run_date,
                    "amount_total": 15,
                    "currency_id": self.company.currency_id.id,
                }
            ],
        )
        self.assertEqual(self.item(fee_invoice).date_maturity, run_date, "not the customer's 30 days")
        self.assertRecordValues(
            fee_invoice.invoice_line_ids,
            [{"product_id": self.fee_product.id, "account_id": self.fee_account.id, "price_subtotal": 15}],
        )

    def test_every_company_has_the_installed_fee_product_by_default(self):
        installed = self.env.ref("sales_dunning.product_dunning_fee")
        # the companies that existed at installation, but the one the settings above changed
        for company in self.env["res.company"].search([("id", "!=", self.company.id)]):
            self.assertEqual(company.dunning_fee_product_id, installed)
        new_company = self.env["res.company"].create({"name": "Later Co"})
        self.assertEqual(new_company.dunning_fee_product_id, installed)
        with self.assertRaises(ValidationError):
            self.company.dunning_fee_product_id = self.env["product.product"].create({"name": "Box", "type": "consu"})

    def test_fee_on_the_next_invoice_in_another_currency_is_converted_at_its_date(self):
        self.company.dunning_fee_mode = "next_invoice"
        foreign = self.env.ref("base.EUR") if self.company.currency_id != self.env.ref("base.EUR") else None
        foreign = foreign or self.env.ref("base.USD")
        foreign.active = True
        # 1 company unit = 1.5 foreign units on the run's date, 2 on the next invoice's
        self.env["res.currency.rate"].create(
            [
                {"currency_id": foreign.id, "name": DUE + timedelta(days=31), "rate": 1.5},
                {"currency_id": foreign.id, "name": DUE + timedelta(days=40), "rate": 2.0},
            ]
        )
        letter = self.reach_final()
        self.assertTrue(letter.fee_pending)
        with freeze_time(DUE + timedelta(days=40)):
            next_invoice = (
                self.env["account.move"]
                .with_user(self.billing_user)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.customer.id,
                        "currency_id": foreign.id,
                        "invoice_date": DUE + timedelta(days=40),
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Goods", "quantity": 1, "price_unit": 200, "tax_ids": [Command.clear()]}
                            )
                        ],
                    }
                )
            )
            next_invoice.action_post()
        fee_line = next_invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.fee_product)
        # 15 in company currency at 2.0 on the invoice's date
        self.assertRecordValues(fee_line, [{"price_unit": 30, "account_id": self.fee_account.id, "balance": -15}])
        self.assertEqual(next_invoice.amount_total, 230)
        self.assertEqual(letter.fee_move_id, next_invoice)
        self.assertFalse(letter.fee_pending)

    # ------------------------------------------------------------
    # HOLDS
    # ------------------------------------------------------------

    def test_hold_set_by_dunning_is_lifted_when_the_customer_pays(self):
        self.reach_final()
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.dunning_hold_level_id, self.final)
        self.lift_holds(DUE + timedelta(days=33))
        self.assertTrue(self.customer.credit_hold, "still 33 days overdue")
        self.pay(self.invoice, DUE + timedelta(days=35))
        self.lift_holds(DUE + timedelta(days=36))
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self.customer.credit_hold_reason)
        self.assertFalse(self.customer.dunning_hold_level_id)
        note = self.customer.message_ids.filtered(lambda m: "lifted" in (m.body or ""))
        self.assertEqual(len(note), 1)
        # the fee invoice, due on the run's date (day 31), is 5 days overdue: under the final level's 30
        for expected in ("Credit hold set by dunning level Final lifted on", "15.00", "oldest 5 days", "30 days"):
            self.assertIn(expected, note.body)

    def test_holds_stay_when_the_company_does_not_lift_them(self):
        self.company.dunning_lift_holds = False
        self.reach_final()
        self.pay(self.invoice, DUE + timedelta(days=35))
        self.lift_holds(DUE + timedelta(days=36))
        self.assertTrue(self.customer.credit_hold)

    def test_a_hold_set_by_a_credit_manager_is_never_lifted(self):
        self.customer.with_user(self.credit_manager).write(
            {"credit_hold": True, "credit_hold_reason": "Bankruptcy rumours"}
        )
        self.reach_final()
        self.assertEqual(self.customer.credit_hold_reason, "Bankruptcy rumours", "the credit manager's hold stays")
        self.assertFalse(self.customer.dunning_hold_level_id)
        self.pay(self.invoice, DUE + timedelta(days=35))
        self.lift_holds(DUE + timedelta(days=36))
        self.assertTrue(self.customer.credit_hold)

    def test_a_dunning_hold_a_credit_manager_rewrites_becomes_his(self):
        self.reach_final()
        self.customer.with_user(self.credit_manager).credit_hold_reason = "Pays only after calls"
        self.assertFalse(self.customer.dunning_hold_level_id)
        self.pay(self.invoice, DUE + timedelta(days=35))
        self.lift_holds(DUE + timedelta(days=36))
        self.assertTrue(self.customer.credit_hold)

    def test_only_credit_managers_mark_a_hold_as_the_dunnings(self):
        self.customer.with_user(self.credit_manager).credit_hold = True
        with self.assertRaises(AccessError):
            self.customer.with_user(self.dunning_user).dunning_hold_level_id = self.final
        with self.assertRaises(AccessError):
            self.customer.with_user(self.seller).dunning_hold_level_id = self.final

    # ------------------------------------------------------------
    # NAMES AND SCREENS
    # ------------------------------------------------------------

    def test_letter_name_in_the_emailed_subject(self):
        run = self.run_on(DUE + timedelta(days=12))
        letter = self.letter(run)
        self.assertEqual(letter.name, "First for Slow Payer Ltd, 2026-03-13")
        self.assertEqual(letter.display_name, letter.name)
        run.with_user(self.dunning_manager).action_send()
        mail = self.env["mail.mail"].search([("model", "=", "sales.dunning.letter"), ("res_id", "=", letter.id)])
        self.assertEqual(mail.subject, f"{self.company.name}: First for Slow Payer Ltd, 2026-03-13")
        self.assertEqual(mail.mail_message_id.record_name, letter.name)
        self.assertIn(f"Dunning letter {letter.name} emailed.", self.customer.message_ids[0].body)

    def test_a_dispute_set_on_the_invoice_form_stops_dunning(self):
        with Form(self.invoice.with_user(self.dunning_user)) as invoice_form:
            invoice_form.dunning_blocked = "dispute"
        self.assertEqual(self.item().dunning_blocked, "dispute")
        self.assertIn("In Dispute", self.invoice.message_ids[0].body)
        self.assertFalse(self.letter(self.run_on(DUE + timedelta(days=12))), "the disputed item is not dunned")
        with Form(self.invoice.with_user(self.dunning_user)) as invoice_form:
            self.assertEqual(invoice_form.dunning_blocked, "dispute")
            invoice_form.dunning_blocked = False
        self.assertEqual(self.letter(self.run_on(DUE + timedelta(days=13))).line_ids.move_id, self.invoice)

    def test_only_dunning_users_set_disputes(self):
        invoice = self.invoice.with_user(self.billing_user)
        self.assertNotIn("dunning_blocked", invoice.fields_get(), "not on the billing user's form")
        with self.assertRaises(AccessError):
            invoice.dunning_blocked = "dispute"
        with self.assertRaises(AccessError):
            self.item().with_user(self.billing_user).dunning_blocked = "manual"
        self.assertFalse(self.item().dunning_blocked)

    def test_salespeople_read_only_the_letters_of_their_customers(self):
        other_customer = self.env["res.partner"].create(
            {"name": "Other Payer", "is_company": True, "user_id": self.other_seller.id}
        )
        other_customer.dunning_policy_id = self.policy
        make_invoice(self.env, other_customer, 300)
        run = self.run_on(DUE + timedelta(days=12))
        mine, theirs = self.letter(run), self.letter(run, other_customer)
        Letter = self.env["sales.dunning.letter"]
        domain = [("run_id", "=", run.id)]
        self.assertEqual(Letter.with_user(self.seller).search(domain), mine)
        self.assertEqual(mine.with_user(self.seller).line_ids.move_id, self.invoice)
        with self.assertRaises(AccessError):
            theirs.with_user(self.seller).read(["name"])
        self.assertFalse(
            self.env["sales.dunning.letter.line"].with_user(self.seller).search([("letter_id", "=", theirs.id)])
        )
        self.assertEqual(Letter.with_user(self.other_seller).search(domain), theirs)
        for user in (self.dunning_user, self.sales_manager):
            self.assertEqual(Letter.with_user(user).search(domain), mine | theirs)
