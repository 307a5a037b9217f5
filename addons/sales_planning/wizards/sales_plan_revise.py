from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_amount


class SalesPlanRevise(models.TransientModel):
    """Change a target of an approved plan, recording who, when, the old and new value and why."""

    _name = "sales.plan.revise"
    _description = "Revise a Sales Plan Target"

    line_id = fields.Many2one("sales.plan.line", required=True, readonly=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    old_amount = fields.Monetary(related="line_id.target_amount", string="Current Target")
    new_amount = fields.Monetary(string="New Target", required=True)
    has_breakdown = fields.Boolean(compute="_compute_has_breakdown")
    resplit = fields.Boolean(
        string="Re-split the Breakdown",
        default=True,
        help="Spread the new target over the line's breakdown (its months, its customers...) in proportion to "
        "their targets, all the way down; locked lines keep theirs. Off: the breakdown keeps its targets and no "
        "longer adds up to the line.",
    )
    reason = fields.Char(required=True)

    @api.depends("line_id")
    def _compute_has_breakdown(self):
        for wizard in self:
            wizard.has_breakdown = bool(wizard.line_id.child_ids)

    @api.constrains("new_amount")
    def _check_new_amount(self):
        for wizard in self:
            if wizard.new_amount < 0:
                raise ValidationError(_("A target cannot be negative (%(amount)s).", amount=wizard.new_amount))

    def action_revise(self):
        self.ensure_one()
        line = self.line_id
        plan = line.plan_id
        if plan.state != "approved":
            raise UserError(_("Only approved plans are revised; edit a draft plan directly."))
        # read before writing: the current target is the line's own, which the revision changes
        old_amount = line.target_amount
        self.env["sales.plan.revision"].create(
            {
                "plan_id": plan.id,
                "line_id": line.id,
                "line_name": line.name,
                "old_amount": old_amount,
                "new_amount": self.new_amount,
                "reason": self.reason,
            }
        )
        line = line.with_context(sales_plan_revision=True)
        line.target_amount = self.new_amount
        if self.resplit:
            plan.with_context(sales_plan_revision=True)._resplit(line)
        plan.message_post(body=self._get_revision_message(line, old_amount))
        return {"type": "ir.actions.act_window_close"}

    def _get_revision_message(self, line, old_amount):
        currency = line.currency_id
        message = _(
            "Target of %(line)s revised from %(old)s to %(new)s: %(reason)s.",
            line=line.name,
            old=format_amount(self.env, old_amount, currency),
            new=format_amount(self.env, self.new_amount, currency),
            reason=self.reason,
        )
        if line.child_ids and self.resplit:
            return message + " " + _("Its breakdown was re-split in proportion, locked lines kept.")
        if line.is_unbalanced:
            return (
                message
                + " "
                + _(
                    "Its breakdown still sums to %(total)s: it no longer adds up to the line.",
                    total=format_amount(self.env, line.children_amount, currency),
                )
            )
        return message
