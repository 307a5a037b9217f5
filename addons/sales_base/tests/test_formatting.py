from odoo.tests import tagged

from .common import SuiteCommon


def plain(text):
    """The text with the no-break spaces of number formats as plain spaces."""
    return " ".join(text.replace("\N{NO-BREAK SPACE}", " ").replace("\N{NARROW NO-BREAK SPACE}", " ").split())


@tagged("post_install", "-at_install")
class TestFormatting(SuiteCommon):
    """Figures in messages read as the reader writes them: currency, unit and its decimals, language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.units = cls.env.ref("uom.product_uom_unit")
        cls.kg = cls.env.ref("uom.product_uom_kgm")

    def test_money_has_its_currency_and_the_readers_separators(self):
        formatter = self.env["sales.formatter"]
        self.assertEqual(plain(formatter._money(150000.01, self.eur)), "150,000.01 €")
        self.assertEqual(plain(formatter.with_context(lang="fr_FR")._money(150000.01, self.eur)), "150 000,01 €")

    def test_quantity_has_its_unit_and_the_units_decimals(self):
        formatter = self.env["sales.formatter"]
        self.assertEqual(formatter._quantity(3.0, self.units), "3.00 Units")
        whole = self.units.copy({"name": "Coils", "rounding": 1.0, "uom_type": "bigger", "factor_inv": 10})
        self.assertEqual(formatter._quantity(3.0, whole), "3 Coils")
        self.assertEqual(plain(formatter.with_context(lang="fr_FR")._quantity(1234.5, self.kg)), "1 234,50 kg")

    def test_percent_without_needless_decimals(self):
        formatter = self.env["sales.formatter"]
        self.assertEqual(formatter._percent(50.0), "50 %")
        self.assertEqual(formatter._percent(12.5), "12.50 %")
