"""What a user of the installed suite relies on: every screen in a menu, settings, access rules."""

from odoo.tests import TransactionCase, tagged

SUITE = ("sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning")


@tagged("post_install", "-at_install")
class TestSuiteWiring(TransactionCase):
    def _suite_records(self, model):
        data = self.env["ir.model.data"].search([("module", "in", SUITE), ("model", "=", model)])
        return self.env[model].browse(data.mapped("res_id"))

    def test_every_window_action_is_in_a_menu(self):
        actions = self._suite_records("ir.actions.act_window")
        self.assertTrue(actions)
        menus = self.env["ir.ui.menu"].with_context(active_test=False).search([])
        in_menus = {menu.action.id for menu in menus if menu.action and menu.action._name == "ir.actions.act_window"}
        # a menu of the suite may open its screen through a server action that picks the records to show first
        suite_menus = self._suite_records("ir.ui.menu")
        for menu in suite_menus.filtered(lambda m: m.action and m.action._name == "ir.actions.server"):
            opened = menu.action.run()
            if isinstance(opened, dict) and opened.get("type") == "ir.actions.act_window":
                in_menus.add(opened.get("id"))
        self.assertFalse([action.name for action in actions if action.id not in in_menus])

    def test_every_addon_has_a_settings_block(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        for addon in SUITE:
            self.assertIn(f'name="{addon}_setting_container"', arch, addon)

    def test_every_model_has_access_rules_and_company_rules(self):
        # the suite's own models with a table (abstract ones hold only code; extended ones are Odoo's)
        models = self._suite_records("ir.model").filtered(
            lambda m: (
                not m.transient and not self.env[m.model]._abstract and self.env[m.model]._original_module in SUITE
            )
        )
        self.assertTrue(models)
        for model in models:
            self.assertTrue(model.access_ids, f"{model.model} has no access rule")
            if "company_id" in self.env[model.model]._fields:
                self.assertTrue(model.rule_ids, f"{model.model} has no multi-company record rule")
