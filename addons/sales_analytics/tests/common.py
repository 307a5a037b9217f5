from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.sales_base.tests.common import SuiteCommon


class SalesAnalyticsCommon(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "sales.review.rule" in cls.env:  # with sales_credit, the demo's review rules would hold the orders
            cls.env["sales.review.rule"].search([]).action_archive()
        cls.now = fields.Datetime.now()
        cls.salesman = new_test_user(cls.env, "analysis_salesman", groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(
            cls.env, "analysis_manager", groups="sales_team.group_sale_manager", email="manager@example.com"
        )
        cls.stock_user = new_test_user(cls.env, "analysis_stock_user", groups="stock.group_stock_user")
        cls.tier_key = cls.env.ref("sales_base.tier_key")
        cls.tier_normal = cls.env.ref("sales_base.tier_normal")
        cls.categ_steel = cls.env["product.category"].create({"name": "Steel"})
        cls.categ_wire = cls.env["product.category"].create({"name": "Wire"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Steel wire",
                "list_price": 100,
                "categ_id": cls.categ_wire.id,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
                "standard_price": 60,
            }
        )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Steel coil",
                "is_storable": True,
                "list_price": 100,
                "categ_id": cls.categ_steel.id,
                "taxes_id": [Command.clear()],
                "invoice_policy": "delivery",
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.goods, cls.warehouse.lot_stock_id, 100)
        cls.key = cls.env["res.partner"].create(
            {"name": "Key Co", "is_company": True, "customer_tier_id": cls.tier_key.id}
        )
        cls.normal = cls.env["res.partner"].create(
            {"name": "Normal Co", "is_company": True, "customer_tier_id": cls.tier_normal.id}
        )

    def order(self, partner, qty, price, product=None, confirm=True, date=None, **vals):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": (product or self.product).id, "product_uom_qty": qty, "price_unit": price}
                        )
                    ],
                    **vals,
                }
            )
        )
        if confirm:
            order.action_confirm()
        if date:
            order.date_order = date
        return order

    def days(self, n):
        return self.now + timedelta(days=n)
