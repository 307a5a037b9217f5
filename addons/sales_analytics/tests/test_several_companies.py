from odoo import Command
from odoo.tests import tagged

from .common import SalesAnalyticsCommon


@tagged("post_install", "-at_install")
class TestSeveralCompanies(SalesAnalyticsCommon):
    """Two companies in two currencies selected at once: amounts in the current company's currency, as sale.report
    converts them (Odoo's currency table: the current company's latest rates)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_second_company()
        cls.manager.company_ids = [Command.link(cls.company_b.id)]
        cls.service = cls.env["product.product"].create(
            {"name": "Cutting", "type": "service", "taxes_id": [Command.clear()], "invoice_policy": "order"}
        )
        cls.service.with_company(cls.company_a).standard_price = 60
        cls.service.with_company(cls.company_b).standard_price = 20
        for company, qty, price in ((cls.company_a, 3, 100), (cls.company_b, 2, 50)):
            # each order in its company's currency
            pricelist = cls.env["product.pricelist"].create(
                {"name": company.name, "currency_id": company.currency_id.id, "company_id": company.id}
            )
            order = (
                cls.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": cls.key.id,
                        "company_id": company.id,
                        "user_id": cls.manager.id,
                        "pricelist_id": pricelist.id,
                        "order_line": [
                            Command.create({"product_id": cls.service.id, "product_uom_qty": qty, "price_unit": price})
                        ],
                    }
                )
            )
            order.action_confirm()

    def figures(self, model, companies, measures):
        """The manager's figures per company and in total, with ``companies`` selected (the first current)."""
        Model = self.env[model].with_user(self.manager).with_context(allowed_company_ids=companies.ids)
        domain = [("partner_id", "=", self.key.id)]
        per_company = {company: values for company, *values in Model._read_group(domain, ["company_id"], measures)}
        [total] = Model._read_group(domain, [], measures)
        return per_company, list(total)

    def test_two_currencies_in_the_current_companys(self):
        # A: 3 x 100 = 300 A, cost 3 x 60 = 180. B: 2 x 50 = 100 B = 200 A, cost 2 x 20 = 40 B = 80 A
        both = self.company_a | self.company_b
        per_company, total = self.figures("sales.analysis", both, ["amount_ordered:sum", "margin:sum"])
        self.assertEqual(per_company, {self.company_a: [300, 120], self.company_b: [200, 120]})
        self.assertEqual(total, [500, 240])
        # the same figures as Odoo's own sales analysis
        sale_per_company, sale_total = self.figures("sale.report", both, ["price_subtotal:sum"])
        self.assertEqual(sale_total, [500])
        self.assertEqual(sale_per_company, {self.company_a: [300], self.company_b: [200]})

    def test_second_company_current(self):
        # in B: 100 B, and A's 300 A = 150 B
        both = self.company_b | self.company_a
        per_company, total = self.figures("sales.analysis", both, ["amount_ordered:sum"])
        self.assertEqual(per_company, {self.company_b: [100], self.company_a: [150]})
        self.assertEqual(total, [250])
        self.assertEqual(self.figures("sale.report", both, ["price_subtotal:sum"])[1], [250])
        rows = self.env["sales.analysis"].with_user(self.manager).with_context(allowed_company_ids=both.ids).search([])
        self.assertEqual(rows.currency_id, self.currency_b)

    def test_one_company_unconverted(self):
        _per_company, total = self.figures("sales.analysis", self.company_b, ["amount_ordered:sum"])
        self.assertEqual(total, [100])
