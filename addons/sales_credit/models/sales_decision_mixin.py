from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class SalesDecisionMixin(models.AbstractModel):
    """A sale order waiting for an authorised person's decision: a credit hold or an order review.

    The record is an audit trail: it is created and moved by the suite's own methods only (with sudo, after
    they checked who may act) and its decision is written once. Nobody writes it directly, managers included;
    the superuser (``sudo``, Odoo's admin in superuser mode) aside.
    """

    _name = "sales.decision.mixin"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Decision on a Sale Order"
    _order = "create_date desc, id desc"
    _rec_name = "order_id"
    # whoever may read the record may discuss it; nobody may write it
    _mail_post_access = "read"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="order_id.team_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    order_line_ids = fields.One2many(related="order_id.order_line", string="Order Lines")
    state = fields.Selection(
        [("pending", "Pending"), ("rejected", "Rejected"), ("cleared", "Cleared")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    reason_data = fields.Json(readonly=True, copy=False, help="Why, as figures: rendered in the reader's language.")
    reason = fields.Text(compute="_compute_reason", help="Why the order waits, in the reader's language.")
    decided_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)
    decision_note = fields.Text(readonly=True)
    decision_hours = fields.Float(
        string="Hours to Decision",
        compute="_compute_decision_hours",
        store=True,
        aggregator="avg",
        help="How long the order waited for this decision.",
    )
    waiting_hours = fields.Float(
        compute="_compute_waiting_hours", help="How long the order has waited, or waited, for the decision."
    )

    @api.depends_context("lang")
    @api.depends("reason_data")
    def _compute_reason(self):
        for record in self:
            record.reason = "\n".join(
                record._render_reason_item(code, params) for code, params in record.reason_data or []
            )

    @api.depends("create_date", "decided_date")
    def _compute_decision_hours(self):
        for record in self:
            record.decision_hours = (
                (record.decided_date - record.create_date).total_seconds() / 3600
                if record.decided_date and record.create_date
                else 0.0
            )

    @api.depends("create_date", "decided_date")
    def _compute_waiting_hours(self):
        now = fields.Datetime.now()
        for record in self:
            end = record.decided_date or now
            record.waiting_hours = (end - record.create_date).total_seconds() / 3600 if record.create_date else 0

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su:
            raise AccessError(
                _("Holds and reviews change only through their decisions (Release, Approve, Reject); not by editing.")
            )
        decided = self.filtered(lambda r: r.state != "pending")
        if decided and self._get_decision_fields() & vals.keys():
            # the suite's own code runs with sudo too: a decision, once taken, is never rewritten
            raise UserError(_("%(record)s was already decided.", record=decided[0].display_name))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_decision_fields(self):
        return {"state", "decided_by_id", "decided_date", "decision_note"}

    def _render_reason_item(self, code, params):
        """One line of the reason, in the reader's language; records taken over from before hold plain text."""
        return params.get("text", "") if code == "text" else ""

    def _check_can_decide(self):
        """Raise unless the current user may decide these records."""
        raise NotImplementedError

    def _decide(self, decision, note, values=None):
        """Record the decision of the person entitled to it, once."""
        self._check_can_decide()
        if not (note or "").strip():
            raise UserError(_("Say why: a note is required to approve, release or reject."))
        not_pending = self.filtered(lambda r: r.state != "pending")
        if not_pending:
            raise UserError(
                _("%(orders)s: this was already decided.", orders=", ".join(not_pending.order_id.mapped("name")))
            )
        vals = {
            "state": decision,
            "decided_by_id": self.env.uid,
            "decided_date": fields.Datetime.now(),
            "decision_note": note,
            **(values or {}),
        }
        # sudo: who may decide was checked above; nobody writes these records otherwise
        self.sudo().write(vals)
        # sudo: the deciders' to-dos are done, whoever of them decided
        self.sudo().activity_ids.action_feedback(feedback=note)

    def _notify_decided(self, message):
        """What the decider sees when the dialog closes: a notification naming the order and its new state."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _move_to(self, state):
        """Move pending records to ``state`` on the suite's own account (a check passed, the order changed)."""
        # sudo: the order's own flow clears what no longer applies; nobody decides here
        pending = self.filtered(lambda r: r.state == "pending").sudo()
        pending.write({"state": state})
        pending.activity_ids.unlink()
