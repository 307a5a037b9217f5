from odoo import api, models
from odoo.tools import SQL


class SalesGrading(models.AbstractModel):
    _inherit = "sales.grading"

    @api.model
    def _after_grading(self, companies):
        """The plan lines of the graded companies show the new grades."""
        self.env["sales.plan.line"]._refresh_grades(SQL("l.company_id = ANY(%s)", companies.ids))
        return super()._after_grading(companies)
