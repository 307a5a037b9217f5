from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon

INVOICE_DATE = date(2026, 3, 2)


class CashDiscountCommon(SuiteCommon):
    """3 % within 14 days, 2 % within 30 days, net 45, on 1,000.00 + 15 % tax = 1,150.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(cls.env, "term_accountant", groups="account.group_account_manager")
        cls.billing = new_test_user(cls.env, "term_billing", groups="account.group_account_invoice")
        cls.company = cls.env.company
        cls.tax = cls.env["account.tax"].create(
            {"name": "VAT 15%", "amount": 15, "amount_type": "percent", "type_tax_use": "sale"}
        )
        # the VAT on its own account, to read what a discount takes off it
        cls.vat_account = cls.env["account.account"].create(
            {"name": "VAT collected 15%", "code": "251915", "account_type": "liability_current"}
        )
        (cls.tax.invoice_repartition_line_ids + cls.tax.refund_repartition_line_ids).filtered(
            lambda line: line.repartition_type == "tax"
        ).account_id = cls.vat_account
        cls.discount_account = cls.company.account_journal_early_pay_discount_loss_account_id
        cls.term = (
            cls.env["account.payment.term"]
            .with_user(cls.accountant)
            .create(
                {
                    "name": "3/14, 2/30, net 45",
                    "early_discount": True,
                    "discount_percentage": 3,
                    "discount_days": 14,
                    "early_pay_discount_computation": "included",
                    "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 45})],
                    "discount_tier_ids": [Command.create({"days": 30, "percentage": 2})],
                }
            )
        )
        cls.customer = cls.env["res.partner"].create({"name": "Prompt Payer Ltd", "is_company": True})

    def make_invoice(self, term=None, amount=1000, invoice_date=INVOICE_DATE, **vals):
        invoice = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": invoice_date,
                    "invoice_payment_term_id": (term or self.term).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Steel coil",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.set(self.tax.ids)],
                            }
                        )
                    ],
                    **vals,
                }
            )
        )
        invoice.action_post()
        return invoice

    def register(self, invoices, days, **vals):
        """The billing clerk opens the payment wizard for a payment that many days after the invoice date."""
        return (
            self.env["account.payment.register"]
            .with_user(self.billing)
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"payment_date": INVOICE_DATE + timedelta(days=days), **vals})
        )

    def pay(self, invoice, days):
        wizard = self.register(invoice, days)
        proposed = wizard.amount
        payment = wizard._create_payments()
        return proposed, payment

    def assertPaidInFull(self, invoice):
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual), invoice.amount_residual)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def discount_lines(self, payment):
        return payment.move_id.line_ids.filtered(lambda line: line.display_type == "epd")

    def assertPosted(self, move, expected):
        """The entry's balance per account, in company currency, is ``expected`` ({account: balance})."""
        posted = {}
        for line in move.line_ids:
            posted[line.account_id] = posted.get(line.account_id, 0.0) + line.balance
        self.assertEqual(
            {account.code: round(balance, 2) for account, balance in posted.items() if round(balance, 2)},
            {account.code: balance for account, balance in expected.items()},
        )


@tagged("post_install", "-at_install")
class TestCashDiscountTiers(CashDiscountCommon):
    """The tiers of a term, and the register payment wizard on their boundaries."""

    # validation

    def test_tiers_need_more_days_and_smaller_percentages(self):
        term = self.term.with_user(self.accountant)
        with self.assertRaisesText(ValidationError, "each discount tier needs more days"):
            term.write({"discount_tier_ids": [Command.create({"days": 20, "percentage": 1.5})]})
        with self.assertRaisesText(ValidationError, "each discount tier needs more days"):
            term.write({"discount_tier_ids": [Command.create({"days": 40, "percentage": 2})]})
        with self.assertRaisesText(ValidationError, "each discount tier needs more days"):
            term.discount_tier_ids.days = 14
        with self.assertRaisesText(ValidationError, "each discount tier needs more days"):
            term.discount_percentage = 1.5
        self.assertEqual(term._get_discount_tiers(), [(14, 3), (30, 2)])

    def test_tiers_need_an_early_discount_that_leaves_the_invoice_taxes_alone(self):
        term = self.term.with_user(self.accountant)
        with self.assertRaisesText(ValidationError, "no early discount"):
            term.early_discount = False
        with self.assertRaisesText(ValidationError, "cannot reduce the taxes on the invoice itself"):
            term.early_pay_discount_computation = "mixed"
        term.discount_tier_ids.unlink()
        term.early_pay_discount_computation = "mixed"
        self.assertEqual(term.early_pay_discount_computation, "mixed")

    # payments on the tier boundaries, taxes reduced on payment

    def test_day_14_takes_the_first_tier(self):
        invoice = self.make_invoice()
        proposed, payment = self.pay(invoice, 14)
        self.assertEqual(proposed, 1115.50)
        self.assertPaidInFull(invoice)
        # the discount is 30.00 of sales and 4.50 of tax
        tax_line = self.discount_lines(payment).filtered("tax_repartition_line_id")
        self.assertAlmostEqual(tax_line.balance, 4.50)
        self.assertAlmostEqual(sum(self.discount_lines(payment).mapped("balance")), 34.50)

    def test_day_15_takes_the_second_tier(self):
        invoice = self.make_invoice()
        proposed, payment = self.pay(invoice, 15)
        self.assertEqual(proposed, 1127.00)
        self.assertPaidInFull(invoice)
        tax_line = self.discount_lines(payment).filtered("tax_repartition_line_id")
        self.assertAlmostEqual(tax_line.balance, 3.00)
        base_line = self.discount_lines(payment) - tax_line
        self.assertAlmostEqual(base_line.balance, 20.00)
        self.assertEqual(base_line.tax_ids, self.tax, "the reduced sales base is reported under its tax")
        self.assertEqual(base_line.account_id, self.company.account_journal_early_pay_discount_loss_account_id)

    def test_day_30_is_the_last_day_of_the_second_tier(self):
        invoice = self.make_invoice()
        proposed, payment = self.pay(invoice, 30)
        self.assertEqual(proposed, 1127.00)
        self.assertPaidInFull(invoice)
        self.assertAlmostEqual(sum(self.discount_lines(payment).mapped("balance")), 23.00)

    def test_day_31_pays_the_full_amount(self):
        invoice = self.make_invoice()
        wizard = self.register(invoice, 31)
        self.assertFalse(wizard.early_payment_discount_mode)
        proposed, payment = self.pay(invoice, 31)
        self.assertEqual(proposed, 1150.00)
        self.assertPaidInFull(invoice)
        self.assertFalse(self.discount_lines(payment))

    def test_tax_excluded_from_the_discount(self):
        self.term.with_user(self.accountant).early_pay_discount_computation = "excluded"
        invoice = self.make_invoice()
        proposed, payment = self.pay(invoice, 20)
        self.assertEqual(proposed, 1130.00, "2 % of the untaxed 1,000.00")
        self.assertPaidInFull(invoice)
        self.assertFalse(self.discount_lines(payment).filtered("tax_repartition_line_id"))

    def test_several_invoices_paid_at_once_each_take_their_tier(self):
        early = self.make_invoice()
        later = (
            self.env["account.move"]
            .with_user(self.billing)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": INVOICE_DATE + timedelta(days=10),
                    "invoice_payment_term_id": self.term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Wire", "quantity": 1, "price_unit": 2000, "tax_ids": [Command.set(self.tax.ids)]}
                        )
                    ],
                }
            )
        )
        later.action_post()
        invoices = early + later
        # day 20 of the first invoice (2 %), day 10 of the second (3 %)
        wizard = self.register(invoices, 20, group_payment=True)
        self.assertEqual(wizard.amount, 1127.00 + 2231.00)
        wizard._create_payments()
        self.assertPaidInFull(early)
        self.assertPaidInFull(later)
        # one payment per invoice goes through Odoo's batch path
        early2, later2 = self.make_invoice(), self.make_invoice(amount=2000)
        self.register(early2 + later2, 20, group_payment=False)._create_payments()
        self.assertPaidInFull(early2)
        self.assertPaidInFull(later2)
        self.assertEqual(early2.matched_payment_ids.amount, 1127.00)
        self.assertEqual(later2.matched_payment_ids.amount, 2254.00)

    # stock Odoo's single discount

    def test_single_tier_term_works_as_in_odoo(self):
        term = (
            self.env["account.payment.term"]
            .with_user(self.accountant)
            .create(
                {
                    "name": "2/10 net 30",
                    "early_discount": True,
                    "discount_percentage": 2,
                    "discount_days": 10,
                    "early_pay_discount_computation": "included",
                    "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
                }
            )
        )
        invoice = self.make_invoice(term)
        payment_term_line = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(payment_term_line.discount_amount_currency, 1127.00)
        self.assertEqual(self.register(invoice, 11).amount, 1150.00)
        proposed, _payment = self.pay(invoice, 10)
        self.assertEqual(proposed, 1127.00)
        self.assertPaidInFull(invoice)

    # on paper

    def test_invoice_shows_each_tier_with_its_date_and_amount(self):
        invoice = self.make_invoice()
        self.assertEqual(
            [(tier["date"], tier["percentage"], tier["amount"]) for tier in invoice._get_discount_tier_schedule()],
            [(date(2026, 3, 16), 3, 1115.50), (date(2026, 4, 1), 2, 1127.00)],
        )
        text = self.pdf_text("account.report_invoice", invoice.with_user(self.billing))
        for expected in (
            "1,115.50 due if paid by 03/16/2026 (3% discount)",
            "1,127.00 due if paid by 04/01/2026 (2% discount)",
            "1,150.00 due by 04/16/2026",
        ):
            self.assertIn(expected, text)

    def test_term_preview_lists_the_tiers(self):
        term = self.term.with_context(example_date=INVOICE_DATE)
        term.invalidate_recordset(["example_preview_discount"])
        preview = term.example_preview_discount
        self.assertIn("970.00", preview)
        self.assertIn("980.00", preview)
        self.assertIn("04/01/2026", preview)

    def test_tiers_promised_on_open_invoices_stay(self):
        self.make_invoice()
        term = self.term.with_user(self.accountant)
        with self.assertRaisesText(UserError, "used by 1 open invoice"):
            term.discount_tier_ids.percentage = 1
        with self.assertRaisesText(UserError, "used by 1 open invoice"):
            term.discount_days = 20
        with self.assertRaisesText(UserError, "used by 1 open invoice"):
            term.discount_tier_ids.unlink()
        self.assertEqual(term._get_discount_tiers(), [(14, 3), (30, 2)])
