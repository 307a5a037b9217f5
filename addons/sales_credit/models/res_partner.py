from odoo import api, fields, models

CREDIT_POLICIES = [
    ("none", "No Check"),
    ("warn", "Warn"),
    ("block", "Block"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_tier_id = fields.Many2one(
        "sales.customer.tier",
        string="Customer Tier",
        index="btree_not_null",
        tracking=True,
        help="How important the customer is to the company; planning and stock allocation rank by it.",
    )
    credit_rating = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")],
        string="Credit Rating",
        tracking=True,
        help="A: excellent payer ... D: high risk. Set by a credit manager.",
    )
    sales_region_id = fields.Many2one(
        "sales.region",
        string="Sales Region",
        compute="_compute_sales_region_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Taken from the address (state first, then country); can be set by hand.",
    )
    # Company-dependent like Odoo's credit_limit: the company default is the field's ir.default.
    credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit Policy",
        company_dependent=True,
        help="What confirming an order of this customer does when the credit check fails: "
        "nothing, warn the credit managers, or hold the order. Empty means the company default.",
    )

    @api.depends("country_id", "state_id", "parent_id", "is_company")
    def _compute_sales_region_id(self):
        regions = self.env["sales.region"].search([])
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

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "customer_tier_id",
            "credit_rating",
            "sales_region_id",
            "credit_policy",
        ]

    def _get_credit_policy(self):
        """The credit policy that applies to this customer in the current company."""
        self.ensure_one()
        return self.commercial_partner_id.credit_policy or "none"
