from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import SalesAnalyticsCommon


@tagged("post_install", "-at_install")
class TestOrderExecution(SalesAnalyticsCommon):
    def execution(self, orders):
        return self.env["sales.order.execution"].with_user(self.manager).search([("order_id", "in", orders.ids)])

    def give_back(self, picking, qty):
        """The customer returns ``qty`` of a delivery."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking")
        ).save()
        wizard.product_return_moves.quantity = qty
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = qty
        returned.move_ids.picked = True
        returned.button_validate()
        return returned

    def test_otif_on_known_deliveries(self):
        on_time = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(1))
        self.deliver(on_time, 5)
        late = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(-3))
        self.deliver(late, 5)
        short = self.order(self.key, 4, 10, product=self.goods, commitment_date=self.days(-1))
        self.deliver(short, 2)
        rows = {row.order_id: row for row in self.execution(on_time | late | short)}
        self.assertRecordValues(
            rows[on_time],
            [
                {
                    "on_time_rate": 100,
                    "in_full_rate": 100,
                    "otif_rate": 100,
                    "fill_rate": 100,
                    "days_late": 0,
                    "delivery_status": "full",
                }
            ],
        )
        self.assertRecordValues(
            rows[late], [{"on_time_rate": 0, "in_full_rate": 100, "otif_rate": 0, "days_late": 3, "is_late": False}]
        )
        self.assertRecordValues(
            rows[short],
            [
                {
                    "on_time_rate": 0,
                    "in_full_rate": 0,
                    "otif_rate": 0,
                    "fill_rate": 50,
                    "is_late": True,
                    "delivery_status": "partial",
                }
            ],
        )
        [(otif, fill)] = (
            self.env["sales.order.execution"]
            .with_user(self.manager)
            ._read_group([("order_id", "in", (on_time | late | short).ids)], [], ["otif_rate:avg", "fill_rate:avg"])
        )
        self.assertAlmostEqual(otif, 100 / 3)
        self.assertAlmostEqual(fill, 250 / 3)

    def test_not_due_lines_are_not_judged(self):
        order = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(10))
        row = self.execution(order)
        self.assertFalse(row.otif_rate)
        [(count, otif)] = self.env["sales.order.execution"]._read_group(
            [("id", "=", row.id)], [], ["__count", "otif_rate:avg"]
        )
        self.assertEqual(count, 1)
        self.assertIs(otif, False, "no rate at all, not 0 %")

    def test_at_risk_when_promised_soon_without_stock(self):
        self.warehouse.out_type_id.reservation_method = "manual"
        soon = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(2))
        later = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(10))
        reserved = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(2))
        reserved.picking_ids.action_assign()
        at_risk = (
            self.env["sales.order.execution"]
            .with_user(self.manager)
            .search([("is_at_risk", "=", True), ("order_id", "in", (soon | later | reserved).ids)])
        )
        self.assertEqual(at_risk.order_id, soon)
        self.env.company.sales_at_risk_days = 15
        self.assertEqual(self.execution(later).is_at_risk, True)

    def test_returns_change_no_measure_of_a_line_delivered_in_full_on_time(self):
        order = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(1))
        picking = self.deliver(order, 5)
        self.give_back(picking, 2)
        expected = {
            "qty_delivered": 5,
            "qty_on_time": 5,
            "qty_returned": 2,
            "delivery_status": "full",
            "is_late": False,
            "is_at_risk": False,
            "on_time_rate": 100,
            "in_full_rate": 100,
            "otif_rate": 100,
            "fill_rate": 100,
            "days_late": 0,
        }
        self.assertRecordValues(self.execution(order), [expected])
        # once the promised day has passed, the line is still what it was on that day
        with freeze_time(self.days(5)):
            self.assertRecordValues(self.execution(order), [expected])

    def test_partial_delivery_late_and_short(self):
        order = self.order(self.key, 4, 10, product=self.goods, commitment_date=self.days(-1))
        self.deliver(order, 1)
        self.assertRecordValues(
            self.execution(order),
            [
                {
                    "qty_delivered": 1,
                    "qty_on_time": 0,
                    "delivery_status": "partial",
                    "is_late": True,
                    "on_time_rate": 0,
                    "in_full_rate": 0,
                    "otif_rate": 0,
                    "fill_rate": 25,
                    "days_late": 1,
                }
            ],
        )

    def test_late_in_full(self):
        order = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(-3))
        self.deliver(order, 5)
        self.assertRecordValues(
            self.execution(order),
            [{"on_time_rate": 0, "in_full_rate": 100, "otif_rate": 0, "days_late": 3, "is_late": False}],
        )

    def test_split_delivery_in_full_but_not_all_on_time(self):
        """3 units leave two days before the promised day, the other 2 two days after it."""
        order = self.order(self.key, 5, 10, product=self.goods, commitment_date=self.days(-2))
        first = self.deliver(order, 3)
        first.move_ids.date = self.days(-4)
        second = self.deliver(order, 2)
        row = self.execution(order)
        self.assertRecordValues(
            row,
            [
                {
                    "qty_delivered": 5,
                    "qty_on_time": 3,
                    "delivery_status": "full",
                    "on_time_rate": 100,
                    "in_full_rate": 100,
                    "otif_rate": 0,
                    "fill_rate": 100,
                    "days_late": 2,
                }
            ],
        )
        self.assertEqual(row.delivery_date, second.move_ids.date, "delivered in full by the second delivery")
        self.assertIsInstance(row.days_late, int)
