from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # CLASSIFICATION
    # ------------------------------------------------------------

    customer_tier_id = fields.Many2one(
        "sales.customer.tier",
        index="btree_not_null",
        tracking=True,
        help="How important the customer is to the company; planning and stock allocation rank by it.",
    )
    sales_region_id = fields.Many2one(
        "sales.region",
        compute="_compute_sales_region_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Taken from the address (state first, then country); can be set by hand.",
    )

    @api.depends("country_id", "state_id", "parent_id", "is_company")
    def _compute_sales_region_id(self):
        # a company has a handful of regions
        regions = self.env["sales.region"].search([])  # pylint: disable=no-search-all
        by_state = {state: region for region in regions for state in region.state_ids}
        by_country = {country: region for region in regions for country in region.country_ids}
        # commercial partners first, so that their contacts below read the new value
        for partner in self.sorted(lambda p: bool(p.parent_id and not p.is_company)):
            if partner.parent_id and not partner.is_company:
                # contacts follow their company (a commercial field, synced by Odoo)
                partner.sales_region_id = partner.parent_id.commercial_partner_id.sales_region_id
            else:
                partner.sales_region_id = by_state.get(partner.state_id) or by_country.get(
                    partner.country_id, regions.browse()
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_protected_fields_on_create(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_fields_on_write(vals)
        return super().write(vals)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["customer_tier_id", "sales_region_id"]

    # ------------------------------------------------------------
    # PROTECTED FIELDS: what a salesperson may not set on a customer
    # ------------------------------------------------------------

    @api.model
    def _get_protected_fields(self):
        """{field: groups any of which may change it}: what a salesperson may not set on a customer. Other addons
        add their fields, and groups to a field."""
        return {"customer_tier_id": ("sales_team.group_sale_manager",)}

    def _forbidden_protected_fields(self, vals):
        if self.env.su:
            return []
        return [
            fname
            for fname, groups in self._get_protected_fields().items()
            if fname in vals and not any(self.env.user.has_group(group) for group in groups)
        ]

    def _check_protected_fields_on_write(self, vals):
        for fname in self._forbidden_protected_fields(vals):
            field = self._fields[fname]
            for partner in self:
                new = field.convert_to_record(field.convert_to_cache(vals[fname], partner), partner)
                # unchanged values, and contacts taking their company's value (Odoo's sync), are fine
                allowed = [partner[fname]]
                if partner.parent_id and not partner.is_company:
                    allowed.append(partner.parent_id.commercial_partner_id[fname])
                if not any(new == value for value in allowed):
                    self._raise_protected(fname)

    @api.model
    def _check_protected_fields_on_create(self, vals):
        for fname in self._forbidden_protected_fields(vals):
            field = self._fields[fname]
            new = field.convert_to_record(field.convert_to_cache(vals[fname], self), self)
            allowed = [field.convert_to_record(field.convert_to_cache(False, self), self)]
            if field.company_dependent:
                allowed.append(field.get_company_dependent_fallback(self))
            if vals.get("parent_id"):
                allowed.append(self.browse(vals["parent_id"]).commercial_partner_id[fname])
            if not any(new == value for value in allowed):
                self._raise_protected(fname)

    def _raise_protected(self, fname):
        groups = self._get_protected_fields()[fname]
        raise AccessError(
            _(
                "You cannot set the %(field)s of a customer: ask a user of %(groups)s.",
                field=self._fields[fname].get_description(self.env)["string"],
                # sudo: the names of the groups to ask, for whoever is refused
                groups=", ".join(self.env.ref(group).sudo().full_name for group in groups),
            )
        )
