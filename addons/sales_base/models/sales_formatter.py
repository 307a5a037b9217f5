import math

from odoo import api, models
from odoo.tools import float_round, format_amount, formatLang


class SalesFormatter(models.AbstractModel):
    """The one way the suite writes figures into its messages: money with its currency, quantities with their unit
    and its decimals, percentages; in the reader's language (the environment's)."""

    _name = "sales.formatter"
    _description = "Figures in Sales Messages"

    @api.model
    def _money(self, amount, currency=None):
        """``amount`` in ``currency`` (default: the current company's), e.g. "¥ 150,000.01"."""
        return format_amount(self.env, amount or 0.0, currency or self.env.company.currency_id)

    @api.model
    def _quantity(self, quantity, uom=None):
        """``quantity`` with the decimals of its unit (at most those of Product Unit of Measure) and the unit's
        name, e.g. "3 Units", "2.500 kg"."""
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        if uom and uom.rounding:
            digits = min(digits, max(0, -math.floor(math.log10(uom.rounding) + 1e-9)))
        text = formatLang(self.env, float_round(quantity or 0.0, precision_digits=digits), digits=digits)
        return f"{text} {uom.name}" if uom else text

    @api.model
    def _percent(self, value):
        """A percentage, without decimals when it is whole, e.g. "50 %", "12.50 %"."""
        digits = 0 if float_round(value or 0.0, precision_digits=2) == round(value or 0.0) else 2
        return f"{formatLang(self.env, value or 0.0, digits=digits)} %"
