from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression

from .sales_grading import GRADES


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

    # ------------------------------------------------------------
    # ABC GRADING: the grade of the last grading, the tier it suggests
    # ------------------------------------------------------------

    # written in bulk by the grading (sales.grading), per company, on the commercial partner
    sales_grade = fields.Selection(
        GRADES,
        string="ABC Grade",
        company_dependent=True,
        readonly=True,
        help="The customer's share of this company's sales over the grading period: A the largest, C the rest "
        "(Sales > Configuration > Settings > ABC Grading). Empty: no sales in the period.",
    )
    sales_grade_date = fields.Date(string="Graded On", company_dependent=True, readonly=True)
    sales_grade_tier_id = fields.Many2one(
        "sales.customer.tier",
        string="Suggested Tier",
        compute="_compute_sales_grade_tier_id",
        search="_search_sales_grade_tier_id",
        help="The tier that suits the customer's ABC grade, where it differs from the current tier; a sales manager "
        "accepts it.",
    )
    can_edit_tier = fields.Boolean(compute="_compute_can_edit_tier")

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

    @api.depends_context("company")
    @api.depends("commercial_partner_id.sales_grade", "commercial_partner_id.customer_tier_id")
    def _compute_sales_grade_tier_id(self):
        by_grade = self._get_grade_tiers()
        for partner in self:
            commercial = partner.commercial_partner_id
            tier = by_grade.get(commercial.sales_grade, self.env["sales.customer.tier"])
            kept = commercial.customer_tier_id and not commercial.customer_tier_id.sales_grade
            suggested = not kept and commercial.customer_tier_id.sales_grade != commercial.sales_grade
            partner.sales_grade_tier_id = tier if suggested else False

    def _search_sales_grade_tier_id(self, operator, value):
        if operator not in ("=", "!=") or value is not False:
            raise ValidationError(_("Search 'Suggested Tier' with: is set, or is not set."))
        graded_tiers = self.env["sales.customer.tier"].search([("sales_grade", "!=", False)])
        # the customers whose grade suits a tier and who have no tier or a tier of another grade
        domain = expression.OR(
            [
                [
                    ("sales_grade", "=", grade),
                    "|",
                    ("customer_tier_id", "=", False),
                    ("customer_tier_id", "in", graded_tiers.filtered(lambda t, g=grade: t.sales_grade != g).ids),
                ]
                for grade in self._get_grade_tiers()
            ]
            or [expression.FALSE_LEAF]
        )
        # the commercial entities, which hold the grade and the tier: companies, and persons without a company
        domain = expression.AND([["|", ("is_company", "=", True), ("parent_id", "=", False)], domain])
        return domain if operator == "!=" else ["!", *expression.normalize_domain(domain)]

    def _compute_can_edit_tier(self):
        groups = self._get_protected_fields()["customer_tier_id"]
        allowed = self.env.su or any(self.env.user.has_group(group) for group in groups)
        self.can_edit_tier = allowed

    @api.model
    def _get_grade_tiers(self):
        """{grade: tier}: the tier suggested to customers of each grade, the first by sequence that suits it."""
        tiers = self.env["sales.customer.tier"].search([("sales_grade", "!=", False)], order="sequence desc, id desc")
        return {tier.sales_grade: tier for tier in tiers}

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
    # ACTIONS
    # ------------------------------------------------------------

    def action_accept_suggested_tier(self):
        """Give each customer the tier its ABC grade suggests (sales managers and credit managers)."""
        customers = self.commercial_partner_id.filtered("sales_grade_tier_id")
        for tier in customers.sales_grade_tier_id:
            customers.filtered(lambda p, t=tier: p.sales_grade_tier_id == t).customer_tier_id = tier
        return True

    # ------------------------------------------------------------
    # PROTECTED FIELDS: what a salesperson may not set on a customer
    # ------------------------------------------------------------

    @api.model
    def _get_protected_fields(self):
        """{field: groups any of which may change it}: what a salesperson may not set on a customer. Other addons
        add their fields, and groups to a field."""
        manager = ("sales_team.group_sale_manager",)
        # the grades are the grading's: written by it in bulk, never by hand
        return {"customer_tier_id": manager, "sales_grade": manager, "sales_grade_date": manager}

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
