from datetime import date
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
JANUARY_2027 = (date(2027, 1, 1), date(2027, 1, 31))


@freeze_time("2026-11-16 10:00:00")
@tagged("post_install", "-at_install")
class TestPlanReplenishment(SuiteCommon):
    """An approved plan's quantities still to sell raise the replenishment report's suggestion."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.sales_plan_feeds_replenishment = True
        cls.company.partner_id.tz = "UTC"
        cls.stock_user = new_test_user(cls.env, "stock_reader", groups="stock.group_stock_user")
        cls.plan_manager = new_test_user(cls.env, "plan_boss", groups="sales_planning.group_plan_manager")
        cls.replenisher = new_test_user(
            cls.env, "plan_replenisher", groups="sales_planning.group_plan_manager,stock.group_stock_manager"
        )
        cls.units = cls.env.ref("uom.product_uom_unit")
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.customer = cls.env["res.partner"].create({"name": "Dongfang Trading", "is_company": True})
        cls.bolt = cls._storable("Bolt M8")

    @classmethod
    def _storable(cls, name, company=None):
        return cls.env["product.product"].create(
            {"name": name, "type": "consu", "is_storable": True, "company_id": company and company.id}
        )

    def _on_hand(self, product, qty, warehouse=None):
        location = (warehouse or self.warehouse).lot_stock_id
        self.env["stock.quant"]._update_available_quantity(product, location, qty)

    def _sell(self, product, qty, company=None):
        order = (
            self.env["sale.order"]
            .with_company(company or self.company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                }
            )
        )
        order.action_confirm()
        return order

    def _orderpoint(self, product, warehouse=None, **vals):
        warehouse = warehouse or self.warehouse
        return (
            self.env["stock.warehouse.orderpoint"]
            .with_company(warehouse.company_id)
            .create(
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "warehouse_id": warehouse.id,
                    "company_id": warehouse.company_id.id,
                    "trigger": "manual",
                    "product_min_qty": 5,
                    "product_max_qty": 50,
                    "qty_multiple": 12,
                    **vals,
                }
            )
        )

    def _plan(self, product, months, approve=True, company=None, uom=None, name="Plan 2026", top_qty=True, year=2026):
        """A plan of ``product`` for ``year`` broken down by month: {(first day, last day): quantity}; with
        ``top_qty``, with the quantity target at the top too."""
        company = company or self.company
        total = sum(months.values())
        Plan = self.env["sales.plan"].with_user(self.plan_manager).with_company(company)
        plan = Plan.create(
            {
                "name": name,
                "company_id": company.id,
                "date_from": date(year, 1, 1),
                "date_to": date(year, 12, 31),
                "target_amount": 1000 * total,
                "target_qty": total if top_qty else 0.0,
                "uom_id": (uom or self.units).id if top_qty else False,
                "dimension_ids": [Command.create({"dimension": "product", "basis": "manual"})],
            }
        )
        Line = self.env["sales.plan.line"].with_user(self.plan_manager).with_company(company)
        period = {"period_type": "plan", "date_from": date(year, 1, 1), "date_to": date(year, 12, 31)}
        root = Line.create({"plan_id": plan.id, "dimension": "company", "target_qty": total, **period})
        by_product = Line.create(
            {
                "plan_id": plan.id,
                "parent_id": root.id,
                "dimension": "product",
                "product_id": product.id,
                "target_qty": total,
                **period,
            }
        )
        Line.create(
            [
                {
                    "plan_id": plan.id,
                    "parent_id": by_product.id,
                    "dimension": "time",
                    "product_id": product.id,
                    "period_type": "month",
                    "date_from": start,
                    "date_to": end,
                    "target_qty": qty,
                }
                for (start, end), qty in months.items()
            ]
        )
        if approve:
            plan.with_user(self.plan_manager).action_approve()
        return plan

    def _read(self, orderpoint, user=None):
        orderpoint = orderpoint.with_user(user or self.stock_user)
        orderpoint.invalidate_recordset()
        return orderpoint

    # ------------------------------------------------------------

    def test_approved_plan_of_the_month_raises_the_quantity_to_order(self):
        self._on_hand(self.bolt, 10)
        self._sell(self.bolt, 20)
        self._plan(self.bolt, {NOVEMBER: 100})
        orderpoint = self._read(self._orderpoint(self.bolt))
        # 100 planned for November, 20 of it ordered already (and in Odoo's forecast): 80 still to come
        self.assertEqual(orderpoint.sales_planned_demand, 80)
        # forecast: 10 on hand - 20 to deliver - 80 planned
        self.assertEqual(orderpoint.qty_forecast, -90)
        # below the minimum of 5: up to the maximum of 50, 140, rounded down to the multiple of 12 below it
        self.assertEqual(orderpoint.qty_to_order, 132)
        self.assertEqual(
            orderpoint.sales_planned_demand_detail,
            "Plan 2026, 2026-11: planned 100.00 Units, ordered 20.00 Units, still to sell 80.00 Units",
        )

    def test_filter_on_planned_demand(self):
        nut = self._storable("Nut M8")
        self._plan(self.bolt, {NOVEMBER: 100})
        planned, unplanned = self._orderpoint(self.bolt), self._orderpoint(nut)
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_user(self.stock_user)
        ours = [("id", "in", (planned | unplanned).ids)]
        self.assertEqual(Orderpoint.search(ours + [("sales_planned_demand", ">", 0)]), planned)
        self.assertEqual(Orderpoint.search(ours + [("sales_planned_demand", "=", 0)]), unplanned)

    def test_plan_lines_behind_the_planned_demand(self):
        plan = self._plan(self.bolt, {NOVEMBER: 100, DECEMBER: 100})
        orderpoint = self._orderpoint(self.bolt)
        action = self._read(orderpoint, self.plan_manager).action_view_sales_planned_demand()
        lines = self.env["sales.plan.line"].with_user(self.plan_manager).search(action["domain"])
        self.assertEqual(lines, plan.line_ids.filtered(lambda line: line.date_from == NOVEMBER[0]))

    def test_quantities_on_product_lines_only_count_after_update_actuals(self):
        """A company that sells in hours too plans quantities on its product lines only (each in the product's
        unit); the actuals the plan then measures leave the planned demand as it was."""
        hours_service = self.env["product.product"].create(
            {"name": "Fitting", "type": "service", "uom_id": self.env.ref("uom.product_uom_hour").id}
        )
        self._sell(hours_service, 3)
        self._sell(self.bolt, 20)
        plan = self._plan(self.bolt, {NOVEMBER: 100}, top_qty=False)
        plan.with_user(self.plan_manager).action_update_actuals()
        orderpoint = self._read(self._orderpoint(self.bolt))
        self.assertEqual(orderpoint.sales_planned_demand, 80)

    def test_draft_plan_does_not_count(self):
        self._on_hand(self.bolt, 10)
        self._plan(self.bolt, {NOVEMBER: 100}, approve=False)
        orderpoint = self._read(self._orderpoint(self.bolt))
        self.assertEqual(orderpoint.sales_planned_demand, 0)
        self.assertEqual(orderpoint.qty_forecast, 10)
        self.assertEqual(orderpoint.qty_to_order, 0)

    def test_periods_outside_the_horizon_do_not_count(self):
        # October is over; December starts after the lead-days date (today, without lead times)
        self._plan(self.bolt, {OCTOBER: 300, NOVEMBER: 40, DECEMBER: 500})
        orderpoint = self._read(self._orderpoint(self.bolt))
        self.assertEqual(orderpoint.lead_days_date, date(2026, 11, 16))
        self.assertEqual(orderpoint.sales_planned_demand, 40)
        # 50 - (-40) = 90, rounded down to 84
        self.assertEqual(orderpoint.qty_to_order, 84)

    def _route(self, days):
        return self.env["stock.route"].create(
            {
                "name": "Supplier, 20 days",
                "product_selectable": True,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Supplier to stock",
                            "action": "pull",
                            "location_src_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                            "picking_type_id": self.warehouse.in_type_id.id,
                            "delay": days,
                        }
                    )
                ],
            }
        )

    def test_lead_time_brings_the_next_period_in(self):
        self._plan(self.bolt, {NOVEMBER: 40, DECEMBER: 500})
        orderpoint = self._read(self._orderpoint(self.bolt, route_id=self._route(20).id))
        self.assertEqual(orderpoint.lead_days_date, date(2026, 12, 6))
        # December has started by the time an order placed today arrives: its 500 count with November's 40
        self.assertEqual(orderpoint.sales_planned_demand, 540)

    def test_orders_beyond_the_plan_leave_no_planned_demand(self):
        self._on_hand(self.bolt, 200)
        self._sell(self.bolt, 120)
        self._plan(self.bolt, {NOVEMBER: 100})
        orderpoint = self._read(self._orderpoint(self.bolt))
        self.assertEqual(orderpoint.sales_planned_demand, 0)
        self.assertEqual(orderpoint.qty_forecast, 80)

    def test_setting_off_keeps_odoo_replenishment(self):
        self.company.sales_plan_feeds_replenishment = False
        self._on_hand(self.bolt, 10)
        self._sell(self.bolt, 20)
        self._plan(self.bolt, {NOVEMBER: 100})
        orderpoint = self._read(self._orderpoint(self.bolt))
        self.assertEqual(orderpoint.sales_planned_demand, 0)
        self.assertEqual(orderpoint.qty_forecast, -10)
        # 50 - (-10) = 60, a multiple of 12
        self.assertEqual(orderpoint.qty_to_order, 60)
        with self.assertRaisesText(UserError, "Plans Feed Replenishment"):
            self.env["sales.plan"].search([("name", "=", "Plan 2026")]).with_user(
                self.replenisher
            ).action_open_replenishment()

    def test_the_last_approved_plan_counts_alone(self):
        self._plan(self.bolt, {NOVEMBER: 100}, name="Plan 2026")
        with freeze_time("2026-11-16 11:00:00"):
            self._plan(self.bolt, {NOVEMBER: 70}, name="Plan 2026 revised")
        orderpoint = self._read(self._orderpoint(self.bolt))
        self.assertEqual(orderpoint.sales_planned_demand, 70)
        self.assertNotIn("Plan 2026,", orderpoint.sales_planned_demand_detail)

    @freeze_time("2026-12-20 10:00:00")
    def test_next_years_plan_takes_over_from_its_first_period_only(self):
        """On 20 December the 2027 plan is approved, and its January comes within the 20 days of lead time: the
        rest of December still counts from the 2026 plan."""
        self._plan(self.bolt, {DECEMBER: 500}, name="Plan 2026")
        with freeze_time("2026-12-20 11:00:00"):
            self._plan(self.bolt, {JANUARY_2027: 300}, name="Plan 2027", year=2027)
        orderpoint = self._read(self._orderpoint(self.bolt, route_id=self._route(20).id))
        self.assertEqual(orderpoint.lead_days_date, date(2027, 1, 9))
        self.assertEqual(orderpoint.sales_planned_demand, 800)
        # the same figure whether the rule is read alone or with others of shorter lead time
        nut = self._storable("Nut M8")
        self._plan(nut, {DECEMBER: 10}, name="Nuts")
        both = self._read(orderpoint | self._orderpoint(nut))
        self.assertEqual(both.mapped("sales_planned_demand"), [800, 10])

    def test_plan_in_dozens_feeds_units(self):
        dozens = self.env.ref("uom.product_uom_dozen")
        self._plan(self.bolt, {NOVEMBER: 10}, uom=dozens)
        self._sell(self.bolt, 20)
        orderpoint = self._read(self._orderpoint(self.bolt))
        # 10 dozens = 120 units, 20 ordered
        self.assertEqual(orderpoint.sales_planned_demand, 100)

    def test_only_the_main_warehouse_stock_is_fed(self):
        self._plan(self.bolt, {NOVEMBER: 100})
        shelf = self.env["stock.location"].create({"name": "Shelf", "location_id": self.warehouse.lot_stock_id.id})
        orderpoint = self._read(self._orderpoint(self.bolt, location_id=shelf.id))
        self.assertEqual(orderpoint.sales_planned_demand, 0)

    def test_each_company_its_own_plan(self):
        company_b = self.env["res.company"].create({"name": "Second Co"})
        company_b.sales_plan_feeds_replenishment = True
        company_b.partner_id.tz = "UTC"
        self.plan_manager.company_ids += company_b
        self.stock_user.company_ids += company_b
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        self._plan(self.bolt, {NOVEMBER: 100})
        self._plan(self.bolt, {NOVEMBER: 30}, company=company_b, name="Plan B")
        self._sell(self.bolt, 20)
        orderpoint_a = self._orderpoint(self.bolt)
        orderpoint_b = self._orderpoint(self.bolt, warehouse=warehouse_b)
        both = (orderpoint_a | orderpoint_b).with_context(allowed_company_ids=[self.company.id, company_b.id])
        both = self._read(both)
        # company A's order does not count against company B's plan
        self.assertEqual(both.mapped("sales_planned_demand"), [80, 30])
        self.assertEqual(both.mapped("qty_forecast"), [-100, -30])

    def test_plan_button_opens_the_replenishment_of_its_products(self):
        nut = self._storable("Nut M8")
        plan = self._plan(nut, {NOVEMBER: 100, DECEMBER: 100})
        action = plan.with_user(self.replenisher).action_open_replenishment()
        self.assertEqual(action["res_model"], "stock.warehouse.orderpoint")
        orderpoints = self.env["stock.warehouse.orderpoint"].with_user(self.replenisher).search(action["domain"])
        self.assertEqual(orderpoints.product_id, nut)
        self.assertEqual(orderpoints.location_id, self.warehouse.lot_stock_id)
        self.assertEqual(orderpoints.trigger, "manual")
        self.assertEqual(orderpoints.sales_planned_demand, 100)
        self.assertEqual(orderpoints.qty_to_order, 100)
        # a second click shows the product once again, as Odoo remakes its report's manual rules
        action = plan.with_user(self.replenisher).action_open_replenishment()
        orderpoints = self.env["stock.warehouse.orderpoint"].with_user(self.replenisher).search(action["domain"])
        self.assertEqual(orderpoints.product_id, nut)
        self.assertEqual(orderpoints.qty_to_order, 100)

    def test_replenishment_report_lists_planned_products(self):
        """Odoo's own menu lists a product the plan asks for beyond its stock, not one whose stock suffices."""
        nut, washer = self._storable("Nut M8"), self._storable("Washer M8")
        self._on_hand(washer, 500)
        self._plan(nut, {NOVEMBER: 100}, name="Nuts")
        self._plan(washer, {NOVEMBER: 100}, name="Washers")
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_user(self.replenisher)
        Orderpoint.action_open_orderpoints()
        orderpoints = Orderpoint.search([("product_id", "in", (nut | washer).ids)])
        self.assertEqual(orderpoints.product_id, nut)
        self.assertEqual(orderpoints.qty_to_order, 100)

    def test_report_makes_no_rule_for_products_the_stock_covers(self):
        """Opening the report with thousands of planned products stays quick: a product whose forecast covers its
        plan is not given a rule to compute and delete again on every visit."""
        nut, washer = self._storable("Nut M8"), self._storable("Washer M8")
        self._on_hand(washer, 500)
        self._plan(nut, {NOVEMBER: 100}, name="Nuts")
        self._plan(washer, {NOVEMBER: 100}, name="Washers")
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_user(self.replenisher)
        created = []
        make = type(Orderpoint)._create_sales_plan_orderpoints

        def spy(model, company, products):
            created.append(products)
            return make(model, company, products)

        with patch.object(type(Orderpoint), "_create_sales_plan_orderpoints", spy):
            Orderpoint.action_open_orderpoints()
        self.assertEqual(created[0].filtered(lambda product: product in (nut | washer)), nut)

    def test_plan_without_product_quantities_is_refused(self):
        plan = self.env["sales.plan"].with_user(self.plan_manager).create({"name": "Amounts only", "target_amount": 5})
        plan.with_user(self.plan_manager).action_approve()
        with self.assertRaisesText(UserError, "break it down by product with a target quantity"):
            plan.with_user(self.replenisher).action_open_replenishment()


@tagged("post_install", "-at_install")
class TestPlanReplenishmentTour(HttpCase):
    def test_plan_manager_replenishes_from_the_plan(self):
        """In Chromium, as a plan and inventory manager: Sales > Planning > Plans, the approved plan, Replenishment:
        the lamp's planned demand and Odoo's suggestion with it."""
        manager = new_test_user(
            self.env,
            "tour_replenisher",
            groups="sales_planning.group_plan_manager,stock.group_stock_manager",
            tz="UTC",
        )
        company = self.env.company
        company.sales_plan_feeds_replenishment = True
        lamp = self.env["product.product"].create({"name": "Tour Lamp", "type": "consu", "is_storable": True})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(lamp, warehouse.lot_stock_id, 10)
        # the manager's rule: Odoo's report keeps it (it remakes the manual rules the superuser made)
        self.env["stock.warehouse.orderpoint"].with_user(manager).create(
            {
                "product_id": lamp.id,
                "location_id": warehouse.lot_stock_id.id,
                "trigger": "manual",
                "product_min_qty": 5,
                "product_max_qty": 50,
                "qty_multiple": 12,
            }
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": lamp.id, "product_uom_qty": 20})]}
        )
        order.action_confirm()
        first = date.today().replace(day=1)
        period = {"period_type": "month", "date_from": first, "date_to": first + relativedelta(months=1, days=-1)}
        plan = self.env["sales.plan"].create(
            {
                "name": "Tour Lamp Plan",
                "date_from": period["date_from"],
                "date_to": period["date_to"],
                "target_amount": 5000,
                "target_qty": 100,
                "uom_id": self.env.ref("uom.product_uom_unit").id,
                "dimension_ids": [Command.create({"dimension": "product", "basis": "manual"})],
            }
        )
        root = self.env["sales.plan.line"].create(
            {"plan_id": plan.id, "dimension": "company", "target_amount": 5000, "target_qty": 100, **period}
        )
        self.env["sales.plan.line"].create(
            {
                "plan_id": plan.id,
                "parent_id": root.id,
                "dimension": "product",
                "product_id": lamp.id,
                "target_amount": 5000,
                "target_qty": 100,
                **period,
            }
        )
        plan.action_approve()
        self.start_tour("/odoo", "sales_planning_replenishment", login=manager.login)
