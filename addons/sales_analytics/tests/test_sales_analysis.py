from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SalesAnalyticsCommon


@tagged("post_install", "-at_install")
class TestSalesAnalysis(SalesAnalyticsCommon):
    def analysis(self, partners, groupby, measures):
        return (
            self.env["sales.analysis"]
            .with_user(self.manager)
            ._read_group([("partner_id", "in", partners.ids)], groupby, measures)
        )

    def test_only_confirmed_orders_count_in_company_currency(self):
        foreign = self.env["res.currency"].create({"name": "FCY", "symbol": "F", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "rate": 2.0, "name": "2020-01-01", "company_id": self.env.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": foreign.id})
        self.order(self.key, 2, 100)
        self.order(self.normal, 3, 100, pricelist_id=pricelist.id)
        self.order(self.normal, 10, 100).with_user(self.salesman)._action_cancel()
        self.order(self.key, 5, 100, confirm=False)
        self.assertEqual(
            dict(self.analysis(self.key | self.normal, ["customer_tier_id"], ["amount_ordered:sum"])),
            {self.tier_key: 200.0, self.tier_normal: 150.0},
        )

    def test_orders_and_margin(self):
        self.order(self.key, 2, 100)
        self.order(self.key, 1, 100)
        [(orders, margin, amount)] = self.analysis(
            self.key, [], ["order_count:count_distinct", "margin:sum", "amount_ordered:sum"]
        )
        self.assertEqual(orders, 2)
        self.assertAlmostEqual(amount, 300)
        self.assertAlmostEqual(margin, 300 - 3 * 60)

    def test_credit_note_reduces_invoiced(self):
        order = self.order(self.key, 3, 100)
        invoice = order._create_invoices()
        invoice.action_post()
        refund = invoice._reverse_moves()
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        [(invoiced, to_invoice)] = self.analysis(self.key, [], ["amount_invoiced:sum", "amount_to_invoice:sum"])
        self.assertAlmostEqual(invoiced, 200)
        self.assertAlmostEqual(to_invoice, 100)

    def test_return_reduces_delivered(self):
        order = self.order(self.key, 10, 50, product=self.goods)
        picking = self.deliver(order, 10)
        wizard = Form(self.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking"))
        wizard = wizard.save()
        wizard.product_return_moves.quantity = 4
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = 4
        returned.move_ids.picked = True
        returned.button_validate()
        [(qty, amount, to_deliver)] = self.analysis(
            self.key, [], ["qty_delivered:sum", "amount_delivered:sum", "amount_to_deliver:sum"]
        )
        self.assertAlmostEqual(qty, 6)
        self.assertAlmostEqual(amount, 300)
        self.assertAlmostEqual(to_deliver, 200)

    def test_salesperson_sees_only_his_sales(self):
        mine = self.order(self.key, 1, 100)
        other = self.order(self.normal, 1, 100)
        other.user_id = self.manager
        seen = (
            self.env["sales.analysis"]
            .with_user(self.salesman)
            .search([("partner_id", "in", (self.key | self.normal).ids)])
            .order_id
        )
        self.assertEqual(seen, mine)

    def test_negative_settings_refused(self):
        with self.assertRaisesText(ValidationError, "between 0 and 3650 days, not -1"):
            self.env.company.sales_at_risk_days = -1
        with self.assertRaisesText(ValidationError, "between 0 and 3650 days, not 4000"):
            self.env.company.sales_at_risk_days = 4000
        with self.assertRaisesText(ValidationError, "0 to 23"):
            self.env.company.daily_report_hour = 24
