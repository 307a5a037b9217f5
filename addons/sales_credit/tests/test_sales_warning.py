from datetime import datetime, time, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import format_date, mute_logger

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestSalesWarning(SalesCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        cls.company.write(
            {
                "credit_manager_id": cls.credit_manager.id,
                "warning_order_late": True,
                "sales_at_risk_days": 3,
                "warning_credit": True,
                "warning_credit_margin": 10,
                "warning_decision": True,
                "warning_decision_hours": 24,
                "warning_escalation_hours": 48,
                "warning_stopped": True,
                "warning_stopped_factor": 3,
            }
        )
        cls.customer.user_id = cls.salesman
        cls.Warning = cls.env["sales.warning"]
        cls.late = cls.env["res.partner"].create({"name": "Ningbo Late Pumps", "is_company": True})

    def run_warnings(self, at=None):
        """The daily job, at ``at`` (now by default); the warnings it sent in the digest."""
        with freeze_time(at or self.now):
            self.Warning._cron_run_warnings()
        return self.Warning.search([("notified_date", "!=", False), ("state", "=", "open")])

    def mine(self, user, kind=None):
        """The open warnings ``user`` sees in Sales > Orders > Early Warnings (Mine, Open)."""
        partners = (self.customer | self.late).ids
        domain = [("user_id", "=", user.id), ("state", "=", "open"), ("partner_id", "in", partners)]
        domain += [("kind", "=", kind)] if kind else []
        return self.Warning.with_user(user).search(domain)

    def digests(self, user):
        return (
            self.env["mail.mail"]
            .search([("recipient_ids", "in", user.partner_id.ids)])
            .filtered(lambda m: "early warning" in (m.subject or "").lower())
        )

    def goods_order(self, qty, commitment, partner=None, user=None):
        order = self.order(0, product=self.goods, partner=partner or self.late, commitment_date=commitment, user=user)
        order.order_line.write({"product_uom_qty": qty, "price_unit": 10})
        order.action_confirm()
        return order

    # ------------------------------------------------------------
    # late and at-risk orders
    # ------------------------------------------------------------

    def test_late_order_warns_its_salesperson_once_with_a_todo(self):
        order = self.goods_order(5, self.now - timedelta(days=2))
        self.run_warnings()
        late = self.mine(self.salesman, "order_late")
        self.assertEqual(late.order_id, order)
        self.assertIn("2 day(s) ago", late.detail)
        todo = order.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertEqual(len(todo), 1)
        self.assertEqual(len(self.digests(self.salesman)), 1)
        self.assertIn(order.name, self.digests(self.salesman).body_html)
        # the next day: still late, nothing new sent, no second to-do
        self.run_warnings(self.now + timedelta(days=1))
        self.assertEqual(self.mine(self.salesman, "order_late"), late)
        self.assertEqual(len(self.digests(self.salesman)), 1)
        self.assertEqual(len(order.activity_ids.filtered(lambda a: a.user_id == self.salesman)), 1)

    def test_todo_done_while_the_order_stays_late_is_not_given_again(self):
        order = self.goods_order(5, self.now - timedelta(days=2))
        self.run_warnings()
        todo = order.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        todo.with_user(self.salesman).action_feedback(feedback="Called the warehouse: ships tomorrow")
        self.run_warnings(self.now + timedelta(days=1))
        self.assertTrue(self.mine(self.salesman, "order_late"), "still late: the warning stays open")
        self.assertFalse(order.activity_ids.filtered(lambda a: a.user_id == self.salesman))

    def test_one_digest_a_day_lists_every_new_warning_of_the_person(self):
        self.goods_order(5, self.now - timedelta(days=2))
        self.set_credit(self.customer, limit=1000)
        self.order(1100, confirm=True)
        self.run_warnings()
        digest = self.digests(self.salesman)
        self.assertEqual(len(digest), 1)
        self.assertIn("Late Order", digest.body_html)
        self.assertIn("Over Credit Limit", digest.body_html)
        self.assertIn("Hangzhou Steel Trading", digest.body_html)

    def test_order_on_time_and_ready_is_no_warning(self):
        self.goods_order(5, self.now + timedelta(days=10))
        self.goods_order(5, self.now + timedelta(days=2))  # within the at-risk days, but its goods are reserved
        self.run_warnings()
        self.assertFalse(self.mine(self.salesman))
        self.assertFalse(self.digests(self.salesman))

    def test_order_due_soon_with_stock_short_is_at_risk_within_the_days(self):
        order = self.goods_order(5000, self.now + timedelta(days=2))
        self.run_warnings()
        self.assertEqual(self.mine(self.salesman, "order_at_risk").order_id, order)
        self.assertFalse(self.mine(self.salesman, "order_late"))

    def test_at_risk_days_setting_narrows_the_window(self):
        self.company.sales_at_risk_days = 1
        self.goods_order(5000, self.now + timedelta(days=2))
        self.run_warnings()
        self.assertFalse(self.mine(self.salesman))

    def test_delivered_order_resolves_its_warning_and_todo(self):
        order = self.goods_order(5, self.now - timedelta(days=2))
        self.run_warnings()
        late = self.mine(self.salesman, "order_late")
        picking = order.picking_ids
        picking.move_ids.quantity = 5
        picking.button_validate()
        self.run_warnings(self.now + timedelta(days=1))
        self.assertEqual(late.state, "resolved")
        self.assertFalse(self.mine(self.salesman))
        self.assertFalse(order.activity_ids.filtered(lambda a: a.user_id == self.salesman))
        self.assertEqual(len(self.digests(self.salesman)), 1, "a resolved warning is in no later digest")

    def test_two_step_delivery_is_late_or_at_risk_by_its_pick(self):
        # Odoo picks first and creates the delivery when the pick is done: the pick is the step that reserves
        self.warehouse.delivery_steps = "pick_ship"
        ready = self.goods_order(5, self.now + timedelta(days=2))
        late = self.goods_order(5, self.now - timedelta(days=2), partner=self.customer)
        short = self.goods_order(5000, self.now + timedelta(days=2), partner=self.customer)
        self.assertEqual(ready.picking_ids.picking_type_id, self.warehouse.pick_type_id)
        self.run_warnings()
        self.assertEqual(self.mine(self.salesman, "order_at_risk").order_id, short)
        self.assertEqual(self.mine(self.salesman, "order_late").order_id, late)
        # the pick done, the delivery's move is reserved: ready orders stay quiet
        ready.picking_ids.move_ids.quantity = 5
        ready.picking_ids.button_validate()
        self.assertEqual(ready.picking_ids.move_ids.mapped("state"), ["done", "assigned"])
        self.run_warnings()
        self.assertFalse(self.Warning.search([("order_id", "=", ready.id)]))

    def test_late_order_shows_the_due_date_of_the_company_time_zone(self):
        # Shanghai: delivery promised for 06:00 local, 22:00 UTC the day before
        self.company.partner_id.tz = "Asia/Shanghai"
        self.salesman.tz = "Asia/Shanghai"
        today = self.now.date()
        due_day = today - timedelta(days=5)
        self.goods_order(5, datetime.combine(due_day - timedelta(days=1), time(22, 0)))
        self.run_warnings(datetime.combine(today, time(4, 0)))
        late = self.mine(self.salesman, "order_late").with_user(self.salesman)
        with freeze_time(datetime.combine(today, time(4, 0))):
            expected = f"Due on {format_date(self.env, due_day)}, 5 day(s) ago"
            self.assertIn(expected, late.detail)
        self.assertIn(format_date(self.env, due_day), self.digests(self.salesman).body_html)

    def test_late_order_setting_off_sends_nothing(self):
        self.company.warning_order_late = False
        self.goods_order(5, self.now - timedelta(days=2))
        self.run_warnings()
        self.assertFalse(self.mine(self.salesman))

    # ------------------------------------------------------------
    # credit limits
    # ------------------------------------------------------------

    def test_customer_within_the_margin_of_its_limit_warns_salesperson_and_controller(self):
        self.set_credit(self.customer, limit=1000)
        self.order(950, confirm=True)  # exposure 950, within 10 % of 1,000
        self.run_warnings()
        for user in (self.salesman, self.credit_manager):
            near = self.mine(user, "credit_near")
            self.assertEqual(near.partner_id, self.customer)
            self.assertIn("950", near.detail)
        # near the limit is for information: no to-do
        self.assertFalse(self.customer.activity_ids)

    def test_customer_below_the_margin_is_no_warning(self):
        self.set_credit(self.customer, limit=1000)
        self.company.warning_credit_margin = 4  # 950 is 95 %: more than 4 % of the limit is left
        self.order(950, confirm=True)
        self.run_warnings()
        self.assertFalse(self.mine(self.salesman) | self.mine(self.credit_manager))

    def test_customer_newly_over_its_limit_gives_the_controller_a_todo(self):
        self.set_credit(self.customer, limit=1000)
        self.order(950, confirm=True)
        self.run_warnings()
        near = self.mine(self.credit_manager, "credit_near")
        self.order(100, confirm=True)  # exposure 1,050
        self.run_warnings(self.now + timedelta(days=1))
        self.assertEqual(near.state, "resolved")
        over = self.mine(self.credit_manager, "credit_over")
        self.assertEqual(over.partner_id, self.customer)
        self.assertIn("1,050.00", over.detail)
        self.assertEqual(self.customer.activity_ids.user_id, self.salesman | self.credit_manager)
        self.assertEqual(len(self.digests(self.credit_manager)), 2, "the near, then the over warning")

    # ------------------------------------------------------------
    # holds and reviews waiting
    # ------------------------------------------------------------

    def held_order(self):
        self.set_credit(self.customer, limit=100, policy="block")
        order = self.order(500)
        order.with_user(self.salesman).action_confirm()
        self.assertTrue(order.on_credit_hold)
        return order

    def test_hold_waiting_longer_than_the_hours_warns_its_decider(self):
        order = self.held_order()
        held_on = order._get_pending_credit_hold().create_date
        self.run_warnings(held_on + timedelta(hours=23))
        self.assertFalse(self.mine(self.credit_manager, "decision_waiting"))
        self.run_warnings(held_on + timedelta(hours=25, minutes=1))
        waiting = self.mine(self.credit_manager, "decision_waiting")
        self.assertEqual(waiting.order_id, order)
        self.assertFalse(waiting.level)
        with freeze_time(held_on + timedelta(hours=25, minutes=1)):
            self.assertIn("25 hours", waiting.detail)

    def test_hold_waiting_past_the_escalation_goes_to_the_other_credit_managers(self):
        other = new_test_user(self.env, "credit_manager_2", groups="sales_credit.group_credit_manager")
        order = self.held_order()
        held_on = order._get_pending_credit_hold().create_date
        self.run_warnings(held_on + timedelta(hours=25))
        self.assertFalse(self.mine(other))
        self.run_warnings(held_on + timedelta(hours=49))
        escalated = self.mine(other, "decision_waiting")
        self.assertEqual(escalated.order_id, order)
        self.assertEqual(escalated.level, 1)
        self.assertIn("escalated to you", escalated.detail)
        hold = order._get_pending_credit_hold()
        self.assertIn(other, hold.activity_ids.user_id)
        self.assertFalse(self.mine(self.credit_manager).filtered("level"), "the decider is not escalated to")
        # released: the warnings and the escalation's to-do go
        hold.with_user(self.credit_manager)._decide("released", "Paid in advance")
        self.run_warnings(held_on + timedelta(hours=50))
        self.assertFalse(self.mine(other) | self.mine(self.credit_manager, "decision_waiting"))
        self.assertNotIn(other, hold.activity_ids.user_id)

    def test_review_waiting_escalates_to_the_fallback_reviewers(self):
        self.env["sales.review.rule"].create(
            {"name": "Large", "condition": "amount", "amount": 100, "reviewer": "user", "user_id": self.credit_user.id}
        )
        order = self.order(500)
        order.with_user(self.salesman).action_confirm()
        self.run_warnings(order.review_ids.create_date + timedelta(hours=49))
        self.assertEqual(self.mine(self.credit_user, "decision_waiting").order_id, order)
        escalated = self.mine(self.sale_manager, "decision_waiting")
        self.assertEqual(escalated.level, 1)

    def test_hold_escalates_only_to_credit_managers_who_may_decide_it(self):
        # the credit controller is the company's only credit manager: nobody else may decide the hold
        self.env.ref("sales_credit.group_credit_manager").users = self.credit_manager
        order = self.held_order()
        hold = order._get_pending_credit_hold()
        self.run_warnings(hold.create_date + timedelta(hours=49))
        self.assertFalse(self.mine(self.sale_manager), "a sales manager cannot decide a credit hold")
        self.assertNotIn(self.sale_manager, hold.activity_ids.user_id)
        self.assertTrue(self.mine(self.credit_manager, "decision_waiting"))

    def test_review_escalated_to_a_fallback_reviewer_who_then_may_decide_it(self):
        self.env["sales.review.rule"].create(
            {"name": "Large", "condition": "amount", "amount": 100, "reviewer": "user", "user_id": self.credit_user.id}
        )
        order = self.order(500)
        order.with_user(self.salesman).action_confirm()
        review = order.review_ids
        Review = self.env["sales.order.review"].with_user(self.sale_manager)
        with freeze_time(review.create_date + timedelta(hours=25)), self.assertRaises(UserError):
            review.with_user(self.sale_manager).action_open_decision()
        self.run_warnings(review.create_date + timedelta(hours=49))
        self.assertEqual(self.mine(self.sale_manager, "decision_waiting").level, 1)
        with freeze_time(review.create_date + timedelta(hours=49)):
            self.assertIn(review, Review.search([("is_my_review", "=", True)]))
            action = review.with_user(self.sale_manager).action_open_decision()
            wizard = Form(self.env[action["res_model"]].with_user(self.sale_manager).with_context(**action["context"]))
            wizard.note = "Regular customer; approved while the reviewer is away"
            wizard.save().action_approve()
        self.assertEqual((review.state, review.decided_by_id), ("approved", self.sale_manager))
        self.assertEqual(order.state, "sale")

    def test_decision_hours_setting_changes_the_wait(self):
        self.company.write({"warning_decision_hours": 2, "warning_escalation_hours": 4})
        order = self.held_order()
        self.run_warnings(order._get_pending_credit_hold().create_date + timedelta(hours=3))
        self.assertTrue(self.mine(self.credit_manager, "decision_waiting"))

    def test_escalation_must_come_after_the_warning(self):
        with self.assertRaises(ValidationError):
            self.company.write({"warning_decision_hours": 24, "warning_escalation_hours": 24})

    # ------------------------------------------------------------
    # customers who stopped buying
    # ------------------------------------------------------------

    def buy_every_ten_days(self, last_days_ago):
        orders = self.env["sale.order"]
        for days in (last_days_ago + 20, last_days_ago + 10, last_days_ago):
            orders |= self.order(100, confirm=True)
            orders[-1:].date_order = self.now - timedelta(days=days)
        return orders

    def test_customer_silent_for_three_intervals_stopped_buying(self):
        self.buy_every_ten_days(31)  # usual interval 10 days, factor 3: silent for 31 days
        self.run_warnings()
        stopped = self.mine(self.salesman, "customer_stopped")
        self.assertEqual(stopped.partner_id, self.customer)
        self.assertIn("usually one every 10 days", stopped.detail)
        self.assertEqual(self.customer.activity_ids.user_id, self.salesman)

    def test_customer_within_its_usual_rhythm_has_not_stopped(self):
        self.buy_every_ten_days(29)
        self.run_warnings()
        self.assertFalse(self.mine(self.salesman))

    def test_interval_factor_setting_changes_when_a_customer_stopped(self):
        self.company.warning_stopped_factor = 4
        self.buy_every_ten_days(31)
        self.run_warnings()
        self.assertFalse(self.mine(self.salesman))

    # ------------------------------------------------------------
    # the digest
    # ------------------------------------------------------------

    def test_digest_comes_once_by_email_and_in_the_inbox(self):
        self.salesman.notification_type = "inbox"
        self.goods_order(5, self.now - timedelta(days=2))
        sent = self.run_warnings()
        self.assertEqual(sent.filtered(lambda w: w.partner_id == self.late).user_id, self.salesman)
        inbox = self.env["mail.message"].search(
            [("partner_ids", "in", self.salesman.partner_id.ids), ("message_type", "=", "user_notification")]
        )
        self.assertEqual(len(inbox), 1)
        self.assertIn("Late Order", inbox.body)
        self.assertTrue(inbox.notification_ids.filtered(lambda n: n.notification_type == "inbox"))
        self.assertEqual(len(self.digests(self.salesman)), 1)
        self.run_warnings(self.now + timedelta(hours=1))
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("partner_ids", "in", self.salesman.partner_id.ids), ("message_type", "=", "user_notification")]
            ),
            1,
        )

    def test_salesperson_sees_only_his_own_warnings(self):
        other = new_test_user(self.env, "warning_other", groups="sales_team.group_sale_salesman")
        self.goods_order(5, self.now - timedelta(days=2), user=other)
        self.set_credit(self.customer, limit=1000)
        self.order(1100, confirm=True)
        self.run_warnings()
        seen = self.Warning.with_user(self.salesman).search([("partner_id", "in", (self.customer | self.late).ids)])
        self.assertTrue(seen)
        self.assertEqual(seen.user_id, self.salesman)
        self.assertTrue(self.Warning.with_user(self.credit_manager).search([("user_id", "=", self.salesman.id)]))

    def test_warnings_stay_in_their_company(self):
        other_company = self.env["res.company"].create({"name": "Shanghai Branch"})
        branch_salesman = new_test_user(
            self.env,
            "warning_branch_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        customer = self.env["res.partner"].create(
            {"name": "Shanghai Pumps", "is_company": True, "user_id": branch_salesman.id}
        )
        customer.with_company(other_company).sudo().credit_limit = 1000
        self.env["sale.order"].with_company(other_company).create(
            {
                "partner_id": customer.id,
                "company_id": other_company.id,
                "user_id": branch_salesman.id,
                "order_line": [Command.create({"product_id": self.service.id, "price_unit": 1100})],
            }
        ).action_confirm()
        self.run_warnings()
        branch = self.Warning.with_user(branch_salesman).search([("user_id", "=", branch_salesman.id)])
        self.assertEqual((branch.kind, branch.company_id), ("credit_over", other_company))
        self.assertEqual(branch.partner_id, customer)
        # in the main company the customer has no limit: nothing for the main company's credit controller
        self.assertFalse(self.Warning.search([("partner_id", "=", customer.id), ("company_id", "=", self.company.id)]))
        self.assertFalse(
            self.Warning.search([("partner_id", "=", customer.id), ("user_id", "=", self.credit_manager.id)])
        )

    def branch_with_shared_controller(self):
        """A second company whose credit controller is the main company's too, the customer shared by both."""
        branch = self.env["res.company"].create({"name": "Suzhou Branch", "currency_id": self.company.currency_id.id})
        self.credit_manager.company_ids |= branch
        branch.write({"credit_manager_id": self.credit_manager.id, "warning_credit": True})
        return branch

    def over_limit_in(self, company, partner):
        partner.with_company(company).sudo().credit_limit = 1000
        orders = self.env["sale.order"].with_company(company)
        order = orders.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "order_line": [Command.create({"product_id": self.service.id, "price_unit": 1100})],
            }
        )
        order.action_confirm()
        return order

    def test_shared_customer_over_its_limit_in_two_companies_warns_in_each(self):
        branch = self.branch_with_shared_controller()
        self.over_limit_in(self.company, self.customer)
        self.over_limit_in(branch, self.customer)
        self.run_warnings()
        over = self.Warning.search([("partner_id", "=", self.customer.id), ("user_id", "=", self.credit_manager.id)])
        self.assertEqual(over.mapped("kind"), ["credit_over", "credit_over"])
        self.assertEqual(over.company_id, self.company | branch)
        self.assertEqual(len(self.digests(self.credit_manager)), 1)
        # the next day: the same problems, nothing new
        self.run_warnings(self.now + timedelta(days=1))
        self.assertEqual(over.mapped("state"), ["open", "open"])
        self.assertEqual(
            self.Warning.search([("partner_id", "=", self.customer.id), ("user_id", "=", self.credit_manager.id)]),
            over,
        )

    def test_a_company_whose_run_fails_does_not_stop_the_others(self):
        branch = self.branch_with_shared_controller()
        admin = new_test_user(
            self.env, "warning_admin", groups="base.group_system", company_ids=[self.company.id, branch.id]
        )
        self.over_limit_in(self.company, self.customer)
        self.over_limit_in(branch, self.customer)
        Warning = self.env.registry["sales.warning"]
        detect = Warning._detect_credit_limits

        def detect_or_fail(warning):
            if warning.env.company == branch:
                raise ValueError("broken data in the branch")
            return detect(warning)

        with (
            patch.object(Warning, "_detect_credit_limits", detect_or_fail),
            mute_logger("odoo.addons.sales_credit.models.sales_warning"),
        ):
            self.run_warnings()
        over = self.Warning.search([("partner_id", "=", self.customer.id), ("user_id", "=", self.credit_manager.id)])
        self.assertEqual(over.company_id, self.company)
        self.assertEqual(len(self.digests(self.credit_manager)), 1)
        notice = self.env["mail.message"].search([("partner_ids", "in", admin.partner_id.ids)])
        self.assertEqual(len(notice), 1)
        self.assertIn("Suzhou Branch", notice.body)
        self.assertIn("broken data in the branch", notice.body)

    def test_the_list_opens_the_document(self):
        order = self.goods_order(5, self.now - timedelta(days=2))
        self.run_warnings()
        action = self.mine(self.salesman).with_user(self.salesman).action_open_record()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", order.id))
        self.assertEqual(self.mine(self.salesman).record_name, order.name)

    def test_warning_back_after_resolved_is_new(self):
        order = self.goods_order(5, self.now - timedelta(days=2))
        self.run_warnings()
        first = self.mine(self.salesman)
        order.commitment_date = self.now + timedelta(days=30)
        order.picking_ids.scheduled_date = self.now + timedelta(days=30)
        self.run_warnings(self.now + timedelta(days=1))
        self.assertEqual(first.state, "resolved")
        order.commitment_date = self.now - timedelta(days=1)
        self.run_warnings(self.now + timedelta(days=2))
        again = self.mine(self.salesman)
        self.assertTrue(again)
        self.assertNotEqual(again, first)
        self.assertEqual(len(self.digests(self.salesman)), 2)

    def test_settings_show_the_thresholds(self):
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        self.assertEqual(settings.sales_at_risk_days, 3)
        settings.write({"warning_credit_margin": 20, "warning_stopped_factor": 5})
        settings.execute()
        self.assertEqual((self.company.warning_credit_margin, self.company.warning_stopped_factor), (20, 5))


@tagged("post_install", "-at_install")
class TestSalesWarningTour(HttpCase, SalesCreditCommon):
    def test_salesperson_opens_his_late_order_from_the_early_warnings(self):
        partner = self.env["res.partner"].create({"name": "Tour Late Pumps", "is_company": True})
        order = self.order(
            0, product=self.goods, partner=partner, commitment_date=fields.Datetime.now() - timedelta(days=3)
        )
        order.order_line.write({"product_uom_qty": 2, "price_unit": 10})
        order.action_confirm()
        self.env["sales.warning"]._cron_run_warnings()
        self.start_tour("/odoo", "sales_warning", login=self.salesman.login)
