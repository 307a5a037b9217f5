import threading

from psycopg2.errors import SerializationFailure

from odoo import Command
from odoo.tests import tagged

from odoo.addons.sales_base.tests.common import ConcurrencyCommon


@tagged("post_install", "-at_install")
class TestCreditConcurrency(ConcurrencyCommon):
    """Two salespeople confirm orders of one customer at the same moment, in two transactions."""

    def setUp(self):
        super().setUp()
        with self.transaction() as env:
            product = env["product.product"].create({"name": "Consulting day", "type": "service"})
            customer = env["res.partner"].create({"name": "Concurrent Customer", "is_company": True})
            customer.write({"credit_limit": 1000, "credit_policy": "block"})
            salesman = env["res.users"].create(
                {
                    "name": "Concurrent seller",
                    "login": "concurrent_seller",
                    "email": "seller@example.com",
                    "groups_id": [Command.set(env.ref("sales_team.group_sale_salesman_all_leads").ids)],
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "user_id": salesman.id,
                        "order_line": [Command.create({"product_id": product.id, "price_unit": 600})],
                    }
                    for _i in range(2)
                ]
            )
            self.ids = {"product": product.id, "customer": customer.id, "salesman": salesman.id, "orders": orders.ids}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.transaction() as env:
            orders = env["sale.order"].browse(self.ids["orders"])
            orders._action_cancel()
            orders.unlink()
            env["res.users"].browse(self.ids["salesman"]).unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()
            env["product.product"].browse(self.ids["product"]).unlink()

    def test_two_transactions_cannot_both_use_the_credit(self):
        first_locked = threading.Event()
        errors, retried = [], []

        def confirm(order_id, wait_for_other):
            try:
                # queue the credit managers' emails: sending them at commit needs the registries' lock
                with self.transaction(self.ids["salesman"], {"mail_notify_force_send": False}) as env:

                    def run():
                        env["sale.order"].browse(order_id).action_confirm()
                        if not wait_for_other:
                            # hold the customer's lock while the other transaction tries its check
                            first_locked.set()
                            threading.Event().wait(1.0)

                    if wait_for_other:
                        first_locked.wait(10)
                    try:
                        run()
                    except SerializationFailure:
                        # what Odoo's request retry does (its own helper needs the registries' lock)
                        retried.append(order_id)
                        env.cr.rollback()
                        env.transaction.clear()
                        run()
            except Exception as e:  # noqa: BLE001 - reported by the assertion below
                errors.append(e)

        threads = [
            threading.Thread(target=confirm, args=(order_id, i == 1)) for i, order_id in enumerate(self.ids["orders"])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertFalse(errors)
        self.assertEqual(retried, self.ids["orders"][1:], "the second transaction had to start again")
        with self.transaction() as env:
            first, second = env["sale.order"].browse(self.ids["orders"])
            self.assertEqual(first.state, "sale")
            self.assertEqual(second.state, "draft")
            self.assertTrue(second.on_credit_hold)

    def test_a_quotation_made_meanwhile_for_the_customer_saves(self):
        """Another quotation for the customer, in a transaction that began before a confirmation's credit check
        committed, saves at once: the check serialises on a row of its own, not on the customer's, which the
        quotation's foreign key checks."""
        with self.transaction(self.ids["salesman"]) as quoting:
            # the quoting transaction's snapshot starts here, before the confirmation commits
            self.assertTrue(quoting["res.partner"].browse(self.ids["customer"]).name)
            with self.transaction(self.ids["salesman"], {"mail_notify_force_send": False}) as confirming:
                order = confirming["sale.order"].browse(self.ids["orders"][0])
                order.action_confirm()
                self.assertEqual(order.state, "sale")
            quotation = quoting["sale.order"].create(
                {
                    "partner_id": self.ids["customer"],
                    "order_line": [Command.create({"product_id": self.ids["product"], "price_unit": 10})],
                }
            )
            self.ids["orders"].append(quotation.id)
        with self.transaction() as env:
            self.assertEqual(env["sale.order"].browse(quotation.id).state, "draft")
