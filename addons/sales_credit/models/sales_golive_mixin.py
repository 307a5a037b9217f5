from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class SalesGoliveMixin(models.AbstractModel):
    _name = "sales.golive.mixin"
    _description = "Go-Live Data Row"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True
    )
    state = fields.Selection(
        [("to_load", "To Load"), ("loaded", "Loaded")],
        default="to_load",
        required=True,
        readonly=True,
        index=True,
        copy=False,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True, ondelete="restrict"
    )
    user_id = fields.Many2one("res.users", string="Salesperson", domain=[("share", "=", False)])
    loaded_date = fields.Datetime(string="Loaded On", readonly=True, copy=False)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if self.filtered(lambda row: row.state == "loaded") and vals.keys() - self._golive_link_fields():
            raise UserError(_("Rows already loaded cannot be changed: correct the documents they created instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_loaded(self):
        if self.filtered(lambda row: row.state == "loaded"):
            raise UserError(_("Rows already loaded cannot be deleted: they record what the go-live created."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_load(self):
        """Create the documents of the selected rows (all rows to load when none is selected), in one go."""
        rows = self or self.search([("state", "=", "to_load"), ("company_id", "in", self.env.companies.ids)])
        rows = rows._golive_complete()._golive_lock()
        if not rows:
            raise UserError(_("There is nothing to load: the rows are loaded already, or none was imported."))
        # all or nothing, also for a caller that catches the error
        with self.env.cr.savepoint():
            for company, company_rows in rows.grouped("company_id").items():
                company_rows.with_company(company)._golive_load()
            rows.write({"state": "loaded", "loaded_date": fields.Datetime.now()})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Go-live data loaded"),
                "message": rows._golive_summary(),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _golive_lock(self):
        """Lock these rows and return those still to load, so that two users cannot load the same rows twice."""
        if not self:
            return self
        self.flush_model(["state"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s AND state = 'to_load' FOR UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        ids = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset(["state"])
        return self.filtered(lambda row: row.id in ids)

    def _golive_complete(self):
        """These rows and those that must load with them (implemented where rows make one document together)."""
        return self

    def _golive_load(self):
        """Create the documents of these rows, all of the current company (implemented by each kind of row)."""
        raise NotImplementedError

    def _golive_link_fields(self):
        """Fields the load writes on loaded rows."""
        return {"state", "loaded_date"}

    def _golive_summary(self):
        return _("%(count)s rows loaded.", count=len(self))
