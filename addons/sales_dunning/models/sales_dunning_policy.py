from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SalesDunningPolicy(models.Model):
    _name = "sales.dunning.policy"
    _description = "Dunning Policy"
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    level_ids = fields.One2many("sales.dunning.level", "policy_id", string="Levels", copy=True)
    active = fields.Boolean(default=True)

    # "name" is always given on create, so a policy created without levels is caught too
    @api.constrains("name", "level_ids")
    def _check_level_ids(self):
        for policy in self:
            if not policy.level_ids:
                raise ValidationError(_("The dunning policy %(policy)s needs at least one level.", policy=policy.name))
            previous = None
            for level in policy.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id)):
                if previous is not None and level.days <= previous.days:
                    raise ValidationError(
                        _(
                            "Level %(level)s of %(policy)s is sent %(days)s days from the due date, which is not "
                            "after the level before it (%(previous)s, %(previous_days)s days): each level must "
                            "come later than the one before.",
                            level=level.name,
                            policy=policy.name,
                            days=level.days,
                            previous=previous.name,
                            previous_days=previous.days,
                        )
                    )
                previous = level

    def _next_level(self, level_id):
        """The level after ``level_id`` (the first one when the item was never dunned); empty after the last."""
        self.ensure_one()
        levels = self.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id))
        if not level_id or level_id not in levels.ids:
            return levels[:1]
        index = levels.ids.index(level_id)
        return levels[index + 1 : index + 2]
