from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_collection_ageing import TODAY, CollectionCommon


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
