from datetime import timedelta

from odoo.tests import tagged

from .test_dunning_run import (
    DUE,
    DunningCommon,
    make_credit_note,
    make_invoice,
    make_opening_entry,
    make_payment,
    receivable_item,
)


@tagged("post_install", "-at_install")
class TestDunningNetting(DunningCommon):
    """The customer's credits reduce what is dunned: they absorb its items oldest due date first (readme/USAGE.md,
    *How a run counts*). The customer has the invoice of 1,000 due on DUE; the first reminder comes 10 days after
    the due date."""

    def test_worked_example(self):
        """USAGE.md: 1,000 invoiced and 40 days overdue, a credit note of 400 and a payment of 100 not matched:
        1,000 - 400 - 100 = 500, in one letter at the first reminder listing the three."""
        credit = make_credit_note(self.env, self.customer, 400)
        payment = make_payment(self.env, self.customer, 100)
        letter = self.letters(self.run_on(DUE + timedelta(days=40)))
        self.assertEqual(
            self.lines(letter),
            {
                self.invoice.name: (self.first, 1000),
                credit.name: (self.first.browse(), -400),
                payment.move_id.name: (self.first.browse(), -100),
            },
        )
        self.assertRecordValues(letter, [{"level_id": self.first.id, "residual": 500, "residual_company": 500}])
        self.assertEqual(letter.run_id.total_residual, 500)
        self.assertEqual(self.item().dunning_level_id, self.first)
        self.assertFalse(receivable_item(credit).dunning_level_id, "a credit is listed, not dunned")

    def test_credit_note_reduces_the_letter(self):
        credit = make_credit_note(self.env, self.customer, 400)
        letter = self.letters(self.run_on(DUE + timedelta(days=12)))
        self.assertEqual(
            self.lines(letter), {self.invoice.name: (self.first, 1000), credit.name: (self.first.browse(), -400)}
        )
        self.assertEqual(letter.residual, 600)

    def test_unapplied_payment_reduces_the_letter(self):
        payment = make_payment(self.env, self.customer, 250)
        letter = self.letters(self.run_on(DUE + timedelta(days=12)))
        self.assertEqual(letter.line_ids.filtered(lambda l: not l.level_id).move_id, payment.move_id)
        self.assertEqual(letter.residual, 750)

    def test_opening_balance_entry_is_dunned(self):
        """A receivable of 700 brought forward by a journal entry on DUE, without a due date: due on its date."""
        debtor = self.env["res.partner"].create({"name": "Brought Forward Ltd", "is_company": True})
        debtor.dunning_policy_id = self.policy
        entry = make_opening_entry(self.env, debtor, 700)
        run = self.run_on(DUE + timedelta(days=12))
        letter = run.letter_ids.filtered(lambda l: l.partner_id == debtor)
        self.assertEqual(self.lines(letter), {entry.name: (self.first, 700)})
        self.assertRecordValues(letter.line_ids, [{"date_due": DUE, "days_overdue": 12}])
        self.assertEqual(receivable_item(entry).dunning_level_id, self.first)

    def test_negative_opening_balance_is_a_credit(self):
        entry = make_opening_entry(self.env, self.customer, -150)
        letter = self.letters(self.run_on(DUE + timedelta(days=12)))
        self.assertEqual(self.lines(letter)[entry.name], (self.first.browse(), -150))
        self.assertEqual(letter.residual, 850)

    def test_no_letter_when_the_credits_cover_the_debts(self):
        make_credit_note(self.env, self.customer, 600)
        make_payment(self.env, self.customer, 400)
        self.assertFalse(self.letters(self.run_on(DUE + timedelta(days=12))), "1,000 - 600 - 400 = 0")
        self.assertFalse(self.item().dunning_level_id)

    def test_credits_absorb_the_oldest_items_first(self):
        """1,000 due on DUE and 500 due 10 days later, a credit note of 1,200: the older is absorbed in full and
        not dunned, the newer is dunned for 500 - 200 = 300; the letter lists the 200 of the credit note it used."""
        newer = make_invoice(self.env, self.customer, 500, due=DUE + timedelta(days=10))
        credit = make_credit_note(self.env, self.customer, 1200)
        letter = self.letters(self.run_on(DUE + timedelta(days=25)))
        self.assertEqual(self.lines(letter), {newer.name: (self.first, 500), credit.name: (self.first.browse(), -200)})
        self.assertEqual(letter.residual, 300)
        self.assertFalse(self.item().dunning_level_id, "absorbed in full: not dunned")
        self.assertEqual(receivable_item(newer).dunning_level_id, self.first)

    def test_items_that_wait_absorb_no_credit(self):
        """The 1,000 in dispute is not dunned and keeps no credit: the credit note of 400 goes to the 600 dunned."""
        self.item().with_user(self.dunning_user).dunning_blocked = "dispute"
        other = make_invoice(self.env, self.customer, 600)
        credit = make_credit_note(self.env, self.customer, 400)
        letter = self.letters(self.run_on(DUE + timedelta(days=12)))
        self.assertEqual(self.lines(letter), {other.name: (self.first, 600), credit.name: (self.first.browse(), -400)})
        self.assertEqual(letter.residual, 200)

    def test_minimum_amount_on_the_net(self):
        self.first.min_amount = 700
        make_credit_note(self.env, self.customer, 400)
        self.assertFalse(self.letters(self.run_on(DUE + timedelta(days=12))), "600 owed, below the 700 minimum")
        self.first.min_amount = 600
        self.assertEqual(self.letters(self.run_on(DUE + timedelta(days=13))).residual, 600, "600 reaches 600")

    def test_fee_and_hold_at_the_final_level_on_the_net(self):
        """At the final level (minimum 700), 1,000 less a credit note of 400: 600, no letter, no fee, no hold."""
        self.final.min_amount = 700
        self.item().sudo().dunning_level_id = self.first
        make_credit_note(self.env, self.customer, 400)
        self.assertFalse(self.letters(self.run_on(DUE + timedelta(days=31))))
        self.assertFalse(self.customer.credit_hold)
        self.final.min_amount = 500
        letter = self.letters(self.run_on(DUE + timedelta(days=32)))
        self.assertRecordValues(letter, [{"level_id": self.final.id, "residual": 600, "fee": 15}])
        self.assertTrue(self.customer.credit_hold)

    def test_each_currency_nets_on_its_own(self):
        """In FCY at 2 units a company unit: 1,000 FCY less a credit note of 400 FCY is 600 FCY, 300 in company
        currency, a letter of its own; the company-currency credit note of 100 nets the company-currency letter
        only (1,000 - 100 = 900). The minimum (company currency) compares with 300."""
        fcy = self.env["res.currency"].create({"name": "FCD", "symbol": "F", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {"currency_id": fcy.id, "rate": 2.0, "name": "2020-01-01", "company_id": self.company.id}
        )
        make_invoice(self.env, self.customer, 1000, currency=fcy)
        make_credit_note(self.env, self.customer, 400, currency=fcy)
        make_credit_note(self.env, self.customer, 100)
        run = self.run_on(DUE + timedelta(days=12), confirm=False)
        letters = self.letters(run)
        self.assertRecordValues(
            letters.sorted(lambda l: l.currency_id != fcy),
            [
                {"currency_id": fcy.id, "residual": 600, "residual_company": 300},
                {"currency_id": self.company.currency_id.id, "residual": 900, "residual_company": 900},
            ],
        )
        self.first.min_amount = 301
        run.action_compute()
        self.assertEqual(self.letters(run).currency_id, self.company.currency_id, "300 < 301")
