from datetime import date, datetime

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .test_plan_decomposition import PlanCommon


class MeasureCommon(PlanCommon):
    def approve(self, plan):
        plan.with_user(self.plan_manager).action_approve()
        return plan

    def update(self, plan, tz=None):
        manager = self.plan_manager
        plan.with_user(manager).with_context(tz=tz or manager.tz or "UTC").action_update_actuals()

    def line(self, plan, **values):
        lines = plan.line_ids.filtered(
            lambda l: all((l[field].id if hasattr(l[field], "id") else l[field]) == v for field, v in values.items())
        )
        self.assertEqual(len(lines), 1, values)
        return lines


@tagged("post_install", "-at_install")
class TestUnplannedSales(MeasureCommon):
    """Every level's actual is the sum of its breakdown's, whatever was sold outside the plan's lines."""

    def test_sales_outside_the_plan_lines_count_at_every_level(self):
        plan = self.plan(
            [("team", "last_year"), ("user", "last_year"), ("customer", "last_year"), ("category", "last_year")],
            time_split="month",
            season_basis="equal",
        )
        plan.action_decompose()
        self.approve(plan)
        # 2031: a planned sale, and four the plan has no line for
        newkey = self.env["res.partner"].create(
            {
                "name": "New Key",
                "is_company": True,
                "customer_tier_id": self.env.ref("sales_base.tier_key").id,
                "user_id": self.wang.id,
            }
        )
        tube = self.env["product.category"].create({"name": "Tube"})
        pipe = self.env["product.product"].create({"name": "Pipe", "categ_id": tube.id})
        qian = new_test_user(self.env, "qian", groups="sales_team.group_sale_salesman", name="Qian")
        sun = new_test_user(self.env, "sun", groups="sales_team.group_sale_salesman", name="Sun")
        self.north.member_ids += qian
        east = self.env["crm.team"].create({"name": "East", "member_ids": [Command.set(sun.ids)]})
        self.sell(self.zhao, self.south, self.other, self.coil, 1000, datetime(2031, 2, 10, 10))  # planned
        self.sell(self.wang, self.north, newkey, self.coil, 500, datetime(2031, 3, 10, 10))  # new key customer
        self.sell(self.wang, self.north, self.key, pipe, 700, datetime(2031, 4, 10, 10))  # new category
        self.sell(qian, self.north, self.other, self.coil, 300, datetime(2031, 5, 10, 10))  # new salesperson
        self.sell(sun, east, self.other, self.coil, 900, datetime(2031, 5, 12, 10))  # a team with no history
        self.update(plan)

        lines = plan.line_ids
        root = self.line(plan, parent_id=False)
        north = self.line(plan, dimension="team", team_id=self.north.id, is_unplanned=False)
        wang = self.line(plan, dimension="user", user_id=self.wang.id, is_unplanned=False)
        key = self.line(plan, dimension="customer", partner_id=self.key.id, is_unplanned=False)
        unplanned = lines.filtered(lambda l: l.is_unplanned and l.dimension != "time")
        self.assertEqual(
            {(line.parent_id, line.name, line.actual_amount) for line in unplanned},
            {
                (root, "Other / unplanned", 900),  # East
                (north, "Other / unplanned", 300),  # Qian
                (wang, "Other / unplanned", 500),  # New Key
                (key, "Other / unplanned", 700),  # Tube
            },
        )
        self.assertEqual(set(unplanned.mapped("target_amount")), {0})
        self.assertEqual(
            (root.actual_amount, north.actual_amount, wang.actual_amount, key.actual_amount), (3400, 1500, 1200, 700)
        )
        for line in lines.filtered("child_ids"):
            self.assertAlmostEqual(
                line.actual_amount, sum(line.child_ids.mapped("actual_amount")), 2, f"{line.name} adds up"
            )
        months = lines.filtered(lambda l: l.period_type == "month")
        self.assertEqual(sum(months.mapped("actual_amount")), 3400, "the months add up to the company")
        may = months.filtered(lambda l: l.date_from == date(2031, 5, 1) and l.actual_amount)
        self.assertEqual(sorted(may.mapped("actual_amount")), [300, 900])
        self.assertTrue(all(may.mapped("is_unplanned")))
        self.assertFalse(lines.filtered("is_unbalanced"), "no target comes with the unplanned lines")

        # measured again, nothing is made twice and the figures hold
        count = len(lines)
        self.update(plan)
        self.assertEqual(len(plan.line_ids), count)
        self.assertEqual(root.actual_amount, 3400)
        # and Monthly Completion shows the same
        report = self.env["sales.plan.completion.report"].with_user(self.planner)
        figures = dict(report._read_group([("plan_id", "=", plan.id)], ["figure"], ["amount:sum"]))
        self.assertEqual(figures, {"target": 1_000_000, "actual": 3400})


@tagged("post_install", "-at_install")
class TestLocalMonths(MeasureCommon):
    def test_an_order_at_4_am_on_1_june_in_shanghai_counts_in_june(self):
        self.plan_manager.tz = "Asia/Shanghai"
        plan = self.plan([], time_split="month", season_basis="equal", target=120_000)
        plan.action_decompose()
        self.approve(plan)
        # UTC+8: 20:00 on 31 May is 04:00 on 1 June; 15:59 on 30 June is 23:59, 16:00 is midnight on 1 July
        self.sell(self.zhao, self.south, self.other, self.coil, 100, datetime(2031, 5, 31, 20, 0))
        self.sell(self.zhao, self.south, self.other, self.coil, 20, datetime(2031, 6, 30, 15, 59))
        self.sell(self.zhao, self.south, self.other, self.coil, 3, datetime(2031, 6, 30, 16, 0))
        self.sell(self.zhao, self.south, self.other, self.coil, 4000, datetime(2031, 12, 31, 16, 30))  # 2032
        self.update(plan, tz="Asia/Shanghai")
        months = {line.date_from.month: line.actual_amount for line in plan.line_ids if line.period_type == "month"}
        self.assertEqual((months[5], months[6], months[7], months[12]), (0, 120, 3, 0))
        self.assertEqual(plan.actual_amount, 123, "the order of 1 January 2032 in Shanghai is not in the plan")
        # and in UTC the same orders fall a day earlier
        self.update(plan, tz="UTC")
        months = {line.date_from.month: line.actual_amount for line in plan.line_ids if line.period_type == "month"}
        self.assertEqual((months[5], months[6], months[7], months[12]), (100, 23, 0, 4000))

    def test_forecast_history_in_the_users_months(self):
        self.planner.tz = "Asia/Shanghai"
        self.sell(self.zhao, self.south, self.other, self.coil, 100, datetime(2031, 5, 31, 20, 0))
        forecast = (
            self.env["sales.forecast"]
            .with_user(self.planner)
            .with_context(tz="Asia/Shanghai")
            .create({"name": "F 2032", "date_from": date(2032, 5, 1), "date_to": date(2032, 6, 30)})
        )
        forecast.action_generate()
        self.assertRecordValues(forecast.line_ids, [{"date": date(2032, 6, 1), "history_amount": 100, "amount": 100}])
        self.assertIn("2031-06: ", forecast.line_ids.history_basis)
        self.assertIn("100.00", forecast.line_ids.history_basis, "a figure in the currency, not 100.0")


@tagged("post_install", "-at_install")
class TestRevisions(MeasureCommon):
    def approved_plan_with_a_locked_month(self):
        # North gets 600,000 over twelve months; the planner locks January at 72,000: the others get 48,000
        plan = self.plan([("team", "equal")], target=1_200_000, time_split="month", season_basis="equal")
        plan.action_decompose()
        north = self.line(plan, dimension="team", team_id=self.north.id)
        january = north.child_ids.filtered(lambda l: l.date_from == date(2031, 1, 1))
        january.with_user(self.planner).write({"target_amount": 72_000, "locked": True})
        plan.action_decompose()
        self.assertEqual(set(north.child_ids.mapped("target_amount")), {72_000, 48_000})
        return self.approve(plan), north, january

    def revise(self, line, amount, **vals):
        wizard = (
            self.env["sales.plan.revise"]
            .with_user(self.plan_manager)
            .create({"line_id": line.id, "new_amount": amount, "reason": "New key account", **vals})
        )
        wizard.action_revise()

    def test_revision_resplits_the_months_keeping_locks_and_tells_in_money(self):
        plan, north, january = self.approved_plan_with_a_locked_month()
        self.revise(north, 720_000)
        # 720,000 - 72,000 locked = 648,000 over eleven months of 48,000: 58,909.0909 each; the cent left to February
        months = north.child_ids.sorted("date_from")
        self.assertEqual(months[0].target_amount, 72_000)
        self.assertEqual(months[1].target_amount, 58_909.10)
        self.assertEqual(set(months[2:].mapped("target_amount")), {58_909.09})
        self.assertAlmostEqual(sum(months.mapped("target_amount")), 720_000, places=2)
        self.assertFalse(north.is_unbalanced)
        self.assertEqual(plan.unbalanced_count, 1, "the company line, until the other teams follow")
        body = plan.message_ids[0].body
        self.assertIn("600,000.00", body)
        self.assertIn("720,000.00", body)
        self.assertNotIn("720000.0", body)
        self.assertRecordValues(plan.revision_ids, [{"old_amount": 600_000, "new_amount": 720_000}])

    def test_revision_without_resplit_says_the_breakdown_no_longer_adds_up(self):
        plan, north, _january = self.approved_plan_with_a_locked_month()
        self.revise(north, 720_000, resplit=False)
        self.assertTrue(north.is_unbalanced)
        self.assertIn("no longer adds up", plan.message_ids[0].body)
        self.assertIn("600,000.00", plan.message_ids[0].body)

    def test_revisions_tab_offers_no_new_row(self):
        arch = etree.fromstring(self.env["sales.plan"].with_user(self.plan_manager).get_view(view_type="form")["arch"])
        [field] = arch.xpath("//field[@name='revision_ids']")
        self.assertEqual(field.get("readonly"), "1")
        self.assertEqual(field.xpath("./list")[0].get("create"), "0")


@tagged("post_install", "-at_install")
class TestThinHistory(MeasureCommon):
    """2030 sold in January (Key Steel 3,000) and February (7,000) only."""

    def months(self, plan, team):
        line = self.line(plan, dimension="team", team_id=team.id)
        return [month.target_amount for month in line.child_ids.sorted("date_from")]

    def test_thin_history_falls_back_to_equal_months_and_warns(self):
        plan = self.plan([("team", "last_year")], time_split="month", season_basis="history")
        self.assertEqual((plan.season_min_months, plan.season_fallback), (6, "company"))
        plan.action_decompose()
        # the company's own two months are too few as well: equal months, 600,000 / 12
        self.assertEqual(self.months(plan, self.north), [50_000] * 12)
        self.assertEqual(self.months(plan, self.south), [33_333.34] * 4 + [33_333.33] * 8)
        self.assertIn("2 line(s) sold in fewer than 6", plan.season_warning)
        self.assertIn("equal months", plan.season_warning)
        self.assertIn("North", plan.season_warning)
        self.assertIn("fewer than 6", plan.message_ids[0].body)

    def test_a_thin_line_takes_the_company_months(self):
        plan = self.plan([("team", "last_year")], time_split="month", season_basis="history", season_min_months=2)
        plan.action_decompose()
        # North sold in January (3,000) and February (3,000): its own months
        self.assertEqual(self.months(plan, self.north), [300_000, 300_000] + [0] * 10)
        # South sold in February only: the company's 30 % / 70 %
        self.assertEqual(self.months(plan, self.south), [120_000, 280_000] + [0] * 10)
        self.assertIn("1 line(s)", plan.season_warning)
        self.assertIn("split by the company's months", plan.season_warning)
        self.assertTrue(plan.season_warning.endswith(": South."))

    def test_equal_fallback_by_plan(self):
        plan = self.plan(
            [("team", "last_year")],
            time_split="month",
            season_basis="history",
            season_min_months=2,
            season_fallback="equal",
        )
        plan.action_decompose()
        self.assertEqual(self.months(plan, self.south)[:2], [33_333.34, 33_333.34])
        self.assertEqual(self.months(plan, self.north), [300_000, 300_000] + [0] * 10)


@tagged("post_install", "-at_install")
class TestQuantitiesAndRegions(MeasureCommon):
    def sell_qty(self, product, qty, uom, price, when, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.other).id,
                "user_id": self.zhao.id,
                "team_id": self.south.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": uom.id,
                            "price_unit": price,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def test_quantity_plan_per_product_with_actual_quantities(self):
        units = self.env.ref("uom.product_uom_unit")
        # 2030: Coil three orders of one unit, Cable one
        plan = self.plan([("product", "last_year")], target=100_000, target_qty=1000, uom_id=units.id)
        plan.action_decompose()
        coil = self.line(plan, dimension="product", product_id=self.coil.id)
        cable = self.line(plan, dimension="product", product_id=self.cable.id)
        # amounts by last year's 9,000 / 1,000; quantities by last year's 3 / 1 units
        self.assertRecordValues(
            coil | cable,
            [{"target_amount": 90_000, "target_qty": 750}, {"target_amount": 10_000, "target_qty": 250}],
        )
        self.approve(plan)
        self.sell_qty(self.coil, 2, self.env.ref("uom.product_uom_dozen"), 1200, datetime(2031, 3, 1, 10))
        self.sell_qty(self.coil, 6, units, 100, datetime(2031, 3, 2, 10))
        self.update(plan)
        self.assertRecordValues(coil, [{"actual_amount": 3000, "actual_qty": 30, "gap_qty": 720}])
        self.assertEqual(plan._get_root_line().actual_qty, 30)

    def test_quantities_in_units_that_do_not_convert_are_refused(self):
        units = self.env.ref("uom.product_uom_unit")
        kg = self.env.ref("uom.product_uom_kgm")
        wire_kg = self.env["product.product"].create(
            {"name": "Wire by kg", "categ_id": self.wire.id, "uom_id": kg.id, "uom_po_id": kg.id}
        )
        plan = self.plan([("product", "last_year")], target=100_000, target_qty=1000, uom_id=units.id)
        plan.action_decompose()
        self.approve(plan)
        self.sell_qty(wire_kg, 50, kg, 10, datetime(2031, 3, 1, 10))
        with self.assertRaisesText(UserError, "Wire by kg (kg)"):
            self.update(plan)

    def test_region_dimension(self):
        east, west = self.env["sales.region"].create([{"name": "East China"}, {"name": "West China"}])
        self.key.sales_region_id = east
        self.other.sales_region_id = west
        plan = self.plan([("region", "last_year")], target=100_000)
        plan.action_decompose()
        # 2030: Key Steel (East) 3,000, Small Shop (West) 7,000
        self.assertEqual(
            self.targets(plan.line_ids.filtered(lambda l: l.dimension == "region")),
            {"East China": 30_000, "West China": 70_000},
        )
        self.approve(plan)
        self.sell(self.wang, self.north, self.key, self.coil, 400, datetime(2031, 2, 1, 10))
        self.update(plan)
        self.assertEqual(self.line(plan, dimension="region", region_id=east.id).actual_amount, 400)


@tagged("post_install", "-at_install")
class TestMonthlyCompletion(MeasureCommon):
    def test_monthly_completion_shows_one_plan_target_against_actual(self):
        approved = self.plan([], time_split="month", season_basis="equal", target=120_000)
        approved.action_decompose()
        self.approve(approved)
        draft = self.plan([], time_split="month", season_basis="equal", target=240_000, name="Plan 2032")
        draft.write({"date_from": date(2032, 1, 1), "date_to": date(2032, 12, 31)})
        draft.action_decompose()
        self.sell(self.zhao, self.south, self.other, self.coil, 500, datetime(2031, 1, 10, 10))
        self.update(approved)

        Plan = self.env["sales.plan"].with_user(self.planner)
        self.assertEqual(Plan._get_default_completion_plan(), approved)
        action = approved.with_user(self.planner).action_view_completion()
        self.assertEqual(action["res_model"], "sales.plan.completion.report")
        self.assertEqual(action["context"], {"searchpanel_default_plan_id": approved.id})
        report = self.env["sales.plan.completion.report"].with_user(self.planner)
        figures = report._read_group([("plan_id", "=", approved.id)], ["date:month", "figure"], ["amount:sum"])
        january = {figure: amount for month, figure, amount in figures if month.month == 1}
        self.assertEqual(january, {"target": 10_000, "actual": 500})
        self.assertEqual(
            sum(amount for _m, figure, amount in figures if figure == "target"), 120_000, "the draft is not added"
        )
        # the default graph: month against target and actual, side by side
        graph = etree.fromstring(report.get_view(view_type="graph")["arch"])
        self.assertEqual([f.get("name") for f in graph.xpath("//field[not(@type)]")], ["date", "figure"])
        self.assertEqual(graph.xpath("//field[@type='measure']")[0].get("name"), "amount")
        search = etree.fromstring(report.get_view(view_type="search")["arch"])
        self.assertEqual(search.xpath("//searchpanel/field")[0].get("name"), "plan_id")
