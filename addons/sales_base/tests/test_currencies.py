from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import SuiteCommon


@tagged("post_install", "-at_install")
class TestCurrencies(SuiteCommon):
    """Amounts of several companies in the current company's currency, as sale.report converts them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_second_company()

    def converted(self, companies, amount):
        """``amount`` of each company of the table, converted by what the helper adds to a report's query."""
        Company = self.env["res.company"].with_company(companies[0]).with_context(allowed_company_ids=companies.ids)
        join, factor = Company._sales_currency_table_sql(SQL("company.id"))
        self.env.cr.execute(
            SQL(
                "SELECT company.id, %(amount)s %(factor)s FROM res_company company %(join)s"
                " WHERE company.id IN %(ids)s",
                amount=amount,
                factor=factor,
                join=join,
                ids=tuple(companies.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def test_one_currency_adds_nothing_to_the_query(self):
        join, factor = self.env["res.company"].with_company(self.company_a)._sales_currency_table_sql(SQL("x"))
        self.assertFalse(join.code)
        self.assertFalse(factor.code)

    def test_amounts_of_another_currency_are_converted_at_the_current_companys_rate(self):
        companies = self.company_a | self.company_b
        self.env.user.company_ids = [Command.link(self.company_b.id)]
        # 1 of the second company's currency is worth 2 of the current company's
        self.assertEqual(self.converted(companies, 100), {self.company_a.id: 100, self.company_b.id: 200})
