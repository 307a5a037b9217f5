from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.sales_base.tests.common import SuiteCommon


class SalesCreditCommon(SuiteCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.company = cls.env.company
        # demo data sets thresholds on the main company; each test sets the ones it needs
        cls.company.write({"credit_overdue_amount_limit": 0, "credit_overdue_days_limit": 0})
        # like Odoo's default internal users, salespeople may create and edit contacts
        cls.salesman = new_test_user(
            cls.env, "credit_salesman", groups="sales_team.group_sale_salesman,base.group_partner_manager"
        )
        cls.sale_manager = new_test_user(
            cls.env, "credit_sale_manager", groups="sales_team.group_sale_manager,base.group_partner_manager"
        )
        cls.credit_user = new_test_user(cls.env, "credit_user", groups="sales_credit.group_credit_user")
        cls.credit_manager = new_test_user(cls.env, "credit_manager", groups="sales_credit.group_credit_manager")
        cls.stock_user = new_test_user(cls.env, "credit_stock_user", groups="stock.group_stock_user")
        # the tests define their own regions and review rules
        cls.env["sales.region"].search([]).action_archive()
        cls.env["sales.review.rule"].search([]).action_archive()
        cls.tier_key = cls.env.ref("sales_base.tier_key")
        cls.tier_normal = cls.env.ref("sales_base.tier_normal")
        cls.country_cn = cls.env.ref("base.cn")
        cls.state_zj = cls.env.ref("base.state_cn_ZJ")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hangzhou Steel Trading", "is_company": True, "country_id": cls.country_cn.id}
        )
        cls.contact = cls.env["res.partner"].create({"name": "Ms. Wang", "parent_id": cls.customer.id})
        cls.tax_10 = cls.env["account.tax"].create(
            {"name": "VAT 10%", "amount": 10, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "Installation",
                "type": "service",
                "list_price": 100,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
            }
        )
        cls.goods = cls.env["product.product"].create(
            {
                "name": "Steel coil",
                "is_storable": True,
                "list_price": 100,
                "taxes_id": [Command.set(cls.tax_10.ids)],
                "invoice_policy": "delivery",
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.goods, cls.warehouse.lot_stock_id, 1000)
        # 1 company currency = 2 units of FCY
        cls.foreign = cls.env["res.currency"].create({"name": "FCY", "symbol": "F", "rounding": 0.01})
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.foreign.id, "rate": 2.0, "name": "2020-01-01", "company_id": cls.company.id}
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create({"name": "FCY", "currency_id": cls.foreign.id})

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    @classmethod
    def set_credit(cls, partner, limit=0.0, policy=False, hold=False, reason=False):
        partner.with_user(cls.credit_manager).write(
            {"credit_limit": limit, "credit_policy": policy, "credit_hold": hold, "credit_hold_reason": reason}
        )

    def order(self, amount, partner=None, product=None, confirm=False, user=None, **vals):
        """An order of ``amount`` (price of one unit of a tax-free service, unless a product is given)."""
        product = product or self.service
        order = (
            self.env["sale.order"]
            .with_user(user or self.salesman)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": amount})
                    ],
                    **vals,
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    def invoice(self, amount, partner=None, days_ago=0, post=True, move_type="out_invoice"):
        day = self.today - timedelta(days=days_ago)
        invoice = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": day,
                "date": day,
                "invoice_date_due": day,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})
                ],
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def pay(self, invoice, days_ago=0, amount=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": self.today - timedelta(days=days_ago), **({"amount": amount} if amount else {})})
        )
        wizard._create_payments()

    def figures(self, partner=None):
        return (
            (partner or self.customer)
            .with_user(self.credit_user)
            .read(
                [
                    "credit_open_receivable",
                    "credit_draft_invoices",
                    "credit_delivered_uninvoiced",
                    "credit_undelivered",
                    "credit_exposure",
                    "credit_available",
                    "credit_overdue_amount",
                    "credit_overdue_days",
                ]
            )[0]
        )
