from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_collection_ageing import TODAY, CollectionCommon

FEBRUARY = date(2026, 2, 1)
MARCH = date(2026, 3, 1)
FIGURES = [
    "amount_collected",
    "amount_due",
    "collected_rate",
    "days_to_pay",
    "amount_open",
    "amount_overdue",
    "overdue_share",
    "promises_kept",
    "promises_broken",
    "promise_kept_rate",
]


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCollectionScorecard(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the seller (North): 1000 due 9 Feb, paid 19 Feb (40 days after its date), promised for 20 Feb: kept
        cls.paid = cls.invoice(1000, date(2026, 1, 10), due=date(2026, 2, 9))
        cls.pay(cls.paid, 1000, date(2026, 2, 19))
        # 600 due 15 Feb, 200 paid 25 Feb (24 days), all 600 promised for 28 Feb: broken
        cls.partly_paid = cls.invoice(600, date(2026, 2, 1), due=date(2026, 2, 15))
        cls.pay(cls.partly_paid, 200, date(2026, 2, 25))
        cls.paid.promise_date = date(2026, 2, 20)
        cls.partly_paid.write({"promise_date": date(2026, 2, 28), "promise_amount": 600})
        # 400 due 12 March: neither due nor overdue in February
        cls.invoice(400, date(2026, 2, 10), due=date(2026, 3, 12))
        # the other seller (South): 800 due 19 Feb paid 5 March (44 days); 100 received 10 Feb, not applied
        cls.late = cls.invoice(
            800, date(2026, 1, 20), due=date(2026, 2, 19), partner=cls.other_customer, user=cls.other_seller
        )
        cls.pay(cls.late, 800, date(2026, 3, 5))
        cls.unapplied_payment(100, date(2026, 2, 10), partner=cls.other_customer)

    def card(self, user, groupby, month=FEBRUARY):
        """Figures of the month per ``groupby``, as the pivot aggregates them."""
        sellers = (self.seller | self.other_seller).ids
        groups = (
            self.env["sales.collection.scorecard"]
            .with_user(user)
            .read_group([("date", "=", month), ("user_id", "in", sellers)], FIGURES, groupby, lazy=False)
        )
        return {
            (group[groupby[0]][0] if group[groupby[0]] else False) if groupby else "total": {
                name: round(group[name], 2) if group[name] else group[name] for name in FIGURES
            }
            for group in groups
        }

    def test_scorecard_per_salesperson(self):
        card = self.card(self.manager, ["user_id"])
        # collected 1000 + 200 of 1600 due; (1000 * 40 + 200 * 24) / 1200 days; 400 of 800 open is overdue
        self.assertEqual(
            card[self.seller.id],
            {
                "amount_collected": 1200,
                "amount_due": 1600,
                "collected_rate": 75,
                "days_to_pay": 37.33,
                "amount_open": 800,
                "amount_overdue": 400,
                "overdue_share": 50,
                "promises_kept": 1,
                "promises_broken": 1,
                "promise_kept_rate": 50,
            },
        )
        # nothing collected in February; 800 open less the 100 unapplied, both overdue
        self.assertEqual(
            card[self.other_seller.id],
            {
                "amount_collected": 0,
                "amount_due": 800,
                "collected_rate": 0,
                "days_to_pay": False,
                "amount_open": 700,
                "amount_overdue": 700,
                "overdue_share": 100,
                "promises_kept": 0,
                "promises_broken": 0,
                "promise_kept_rate": False,
            },
        )

    def test_scorecard_per_team_and_in_total(self):
        per_team = self.card(self.manager, ["team_id"])
        self.assertEqual(per_team[self.north.id], self.card(self.manager, ["user_id"])[self.seller.id])
        total = self.card(self.manager, [])["total"]
        # rates of the sums: 1200 / 2400, 1100 / 1500, 1 of 2 promises
        self.assertEqual(
            total,
            {
                "amount_collected": 1200,
                "amount_due": 2400,
                "collected_rate": 50,
                "days_to_pay": 37.33,
                "amount_open": 1500,
                "amount_overdue": 1100,
                "overdue_share": 73.33,
                "promises_kept": 1,
                "promises_broken": 1,
                "promise_kept_rate": 50,
            },
        )

    def test_current_month_balances_are_the_ageing(self):
        card = self.card(self.manager, ["user_id"], month=MARCH)
        # March: 800 collected on 5 March, 44 days after its date; the seller's 400 due 12 March
        self.assertEqual(card[self.other_seller.id]["amount_collected"], 800)
        self.assertEqual(card[self.other_seller.id]["days_to_pay"], 44)
        self.assertEqual(card[self.seller.id]["amount_due"], 400)
        ageing = dict(
            self.env["sales.collection.item"]
            .with_user(self.manager)
            ._read_group([("user_id", "in", (self.seller | self.other_seller).ids)], ["user_id"], ["residual:sum"])
        )
        self.assertEqual(ageing[self.seller], 800)
        self.assertEqual(ageing[self.other_seller], -100)
        self.assertEqual(card[self.seller.id]["amount_open"], 800)
        self.assertEqual(card[self.other_seller.id]["amount_open"], -100)
        self.assertEqual(card[self.seller.id]["amount_overdue"], 800, "both 400 are past their due date on 15 March")

    def test_salesperson_sees_his_own_scorecard(self):
        self.assertEqual(list(self.card(self.seller, ["user_id"])), [self.seller.id])
        self.assertEqual(list(self.card(self.other_seller, ["user_id"])), [self.other_seller.id])
        self.assertEqual(self.env["sales.collection.scorecard"].with_user(self.seller).search([]).user_id, self.seller)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestOrderCollection(CollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Gate valve", "type": "service", "invoice_policy": "order", "list_price": 100}
        )
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.seller)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_uom_qty": qty, "tax_id": [Command.clear()]}
                        )
                        for qty in (6, 4)
                    ],
                }
            )
        )
        cls.order.action_confirm()
        first, second = cls.order.order_line

        def lines(sale_line, qty):
            return [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "quantity": qty,
                        "price_unit": 100,
                        "tax_ids": [Command.clear()],
                        "sale_line_ids": [Command.set(sale_line.ids)],
                    }
                )
            ]

        # 600 due 1 February, 250 of it paid; 400 due 1 April; a credit note of 100 not yet applied, dated 1 March
        cls.first_invoice = cls.invoice(0, date(2026, 1, 10), due=date(2026, 2, 1), lines=lines(first, 6))
        cls.pay(cls.first_invoice, 250, date(2026, 2, 10))
        cls.invoice(0, date(2026, 3, 1), due=date(2026, 4, 1), lines=lines(second, 4))
        cls.invoice(0, date(2026, 3, 1), due=date(2026, 3, 1), move_type="out_refund", lines=lines(first, 1))

    def figures(self, user):
        rows = self.env["sales.order.collection"].with_user(user).search([("order_id", "=", self.order.id)])
        return rows.read(["amount_invoiced", "amount_paid", "amount_open", "amount_overdue", "is_overdue"])

    def test_order_figures(self):
        # invoiced 600 + 400 - 100; open 350 + 400 - 100; settled 250; overdue 350 less the credit note past its date
        self.assertEqual(
            self.figures(self.manager),
            [
                {
                    "id": self.order.id,
                    "amount_invoiced": 900,
                    "amount_paid": 250,
                    "amount_open": 650,
                    "amount_overdue": 250,
                    "is_overdue": True,
                }
            ],
        )
        self.assertEqual(self.figures(self.seller)[0]["amount_open"], 650)

    def test_salesperson_sees_his_own_orders(self):
        self.assertFalse(self.figures(self.other_seller))
