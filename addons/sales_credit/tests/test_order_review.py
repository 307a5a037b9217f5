from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesCreditCommon


@tagged("post_install", "-at_install")
class TestOrderReview(SalesCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewer = new_test_user(cls.env, "review_director", groups="sales_team.group_sale_manager")
        cls.team = cls.env["crm.team"].create({"name": "East", "user_id": cls.sale_manager.id})
        cls.Rule = cls.env["sales.review.rule"].with_user(cls.sale_manager)

    def rule(self, **vals):
        return self.Rule.create(
            {"name": vals.get("condition", "amount"), "reviewer": "user", "user_id": self.reviewer.id, **vals}
        )

    def decide(self, order, user, approve=True, note="Checked"):
        action = order.with_user(user).action_review_decide()
        wizard = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        wizard.note = note
        wizard = wizard.save()
        return wizard.action_approve() if approve else wizard.action_reject()

    def reviews(self, order, state="pending"):
        return order.review_ids.filtered(lambda r: r.state == state)

    # ------------------------------------------------------------
    # conditions
    # ------------------------------------------------------------

    def test_amount(self):
        self.rule(condition="amount", amount=10_000)
        self.assertEqual(self.order(9_000, confirm=True).state, "sale")
        order = self.order(12_000, confirm=True)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.to_review)
        self.assertIn("above", self.reviews(order).reason)
        self.assertIn("12,000.00", self.reviews(order).reason)

    def test_discount(self):
        self.rule(condition="discount", discount=10)
        order = self.order(100)
        order.order_line.discount = 15
        order.action_confirm()
        self.assertIn("15 % discount, above 10 %", self.reviews(order).reason)

    def test_payment_term_not_allowed_or_too_long(self):
        self.rule(condition="payment_term", max_term_days=30)
        term_30 = self.env.ref("account.account_payment_term_30days")
        term_45 = self.env.ref("account.account_payment_term_45days")
        self.customer.with_user(self.credit_manager).allowed_payment_term_ids = term_30
        self.assertEqual(self.order(100, payment_term_id=term_30.id, confirm=True).state, "sale")
        not_allowed = self.order(
            100, payment_term_id=self.env.ref("account.account_payment_term_15days").id, confirm=True
        )
        self.assertIn("not among the customer's allowed terms", self.reviews(not_allowed).reason)
        self.customer.with_user(self.credit_manager).allowed_payment_term_ids = False
        too_long = self.order(100, payment_term_id=term_45.id, confirm=True)
        self.assertIn("45 days", self.reviews(too_long).reason)

    def test_price_below_floor(self):
        self.rule(condition="price_floor", min_margin=20)
        self.goods.standard_price = 80
        self.assertEqual(self.order(96, product=self.goods, confirm=True).state, "sale")
        order = self.order(95, product=self.goods, confirm=True)
        self.assertIn("below its floor price of $\xa096.00", self.reviews(order).reason)

    def test_tier_team_and_free_condition(self):
        self.rule(condition="tier", tier_ids=[Command.set(self.tier_key.ids)])
        self.rule(condition="team", team_ids=[Command.set(self.team.ids)], sequence=20)
        self.rule(condition="domain", domain="[('client_order_ref', 'ilike', 'TENDER')]", sequence=30)
        self.assertEqual(self.order(100, confirm=True).state, "sale")
        self.customer.with_user(self.sale_manager).customer_tier_id = self.tier_key
        order = self.order(100, team_id=self.team.id, client_order_ref="TENDER-7", confirm=True)
        self.assertEqual(self.reviews(order).sorted("sequence").rule_id.mapped("condition"), ["tier", "team", "domain"])

    # ------------------------------------------------------------
    # flow
    # ------------------------------------------------------------

    def test_parallel_reviews_all_needed(self):
        self.rule(condition="amount", amount=1000)
        self.rule(
            condition="discount",
            discount=5,
            reviewer="group",
            group_id=self.env.ref("sales_credit.group_credit_manager").id,
            user_id=False,
        )
        order = self.order(2000)
        order.order_line.discount = 10
        order.action_confirm()
        self.assertEqual(len(self.reviews(order)), 2)
        self.assertTrue(all(self.reviews(order).mapped("is_active")))
        self.decide(order, self.reviewer)
        self.assertEqual(order.state, "draft")
        self.decide(order, self.credit_manager)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.to_review)

    def test_sequential_reviews_wait_for_each_other(self):
        self.rule(condition="amount", amount=1000, in_sequence=True, sequence=1, reviewer="team_leader", user_id=False)
        self.rule(condition="amount", amount=1000, in_sequence=True, sequence=2)
        order = self.order(2000, team_id=self.team.id, confirm=True)
        first, second = self.reviews(order).sorted("sequence")
        self.assertEqual(first.reviewer_user_id, self.sale_manager)
        self.assertTrue(first.is_active)
        self.assertFalse(second.is_active)
        self.assertIn(self.sale_manager, order.review_ids.activity_ids.user_id)
        self.assertNotIn(self.reviewer, order.review_ids.activity_ids.user_id)
        with self.assertRaises(UserError):
            self.decide(order, self.reviewer)
        self.decide(order, self.sale_manager)
        self.assertIn(self.reviewer, order.review_ids.activity_ids.user_id)
        self.decide(order, self.reviewer)
        self.assertEqual(order.state, "sale")

    def test_only_the_reviewer_decides(self):
        self.rule(condition="amount", amount=1000)
        order = self.order(2000, confirm=True)
        for intruder in (self.salesman, self.sale_manager, self.credit_manager):
            with self.assertRaises(UserError):
                self.decide(order, intruder)

        def my_reviews(user):
            return self.env["sales.order.review"].with_user(user).search([("is_my_review", "=", True)]).order_id

        self.assertIn(order, my_reviews(self.reviewer))
        self.assertNotIn(order, my_reviews(self.sale_manager))
        self.decide(order, self.reviewer, note="Terms agreed with legal")
        self.assertEqual(self.reviews(order, "approved").decided_by_id, self.reviewer)
        self.assertTrue(any("Terms agreed with legal" in body for body in order.message_ids.mapped("body")))

    def test_salesperson_cannot_review_his_own_order(self):
        self.rule(
            condition="amount",
            amount=1000,
            reviewer="group",
            group_id=self.env.ref("sales_team.group_sale_manager").id,
            user_id=False,
        )
        order = self.order(2000, user=self.sale_manager, confirm=True)
        with self.assertRaises(UserError):
            self.decide(order, self.sale_manager)
        self.company.review_forbid_self_approval = False
        self.decide(order, self.sale_manager)
        self.assertEqual(order.state, "sale")

    def test_reject_sends_the_order_back(self):
        self.rule(condition="amount", amount=1000)
        order = self.order(2000, confirm=True)
        self.decide(order, self.reviewer, approve=False, note="Price too low for this volume")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.to_review)
        self.assertEqual(self.reviews(order, "rejected").decision_note, "Price too low for this volume")
        order.action_confirm()
        self.assertTrue(order.to_review, "confirming again asks for a new review")

    def test_change_resets_the_affected_reviews(self):
        self.rule(condition="discount", discount=5)
        self.rule(
            condition="team",
            team_ids=[Command.set(self.team.ids)],
            sequence=20,
            reviewer="group",
            group_id=self.env.ref("sales_credit.group_credit_manager").id,
            user_id=False,
        )
        order = self.order(100, team_id=self.team.id)
        order.order_line.discount = 10
        order.action_confirm()
        self.decide(order, self.reviewer)
        self.assertEqual(order.state, "draft", "the team review still waits")
        order.order_line.with_user(self.salesman).discount = 12
        discount_review = order.review_ids.filtered(lambda r: r.rule_id.condition == "discount")
        self.assertRecordValues(discount_review, [{"state": "approved", "is_outdated": True}])
        self.assertEqual(self.reviews(order).rule_id.condition, "team", "the team review is untouched")
        order.action_confirm()
        self.assertEqual(len(self.reviews(order)), 2)

    def test_confirmation_keeps_the_approved_reviews(self):
        self.rule(condition="domain", domain="[('date_order', '!=', False)]")
        order = self.order(100, confirm=True)
        self.decide(order, self.reviewer)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.review_ids.state, "approved")

    def test_confirmed_order_change_needing_review_is_refused(self):
        self.rule(condition="discount", discount=5)
        order = self.order(100, confirm=True)
        with self.assertRaises(UserError):
            order.order_line.with_user(self.salesman).discount = 10
        self.assertEqual(order.order_line.discount, 0)

    def test_review_then_credit(self):
        self.rule(condition="amount", amount=1000)
        self.set_credit(self.customer, limit=1500, policy="block")
        order = self.order(2000, confirm=True)
        self.assertTrue(order.to_review)
        self.assertFalse(order.on_credit_hold, "the credit check comes after the review")
        self.decide(order, self.reviewer)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.on_credit_hold)
        action = order.with_user(self.credit_manager).action_credit_decide()
        wizard = Form(self.env[action["res_model"]].with_user(self.credit_manager).with_context(**action["context"]))
        wizard.note = "Guarantee received"
        wizard.save().action_release()
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------
    # bypasses and bad input
    # ------------------------------------------------------------

    def test_no_bypass(self):
        self.rule(condition="amount", amount=1000)
        order = self.order(2000, confirm=True)
        copy = order.with_user(self.salesman).copy()
        self.assertFalse(copy.review_ids)
        copy.action_confirm()
        self.assertTrue(copy.to_review)
        fresh = self.order(2000)
        with self.assertRaisesText(UserError, "waits for review"):
            fresh.with_user(self.salesman).write({"state": "sale"})
        self.assertEqual(fresh.state, "draft")

    def test_bad_rules_refused(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.rule(condition="amount", amount=-1)
        with self.assertRaisesText(ValidationError, "say who reviews"):
            self.rule(condition="amount", amount=1, user_id=False)
        with self.assertRaisesText(ValidationError, "not valid"):
            self.rule(condition="domain", domain="[('no_such_field', '=', 1)]")


@tagged("post_install", "-at_install")
class TestReviewRuleScreen(SalesCreditCommon):
    def test_review_rules_have_filters_and_group_bys(self):
        """The sales manager finds rules by reviewer, condition and archive, and groups them."""
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.sale_manager)
            ._for_xml_id("sales_credit.sales_review_rule_action")
        )
        search = (
            self.env["sales.review.rule"]
            .with_user(self.sale_manager)
            .get_views([(False, "search")])["views"]["search"]["arch"]
        )
        for name in ('name="inactive"', 'name="discount"', 'name="group_condition"', 'name="group_reviewer"'):
            self.assertIn(name, search)
        self.assertIn("o_view_nocontent_smiling_face", action["help"])
        Rule = self.env["sales.review.rule"].with_user(self.sale_manager)
        archived = Rule.create(
            {
                "name": "Big discounts",
                "condition": "discount",
                "discount": 20,
                "reviewer": "user",
                "user_id": self.sale_manager.id,
            }
        )
        archived.active = False
        self.assertEqual(Rule.search([("active", "=", False), ("name", "=", "Big discounts")]), archived)


@tagged("post_install", "-at_install")
class TestOrderReviewChanges(TestOrderReview):
    """Approved and confirmed orders are reviewed again when they change in a way a rule looks at."""

    def test_confirmed_order_growing_past_the_approved_amount_is_refused(self):
        self.rule(condition="amount", amount=1000)
        order = self.order(2000, confirm=True)
        self.decide(order, self.reviewer)
        self.assertEqual(order.state, "sale")
        order.order_line.with_user(self.salesman).price_unit = 1800
        self.assertEqual(order.amount_untaxed, 1800, "within the approved amount")
        with self.assertRaisesText(UserError, "needs a review"):
            order.order_line.with_user(self.salesman).price_unit = 2500
        self.assertEqual(order.amount_untaxed, 1800)

    def test_confirmed_order_changing_its_payment_term_is_refused(self):
        self.rule(condition="payment_term", max_term_days=30)
        order = self.order(100, confirm=True)
        self.assertEqual(order.state, "sale")
        with self.assertRaisesText(UserError, "needs a review"):
            order.with_user(self.salesman).payment_term_id = self.env.ref("account.account_payment_term_45days")

    def test_confirmed_order_changing_its_team_is_refused(self):
        self.rule(condition="team", team_ids=[Command.set(self.team.ids)])
        order = self.order(100, confirm=True)
        with self.assertRaisesText(UserError, "needs a review"):
            order.with_user(self.salesman).team_id = self.team

    def test_nobody_reviews_his_own_order_after_clearing_his_name(self):
        self.rule(
            condition="amount",
            amount=1000,
            reviewer="group",
            user_id=False,
            group_id=self.env.ref("sales_team.group_sale_salesman").id,
        )
        order = self.order(2000)
        order.with_user(self.salesman).user_id = False
        order.with_user(self.salesman).action_confirm()
        order.with_user(self.salesman).user_id = self.salesman
        order.with_user(self.salesman).user_id = False
        with self.assertRaises(UserError):
            self.decide(order, self.salesman)
        self.assertEqual(order.state, "draft")

    def test_a_team_without_leader_falls_back_to_the_fallback_reviewers(self):
        self.rule(condition="amount", amount=1000, reviewer="team_leader", user_id=False)
        leaderless = self.env["crm.team"].create({"name": "West"})
        order = self.order(2000, team_id=leaderless.id, confirm=True)
        review = self.reviews(order)
        self.assertEqual(review.reviewer_group_id, self.company.review_fallback_group_id)
        self.assertTrue(review._get_reviewers())
        self.decide(order, self.reviewer)
        self.assertEqual(order.state, "sale")

    def test_every_review_has_someone_who_may_decide_it(self):
        self.rule(condition="amount", amount=10, reviewer="team_leader", user_id=False, sequence=1)
        self.rule(condition="amount", amount=10, reviewer="user", user_id=self.salesman.id, sequence=2)
        self.rule(
            condition="amount",
            amount=10,
            reviewer="group",
            user_id=False,
            sequence=3,
            group_id=self.env.ref("sales_credit.group_credit_manager").id,
        )
        team = self.env["crm.team"].create({"name": "Solo", "user_id": self.salesman.id})
        order = self.order(2000, team_id=team.id, confirm=True)
        self.assertEqual(len(self.reviews(order)), 3)
        for review in self.reviews(order):
            self.assertTrue(review._get_reviewers(), review.rule_id.name)
            self.assertNotIn(self.salesman, review._get_reviewers())
