from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SalesRegion(models.Model):
    _name = "sales.region"
    _description = "Sales Region"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    country_ids = fields.Many2many(
        "res.country",
        string="Countries",
        help="Customers in these countries belong to the region (unless a state below is more precise).",
    )
    state_ids = fields.Many2many(
        "res.country.state",
        string="States",
        help="Customers in these states belong to the region, even if their country is in another region.",
    )
    user_id = fields.Many2one("res.users", string="Regional Manager")
    active = fields.Boolean(default=True)

    @api.constrains("country_ids", "state_ids")
    def _check_overlap(self):
        """A country or state in two regions would make a customer's region ambiguous."""
        for region in self:
            others = self.search([("id", "!=", region.id)])
            for field in ("country_ids", "state_ids"):
                shared = region[field] & others.mapped(field)
                if shared:
                    raise ValidationError(
                        _(
                            "%(places)s already belong to another sales region; remove them there first.",
                            places=", ".join(shared.mapped("name")),
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        regions = super().create(vals_list)
        regions._reassign_partners(regions.country_ids, regions.state_ids)
        return regions

    def write(self, vals):
        if not {"country_ids", "state_ids", "active"} & vals.keys():
            return super().write(vals)
        countries, states = self.country_ids, self.state_ids
        res = super().write(vals)
        self._reassign_partners(countries | self.country_ids, states | self.state_ids)
        return res

    def _reassign_partners(self, countries, states):
        """Customers whose address lies in a changed region take the region of their address again."""
        if not countries and not states:
            return
        Partner = self.env["res.partner"].with_context(active_test=False)
        partners = Partner.search(["|", ("country_id", "in", countries.ids), ("state_id", "in", states.ids)])
        partners |= Partner.search([("parent_id", "child_of", partners.ids)])
        self.env.add_to_compute(Partner._fields["sales_region_id"], partners)
