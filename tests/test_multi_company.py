"""Two companies in two currencies: credit exposure, analysis, dunning and plans stay per company, in its currency."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMultiCompany(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        eur = cls.env.ref("base.EUR")
        eur.active = True
        cls.company_b = cls.env["res.company"].create({"name": "Suite Europe", "currency_id": eur.id})
        cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company_b, install_demo=False)
        cls.user = cls.env["res.users"].create(
            {
                "name": "Both Companies",
                "login": "both-companies",
                "company_id": cls.company_a.id,
                "company_ids": [Command.set((cls.company_a | cls.company_b).ids)],
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref(xmlid).id
                            for xmlid in (
                                "sales_team.group_sale_manager",
                                "sales_credit.group_credit_manager",
                                "sales_dunning.group_dunning_manager",
                                "sales_planning.group_plan_manager",
                                "account.group_account_manager",
                            )
                        ]
                    )
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Two-Company Customer",
                "is_company": True,
                "customer_tier_id": cls.env.ref("sales_base.tier_key").id,
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Plate", "type": "consu", "list_price": 10})
        cls.order_a = cls.sell(cls.company_a, 100)
        cls.order_b = cls.sell(cls.company_b, 200)

    @classmethod
    def env_of(cls, company):
        """The user working in ``company`` (his other company allowed but not active)."""
        return cls.env(user=cls.user, context={"allowed_company_ids": [company.id]})

    @classmethod
    def sell(cls, company, amount):
        env = cls.env(context={"allowed_company_ids": [company.id]})
        order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": company.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "price_unit": amount, "tax_id": [Command.clear()]})
                ],
            }
        )
        order.action_confirm()
        return order

    def test_credit_exposure_per_company_in_its_currency(self):
        for company, amount in ((self.company_a, 100), (self.company_b, 200)):
            partner = self.env_of(company)["res.partner"].browse(self.customer.id)
            self.assertEqual(partner.credit_currency_id, company.currency_id)
            self.assertEqual(partner.credit_undelivered, amount, company.name)

    def test_sales_analysis_per_company(self):
        for company, amount in ((self.company_a, 100), (self.company_b, 200)):
            groups = self.env_of(company)["sales.analysis"]._read_group(
                [("partner_id", "=", self.customer.id)], ["company_id"], ["amount_ordered:sum"]
            )
            self.assertEqual([(group_company.id, total) for group_company, total in groups], [(company.id, amount)])

    def test_dunning_run_sees_its_own_company_only(self):
        due = fields.Date.today() - timedelta(days=40)
        invoices = {}
        for company, amount in ((self.company_a, 100), (self.company_b, 200)):
            env = self.env_of(company)
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "Plate", "price_unit": amount, "tax_ids": [Command.clear()]})
                    ],
                }
            )
            invoice.action_post()
            invoices[company] = invoice
        for company in (self.company_a, self.company_b):
            env = self.env_of(company)
            policy = env["sales.dunning.policy"].create(
                {"name": f"Ladder {company.name}", "level_ids": [Command.create({"name": "First", "days": 1})]}
            )
            self.customer.with_company(company).dunning_policy_id = policy
            today = fields.Date.today()
            run = env["sales.dunning.run"].search([("date", "=", today), ("company_id", "=", company.id)]) or env[
                "sales.dunning.run"
            ].create({"date": today})
            run.action_compute()
            items = run.letter_ids.filtered(lambda l: l.partner_id == self.customer).line_ids.move_id
            self.assertEqual(items, invoices[company], company.name)
            self.assertEqual(
                run.letter_ids.filtered(lambda l: l.partner_id == self.customer).currency_id, company.currency_id
            )

    def test_plan_actuals_per_company(self):
        today = fields.Date.today()
        for company, amount in ((self.company_a, 100), (self.company_b, 200)):
            env = self.env_of(company)
            plan = env["sales.plan"].create(
                {
                    "name": f"Plan {company.name}",
                    "date_from": today.replace(month=1, day=1),
                    "date_to": today.replace(month=12, day=31),
                    "target_amount": 1000,
                    "time_split": "none",
                    "dimension_ids": [Command.create({"dimension": "customer", "basis": "equal"})],
                }
            )
            plan.action_decompose()
            plan.action_approve()
            plan.action_update_actuals()
            self.assertEqual(plan.currency_id, company.currency_id)
            line = plan.line_ids.filtered(lambda l: l.partner_id == self.customer)
            self.assertEqual(line.actual_amount, amount, company.name)
