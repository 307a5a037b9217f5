from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.sales_base.tests.common import SuiteCommon


@tagged("post_install", "-at_install")
class TestCollectionCompanies(SuiteCommon):
    """Open items of two companies in two currencies, read at once: in the current company's currency, as
    Odoo's invoice analysis converts them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_second_company(chart=True)
        cls.manager = new_test_user(
            cls.env,
            "collection_manager_two",
            groups="sales_dunning.group_dunning_user,account.group_account_invoice",
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        cls.customer = cls.env["res.partner"].create({"name": "Two Companies Ltd", "is_company": True})
        for company, amount in ((cls.company_a, 300), (cls.company_b, 100)):
            invoice = (
                cls.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": cls.customer.id,
                        "company_id": company.id,
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]}
                            )
                        ],
                    }
                )
            )
            invoice.action_post()

    def residuals(self, companies):
        Item = self.env["sales.collection.item"].with_user(self.manager).with_context(allowed_company_ids=companies.ids)
        domain = [("partner_id", "=", self.customer.id)]
        per_company = dict(Item._read_group(domain, ["company_id"], ["residual:sum"]))
        [(total,)] = Item._read_group(domain, [], ["residual:sum"])
        return per_company, total

    def test_two_currencies_in_the_current_companys(self):
        # A: 300 A; B: 100 B = 200 A
        per_company, total = self.residuals(self.company_a | self.company_b)
        self.assertEqual(per_company, {self.company_a: 300, self.company_b: 200})
        self.assertEqual(total, 500)

    def test_second_company_current(self):
        # in B: 100 B, and A's 300 A = 150 B
        per_company, total = self.residuals(self.company_b | self.company_a)
        self.assertEqual(total, 250)
        self.assertEqual(per_company, {self.company_a: 150, self.company_b: 100})

    def test_one_company_is_not_converted(self):
        per_company, total = self.residuals(self.company_b)
        self.assertEqual((per_company, total), ({self.company_b: 100}, 100))
