from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_company import ACTUAL_SOURCES


class SalesPlan(models.Model):
    _name = "sales.plan"
    _description = "Sales Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Start", required=True, default=lambda self: fields.Date.today().replace(month=1, day=1)
    )
    date_to = fields.Date(
        string="End", required=True, default=lambda self: fields.Date.today().replace(month=12, day=31)
    )
    target_amount = fields.Monetary(string="Target Amount", tracking=True)
    target_qty = fields.Float(string="Target Quantity", digits="Product Unit of Measure", tracking=True)
    actual_source = fields.Selection(
        ACTUAL_SOURCES,
        string="Actuals From",
        required=True,
        default=lambda self: self.env.company.sales_plan_actual_source,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)

    @api.constrains("target_amount", "target_qty")
    def _check_targets(self):
        for plan in self:
            if plan.target_amount < 0 or plan.target_qty < 0:
                raise ValidationError(
                    _(
                        "The targets of %(plan)s cannot be negative (amount %(amount)s, quantity %(qty)s).",
                        plan=plan.name,
                        amount=plan.target_amount,
                        qty=plan.target_qty,
                    )
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_from > plan.date_to:
                raise ValidationError(
                    _(
                        "The plan %(plan)s ends (%(end)s) before it starts (%(start)s).",
                        plan=plan.name,
                        start=plan.date_from,
                        end=plan.date_to,
                    )
                )

    def write(self, vals):
        locked = self._get_locked_fields() & vals.keys()
        if locked and any(plan.state != "draft" for plan in self):
            raise UserError(
                _(
                    "%(plans)s are approved or closed: their targets and period cannot be changed. "
                    "Set the plan back to draft first.",
                    plans=", ".join(self.filtered(lambda p: p.state != "draft").mapped("name")),
                )
            )
        return super().write(vals)

    def action_approve(self):
        self._check_plan_manager()
        self.write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})

    def action_close(self):
        self._check_plan_manager()
        self.write({"state": "closed"})

    def action_reset_to_draft(self):
        self._check_plan_manager()
        self.write({"state": "draft", "approved_by_id": False, "approved_date": False})

    @api.model
    def _get_locked_fields(self):
        """Fields frozen once a plan is approved."""
        return {"target_amount", "target_qty", "date_from", "date_to", "company_id", "actual_source"}

    def _check_plan_manager(self):
        if not self.env.user.has_group("sales_planning.group_plan_manager"):
            raise UserError(_("Only a sales plan manager can approve, close or reopen a sales plan."))
