from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class SalesPlanRevise(models.TransientModel):
    """Change a target of an approved plan, recording who, when, the old and new value and why."""

    _name = "sales.plan.revise"
    _description = "Revise a Sales Plan Target"

    line_id = fields.Many2one("sales.plan.line", required=True, readonly=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    old_amount = fields.Monetary(related="line_id.target_amount", string="Current Target")
    new_amount = fields.Monetary(string="New Target", required=True)
    reason = fields.Char(required=True)

    @api.constrains("new_amount")
    def _check_new_amount(self):
        for wizard in self:
            if wizard.new_amount < 0:
                raise ValidationError(_("A target cannot be negative (%(amount)s).", amount=wizard.new_amount))

    def action_revise(self):
        self.ensure_one()
        line = self.line_id
        if line.plan_id.state != "approved":
            raise UserError(_("Only approved plans are revised; edit a draft plan directly."))
        self.env["sales.plan.revision"].create(
            {
                "plan_id": line.plan_id.id,
                "line_id": line.id,
                "line_name": line.name,
                "old_amount": line.target_amount,
                "new_amount": self.new_amount,
                "reason": self.reason,
            }
        )
        line.with_context(sales_plan_revision=True).target_amount = self.new_amount
        line.plan_id.message_post(
            body=_(
                "Target of %(line)s revised from %(old)s to %(new)s: %(reason)s",
                line=line.name,
                old=self.old_amount,
                new=self.new_amount,
                reason=self.reason,
            )
        )
        return {"type": "ir.actions.act_window_close"}
