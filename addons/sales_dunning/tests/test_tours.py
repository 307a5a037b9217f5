from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .test_dunning_run import make_invoice


@tagged("post_install", "-at_install")
class TestDunningTours(HttpCase):
    def test_credit_controller_runs_dunning_and_prints_letters(self):
        """In Chromium, as a dunning manager: Sales > Collections > Dunning Runs, New, Compute, Confirm, Print."""
        controller = new_test_user(self.env, "tour_dunning_manager", groups="sales_dunning.group_dunning_manager")
        # today's run is the tour's to make
        self.env["sales.dunning.run"].search([]).unlink()
        policy = self.env["sales.dunning.policy"].create(
            {
                "name": "Tour ladder",
                "level_ids": [
                    Command.create(
                        {
                            "name": "First reminder",
                            "days": 10,
                            "channel": "letter",
                            "letter_text": "<p>Please pay now</p>",
                        }
                    )
                ],
            }
        )
        debtor = self.env["res.partner"].create(
            {"name": "Tour Debtor", "is_company": True, "dunning_policy_id": policy.id}
        )
        invoice = make_invoice(self.env, debtor, 800, due=fields.Date.today() - timedelta(days=20))
        self.start_tour("/odoo", "sales_dunning_run", login=controller.login)
        run = self.env["sales.dunning.run"].search([("date", "=", fields.Date.today())])
        self.assertEqual(run.state, "done")
        self.assertIn(debtor, run.letter_ids.partner_id)
        self.assertEqual(invoice.line_ids.filtered("dunning_level_id").dunning_level_id, policy.level_ids)

    def test_credit_controller_opens_the_collection_screens(self):
        """In Chromium, as a dunning user: Dunning Letters (empty, with its help), Ageing as a graph, Dunning Runs
        filtered by status, with a group-by per month."""
        controller = new_test_user(self.env, "tour_dunning_user", groups="sales_dunning.group_dunning_user")
        self.env["sales.dunning.run"].search([]).unlink()
        self.start_tour("/odoo", "sales_dunning_collection_screens", login=controller.login)
