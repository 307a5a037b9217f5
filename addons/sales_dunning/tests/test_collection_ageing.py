from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon

TODAY = date(2026, 3, 15)


class CollectionCommon(SuiteCommon):
    """Two salespeople in two teams, each with a customer of his own; entries dated before TODAY."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the tests define their own review rules
        cls.env["sales.review.rule"].search([]).action_archive()
        cls.seller = new_test_user(cls.env, "ageing_seller", groups="sales_team.group_sale_salesman")
        cls.other_seller = new_test_user(cls.env, "ageing_other_seller", groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, "ageing_manager", groups="sales_team.group_sale_manager")
        cls.north = cls.env["crm.team"].create({"name": "North", "member_ids": [Command.set(cls.seller.ids)]})
        cls.south = cls.env["crm.team"].create({"name": "South", "member_ids": [Command.set(cls.other_seller.ids)]})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ningbo Valves", "is_company": True, "user_id": cls.seller.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Wuxi Pumps", "is_company": True, "user_id": cls.other_seller.id}
        )

    @classmethod
    def invoice(cls, amount, day, due=None, partner=None, user=None, move_type="out_invoice", lines=None):
        user = user or cls.seller
        lines = lines or [
            Command.create({"name": "Valves", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
        ]
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_user_id": user.id,
                "team_id": (cls.north if user == cls.seller else cls.south).id,
                "invoice_date": day,
                "date": day,
                **({"invoice_date_due": due} if due else {}),
                "invoice_line_ids": lines,
            }
        )
        move.action_post()
        return move

    @classmethod
    def pay(cls, invoices, amount, day):
        """The customer pays ``amount`` of the invoices on ``day``, matched with them."""
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"payment_date": day, "amount": amount, "payment_difference_handling": "open"})
        )
        return wizard._create_payments()

    @classmethod
    def unapplied_payment(cls, amount, day, partner=None):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": (partner or cls.customer).id,
                "amount": amount,
                "date": day,
            }
        )
        payment.action_post()
        return payment

    @classmethod
    def opening_entry(cls, amount, day, partner=None):
        """An opening balance posted as a journal entry on the customer's receivable account."""
        partner = partner or cls.customer
        accounts = cls.env["account.account"].with_company(cls.company)
        equity = accounts.search(
            [*accounts._check_company_domain(cls.company), ("account_type", "in", ("equity", "equity_unaffected"))],
            limit=1,
        )
        journal = cls.env["account.journal"].search(
            [*cls.env["account.journal"]._check_company_domain(cls.company), ("type", "=", "general")], limit=1
        )
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": day,
                "journal_id": journal.id,
                "line_ids": [
                    Command.create(
                        {
                            "name": "Opening balance",
                            "account_id": partner.with_company(cls.company).property_account_receivable_id.id,
                            "partner_id": partner.id,
                            "debit": amount,
                        }
                    ),
                    Command.create({"name": "Opening balance", "account_id": equity.id, "credit": amount}),
                ],
            }
        )
        move.action_post()
        return move


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCollectionAgeing(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 31-60 days: 1000 due on 1 February (42 days), 400 of it paid
        cls.overdue = cls.invoice(1000, date(2026, 1, 15), due=date(2026, 2, 1))
        cls.pay(cls.overdue, 400, date(2026, 2, 20))
        # not due: 500 due on 1 April
        cls.not_due = cls.invoice(500, date(2026, 3, 1), due=date(2026, 4, 1))
        # 1-30 days: a credit note of 200 due on its date, 1 March (14 days), and 300 paid on 10 March (5 days)
        cls.credit_note = cls.invoice(200, date(2026, 3, 1), due=date(2026, 3, 1), move_type="out_refund")
        cls.payment = cls.unapplied_payment(300, date(2026, 3, 10))
        # 61-90 days: 250 sold by the other salesperson, due on 5 January (69 days)
        cls.other_sale = cls.invoice(250, date(2025, 12, 6), due=date(2026, 1, 5), user=cls.other_seller)
        # over 90 days: an opening balance of 700 on 30 November 2025, without due date (105 days)
        cls.opening = cls.opening_entry(700, date(2025, 11, 30))

    def items(self, user, domain=()):
        return (
            self.env["sales.collection.item"].with_user(user).search([("partner_id", "=", self.customer.id), *domain])
        )

    def buckets(self, user):
        return dict(
            self.env["sales.collection.item"]
            .with_user(user)
            ._read_group([("partner_id", "=", self.customer.id)], ["bucket"], ["residual:sum"])
        )

    def test_every_open_receivable_item_is_aged(self):
        items = self.items(self.manager)
        self.assertEqual(
            {item.move_id: (item.bucket, item.residual) for item in items},
            {
                self.overdue: ("31_60", 600),
                self.not_due: ("not_due", 500),
                self.credit_note: ("1_30", -200),
                self.payment.move_id: ("1_30", -300),
                self.other_sale: ("61_90", 250),
                self.opening: ("over_90", 700),
            },
        )
        self.assertEqual(items.filtered(lambda i: i.move_id == self.opening).date_due, date(2025, 11, 30))

    def test_buckets_add_up_to_the_customer_balance(self):
        buckets = self.buckets(self.manager)
        self.assertEqual(buckets, {"not_due": 500, "1_30": -500, "31_60": 600, "61_90": 250, "over_90": 700})
        self.assertAlmostEqual(sum(buckets.values()), 1550)
        self.assertAlmostEqual(self.customer.credit, 1550, msg="Odoo's receivable balance of the customer")

    def test_buckets_come_in_age_order(self):
        expected = ["not_due", "1_30", "31_60", "61_90", "over_90"]
        self.assertEqual(list(self.buckets(self.manager)), expected)
        # the pivot reads its columns eagerly (lazy=False), the list groups lazily: both in age order
        Item = self.env["sales.collection.item"].with_user(self.manager)
        domain = [("partner_id", "=", self.customer.id)]
        pivot = Item.read_group(domain, ["residual:sum"], ["user_id", "bucket"], lazy=False)
        self.assertEqual(
            [group["bucket"] for group in pivot if group["user_id"][0] == self.seller.id],
            ["not_due", "1_30", "31_60", "over_90"],
        )
        self.assertEqual([group["bucket"] for group in Item.read_group(domain, ["residual:sum"], ["bucket"])], expected)
        self.assertEqual(Item.search(domain, order="bucket desc").mapped("bucket")[0], "over_90")
        self.assertEqual(list(dict(Item._fields["bucket"].selection)), expected)

    def test_items_without_invoice_go_to_the_customers_salesperson(self):
        items = self.items(self.manager)
        for move in (self.payment.move_id, self.opening):
            item = items.filtered(lambda i, move=move: i.move_id == move)
            self.assertEqual((item.user_id, item.team_id), (self.seller, self.north), move.name)
        other = items.filtered(lambda i: i.move_id == self.other_sale)
        self.assertEqual((other.user_id, other.team_id), (self.other_seller, self.south))

    def test_salesperson_sees_his_own_items(self):
        self.assertEqual(self.buckets(self.seller), {"not_due": 500, "1_30": -500, "31_60": 600, "over_90": 700})
        self.assertEqual(self.items(self.other_seller).move_id, self.other_sale)
        self.assertEqual(len(self.items(self.manager)), 6)
