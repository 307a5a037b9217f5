from datetime import datetime

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import SalesAnalyticsCommon

TZ = "Asia/Shanghai"
MEASURES = ["__count", "amount_ordered:sum", "amount_delivered:sum", "amount_invoiced:sum", "amount_to_deliver:sum"]
# the groupings of the analysis's menu and pivot that the totals answer
GROUPINGS = [[], ["categ_id", "date:month"], ["customer_tier_id"], ["partner_id"], ["user_id"], ["date:quarter"]]


@tagged("post_install", "-at_install")
class TestAnalysisTotals(SalesAnalyticsCommon):
    """The analysis's totals answer grouped reads exactly as the lines do, after every change a user makes to the
    lines, orders, customers or products, and only the reads they can answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Totals = cls.env["sales.analysis.total"]
        cls.Totals._build(TZ)
        (cls.manager | cls.salesman).tz = TZ
        cls.service = cls.env["product.product"].create(
            {"name": "Cutting", "type": "service", "taxes_id": [Command.clear()], "invoice_policy": "order"}
        )
        cls.mine = [("user_id", "=", cls.salesman.id)]

    def analysis(self, user=None):
        return self.env["sales.analysis"].with_user(user or self.manager).with_context(tz=TZ)

    def grouped(self, groupby, domain=(), user=None, lines=False):
        return self.analysis(user).with_context(sales_analysis_lines=lines)._read_group(list(domain), groupby, MEASURES)

    def grain(self, groupby, domain=(), aggregates=("amount_ordered:sum",), user=None, tz=TZ):
        analysis = self.env["sales.analysis"].with_user(user or self.manager).with_context(tz=tz)
        return (
            self.Totals.with_user(user or self.manager)
            .with_context(tz=tz)
            ._grain_for(analysis, list(domain), groupby, list(aggregates), [], None)
        )

    def assertTotalsExact(self, message):
        self.env.flush_all()
        self.assertEqual(self.Totals._differences(), {"category": 0, "customer": 0}, message)
        for groupby in GROUPINGS:
            self.assertTrue(self.grain(groupby), groupby)
            self.assertEqual(self.grouped(groupby), self.grouped(groupby, lines=True), f"{message}: {groupby}")

    def test_totals_follow_every_change(self):
        first = self.order(self.key, 10, 100, product=self.goods)
        second = self.order(self.normal, 3, 50)
        self.assertTotalsExact("confirmed")
        # by hand: 10 x 100 + 3 x 50 ordered, nothing delivered yet
        self.assertEqual(self.grouped([], self.mine), [(2, 1150, 0, 0, 1150)])

        self.deliver(first, 4)
        second._create_invoices().action_post()
        self.assertTotalsExact("delivered and invoiced")
        self.assertEqual(self.grouped([], self.mine), [(2, 1150, 400, 150, 750)])

        first.order_line = [Command.create({"product_id": self.service.id, "product_uom_qty": 2, "price_unit": 30})]
        first.order_line.filtered(lambda line: line.product_id == self.goods).product_uom_qty = 12
        self.assertTotalsExact("a line added and a quantity changed on a confirmed order")
        # 12 x 100 + 2 x 30 + 150 ordered; to deliver 8 x 100 + 2 x 30 + 150
        self.assertEqual(self.grouped([], self.mine), [(3, 1410, 400, 150, 1010)])

        refund = second.invoice_ids.sudo()._reverse_moves()
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        self.assertTotalsExact("a credit note")

        second.sudo().user_id = self.manager
        first.date_order = datetime(2026, 1, 31, 17, 0)  # 1 February in Shanghai
        self.assertTotalsExact("salesperson and date changed")

        contact = self.env["res.partner"].create({"name": "Jane", "parent_id": self.key.id})
        self.order(contact, 1, 70)
        contact.parent_id = self.normal
        self.assertTotalsExact("the contact moved to another company")

        self.goods.categ_id = self.categ_wire
        self.key.customer_tier_id = self.tier_normal
        self.assertTotalsExact("product line and tier changed")

        foreign = self.env["res.currency"].create({"name": "FCY", "symbol": "F", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "rate": 4.0, "name": "2020-01-01", "company_id": self.env.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": foreign.id})
        self.order(self.normal, 1, 400, pricelist_id=pricelist.id)
        self.assertTotalsExact("an order in another currency")

        gone = self.env["res.partner"].create({"name": "Gone Co", "is_company": True})
        cancelled = self.order(gone, 1, 10)
        self.order(self.key, 5, 10, confirm=False)
        self.assertIn(gone, [partner for partner, *_values in self.grouped(["partner_id"])])
        cancelled._action_cancel()
        self.assertTotalsExact("an order cancelled, a quotation")
        self.assertNotIn(gone, [partner for partner, *_values in self.grouped(["partner_id"])])

        self.env["sales.analysis.total"]._cron_compact()
        self.assertTotalsExact("merged")
        self.env.cr.execute("SELECT COUNT(*) FROM sales_analysis_total_customer WHERE partner_id = %s", [gone.id])
        self.assertEqual(self.env.cr.fetchone()[0], 0, "a customer whose lines are all gone keeps no row")

    def test_salesperson_reads_the_totals_of_his_sales(self):
        self.order(self.key, 2, 100)
        self.order(self.normal, 1, 100).sudo().user_id = self.manager
        self.assertEqual(self.grain(["customer_tier_id"], user=self.salesman), "customer")
        [(tier, count, ordered, *_rest)] = self.grouped(["customer_tier_id"], user=self.salesman)
        self.assertEqual((tier, count, ordered), (self.tier_key, 1, 200))

    def test_reads_the_totals_cannot_answer_read_the_lines(self):
        start_of_june = datetime(2026, 5, 31, 16, 0)  # local midnight in Shanghai
        self.assertEqual(self.grain(["categ_id", "date:month"]), "category")
        self.assertEqual(self.grain(["user_id"], [("date", ">=", start_of_june)]), "category")
        self.assertEqual(self.grain(["sales_region_id", "date:year"]), "customer")
        for groupby, domain, aggregates, tz, why in [
            (["categ_id", "customer_tier_id"], [], ["amount_ordered:sum"], TZ, "product line and customer"),
            (["product_id"], [], ["amount_ordered:sum"], TZ, "a product"),
            (["date:day"], [], ["amount_ordered:sum"], TZ, "days"),
            (["user_id"], [("date", ">=", datetime(2026, 6, 15))], ["amount_ordered:sum"], TZ, "mid-month"),
            (["user_id"], [("date", ">", start_of_june)], ["amount_ordered:sum"], TZ, "after a month's start"),
            (["user_id"], [("order_id", "=", 1)], ["amount_ordered:sum"], TZ, "an order"),
            (["user_id"], [], ["order_count:count_distinct"], TZ, "distinct orders"),
            (["user_id"], [], ["margin:sum"], TZ, "the margin, at today's cost"),
            (["user_id"], [], ["qty_ordered:sum"], TZ, "quantities"),
            (["date:month"], [], ["amount_ordered:sum"], "UTC", "another time zone's months"),
        ]:
            self.assertIsNone(self.grain(groupby, domain, aggregates, tz=tz), why)

    def test_grouped_by_abc_grade(self):
        # the company's other sales out of the grading period: these two customers and products are all it sold
        self.env["sale.order"].search([("state", "=", "sale")]).write({"date_order": datetime(2000, 1, 1)})
        self.order(self.key, 8, 100)
        self.order(self.normal, 2, 100, product=self.goods)
        # 800 and 200 of 1,000: the second has 80 % above it, B (cut-offs 80 and 95 %)
        self.env.company.write({"sales_grade_a_share": 80, "sales_grade_b_share": 95})
        self.env["sales.grading"].with_user(self.manager).action_grade_now()
        self.assertEqual(self.grain(["customer_grade"]), "customer", "by customer grade: the totals")
        self.assertEqual(self.grain(["user_id"], [("customer_grade", "=", "a")]), "customer")
        by_grade = self.grouped(["customer_grade"], self.mine)
        self.assertEqual(by_grade, self.grouped(["customer_grade"], self.mine, lines=True))
        self.assertEqual([row[:3] for row in by_grade], [("a", 1, 800), ("b", 1, 200)])
        [(count, ordered, *_rest)] = self.grouped([], self.mine)
        self.assertEqual((count, ordered), (sum(row[1] for row in by_grade), sum(row[2] for row in by_grade)))
        self.assertEqual(self.grouped(["user_id"], [("customer_grade", "=", "b")])[0][1:3], (1, 200))
        # product grades vary within a product line: the lines answer
        self.assertIsNone(self.grain(["product_grade"]))
        self.assertEqual(
            [row[:3] for row in self.grouped(["product_grade"], self.mine)], [("a", 1, 800), ("b", 1, 200)]
        )
        # graded again with another cut-off: the totals group by the new grades at once
        self.env.company.sales_grade_a_share = 90
        self.env["sales.grading"].with_user(self.manager).action_grade_now()
        self.assertEqual([row[:3] for row in self.grouped(["customer_grade"], self.mine)], [("a", 2, 1000)])
        self.assertTotalsExact("graded again")

    def test_the_pivot_as_the_salesperson_opens_it(self):
        self.order(self.key, 2, 100, product=self.goods)
        self.order(self.normal, 1, 50)
        # the web client's read of the default pivot: this year, by product line and month
        this_year = datetime(2025, 12, 31, 16, 0)
        Analysis = self.analysis(self.salesman)
        args = ([("date", ">=", this_year)], ["amount_ordered:sum"], ["categ_id", "date:month"])
        self.assertEqual(
            self.grain(args[2], args[0], ["__count", "amount_ordered:sum"], user=self.salesman),
            "category",
            "the default pivot reads the totals",
        )
        groups = Analysis.read_group(*args, lazy=False)
        lines = Analysis.with_context(sales_analysis_lines=True).read_group(*args, lazy=False)
        self.assertEqual(groups, lines)
        self.assertLessEqual({"Steel", "Wire"}, {group["categ_id"][1] for group in groups if group["categ_id"]})

    def test_a_new_time_zone_in_the_settings_rebuilds_the_totals(self):
        self.order(self.key, 1, 100, date=datetime(2026, 5, 31, 20, 0))  # 1 June in Shanghai, 31 May in UTC
        admin = new_test_user(self.env, "analysis_admin", groups="base.group_system,sales_team.group_sale_manager")
        settings = Form(self.env["res.config.settings"].with_user(admin))
        self.assertEqual(settings.sales_analysis_tz, TZ)
        settings.sales_analysis_tz = "UTC"
        settings.save().execute()
        self.assertEqual(self.grain(["date:month"], tz="UTC"), "category")
        self.assertIsNone(self.grain(["date:month"]))
        Analysis = self.env["sales.analysis"].with_user(self.manager).with_context(tz="UTC")
        groups = Analysis._read_group([("partner_id", "=", self.key.id)], ["date:month"], ["amount_ordered:sum"])
        self.assertEqual([(month.strftime("%Y-%m"), amount) for month, amount in groups], [("2026-05", 100)])
        self.assertEqual(self.Totals._differences(), {"category": 0, "customer": 0})

    def test_uninstall_leaves_no_trigger(self):
        self.Totals._drop()
        self.env.cr.execute("SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'sales_analysis_total%'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # orders still confirm, and the analysis reads its lines
        self.order(self.key, 1, 100)
        self.assertIsNone(self.grain(["categ_id"]))
        self.assertEqual(self.grouped(["categ_id"], self.mine), [(self.categ_wire, 1, 100, 0, 0, 100)])

    def test_companies_in_two_currencies_read_from_the_totals(self):
        self.setup_second_company()
        self.manager.company_ids = [Command.link(self.company_b.id)]
        for company, price in ((self.company_a, 300), (self.company_b, 100)):
            pricelist = self.env["product.pricelist"].create(
                {"name": company.name, "currency_id": company.currency_id.id, "company_id": company.id}
            )
            line = {"product_id": self.service.id, "price_unit": price}
            order = (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": self.key.id,
                        "company_id": company.id,
                        "pricelist_id": pricelist.id,
                        "order_line": [Command.create(line)],
                    }
                )
            )
            order.action_confirm()
        both = self.company_a | self.company_b
        analysis = self.analysis().with_context(allowed_company_ids=both.ids)
        self.assertEqual(self.grain(["company_id"]), "category")
        domain = [("partner_id", "=", self.key.id)]
        totals = analysis._read_group(domain, ["company_id"], ["amount_ordered:sum"])
        lines = analysis.with_context(sales_analysis_lines=True)._read_group(
            domain, ["company_id"], ["amount_ordered:sum"]
        )
        # company B's currency is worth two of A's (SuiteCommon's rates): 100 B = 200 A
        self.assertEqual(totals, lines)
        self.assertEqual(totals, [(self.company_a, 300), (self.company_b, 200)])
