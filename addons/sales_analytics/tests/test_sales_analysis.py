from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_credit.tests.common import SuiteCommon


@tagged("post_install", "-at_install")
class TestSalesAnalysis(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "analysis_salesman", groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, "analysis_manager", groups="sales_team.group_sale_manager")
        cls.tier_key = cls.env.ref("sales_credit.tier_key")
        cls.tier_normal = cls.env.ref("sales_credit.tier_normal")
        cls.product = cls.env["product.product"].create({"name": "Steel wire", "list_price": 100})
        cls.key = cls.env["res.partner"].create(
            {"name": "Key Co", "is_company": True, "customer_tier_id": cls.tier_key.id}
        )
        cls.normal = cls.env["res.partner"].create(
            {"name": "Normal Co", "is_company": True, "customer_tier_id": cls.tier_normal.id}
        )
        # 1 company currency = 2 units of the foreign currency
        cls.foreign = cls.env["res.currency"].create({"name": "FCY", "symbol": "F", "rounding": 0.01})
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.foreign.id, "rate": 2.0, "name": "2020-01-01", "company_id": cls.env.company.id}
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": cls.foreign.id}
        )

    def _order(self, partner, qty, price, confirm=True, **vals):
        order = self.env["sale.order"].with_user(self.salesman).create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": qty, "price_unit": price})
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _amounts_by_tier(self):
        groups = self.env["sales.analysis"].with_user(self.manager)._read_group(
            [("partner_id", "in", (self.key | self.normal).ids)], ["customer_tier_id"], ["amount_ordered:sum"]
        )
        return {tier: amount for tier, amount in groups}

    def test_only_confirmed_orders_count_in_company_currency(self):
        self._order(self.key, 2, 100)
        self._order(self.normal, 3, 100, pricelist_id=self.foreign_pricelist.id)
        self._order(self.normal, 10, 100).with_user(self.salesman)._action_cancel()
        self._order(self.key, 5, 100, confirm=False)
        self.assertEqual(self._amounts_by_tier(), {self.tier_key: 200.0, self.tier_normal: 150.0})

    def test_late_and_at_risk_lines(self):
        now = fields.Datetime.now()
        late = self._order(self.key, 1, 100, commitment_date=now - timedelta(days=1))
        soon = self._order(self.key, 1, 100, commitment_date=now + timedelta(days=2))
        later = self._order(self.key, 1, 100, commitment_date=now + timedelta(days=10))
        Analysis = self.env["sales.analysis"].with_user(self.manager)
        self.assertEqual(Analysis.search([("is_late", "=", True)]).order_id & (late | soon | later), late)
        self.assertEqual(Analysis.search([("is_at_risk", "=", True)]).order_id & (late | soon | later), late | soon)
        self.env.company.sales_at_risk_days = 0
        self.assertEqual(Analysis.search([("is_at_risk", "=", True)]).order_id & (late | soon | later), late)

    def test_negative_horizon_refused(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.env.company.sales_at_risk_days = -1
