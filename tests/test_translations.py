"""A user working in Chinese sees no English label of the suite on its main screens, and every addon's zh_CN.po
translates every term of its .pot."""

import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged

SUITE = ("sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning")
ADDONS = Path(__file__).resolve().parent.parent / "addons"


def _po(addon, name):
    return polib.pofile(str(ADDONS / addon / "i18n" / name))


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Chinese as a user installs it: Odoo's own terms with the suite's
        cls.env["res.lang"]._activate_lang("zh_CN")
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        cls.env["ir.module.module"]._load_module_terms(installed, ["zh_CN"], overwrite=True)
        # the suite's own terms that Chinese writes differently: what must not show in English
        cls.terms = {entry.msgid for addon in SUITE for entry in _po(addon, "zh_CN.po") if entry.msgstr != entry.msgid}

    def test_every_term_is_translated(self):
        for addon in SUITE:
            template = {entry.msgid for entry in _po(addon, f"{addon}.pot")}
            translated = {entry.msgid for entry in _po(addon, "zh_CN.po") if entry.msgstr and not entry.fuzzy}
            self.assertFalse(template - translated, f"{addon}: untranslated terms")
            self.assertFalse(translated - template, f"{addon}: obsolete terms, regenerate with make i18n")

    def _screen_texts(self, action, lang):
        """The labels a user reads on the action's views: menu-independent texts of the arch and field labels."""
        texts = {action.with_context(lang=lang).name}
        model = self.env[action.res_model].with_context(lang=lang)
        for view_type in action.view_mode.split(","):
            view_type = "list" if view_type == "tree" else view_type
            views = model.get_views([(False, view_type)])
            arch = views["views"][view_type]["arch"]
            texts |= set(re.findall(r'(?:string|placeholder|help|confirm|sum)="([^"]+)"', arch))
            texts |= {text.strip() for text in re.findall(r">([^<>]+)<", arch) if text.strip()}
            for description in views["models"].values():
                texts |= {field["string"] for field in description["fields"].values() if "string" in field}
        return texts

    def test_main_screens_in_chinese(self):
        menus = self.env["ir.ui.menu"].search([])
        data = self.env["ir.model.data"].search([("model", "=", "ir.ui.menu"), ("module", "in", SUITE)])
        checked = 0
        for menu in menus.browse(data.mapped("res_id")).filtered(lambda menu: menu.action):
            action = menu.action
            if action._name != "ir.actions.act_window":
                continue
            english = self.env["ir.ui.menu"].browse(menu.id).with_context(lang="en_US").name
            chinese = menu.with_context(lang="zh_CN").name
            self.assertNotEqual(english, chinese, f"menu {english} not translated")
            untranslated = self._screen_texts(action, "zh_CN") & self._screen_texts(action, "en_US") & self.terms
            self.assertFalse(untranslated, f"{english}: English labels on the Chinese screen")
            checked += 1
        self.assertGreaterEqual(checked, 15, "the suite's menus were not found")
