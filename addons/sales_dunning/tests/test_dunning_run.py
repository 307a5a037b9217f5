from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure, UniqueViolation

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.sales_base.tests.common import SuiteCommon

DUE = date(2026, 3, 1)


def make_invoice(env, partner, amount, due=DUE, move_type="out_invoice", currency=None):
    invoice = env["account.move"].create(
        {
            "move_type": move_type,
            "currency_id": (currency or env.company.currency_id).id,
            "partner_id": partner.id,
            "invoice_date": due - timedelta(days=30),
            "date": due - timedelta(days=30),
            "invoice_date_due": due,
            "invoice_line_ids": [
                Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
            ],
        }
    )
    invoice.action_post()
    return invoice


def make_credit_note(env, partner, amount, day=DUE, currency=None):
    return make_invoice(env, partner, amount, due=day, move_type="out_refund", currency=currency)


def make_payment(env, partner, amount, day=DUE):
    """A payment received from the customer and not matched to any invoice."""
    payment = env["account.payment"].create(
        {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": partner.id,
            "amount": amount,
            "date": day,
        }
    )
    payment.action_post()
    return payment


def make_opening_entry(env, partner, amount, day=DUE):
    """An opening balance posted as a journal entry on the customer's receivable account, without a due date
    (negative: a credit the customer had)."""
    receivable = {"account_id": partner.property_account_receivable_id.id, "partner_id": partner.id}
    equity = {"account_id": env.company.get_unaffected_earnings_account().id}
    entry = env["account.move"].create(
        {
            "move_type": "entry",
            "date": day,
            "line_ids": [
                Command.create(
                    {**receivable, "name": "Opening balance", "debit": max(amount, 0), "credit": max(-amount, 0)}
                ),
                Command.create(
                    {**equity, "name": "Opening balance", "debit": max(-amount, 0), "credit": max(amount, 0)}
                ),
            ],
        }
    )
    entry.action_post()
    return entry


def receivable_item(move):
    return move.line_ids.filtered(lambda l: l.account_type == "asset_receivable")


class DunningCommon(SuiteCommon):
    """A customer with an invoice of 1,000 due on DUE, a three-level ladder (courtesy 3 days before the due
    date; first reminder 10 days after; final notice 30 days after, with a fee of 15 and a credit hold)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dunning_user = new_test_user(cls.env, "dunning_clerk", groups="sales_dunning.group_dunning_user")
        cls.dunning_manager = new_test_user(
            cls.env, "dunning_boss", groups="sales_dunning.group_dunning_manager", email="boss@example.com"
        )
        cls.company = cls.env.company
        cls.policy = cls.env["sales.dunning.policy"].create(
            {
                "name": "Test ladder",
                "level_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "name": "Courtesy",
                            "days": -3,
                            "channel": "email",
                            "letter_text": "<p>Friendly reminder</p>",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "First",
                            "days": 10,
                            "channel": "both",
                            "letter_text": "<p>Please pay now</p>",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "name": "Final",
                            "days": 30,
                            "channel": "letter",
                            "fee": 15,
                            "hold_customer": True,
                            "letter_text": "<p>Final notice</p>",
                        }
                    ),
                ],
            }
        )
        cls.courtesy, cls.first, cls.final = cls.policy.level_ids.sorted("sequence")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Slow Payer Ltd", "is_company": True, "email": "ap@slowpayer.example.com"}
        )
        cls.customer.dunning_policy_id = cls.policy
        cls.invoice = make_invoice(cls.env, cls.customer, 1000)

    def run_on(self, day, confirm=True):
        with freeze_time(day):
            run = self.env["sales.dunning.run"].with_user(self.dunning_user).search(
                [("date", "=", day), ("company_id", "=", self.company.id)]
            ) or self.env["sales.dunning.run"].with_user(self.dunning_user).create({"date": day})
            run.action_compute()
            if confirm:
                run.with_user(self.dunning_manager).action_done()
            return run

    def letters(self, run):
        return run.letter_ids.filtered(lambda l: l.partner_id == self.customer)

    def inbox(self, run):
        """What the dunning clerk was told in Discuss about the run: the messages that notified him."""
        messages = (
            self.env["mail.message"]
            .with_user(self.dunning_user)
            .search([("model", "=", run._name), ("res_id", "=", run.id), ("message_type", "=", "user_notification")])
        )
        # sudo: the notifications are Odoo's delivery records, which the clerk does not read himself
        return messages.filtered(
            lambda message: self.dunning_user.partner_id in message.sudo().notification_ids.res_partner_id
        )

    def item(self):
        return receivable_item(self.invoice)

    def lines(self, letter):
        """{document name: (level, due amount)} of the letter's lines; no level on a credit line."""
        return {line.move_id.name: (line.level_id, line.residual) for line in letter.line_ids}


@tagged("post_install", "-at_install")
class TestDunningRun(DunningCommon):
    def test_levels_progress_without_skipping(self):
        self.assertFalse(self.letters(self.run_on(DUE - timedelta(days=5))), "too early even for courtesy")
        courtesy = self.letters(self.run_on(DUE - timedelta(days=2)))
        self.assertEqual(courtesy.level_id, self.courtesy, "a courtesy reminder before the due date")
        # 40 days late: the final level's days are reached, but the first reminder comes first
        first = self.letters(self.run_on(DUE + timedelta(days=40)))
        self.assertEqual(first.level_id, self.first)
        self.assertFalse(self.letters(self.run_on(DUE + timedelta(days=46))), "6 days since the first reminder")
        final = self.letters(self.run_on(DUE + timedelta(days=47)))
        self.assertEqual(final.level_id, self.final, "the first reminder is 7 days old and 30 days are reached")
        self.assertEqual(self.item().dunning_level_id, self.final)
        later = self.letters(self.run_on(DUE + timedelta(days=90)))
        self.assertNotIn(self.item(), later.line_ids.move_line_id, "after the last level, nothing more")
        self.assertEqual(later.line_ids.move_id, final.fee_move_id, "only the final level's fee invoice is dunned")

    def test_one_letter_per_customer_with_each_item_at_its_level(self):
        self.item().sudo().write({"dunning_level_id": self.first.id, "dunning_date": DUE + timedelta(days=10)})
        recent = make_invoice(self.env, self.customer, 500, due=DUE + timedelta(days=20))
        letter = self.letters(self.run_on(DUE + timedelta(days=41)))
        self.assertEqual(len(letter), 1)
        self.assertEqual(self.lines(letter), {self.invoice.name: (self.final, 1000), recent.name: (self.first, 500)})
        self.assertRecordValues(letter, [{"level_id": self.final.id, "fee": 15, "residual": 1500}])
        self.assertEqual(letter.fee_move_id.amount_total, 15, "one fee, the highest level's")
        self.assertTrue(self.customer.credit_hold, "the highest level holds the customer")
        self.assertEqual(receivable_item(recent).dunning_level_id, self.first)
        self.assertEqual(self.item().dunning_level_id, self.final)
        self.assertIn("1 letter(s) to 1 customer(s) for 2 item(s)", letter.run_id.message_ids[0].body)

    def test_letter_goes_to_the_invoice_contact(self):
        accounts = self.env["res.partner"].create(
            {
                "name": "Accounts Payable",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "pay@slow.example.com",
            }
        )
        self.env["res.partner"].create(
            {"name": "Mr. Buyer", "parent_id": self.customer.id, "email": "buy@slow.example.com"}
        )
        run = self.run_on(DUE + timedelta(days=12))
        letter = self.letters(run)
        self.assertEqual(letter.contact_id, accounts)
        run.with_user(self.dunning_manager).action_send()
        mail = self.env["mail.mail"].search([("model", "=", "sales.dunning.letter"), ("res_id", "=", letter.id)])
        self.assertEqual(mail.recipient_ids, accounts)

    def test_confirm_drops_an_item_paid_since_compute(self):
        self.item().sudo().dunning_level_id = self.first
        run = self.run_on(DUE + timedelta(days=31), confirm=False)
        self.assertEqual(self.letters(run).level_id, self.final)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        run.with_user(self.dunning_manager).action_done()
        self.assert_nothing_sent(run)

    def test_confirm_drops_an_item_credited_since_compute(self):
        self.item().sudo().dunning_level_id = self.first
        run = self.run_on(DUE + timedelta(days=31), confirm=False)
        make_credit_note(self.env, self.customer, 1000)
        run.with_user(self.dunning_manager).action_done()
        self.assert_nothing_sent(run)

    def test_confirm_drops_an_item_disputed_or_promised_since_compute(self):
        self.item().sudo().dunning_level_id = self.first
        promised = make_invoice(self.env, self.customer, 300)
        receivable_item(promised).sudo().dunning_level_id = self.first
        run = self.run_on(DUE + timedelta(days=31), confirm=False)
        self.assertEqual(len(self.letters(run).line_ids), 2)
        self.item().with_user(self.dunning_user).dunning_blocked = "dispute"
        promised.with_user(self.dunning_user).promise_date = DUE + timedelta(days=40)
        run.with_user(self.dunning_manager).action_done()
        self.assert_nothing_sent(run)
        self.assertEqual(receivable_item(promised).dunning_level_id, self.first)

    def test_confirm_follows_a_partial_credit_since_compute(self):
        """1,000 at the final level, credited 400 between compute and confirm: the letter asks for 600, lists the
        credit note, and still charges the fee and holds (no minimum)."""
        self.item().sudo().dunning_level_id = self.first
        run = self.run_on(DUE + timedelta(days=31), confirm=False)
        credit = make_credit_note(self.env, self.customer, 400)
        run.with_user(self.dunning_manager).action_done()
        letter = self.letters(run)
        self.assertEqual(
            self.lines(letter), {self.invoice.name: (self.final, 1000), credit.name: (self.final.browse(), -400)}
        )
        self.assertRecordValues(letter, [{"residual": 600, "residual_company": 600, "state": "done"}])
        self.assertEqual(letter.fee_move_id.amount_total, 15)
        self.assertTrue(self.customer.credit_hold)

    def test_confirm_drops_a_letter_left_below_its_minimum(self):
        self.final.min_amount = 700
        self.item().sudo().dunning_level_id = self.first
        run = self.run_on(DUE + timedelta(days=31), confirm=False)
        self.assertEqual(self.letters(run).residual, 1000)
        make_credit_note(self.env, self.customer, 400)
        run.with_user(self.dunning_manager).action_done()
        self.assert_nothing_sent(run)

    def assert_nothing_sent(self, run):
        self.assertEqual(run.state, "done")
        self.assertFalse(self.letters(run), "the letter dropped at confirmation")
        self.assertEqual(self.item().dunning_level_id, self.first, "the item stays at its level")
        self.assertFalse(self.customer.credit_hold, "no hold")
        fees = self.env["account.move"].search([("partner_id", "=", self.customer.id), ("amount_total", "=", 15)])
        self.assertFalse(fees, "no fee")
        self.assertTrue(any("Re-checked at confirmation" in body for body in run.message_ids.mapped("body")))

    def test_rerun_of_the_same_date_adds_nothing_twice(self):
        run = self.run_on(DUE + timedelta(days=12), confirm=False)
        run.action_compute()
        self.assertEqual(len(self.letters(run)), 1)
        self.assertEqual(len(self.letters(run).line_ids), 1)
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            self.env["sales.dunning.run"].create({"date": DUE + timedelta(days=12)})

    def test_a_later_run_supersedes_an_old_draft(self):
        old = self.run_on(DUE + timedelta(days=12), confirm=False)
        self.assertTrue(self.letters(old))
        later = self.run_on(DUE + timedelta(days=13))
        self.assertEqual(self.letters(later).line_ids.move_line_id, self.item(), "the old draft holds nothing back")
        self.assertEqual(self.item().dunning_level_id, self.first)
        self.assertEqual(old.state, "superseded")
        self.assertFalse(old.letter_ids)
        self.assertIn(later.name, old.message_ids[0].body)
        with self.assertRaisesText(UserError, "superseded"):
            old.with_user(self.dunning_manager)._confirm()
        # computed again, the old run finds nothing: the item has its first reminder
        old.with_user(self.dunning_user).action_compute()
        self.assertEqual((old.state, old.letter_ids.partner_id), ("draft", self.customer.browse()))

    def test_daily_run_with_a_leftover_draft(self):
        self.company.dunning_auto_run = True
        leftover = self.run_on(DUE + timedelta(days=12), confirm=False)
        with freeze_time(DUE + timedelta(days=13)):
            self.env["sales.dunning.run"]._cron_run()
        today = self.env["sales.dunning.run"].search([("date", "=", DUE + timedelta(days=13))])
        self.assertEqual(today.state, "done")
        self.assertEqual(self.letters(today).level_id, self.first)
        self.assertEqual(self.item().dunning_level_id, self.first)
        self.assertEqual(leftover.state, "superseded")

    def test_an_overdue_item_starts_at_the_first_overdue_level(self):
        letter = self.letters(self.run_on(DUE + timedelta(days=12)))
        self.assertEqual(letter.level_id, self.first, "no courtesy reminder for an item already overdue")
        self.assertEqual(self.item().dunning_level_id, self.first)

    def test_a_level_waits_for_its_interval(self):
        self.final.interval_days = 20
        self.letters(self.run_on(DUE + timedelta(days=12)))
        self.assertFalse(self.letters(self.run_on(DUE + timedelta(days=31))), "30 days overdue, 19 since the first")
        self.assertEqual(self.letters(self.run_on(DUE + timedelta(days=32))).level_id, self.final)

    def test_interval_is_validated(self):
        for days in (-1, 3651):
            with self.assertRaisesText(ValidationError, "between 0 and 3650"):
                self.final.with_user(self.dunning_manager).interval_days = days

    def test_daily_run_reaches_one_level_per_interval(self):
        """90 days overdue with the daily run on: first, second and final notice a week apart, not on three
        consecutive days."""
        self.policy.level_ids = [
            Command.create({"sequence": 2, "name": "Second", "days": 20, "letter_text": "<p>Second</p>"})
        ]
        second = self.policy.level_ids.filtered(lambda l: l.name == "Second")
        self.company.dunning_auto_run = True
        today = DUE + timedelta(days=90)
        levels = {}
        for day in range(15):
            with freeze_time(today + timedelta(days=day)):
                self.env["sales.dunning.run"]._cron_run()
                run = self.env["sales.dunning.run"].search([("date", "=", today + timedelta(days=day))])
                if letter := self.letters(run):
                    levels[day] = letter.level_id
                self.assertEqual(self.customer.credit_hold, day >= 14, f"on hold from the final notice, day {day}")
        self.assertEqual(levels, {0: self.first, 7: second, 14: self.final})

    def test_exclusions(self):
        other = self.env["res.partner"].create({"name": "Excluded Co", "is_company": True})
        other.dunning_policy_id = self.policy
        make_invoice(self.env, other, 500)
        other.with_user(self.dunning_user).dunning_excluded = True
        self.item().with_user(self.dunning_user).dunning_blocked = "dispute"
        run = self.run_on(DUE + timedelta(days=12))
        self.assertFalse(run.letter_ids.filtered(lambda l: l.partner_id in (self.customer | other)))
        self.item().with_user(self.dunning_user).dunning_blocked = False
        self.invoice.with_user(self.dunning_user).promise_date = DUE + timedelta(days=20)
        self.assertFalse(self.letters(self.run_on(DUE + timedelta(days=15))), "a promise not yet due")
        self.assertTrue(self.letters(self.run_on(DUE + timedelta(days=21))), "a broken promise lets it proceed")

    def test_minimum_amount(self):
        self.courtesy.min_amount = 5000
        self.assertFalse(self.letters(self.run_on(DUE)))

    def test_fee_and_hold_at_the_final_level(self):
        self.item().sudo().dunning_level_id = self.first
        final = self.letters(self.run_on(DUE + timedelta(days=31)))
        self.assertEqual(final.level_id, self.final)
        self.assertRecordValues(
            final.fee_move_id, [{"amount_total": 15, "state": "posted", "partner_id": self.customer.id}]
        )
        self.assertTrue(self.customer.credit_hold)
        self.assertIn("Final", self.customer.credit_hold_reason)
        self.assertIn("1 letter(s) to 1 customer(s) for 1 item(s)", final.run_id.message_ids[0].body)
        self.assertEqual(self.invoice.dunning_level_id, self.final)

    def test_fee_on_the_next_invoice(self):
        self.company.dunning_fee_mode = "next_invoice"
        self.item().sudo().dunning_level_id = self.first
        final = self.letters(self.run_on(DUE + timedelta(days=31)))
        self.assertFalse(final.fee_move_id)
        self.assertTrue(final.fee_pending)
        next_invoice = make_invoice(self.env, self.customer, 200, due=DUE + timedelta(days=60))
        self.assertEqual(next_invoice.amount_total, 215, "the 15 fee rides on the next invoice")
        self.assertEqual(final.fee_move_id, next_invoice)
        self.assertFalse(final.fee_pending)
        self.assertEqual(make_invoice(self.env, self.customer, 50).amount_total, 50, "charged once")

    def test_letters_rendered_and_emailed(self):
        self.item().sudo().dunning_level_id = self.courtesy
        run = self.run_on(DUE + timedelta(days=12))
        letter = self.letters(run)
        text = self.pdf_text("sales_dunning.report_dunning_letter", letter.with_user(self.dunning_user))
        for expected in ("Please pay now", self.invoice.name, "1,000.00", "Slow Payer Ltd", "12"):
            self.assertIn(expected, text)
        self.assertEqual(run.action_print()["report_name"], "sales_dunning.report_dunning_letter")
        run.with_user(self.dunning_manager).action_send()
        mail = self.env["mail.mail"].search([("model", "=", "sales.dunning.letter"), ("res_id", "=", letter.id)])
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertIn("Please pay now", mail.body_html)
        self.assertTrue(letter.email_sent)
        self.assertIn(letter, self.customer.dunning_letter_ids)

    def test_only_managers_confirm_and_done_runs_are_frozen(self):
        run = self.run_on(DUE + timedelta(days=12), confirm=False)
        with self.assertRaises(UserError):
            run.with_user(self.dunning_user).action_send()
        run.with_user(self.dunning_manager).action_done()
        with self.assertRaisesText(UserError, "is done"):
            run.with_user(self.dunning_user).action_compute()

    def test_large_run_computes_and_confirms_as_jobs(self):
        self.company.sales_background_threshold = 1
        make_invoice(self.env, self.customer, 500)
        day = DUE + timedelta(days=12)
        run = self.env["sales.dunning.run"].with_user(self.dunning_user).create({"date": day})
        action = run.action_compute()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(run.job_state, "queued")
        self.assertFalse(run.letter_ids, "nothing computed in the request")
        with self.assertRaisesText(UserError, "already waits"):
            run.action_compute()
        cron = self.env.ref("sales_base.ir_cron_sales_background_jobs")
        cron.method_direct_trigger()
        self.assertFalse(run.job_state)
        self.assertEqual(len(self.letters(run).line_ids), 2)
        inbox = self.inbox(run)
        self.assertIn("1 letter(s) to 1 customer(s) for 2 item(s)", inbox.body)

        run.with_user(self.dunning_manager).action_done()
        self.assertEqual((run.state, run.job_state), ("draft", "queued"))
        cron.method_direct_trigger()
        self.assertEqual((run.state, run.job_state), ("done", False))
        self.assertEqual(self.item().dunning_level_id, self.first, "overdue: the first overdue level")

    def test_failed_job_keeps_the_run_and_tells_why(self):
        self.company.sales_background_threshold = 1
        make_invoice(self.env, self.customer, 500)
        run = self.run_on(DUE + timedelta(days=12), confirm=False)
        self.assertEqual(run.job_state, "queued")
        run.state = "done"  # confirmed by someone else before the job starts
        self.env.ref("sales_base.ir_cron_sales_background_jobs").method_direct_trigger()
        self.assertEqual(run.job_state, "failed")
        self.assertIn("is done: its letters cannot change", run.job_error)
        self.assertFalse(run.letter_ids)
        inbox = self.inbox(run)
        self.assertIn("could not finish", inbox.body)

    def test_job_meeting_a_concurrent_update_runs_again(self):
        self.company.sales_background_threshold = 1
        make_invoice(self.env, self.customer, 500)
        run = self.run_on(DUE + timedelta(days=12), confirm=False)
        cron = self.env.ref("sales_base.ir_cron_sales_background_jobs")
        Run = type(self.env["sales.dunning.run"])
        with patch.object(Run, "_compute_letters", side_effect=SerializationFailure("concurrent update")):
            cron.method_direct_trigger()
        self.assertEqual(run.job_state, "queued", "not failed: the job waits for its next turn")
        self.assertEqual(run.job_attempts, 0, "a concurrent update is not counted as an attempt")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id), ("call_at", ">", fields.Datetime.now())])
        )
        with freeze_time(fields.Datetime.now() + timedelta(minutes=1)):
            cron.method_direct_trigger()
        self.assertFalse(run.job_state)
        self.assertEqual(len(self.letters(run).line_ids), 2)


@tagged("post_install", "-at_install")
class TestCollections(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(cls.env, "collect_seller", groups="sales_team.group_sale_salesman")
        cls.other_seller = new_test_user(cls.env, "collect_other", groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, "collect_manager", groups="sales_team.group_sale_manager")
        cls.customer = cls.env["res.partner"].create({"name": "Ageing Co", "is_company": True})
        today = date.today()
        cls.invoices = {}
        for days_late, seller in (
            (-5, cls.seller),
            (10, cls.seller),
            (45, cls.seller),
            (75, cls.other_seller),
            (120, cls.seller),
        ):
            cls.invoices[days_late] = make_invoice(
                cls.env, cls.customer, 100 + days_late, due=today - timedelta(days=days_late)
            )
            cls.invoices[days_late].invoice_user_id = seller

    def items(self, user):
        return self.env["sales.collection.item"].with_user(user).search([("partner_id", "=", self.customer.id)])

    def test_ageing_buckets(self):
        buckets = {item.move_id: item.bucket for item in self.items(self.manager)}
        self.assertEqual(
            [buckets[self.invoices[days]] for days in (-5, 10, 45, 75, 120)],
            ["not_due", "1_30", "31_60", "61_90", "over_90"],
        )
        groups = dict(
            self.env["sales.collection.item"]
            .with_user(self.manager)
            ._read_group([("partner_id", "=", self.customer.id)], ["user_id"], ["residual:sum"])
        )
        self.assertEqual(groups[self.other_seller], 175)
        self.assertEqual(groups[self.seller], 95 + 110 + 145 + 220)

    def test_salesperson_sees_his_own_collections(self):
        self.assertEqual(self.items(self.seller).move_id.invoice_user_id, self.seller)
        self.assertEqual(len(self.items(self.seller)), 4)
        self.assertEqual(len(self.items(self.other_seller)), 1)

    def test_broken_promise_shows(self):
        self.invoices[45].promise_date = date.today() - timedelta(days=1)
        self.invoices[10].promise_date = date.today() + timedelta(days=5)
        broken = (
            self.env["sales.collection.item"]
            .with_user(self.seller)
            .search([("promise_broken", "=", True), ("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(broken.move_id, self.invoices[45])
