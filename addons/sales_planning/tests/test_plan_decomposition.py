from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2.errors import ForeignKeyViolation

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.sales_base.tests.common import SuiteCommon
from odoo.addons.sales_planning.models.sales_plan import largest_remainder


class PlanCommon(SuiteCommon):
    """Two teams, three salespeople, a key customer and the others, two product categories, 2030's sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.planner = new_test_user(cls.env, "decomp_planner", groups="sales_planning.group_plan_user")
        cls.plan_manager = new_test_user(cls.env, "decomp_manager", groups="sales_planning.group_plan_manager")
        cls.env["crm.team"].search([]).active = False
        cls.wang = new_test_user(cls.env, "wang", groups="sales_team.group_sale_salesman", name="Wang")
        cls.li = new_test_user(cls.env, "li", groups="sales_team.group_sale_salesman", name="Li")
        cls.zhao = new_test_user(cls.env, "zhao", groups="sales_team.group_sale_salesman", name="Zhao")
        cls.north = cls.env["crm.team"].create(
            {"name": "North", "sequence": 1, "member_ids": [Command.set((cls.wang | cls.li).ids)]}
        )
        cls.south = cls.env["crm.team"].create(
            {"name": "South", "sequence": 2, "member_ids": [Command.set(cls.zhao.ids)]}
        )
        cls.key = cls.env["res.partner"].create(
            {
                "name": "Key Steel",
                "is_company": True,
                "customer_tier_id": cls.env.ref("sales_base.tier_key").id,
                "user_id": cls.wang.id,
            }
        )
        cls.other = cls.env["res.partner"].create({"name": "Small Shop", "is_company": True})
        cls.env["res.partner"].search(
            [("customer_tier_id.is_key_customer", "=", True), ("id", "!=", cls.key.id)]
        ).customer_tier_id = False
        cls.steel = cls.env["product.category"].create({"name": "Steel"})
        cls.wire = cls.env["product.category"].create({"name": "Wire"})
        cls.coil = cls.env["product.product"].create({"name": "Coil", "categ_id": cls.steel.id})
        cls.cable = cls.env["product.product"].create({"name": "Cable", "categ_id": cls.wire.id})
        # 2030: North sold 6,000 (Wang 4,000 of which Key Steel 3,000; Li 2,000), South 4,000
        cls.sell(cls.wang, cls.north, cls.key, cls.coil, 3000, datetime(2030, 1, 15))
        cls.sell(cls.wang, cls.north, cls.other, cls.cable, 1000, datetime(2030, 2, 10))
        cls.sell(cls.li, cls.north, cls.other, cls.coil, 2000, datetime(2030, 2, 20))
        cls.sell(cls.zhao, cls.south, cls.other, cls.coil, 4000, datetime(2030, 2, 25))

    @classmethod
    def sell(cls, user, team, partner, product, amount, when):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "team_id": team.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def plan(self, dimensions, target=1_000_000, time_split="none", **vals):
        return (
            self.env["sales.plan"]
            .with_user(self.planner)
            .create(
                {
                    "name": "Plan 2031",
                    "date_from": date(2031, 1, 1),
                    "date_to": date(2031, 12, 31),
                    "target_amount": target,
                    "time_split": time_split,
                    "dimension_ids": [
                        Command.create({"sequence": i, "dimension": dimension, "basis": basis})
                        for i, (dimension, basis) in enumerate(dimensions)
                    ],
                    **vals,
                }
            )
        )

    def targets(self, lines):
        return {line.name: line.target_amount for line in lines}


@tagged("post_install", "-at_install")
class TestPlanDecomposition(PlanCommon):
    def test_largest_remainder_keeps_the_total_to_the_cent(self):
        self.assertEqual(largest_remainder(100_000, [1, 1, 1], 2), [33333.34, 33333.33, 33333.33])
        self.assertEqual(largest_remainder(100, [1, 2], 2), [33.33, 66.67])
        self.assertEqual(sum(largest_remainder(999.99, [3, 7, 11, 13], 2)), 999.99)

    def test_equal_parts_in_a_fixed_order(self):
        extra = self.env["crm.team"].create({"name": "West", "sequence": 3})
        plan = self.plan([("team", "equal")], target=100_000)
        plan.action_decompose()
        root = plan.line_ids.filtered(lambda line: not line.parent_id)
        self.assertEqual(
            [(line.team_id, line.target_amount) for line in root.child_ids.sorted("team_id")],
            [(self.north, 33333.34), (self.south, 33333.33), (extra, 33333.33)],
        )
        # the planner reads what happened in the plan's chatter
        self.assertIn("Decomposed into 4 lines", plan.message_ids[0].body)

    def test_large_plan_decomposes_as_a_job(self):
        self.company.sales_background_threshold = 3  # 2030 has 4 sales rows to split
        plan = self.plan([("team", "last_year")], target=100_000)
        action = plan.action_decompose()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual((plan.job_state, plan.line_count), ("queued", 0), "nothing decomposed in the request")
        self.env.ref("sales_base.ir_cron_sales_background_jobs").method_direct_trigger()
        self.assertFalse(plan.job_state)
        self.assertEqual(self.targets(plan.line_ids.filtered("team_id")), {"North": 60_000, "South": 40_000})
        inbox = (
            self.env["mail.message"]
            .with_user(self.planner)
            .search([("model", "=", plan._name), ("res_id", "=", plan.id), ("message_type", "=", "user_notification")])
        )
        self.assertEqual(inbox.partner_ids, self.planner.partner_id)
        self.assertIn("Decomposed into 3 lines", inbox.body)

    def test_decomposition_stopped_three_times_fails_and_tells_the_planner(self):
        """A decomposition whose process was killed at each of its three starts is not started a fourth time: its
        plan shows why, the planner's inbox too, and no line was made."""
        self.company.sales_background_threshold = 3
        plan = self.plan([("team", "last_year")], target=100_000)
        plan.action_decompose()
        self.assertEqual((plan.job_size, plan.job_size_unit), (4, "sales rows of last year"))
        plan.write({"job_attempts": 3, "job_attempt_date": fields.Datetime.now() - timedelta(minutes=5)})
        with mute_logger("odoo.addons.sales_base.models.sales_background_mixin"):
            self.env.ref("sales_base.ir_cron_sales_background_jobs").method_direct_trigger()
        self.assertEqual((plan.job_state, plan.line_count), ("failed", 0))
        self.assertIn("started 3 times", plan.with_user(self.planner).job_banner)
        inbox = (
            self.env["mail.message"]
            .with_user(self.planner)
            .search([("model", "=", plan._name), ("res_id", "=", plan.id), ("message_type", "=", "user_notification")])
        )
        self.assertIn("could not finish", inbox.body)
        self.assertEqual(inbox.partner_ids, self.planner.partner_id)

    def test_last_year_shares_down_to_key_customers_and_categories(self):
        plan = self.plan(
            [("team", "last_year"), ("user", "last_year"), ("customer", "last_year"), ("category", "last_year")]
        )
        plan.action_decompose()
        lines = plan.line_ids
        self.assertEqual(
            self.targets(lines.filtered(lambda l: l.dimension == "team")), {"North": 600_000, "South": 400_000}
        )
        self.assertEqual(
            self.targets(lines.filtered(lambda l: l.dimension == "user" and l.team_id == self.north)),
            {"Wang": 400_000, "Li": 200_000},
        )
        wang = lines.filtered(lambda l: l.dimension == "customer" and l.user_id == self.wang)
        self.assertEqual(self.targets(wang), {"Key Steel": 300_000, "Other customers": 100_000})
        self.assertEqual(
            self.targets(
                lines.filtered(lambda l: l.dimension == "category" and l.user_id == self.wang and l.is_other_customers)
            ),
            {"Wire": 100_000},
        )
        self.assertFalse(lines.filtered("is_unbalanced"))

    def test_locked_line_keeps_its_target_and_the_rest_is_spread(self):
        plan = self.plan([("team", "last_year")])
        plan.action_decompose()
        north = plan.line_ids.filtered(lambda l: l.team_id == self.north)
        north.with_user(self.planner).write({"target_amount": 700_000, "locked": True})
        plan.action_decompose()
        self.assertEqual(
            self.targets(plan.line_ids.filtered(lambda l: l.dimension == "team")), {"North": 700_000, "South": 300_000}
        )
        north.target_amount = 1_200_000
        with self.assertRaisesText(ValidationError, "The locked lines North hold"):
            plan.action_decompose()

    def test_locked_lines_message_shows_money_and_units(self):
        """The planner reads the figures as written on the plan: with the currency, and with the unit."""
        plan = self.plan([("team", "last_year")], target_qty=1000, uom_id=self.env.ref("uom.product_uom_unit").id)
        plan.action_decompose()
        north = plan.line_ids.filtered(lambda l: l.team_id == self.north)
        north.with_user(self.planner).write({"target_amount": 1_200_000.5, "locked": True})
        money = self.env["sales.formatter"]._money
        with self.assertRaisesText(
            ValidationError,
            f"hold {money(1_200_000.5, plan.currency_id)}, more than the {money(1_000_000, plan.currency_id)}",
        ):
            plan.action_decompose()
        north.write({"target_amount": 500_000, "target_qty": 1500.25})
        with self.assertRaisesText(ValidationError, "hold 1,500.25 Units, more than the 1,000.00 Units of"):
            plan.action_decompose()

    def test_manual_shares_must_sum_to_100(self):
        plan = self.plan([("team", "manual")])
        with self.assertRaisesText(UserError, "with their shares"):
            plan.action_decompose()
        root = plan._get_root_line()
        Line = self.env["sales.plan.line"].with_user(self.planner)
        Line.create({"plan_id": plan.id, "parent_id": root.id, "team_id": self.north.id, "percentage": 70})
        south = Line.create({"plan_id": plan.id, "parent_id": root.id, "team_id": self.south.id, "percentage": 20})
        with self.assertRaisesText(ValidationError, "sum to 90 %; manual shares"):
            plan.action_decompose()
        south.percentage = 30
        plan.action_decompose()
        self.assertEqual(self.targets(root.child_ids), {"North": 700_000, "South": 300_000})

    def test_seasonality_from_history(self):
        # 2030 sold 3,000 in January and 7,000 in February: 30 % and 70 %, two months being history enough here
        plan = self.plan([], time_split="month", season_basis="history", season_min_months=2)
        plan.action_decompose()
        months = plan.line_ids.filtered(lambda l: l.period_type == "month")
        self.assertEqual(len(months), 12)
        self.assertEqual(self.targets(months.filtered("target_amount")), {"2031-01": 300_000, "2031-02": 700_000})

    def test_quarters_then_months_sum_exactly(self):
        plan = self.plan([("team", "equal")], target=100_000, time_split="quarter", season_basis="equal")
        plan.action_decompose()
        self.assertFalse(plan.line_ids.filtered("is_unbalanced"))
        north_months = plan.line_ids.filtered(lambda l: l.period_type == "month" and l.team_id == self.north)
        self.assertEqual(len(north_months), 12)
        self.assertAlmostEqual(sum(north_months.mapped("target_amount")), 50_000, places=2)
        self.assertEqual(north_months.sorted("date_from")[0].target_amount, 4166.67)

    def test_manual_seasonality_must_sum_to_100(self):
        plan = self.plan(
            [], time_split="month", season_basis="manual", season_ids=[Command.create({"month": "1", "percentage": 60})]
        )
        with self.assertRaisesText(ValidationError, "sums to 60 %; it must"):
            plan.action_decompose()

    def test_bad_lines_refused(self):
        plan = self.plan([("team", "last_year")])
        plan.action_decompose()
        Line = self.env["sales.plan.line"].with_user(self.planner)
        root = plan._get_root_line()
        with self.assertRaisesText(ValidationError, "same breakdown line twice"):
            Line.create({"plan_id": plan.id, "parent_id": root.id, "team_id": self.north.id})
        with self.assertRaisesText(ValidationError, "outside its plan's period"):
            Line.create({"plan_id": plan.id, "parent_id": root.id, "team_id": False, "date_from": date(2030, 12, 1)})
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            root.child_ids[0].target_amount = -5
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            root.child_ids[0].percentage = 120

    def test_forecast_basis(self):
        forecast = (
            self.env["sales.forecast"]
            .with_user(self.planner)
            .create(
                {
                    "name": "Forecast 2031",
                    "date_from": date(2031, 1, 1),
                    "date_to": date(2031, 12, 31),
                    "method": "last_year",
                    "growth": 10,
                    "by_key_customer": True,
                }
            )
        )
        forecast.action_generate()
        self.assertEqual(forecast.amount_total, 11_000, "2030's 10,000 plus 10 %")
        january = forecast.line_ids.filtered(lambda l: l.date == date(2031, 1, 1))
        self.assertRecordValues(
            january, [{"partner_id": self.key.id, "categ_id": self.steel.id, "history_amount": 3000, "amount": 3300}]
        )
        plan = self.plan([("customer", "forecast")], forecast_id=forecast.id)
        plan.action_decompose()
        self.assertEqual(
            self.targets(plan.line_ids.filtered(lambda l: l.dimension == "customer")),
            {"Key Steel": 300_000, "Other customers": 700_000},
        )


@tagged("post_install", "-at_install")
class TestPlanVersusActual(PlanCommon):
    def plan_2030(self, **vals):
        return (
            self.env["sales.plan"]
            .with_user(self.planner)
            .create(
                {
                    "name": "Plan 2030",
                    "date_from": date(2030, 1, 1),
                    "date_to": date(2030, 12, 31),
                    "target_amount": 20_000,
                    "time_split": "month",
                    "season_basis": "equal",
                    "dimension_ids": [Command.create({"dimension": "team", "basis": "equal"})],
                    **vals,
                }
            )
        )

    def test_actuals_from_orders(self):
        plan = self.plan_2030()
        plan.action_decompose()
        plan.with_user(self.plan_manager).action_approve()
        # at the end of March, 90 days into the year
        with freeze_time("2030-03-31"):
            plan.with_user(self.plan_manager).action_update_actuals()
        north = plan.line_ids.filtered(lambda l: l.dimension == "team" and l.team_id == self.north)
        self.assertRecordValues(
            north,
            [
                {
                    "target_amount": 10_000,
                    "actual_amount": 6_000,
                    "gap_amount": 4_000,
                    "completion": 60,
                    "projected_amount": 24_333.33,
                }
            ],
        )
        february = plan.line_ids.filtered(lambda l: l.team_id == self.north and l.date_from == date(2030, 2, 1))
        self.assertRecordValues(february, [{"actual_amount": 3_000, "projected_amount": 3_000}])
        self.assertEqual(plan.completion, 50)

    def test_actuals_from_invoices_net_of_credit_notes(self):
        plan = self.plan_2030(actual_source="invoice")
        plan.action_decompose()
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.key.id,
                "invoice_date": date(2030, 3, 1),
                "team_id": self.south.id,
                "invoice_user_id": self.zhao.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.coil.id, "price_unit": 5000, "tax_ids": [Command.clear()]})
                ],
            }
        )
        refund = invoice.copy({"move_type": "out_refund", "invoice_date": date(2030, 3, 10)})
        refund.invoice_line_ids.price_unit = 1200
        (invoice | refund).action_post()
        plan.with_user(self.plan_manager).action_update_actuals()
        south = plan.line_ids.filtered(lambda l: l.dimension == "team" and l.team_id == self.south)
        self.assertEqual(south.actual_amount, 3_800)

    def test_salesperson_sees_his_team_and_himself(self):
        plan = self.plan([("team", "equal"), ("user", "equal")])
        plan.action_decompose()
        visible = self.env["sales.plan.line"].with_user(self.zhao).search([("plan_id", "=", plan.id)])
        self.assertEqual(set(visible.mapped("name")), {"South", "Zhao"})
        with self.assertRaises(AccessError):
            visible[0].with_user(self.zhao).target_amount = 1

    def test_approved_plan_changes_only_through_revisions(self):
        plan = self.plan([("team", "equal")])
        plan.action_decompose()
        plan.with_user(self.plan_manager).action_approve()
        north = plan.line_ids.filtered(lambda l: l.team_id == self.north)
        with self.assertRaisesText(UserError, "recorded revision"):
            north.with_user(self.planner).target_amount = 1
        wizard = (
            self.env["sales.plan.revise"]
            .with_user(self.plan_manager)
            .create({"line_id": north.id, "new_amount": 600_000, "reason": "New key account"})
        )
        wizard.action_revise()
        self.assertEqual(north.target_amount, 600_000)
        self.assertRecordValues(
            plan.revision_ids, [{"old_amount": 500_000, "new_amount": 600_000, "user_id": self.plan_manager.id}]
        )
        self.assertEqual(plan.unbalanced_count, 1, "the company line is flagged until the others follow")
        with self.assertRaises(AccessError):
            self.env["sales.plan.revise"].with_user(self.planner).create(
                {"line_id": north.id, "new_amount": 1, "reason": "x"}
            )


@tagged("post_install", "-at_install")
class TestPlanDecompositionScale(SuiteCommon):
    """Decomposition costs the same queries for any number of lines: none per line."""

    def build(self, size):
        """``size`` teams of ``size`` salespeople with ``size`` key customers each, a plan over 12 months."""
        self.env["crm.team"].search([]).active = False
        key_tier = self.env.ref("sales_base.tier_key")
        self.env["res.partner"].search([("customer_tier_id.is_key_customer", "=", True)]).customer_tier_id = False
        salesman = self.env.ref("sales_team.group_sale_salesman")
        users = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Seller {size}-{i}",
                        "login": f"seller{size}-{i}",
                        "groups_id": [Command.set(salesman.ids)],
                    }
                    for i in range(size * size)
                ]
            )
        )
        self.env["crm.team"].create(
            [
                {"name": f"Team {size}-{t}", "member_ids": [Command.set(users[t * size : (t + 1) * size].ids)]}
                for t in range(size)
            ]
        )
        self.env["res.partner"].create(
            [
                {"name": f"Key {size}-{i}", "is_company": True, "customer_tier_id": key_tier.id, "user_id": user.id}
                for user in users
                for i in range(size)
            ]
        )
        return self.env["sales.plan"].create(
            {
                "name": f"Plan {size}",
                "date_from": date(2031, 1, 1),
                "date_to": date(2031, 12, 31),
                "target_amount": 10_000_000,
                "time_split": "month",
                "season_basis": "equal",
                "dimension_ids": [
                    Command.create({"sequence": i, "dimension": dimension, "basis": "equal"})
                    for i, dimension in enumerate(("team", "user", "customer"))
                ],
            }
        )

    def decompose_counting_queries(self, plan):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        plan.action_decompose()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_plan(self):
        small, large = self.build(2), self.build(4)
        small_queries = self.decompose_counting_queries(small)
        large_queries = self.decompose_counting_queries(large)
        self.assertEqual(len(large.line_ids), 1 + 4 + 16 + 16 * 5 * 13)
        self.assertFalse(large.line_ids.filtered("is_unbalanced"))
        self.assertLessEqual(
            large_queries, small_queries + 4 * 2, "at most a couple of queries per team (its members), none per line"
        )


@tagged("post_install", "-at_install")
class TestPlanReferences(PlanCommon):
    def test_master_data_with_targets_cannot_be_deleted(self):
        plan = self.plan([("team", "last_year"), ("category", "last_year")])
        plan.action_decompose()
        with self.assertRaises(ForeignKeyViolation), mute_logger("odoo.sql_db"):
            self.north.unlink()
        with self.assertRaises(ForeignKeyViolation), mute_logger("odoo.sql_db"):
            self.wire.unlink()
        self.assertTrue(self.north.exists() and self.wire.exists())
        self.assertEqual(len(plan.line_ids.filtered(lambda l: l.dimension == "team" and l.team_id == self.north)), 1)
