import html
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .test_cash_discount import INVOICE_DATE, CashDiscountCommon


class CashDiscountPathsCommon(CashDiscountCommon):
    """Hand computation, each invoice 1,000.00 + 15 % VAT = 1,150.00 on the term 3 %/14 days, 2 %/30 days, net 45:

    - tier 1, 3 %: 1,150.00 x 0.97 = 1,115.50 to pay; discount 30.00 on sales and 4.50 on VAT (34.50);
    - tier 2, 2 %: 1,150.00 x 0.98 = 1,127.00 to pay; discount 20.00 on sales and 3.00 on VAT (23.00).
    """

    def receivable(self, invoice):
        return invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")


@tagged("post_install", "-at_install")
class TestCashDiscountPaths(CashDiscountPathsCommon):
    """Every path of Odoo 18 Community that books an early-payment discount books the tier valid on its date."""

    # register payment wizard

    def test_single_payment_in_the_first_tier_books_3_percent(self):
        invoice = self.make_invoice()
        proposed, payment = self.pay(invoice, 10)
        self.assertEqual(proposed, 1115.50)
        self.assertPaidInFull(invoice)
        self.assertPosted(
            payment.move_id,
            {
                payment.outstanding_account_id: 1115.50,
                self.receivable(invoice).account_id: -1150.00,
                self.discount_account: 30.00,
                self.vat_account: 4.50,
            },
        )

    def test_single_payment_in_the_second_tier_books_2_percent(self):
        invoice = self.make_invoice()
        proposed, payment = self.pay(invoice, 20)
        self.assertEqual(proposed, 1127.00)
        self.assertPaidInFull(invoice)
        self.assertPosted(
            payment.move_id,
            {
                payment.outstanding_account_id: 1127.00,
                self.receivable(invoice).account_id: -1150.00,
                self.discount_account: 20.00,
                self.vat_account: 3.00,
            },
        )

    def test_grouped_payment_books_each_invoice_its_own_tier(self):
        # issue 18.11: day 20 of the first invoice (2 %), day 10 of the second (3 %), one payment on day 20
        second_tier = self.make_invoice()
        first_tier = self.make_invoice(invoice_date=INVOICE_DATE + timedelta(days=10))
        wizard = self.register(second_tier + first_tier, 20, group_payment=True)
        self.assertEqual(wizard.amount, 1127.00 + 1115.50)
        payment = wizard._create_payments()
        self.assertEqual(len(payment), 1)
        self.assertPaidInFull(second_tier)
        self.assertPaidInFull(first_tier)
        # 20.00 + 30.00 = 50.00 of sales and 3.00 + 4.50 = 7.50 of VAT, not 51.50 and 6.00 (both at 2 % VAT)
        self.assertPosted(
            payment.move_id,
            {
                payment.outstanding_account_id: 2242.50,
                self.receivable(second_tier).account_id: -2300.00,
                self.discount_account: 50.00,
                self.vat_account: 7.50,
            },
        )

    def test_grouped_payment_of_one_partner_per_invoice_books_each_tier(self):
        second_tier = self.make_invoice()
        first_tier = self.make_invoice(invoice_date=INVOICE_DATE + timedelta(days=10))
        payments = self.register(second_tier + first_tier, 20, group_payment=False)._create_payments()
        self.assertEqual(sorted(payments.mapped("amount")), [1115.50, 1127.00])
        self.assertEqual(sum(self.discount_lines(payments).filtered("tax_repartition_line_id").mapped("balance")), 7.50)
        self.assertPaidInFull(second_tier)
        self.assertPaidInFull(first_tier)

    def test_partial_payment_takes_no_discount_and_leaves_the_rest_due_in_full(self):
        # Odoo's rule, kept with tiers: an invoice partly paid has no early-payment discount left
        invoice = self.make_invoice()
        wizard = self.register(invoice, 20)
        wizard.amount = 500.00
        self.assertFalse(wizard.early_payment_discount_mode)
        payment = wizard._create_payments()
        self.assertFalse(self.discount_lines(payment))
        self.assertEqual(invoice.amount_residual, 650.00)
        proposed, payment = self.pay(invoice, 25)
        self.assertEqual(proposed, 650.00)
        self.assertFalse(self.discount_lines(payment))
        self.assertPaidInFull(invoice)

    def test_foreign_currency_books_the_tier_in_both_currencies(self):
        # EUR 2.00 for USD 1.00: 1,150.00 EUR is 575.00 USD; 2 %: 1,127.00 EUR paid, 20.00 + 3.00 EUR off,
        # 10.00 + 1.50 USD
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": eur.id,
                "name": INVOICE_DATE - timedelta(days=60),
                "rate": 2.0,
                "company_id": self.company.id,
            }
        )
        invoice = self.make_invoice(currency_id=eur.id)
        self.assertEqual(invoice.amount_total_signed, 575.00)
        wizard = self.register(invoice, 20)
        self.assertEqual((wizard.currency_id, wizard.amount), (eur, 1127.00))
        payment = wizard._create_payments()
        self.assertPaidInFull(invoice)
        self.assertPosted(
            payment.move_id,
            {
                payment.outstanding_account_id: 563.50,
                self.receivable(invoice).account_id: -575.00,
                self.discount_account: 10.00,
                self.vat_account: 1.50,
            },
        )
        discount = self.discount_lines(payment)
        self.assertEqual(sorted(discount.mapped("amount_currency")), [3.00, 20.00])

    # statement line (Community has no matching of statement lines with invoices: that is account_accountant)

    def test_discount_for_a_statement_line_follows_the_statement_date(self):
        """What a statement-line matching (Enterprise's, OCA's) books through Odoo's counterpart helper."""
        invoice = self.make_invoice()
        bookkeeper = new_test_user(self.env, "term_bookkeeper", groups="account.group_account_basic")
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        st_line = (
            self.env["account.bank.statement.line"]
            .with_user(bookkeeper)
            .create(
                {
                    "journal_id": journal.id,
                    "date": INVOICE_DATE + timedelta(days=20),
                    "amount": 1127.00,
                    "partner_id": self.customer.id,
                    "payment_ref": invoice.name,
                }
            )
        )
        term_line = self.receivable(invoice).with_user(bookkeeper)
        self.assertTrue(invoice._is_eligible_for_early_payment_discount(invoice.currency_id, st_line.date))
        installment = term_line._get_installments_data(payment_date=st_line.date)[0]
        self.assertEqual(installment["amount_residual_currency"], 1127.00)
        counterpart = (
            self.env["account.move"]
            .with_user(bookkeeper)
            .with_context(cash_discount_date=st_line.date)
            ._get_invoice_counterpart_amls_for_early_payment_discount(
                [{"aml": term_line, "amount_currency": -1150.00, "balance": -1150.00}], 23.00
            )
        )
        self.assertEqual(
            sorted((vals["account_id"], vals["balance"]) for vals_list in counterpart.values() for vals in vals_list),
            sorted([(self.discount_account.id, 20.00), (self.vat_account.id, 3.00)]),
        )
        self.assertFalse(counterpart["exchange_lines"], "the discount covers the 23.00 left open exactly")


@tagged("post_install", "-at_install")
class TestCashDiscountOnlinePayment(CashDiscountPathsCommon):
    """Payment transactions: the portal asks the tier's amount, the payment books the same tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, "term_portal", groups="base.group_portal")
        cls.customer = cls.portal_user.partner_id
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        # a provider without its own module, as payment's tests use
        cls.provider = cls.env["payment.provider"].create(
            {
                "name": "Card Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": cls.company.id,
                "payment_method_ids": [Command.set(cls.env.ref("payment.payment_method_unknown").ids)],
            }
        )
        cls.env.ref("payment.payment_method_unknown").active = True
        cls.env["account.payment.method.line"].create(
            {
                "name": "Card Test Provider",
                "journal_id": cls.journal.id,
                "payment_method_id": cls.env.ref("account.account_payment_method_manual_in").id,
                "payment_provider_id": cls.provider.id,
            }
        )
        cls.provider.journal_id = cls.journal

    def pay_online(self, invoice, days_to_confirm=0):
        """The customer pays the amount the portal asks; the provider confirms it days_to_confirm days later."""
        paid_on = fields.Date.today() - timedelta(days=days_to_confirm)
        # sudo: as the portal controller, which reads the invoice after checking the customer's access
        asked = invoice.sudo().with_context(cash_discount_date=paid_on)._get_invoice_next_payment_values()
        amount = asked["amount_due"]
        # sudo: transactions are created and processed by the payment controllers as superuser
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                    "reference": f"{invoice.name}-online",
                    "amount": amount,
                    "currency_id": invoice.currency_id.id,
                    "partner_id": self.customer.id,
                    "operation": "online_redirect",
                    "invoice_ids": [Command.set(invoice.ids)],
                }
            )
        )
        if days_to_confirm:
            self.env.cr.execute(
                "UPDATE payment_transaction SET create_date = create_date - %s WHERE id = %s",
                (timedelta(days=days_to_confirm), transaction.id),
            )
            transaction.invalidate_recordset(["create_date"])
        transaction._set_done()
        transaction._post_process()
        return amount, transaction.payment_id

    def test_online_payment_on_day_20_books_the_second_tier(self):
        # issue 18.12: asked 1,127.00, but 3 % (34.50) was booked, leaving a credit of 11.50 on the customer
        invoice = self.make_invoice(invoice_date=fields.Date.today() - timedelta(days=20))
        amount, payment = self.pay_online(invoice)
        self.assertEqual(amount, 1127.00)
        self.assertPaidInFull(invoice)
        self.assertPosted(
            payment.move_id,
            {
                payment.outstanding_account_id: 1127.00,
                self.receivable(invoice).account_id: -1150.00,
                self.discount_account: 20.00,
                self.vat_account: 3.00,
            },
        )
        self.assertEqual(self.customer.credit, 0.0, "no credit left on the customer")

    def test_online_payment_confirmed_after_its_tier_books_the_tier_of_the_day_paid(self):
        # paid on day 14 (asked 1,115.50, 3 %), confirmed by the provider on day 15
        invoice = self.make_invoice(invoice_date=fields.Date.today() - timedelta(days=15))
        amount, payment = self.pay_online(invoice, days_to_confirm=1)
        self.assertEqual(amount, 1115.50)
        self.assertPaidInFull(invoice)
        self.assertPosted(
            payment.move_id,
            {
                payment.outstanding_account_id: 1115.50,
                self.receivable(invoice).account_id: -1150.00,
                self.discount_account: 30.00,
                self.vat_account: 4.50,
            },
        )


@tagged("post_install", "-at_install")
class TestCashDiscountPortal(CashDiscountPathsCommon, HttpCase):
    """The customer's invoice page: the discount of the tier valid today, and each tier's amount due if paid by."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, "term_portal", groups="base.group_portal")
        cls.customer = cls.portal_user.partner_id

    def portal_text(self, url):
        """The page's text without tags and spaces: the layout may split and space the words as it likes."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.squeeze(re.sub(r"<[^>]+>", "", html.unescape(response.content.decode())))

    def squeeze(self, text):
        return "".join(text.split())

    def invoice_page(self, days):
        """The customer's invoice page and the invoice shown in it, that many days after the invoice date."""
        invoice = self.make_invoice(invoice_date=fields.Date.today() - timedelta(days=days))
        self.authenticate(self.portal_user.login, self.portal_user.login)
        url = f"/my/invoices/{invoice.id}"
        return invoice, self.portal_text(url), self.portal_text(f"{url}?report_type=html")

    def test_portal_shows_the_first_tier_then_every_tier_amount(self):
        invoice, page, document = self.invoice_page(10)
        self.assertIn(self.squeeze("Discount of $ 34.50 if paid within 4 days"), page)
        first, second = (invoice.invoice_date + timedelta(days=days) for days in (14, 30))
        for expected in (
            f"$ 1,115.50 due if paid by {first:%m/%d/%Y} (3% discount)",
            f"$ 1,127.00 due if paid by {second:%m/%d/%Y} (2% discount)",
            f"$ 1,150.00 due by {invoice.invoice_date_due:%m/%d/%Y}",
        ):
            self.assertIn(self.squeeze(expected), document)

    def test_portal_shows_the_second_tier_with_its_own_last_day(self):
        _invoice, page, _document = self.invoice_page(20)
        self.assertIn(self.squeeze("Discount of $ 23.00 if paid within 10 days"), page)
        _invoice, page, _document = self.invoice_page(30)
        self.assertIn(self.squeeze("Discount of $ 23.00 if paid today"), page)

    def test_portal_shows_no_discount_after_the_last_tier(self):
        _invoice, page, _document = self.invoice_page(31)
        self.assertNotIn(self.squeeze("Discount of"), page)
