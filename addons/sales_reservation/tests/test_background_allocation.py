from odoo.tests import tagged

from .test_priority_allocation import AllocationCommon


@tagged("post_install", "-at_install")
class TestBackgroundAllocation(AllocationCommon):
    def test_large_allocation_runs_as_a_job_and_tells_the_requester(self):
        normal_order, key_order = self._order(self.normal, 8), self._order(self.key, 6)
        self.company.sales_background_threshold = 1
        shortage = self.env["sales.shortage"].with_user(self.manager).search([("product_id", "=", self.product.id)])
        action = shortage.action_allocate()
        self.assertEqual(action["tag"], "display_notification")
        run = self.env["sales.allocation.run"].browse(action["params"]["next"]["res_id"])
        self.assertEqual(run.job_state, "queued")
        self.assertIn("(2 waiting stock moves)", run.with_user(self.manager).job_banner)
        self.assertEqual((self.reserved(normal_order), self.reserved(key_order)), (0, 0), "nothing done in the request")

        self.env.ref("sales_base.ir_cron_sales_background_jobs").method_direct_trigger()
        self.assertEqual((self.reserved(normal_order), self.reserved(key_order)), (4, 6))
        self.assertFalse(run.job_state)
        self.assertEqual(run.line_ids.mapped("order_id"), normal_order | key_order)
        inbox = (
            self.env["mail.message"]
            .with_user(self.manager)
            .search([("model", "=", run._name), ("res_id", "=", run.id)])
        )
        self.assertEqual(inbox.partner_ids, self.manager.partner_id)
        self.assertIn(run.summary, inbox.body)

    def test_small_allocation_runs_at_once(self):
        normal_order, key_order = self._order(self.normal, 8), self._order(self.key, 6)
        self.company.sales_background_threshold = 2
        action = self.product.product_tmpl_id.with_user(self.manager).action_allocate_stock()
        run = self.env["sales.allocation.run"].browse(action["res_id"])
        self.assertFalse(run.job_state)
        self.assertEqual((self.reserved(normal_order), self.reserved(key_order)), (4, 6))
