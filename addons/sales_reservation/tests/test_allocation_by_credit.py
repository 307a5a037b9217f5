from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .test_priority_allocation import AllocationCommon


@tagged("post_install", "-at_install")
class TestAllocationByCredit(AllocationCommon):
    """10 coils on hand; two customers of the same tier: one rated D orders 8 first, one rated A orders 6 later.
    Prices without tax, so that the exposure of an order is its quantity times 100."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.taxes_id = [Command.clear()]
        # a new company's settings (the demo data counts the credit standing)
        cls.company.write(
            {"allocation_rating_weight": 0, "allocation_credit_rank": "none", "allocation_credit_weight": 0}
        )
        tier = cls.env.ref("sales_base.tier_normal")
        cls.risky = cls.env["res.partner"].create(
            {"name": "Risky Co", "is_company": True, "customer_tier_id": tier.id, "credit_rating": "d"}
        )
        cls.sound = cls.env["res.partner"].create(
            {"name": "Sound Co", "is_company": True, "customer_tier_id": tier.id, "credit_rating": "a"}
        )
        cls.risky_order = cls._order(cls.risky, 8)
        cls.sound_order = cls._order(cls.sound, 6)

    def allocate(self):
        """Allocate Stock on the product as the reservation manager; the run it opens, read as the manager."""
        action = self.product.product_tmpl_id.with_user(self.manager).action_allocate_stock()
        return self.env["sales.allocation.run"].with_user(self.manager).browse(action["res_id"])

    def served(self):
        return self.reserved(self.risky_order), self.reserved(self.sound_order)

    def set_settings(self, **values):
        """Settings > Stock Allocation > Credit Standing in the Ranking, as the administrator who sets them."""
        admin = new_test_user(
            self.env, "alloc_admin", groups="base.group_system,sales_team.group_sale_manager,stock.group_stock_user"
        )
        settings = Form(self.env["res.config.settings"].with_user(admin))
        for name, value in values.items():
            setattr(settings, name, value)
        settings.save().execute()

    def test_default_settings_give_the_old_order(self):
        """Weights at zero: same tier, so the older order is served first whatever the ratings."""
        new_company = self.env["res.company"].create({"name": "New Steel Co"})
        self.assertRecordValues(
            new_company,
            [{"allocation_rating_weight": 0, "allocation_credit_rank": "none", "allocation_credit_weight": 0}],
        )
        run = self.allocate()
        self.assertEqual(self.served(), (8, 2))
        self.assertNotIn("rating", self.sound_order.picking_ids.move_ids.allocation_priority)
        self.assertIn("Ranked by customer tier, urgency, delivery date, order date", run.summary)

    def test_a_rated_customer_served_before_d_rated_when_the_rating_counts(self):
        self.set_settings(allocation_rating_weight=10)
        self.allocate()
        self.assertEqual(self.served(), (4, 6))
        self.assertIn("rating A (+30)", self.sound_order.picking_ids.move_ids.allocation_priority)
        # an unrated customer counts as C
        self.risky.credit_rating = False
        self.assertIn("unrated (+10)", self.risky_order.picking_ids.move_ids.allocation_priority)

    def test_rating_adds_to_the_tier_weight_without_overriding_a_higher_tier(self):
        """Key 80 + D 0 still beats Normal 30 + A 30: the rating ranks customers within reach of each other."""
        self.risky.customer_tier_id = self.env.ref("sales_base.tier_key")
        self.set_settings(allocation_rating_weight=10)
        self.allocate()
        self.assertEqual(self.served(), (8, 2))

    def test_available_credit_breaks_ties(self):
        """Same points (both rated B); the customer with more credit left is served first: 5,000 - 600 = 4,400
        before 1,000 - 800 = 200."""
        (self.risky | self.sound).write({"credit_rating": "b"})
        self.risky.credit_limit = 1000
        self.sound.credit_limit = 5000
        self.set_settings(allocation_credit_rank="tiebreak")
        run = self.allocate()
        self.assertEqual(self.served(), (4, 6))
        self.assertRecordValues(
            run.line_ids.sorted("rank"),
            [
                {"order_id": self.sound_order.id, "rank": 1, "credit_available": 4400, "credit_points": 0},
                {"order_id": self.risky_order.id, "rank": 2, "credit_available": 200, "credit_points": 0},
            ],
        )
        # the reason, read by salespeople too, gives the share of the limit, not the amount
        self.assertIn("88 % of credit available", run.line_ids.sorted("rank")[0].reason)
        self.assertIn("20 % of credit available", run.line_ids.sorted("rank")[1].reason)

    def test_ties_broken_by_the_share_of_the_limit_not_the_amount(self):
        """80 left of 680 (11.8 %) goes before 100 left of 900 (11.1 %): small and large customers alike."""
        self.risky.credit_limit = 900
        self.sound.credit_limit = 680
        self.set_settings(allocation_credit_rank="tiebreak")
        self.allocate()
        self.assertEqual(self.served(), (4, 6))

    def test_available_credit_adds_points_by_share_of_limit(self):
        """Weight 50: 200 of 1,000 available (20 %) gives 10 points, 4,400 of 5,000 (88 %) gives 44, which beats a
        rating two steps better (A 30 + 10 against C 10 + 44 with 10 per step)."""
        self.risky.write({"credit_rating": "c", "credit_limit": 5000})
        self.risky_order.order_line.product_uom_qty = 6
        self.sound.credit_limit = 1000
        self.sound_order.order_line.product_uom_qty = 8
        self.set_settings(allocation_rating_weight=10, allocation_credit_rank="weight", allocation_credit_weight=50)
        run = self.allocate()
        self.assertEqual(self.served(), (6, 4))
        self.assertRecordValues(
            run.line_ids.sorted("rank"),
            [
                {
                    "order_id": self.risky_order.id,
                    "rank": 1,
                    "score": 84,
                    "tier_points": 30,
                    "credit_rating": "c",
                    "rating_points": 10,
                    "credit_limit": 5000,
                    "credit_available": 4400,
                    "credit_points": 44,
                },
                {
                    "order_id": self.sound_order.id,
                    "rank": 2,
                    "score": 70,
                    "tier_points": 30,
                    "credit_rating": "a",
                    "rating_points": 30,
                    "credit_limit": 1000,
                    "credit_available": 200,
                    "credit_points": 10,
                },
            ],
        )

    def test_the_log_says_how_each_counted(self):
        self.sound.credit_limit = 1000
        self.set_settings(allocation_rating_weight=10, allocation_credit_rank="weight", allocation_credit_weight=50)
        run = self.allocate()
        first = run.line_ids.sorted("rank")[0]
        self.assertEqual(first.order_id, self.sound_order)
        # 30 tier + 30 rating A + 20 credit
        self.assertIn("score 80", first.reason)
        self.assertIn("Normal (weight 30)", first.reason)
        self.assertIn("rating A (+30)", first.reason)
        # 1,000 limit, 600 ordered: 40 % left, 20 of 50 points
        self.assertIn("40 % of credit available (+20)", first.reason)
        self.assertIn(
            "Ranked by score (tier weight + 10 per credit rating step (A 3, B 2, C or unrated 1, D 0) + up to 50 "
            "for the share of credit limit available), urgency, delivery date, order date; blocked customers last.",
            run.summary,
        )

    def test_a_customer_without_limit_gets_no_credit_points(self):
        """Points: the customer without a limit gets none and is served after one with 200 of 1,000 left; when
        credit breaks ties, it comes after any customer with a limit."""
        self.sound.credit_limit = 1000
        self.set_settings(allocation_credit_rank="weight", allocation_credit_weight=50)
        run = self.allocate()
        self.assertEqual(self.served(), (4, 6))
        risky_line = run.line_ids.filtered(lambda line: line.order_id == self.risky_order)
        self.assertRecordValues(risky_line, [{"rank": 2, "credit_limit": 0, "credit_points": 0, "score": 30}])
        self.assertIn("no credit limit (+0)", risky_line.reason)

    def test_without_limit_after_a_limited_customer_when_credit_breaks_ties(self):
        # 1,000 limit, 600 exposure: 400 left, still before the customer without a limit
        self.sound.credit_limit = 1000
        self.set_settings(allocation_credit_rank="tiebreak")
        self.allocate()
        self.assertEqual(self.served(), (4, 6))
        self.assertIn("no credit limit", self.risky_order.picking_ids.move_ids.allocation_priority)

    def test_credit_amounts_in_the_log_only_for_managers_and_credit_control(self):
        self.sound.credit_limit = 1000
        self.set_settings(allocation_credit_rank="weight", allocation_credit_weight=50)
        run = self.allocate()
        line = run.line_ids.filtered(lambda line: line.order_id == self.sound_order)
        self.assertEqual(line.credit_available, 400)
        self.assertEqual(line.with_user(self.stock_user).credit_points, 20)
        with self.assertRaises(AccessError):
            line.with_user(self.stock_user).read(["credit_available"])

    def test_weights_out_of_range_are_refused(self):
        with self.assertRaisesText(ValidationError, "lie between 0 and 10000"):
            self.set_settings(allocation_rating_weight=-5)
