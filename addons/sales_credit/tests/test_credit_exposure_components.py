from odoo import Command
from odoo.tests import tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestCreditExposureComponents(SalesCreditCommon):
    """One customer holding every kind of document at once; each component computed by hand, taxes included.

    Coils sell at 100 + 10 % tax (110 a unit), wire at 50 + 10 % (55), invoices below are tax-free.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wire = cls.env["product.product"].create(
            {
                "name": "Steel wire",
                "is_storable": True,
                "list_price": 50,
                "taxes_id": [Command.set(cls.tax_10.ids)],
                "invoice_policy": "delivery",
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.wire, cls.warehouse.lot_stock_id, 100)

    def goods_order(self, qty, **vals):
        order = self.order(100, product=self.goods, confirm=True, **vals)
        order.order_line.product_uom_qty = qty
        # the salesperson sells; accounting (the administrator here) invoices
        return order.with_env(self.env)

    def down_payment(self, order, percent):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": percent})
        )
        wizard.create_invoices()
        return order.invoice_ids.filtered(lambda inv: inv.state == "draft")

    def deliver_with_extra(self, order, extra_product, extra_qty):
        """Ship the whole order plus a product it does not name (Odoo adds it as a line ordered 0)."""
        picking = order.picking_ids
        self.env["stock.move"].create(
            {
                "name": extra_product.name,
                "product_id": extra_product.id,
                "product_uom_qty": extra_qty,
                "product_uom": extra_product.uom_id.id,
                "picking_id": picking.id,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            }
        )
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        # as the administrator: stock Odoo lets only sales users add the order line of an extra product
        picking.button_validate()

    def test_every_document_counted_once(self):
        # receivables: 1000 paid 400, a credit note of 150, a payment of 200 not applied
        self.pay(self.invoice(1000), amount=400)
        self.invoice(150, move_type="out_refund")
        payment = self.env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id, "amount": 200}
        )
        payment.action_post()
        # drafts: an invoice of 300 and a credit note of 50
        self.invoice(300, post=False)
        self.invoice(50, post=False, move_type="out_refund")
        # 10 coils: 6 delivered and invoiced (660 receivable), 2 more delivered, 2 still to deliver
        partly = self.goods_order(10)
        self.deliver(partly, 6)
        partly._create_invoices().action_post()
        self.deliver(partly, 2)
        # 3 coils delivered with 2 wire the order does not name
        extra = self.goods_order(3)
        self.deliver_with_extra(extra, self.wire, 2)
        self.assertEqual(extra.order_line.filtered(lambda l: l.product_id == self.wire).product_uom_qty, 0)
        # 5 coils (550) with a 20 % down payment posted and unpaid: 100 + 10 % = 110 receivable
        prepaid = self.goods_order(5)
        self.down_payment(prepaid, 20).action_post()
        # 1 coil at 300 FCY + 10 % = 330 FCY = 165 at 2 FCY a unit
        self.order(300, product=self.goods, confirm=True, pricelist_id=self.foreign_pricelist.id)

        open_receivable = (1000 - 400) - 150 - 200 + 6 * 110 + 110
        draft_invoices = 300 - 50
        delivered_uninvoiced = 2 * 110 + (3 * 110 + 2 * 55)
        undelivered = 2 * 110 + (5 * 110 - 110) + 330 / 2
        figures = self.figures()
        self.assertAlmostEqual(figures["credit_open_receivable"], open_receivable)
        self.assertAlmostEqual(figures["credit_draft_invoices"], draft_invoices)
        self.assertAlmostEqual(figures["credit_delivered_uninvoiced"], delivered_uninvoiced)
        self.assertAlmostEqual(figures["credit_undelivered"], undelivered)
        self.assertAlmostEqual(
            figures["credit_exposure"], open_receivable + draft_invoices + delivered_uninvoiced + undelivered
        )
        # Odoo's own receivable figure of the customer agrees
        self.assertAlmostEqual(self.customer.credit, open_receivable)

    def test_extra_delivered_line_counts_delivered(self):
        order = self.goods_order(1)
        self.deliver_with_extra(order, self.wire, 4)
        self.assertAlmostEqual(self.figures()["credit_delivered_uninvoiced"], 110 + 4 * 55)

    def test_down_payment_counts_once_until_the_final_invoice(self):
        order = self.goods_order(5)
        dp_invoice = self.down_payment(order, 20)
        # in draft, counted with the drafts
        figures = self.figures()
        self.assertAlmostEqual(figures["credit_draft_invoices"], 110)
        self.assertAlmostEqual(figures["credit_undelivered"], 440)
        dp_invoice.action_post()
        self.customer.invalidate_recordset()
        figures = self.figures()
        self.assertAlmostEqual(figures["credit_open_receivable"], 110)
        self.assertAlmostEqual(figures["credit_undelivered"], 440)
        self.assertAlmostEqual(figures["credit_exposure"], 550)
        # one coil delivered: the down payment still comes off what is not delivered
        self.deliver(order, 1)
        self.customer.invalidate_recordset()
        figures = self.figures()
        self.assertAlmostEqual(figures["credit_delivered_uninvoiced"], 110)
        self.assertAlmostEqual(figures["credit_undelivered"], 330)
        self.assertAlmostEqual(figures["credit_exposure"], 550)
        # all delivered, then invoiced less the down payment: 550 - 110
        self.deliver(order, 4)
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.figures()["credit_delivered_uninvoiced"], 440)
        final = order._create_invoices(final=True)
        self.assertAlmostEqual(final.amount_total, 440)
        final.action_post()
        self.customer.invalidate_recordset()
        figures = self.figures()
        self.assertAlmostEqual(figures["credit_open_receivable"], 550)
        self.assertAlmostEqual(figures["credit_delivered_uninvoiced"], 0)
        self.assertAlmostEqual(figures["credit_undelivered"], 0)
        self.pay(dp_invoice)
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.figures()["credit_exposure"], 440)
