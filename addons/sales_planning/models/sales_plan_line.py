from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

PERIOD_TYPES = [("plan", "Whole Plan"), ("quarter", "Quarter"), ("month", "Month")]

# the organisational dimensions a plan can break down along, and the line field holding each
DIMENSIONS = [
    ("team", "Sales Team"),
    ("user", "Salesperson"),
    ("customer", "Key Customer"),
    ("region", "Sales Region"),
    ("category", "Product Category"),
    ("product", "Product"),
]
DIMENSION_FIELDS = {
    "team": "team_id",
    "user": "user_id",
    "customer": "partner_id",
    "region": "region_id",
    "category": "categ_id",
    "product": "product_id",
}
# the fixed order of the dimensions in a line's key, whatever the plan's order (that of the sales rows' columns)
SLOTS = ("team", "user", "customer", "region", "category", "product")


class SalesPlanLine(models.Model):
    """A target of a plan for one combination of dimensions and one period; lines form the plan's tree."""

    _name = "sales.plan.line"
    _description = "Sales Plan Line"
    _parent_store = True
    _order = "plan_id, parent_path, date_from, id"
    _rec_names_search = ["name"]

    plan_id = fields.Many2one("sales.plan", required=True, ondelete="cascade", index=True)
    # precomputed: the values come with the lines a decomposition creates, by thousands, with no recomputation
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True, precompute=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_state = fields.Selection(related="plan_id.state")
    parent_id = fields.Many2one("sales.plan.line", string="Parent Line", ondelete="cascade", index=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sales.plan.line", "parent_id", string="Breakdown")
    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    dimension = fields.Selection(
        [("company", "Company")] + DIMENSIONS + [("time", "Period")],
        required=True,
        default="company",
        help="What this line breaks its parent down by.",
    )
    # the dimension values of the line and of all its ancestors: a month line knows its team and salesperson
    # restrict: a team, salesperson, customer or category with targets is archived, not deleted
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, ondelete="restrict")
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, ondelete="restrict")
    partner_id = fields.Many2one("res.partner", string="Key Customer", index=True, ondelete="restrict")
    is_other_customers = fields.Boolean(
        string="Other Customers", help="The customers that are not key customers of the plan, together."
    )
    region_id = fields.Many2one("sales.region", string="Sales Region", index="btree_not_null", ondelete="restrict")
    categ_id = fields.Many2one("product.category", string="Product Category", index=True, ondelete="restrict")
    product_id = fields.Many2one("product.product", index="btree_not_null", ondelete="restrict")
    is_unplanned = fields.Boolean(
        string="Other / Unplanned",
        readonly=True,
        help="The sales under the parent line that none of its planned lines covers (a new customer, category, "
        "team...): made by Update Actuals, with no target, so that every line's actual is the sum of its "
        "breakdown's.",
    )
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="plan")
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    target_amount = fields.Monetary(string="Target")
    uom_id = fields.Many2one(related="plan_id.uom_id", string="Quantity Unit")
    target_qty = fields.Float(string="Target Quantity", digits="Product Unit of Measure")
    actual_qty = fields.Float(string="Actual Quantity", digits="Product Unit of Measure", readonly=True)
    gap_qty = fields.Float(
        string="Quantity Gap",
        digits="Product Unit of Measure",
        compute="_compute_completion",
        store=True,
        precompute=True,
    )
    percentage = fields.Float(
        string="Share (%)",
        digits=(16, 2),
        help="With the manual basis: this line's share of its parent's target.",
    )
    locked = fields.Boolean(
        help="Locked lines keep their target when the plan is decomposed again; the rest of the parent's target "
        "is spread over the unlocked lines.",
    )
    children_amount = fields.Monetary(string="Breakdown Total", compute="_compute_children_amount")
    is_unbalanced = fields.Boolean(
        string="Unbalanced",
        compute="_compute_children_amount",
        search="_search_is_unbalanced",
        help="The targets of the breakdown do not sum to this line's target.",
    )
    # actuals are stored so that pivots, graphs and exports can aggregate them; "Update Actuals" refreshes them
    actual_amount = fields.Monetary(string="Actual", readonly=True)
    gap_amount = fields.Monetary(string="Gap", compute="_compute_completion", store=True, precompute=True)
    completion = fields.Float(
        string="Completion (%)", compute="_compute_completion", store=True, precompute=True, aggregator="avg"
    )
    projected_amount = fields.Monetary(
        string="Projection",
        readonly=True,
        help="The actual extrapolated at the same pace to the end of the line's period.",
    )

    @api.model
    def get_empty_list_help(self, help_message):
        return super().get_empty_list_help(self._get_salesperson_empty_help() or help_message)

    @api.model
    def _get_salesperson_empty_help(self):
        """What a user who cannot decompose plans reads where his targets would be: not "Decompose a plan"."""
        user = self.env.user
        if user.has_group("sales_planning.group_plan_user"):
            return None
        if not user.crm_team_ids and not user.has_group("sales_team.group_sale_manager"):
            title = _("You are in no sales team yet")
            text = _(
                "Plans are broken down by sales team, then by salesperson. Ask your sales manager to add you to "
                "your team: your targets and your team's show here once the plan is decomposed."
            )
        else:
            title = _("No target here yet")
            text = _(
                "Your targets and your team's show here once a planner has decomposed the sales plan; ask your "
                "sales manager when it will be ready."
            )
        return Markup('<p class="o_view_nocontent_empty_folder">%s</p><p>%s</p>') % (title, text)

    @api.depends(
        "dimension",
        "team_id",
        "user_id",
        "partner_id",
        "is_other_customers",
        "region_id",
        "categ_id",
        "product_id",
        "is_unplanned",
        "period_type",
        "date_from",
        "plan_id.name",
    )
    def _compute_name(self):
        for line in self:
            if line.is_unplanned and line.dimension != "time":
                line.name = _("Other / unplanned")
            elif line.dimension in ("company", "time"):
                line.name = line._get_period_label()
            else:
                line.name = self._get_value_label(line.dimension, line[DIMENSION_FIELDS[line.dimension]])

    @api.depends("child_ids.target_amount", "target_amount")
    def _compute_children_amount(self):
        for line in self:
            line.children_amount = sum(line.child_ids.mapped("target_amount"))
            line.is_unbalanced = (
                bool(line.child_ids) and line.currency_id.compare_amounts(line.children_amount, line.target_amount) != 0
            )

    def _search_is_unbalanced(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported"))
        self.flush_model(["target_amount", "parent_id"])
        self.env.cr.execute("""
            SELECT p.id FROM sales_plan_line p JOIN sales_plan_line c ON c.parent_id = p.id
          GROUP BY p.id HAVING ROUND(SUM(c.target_amount), 2) != ROUND(MAX(p.target_amount), 2)
        """)
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    @api.depends("target_amount", "actual_amount", "target_qty", "actual_qty")
    def _compute_completion(self):
        for line in self:
            line.gap_amount = line.target_amount - line.actual_amount
            line.gap_qty = line.target_qty - line.actual_qty
            line.completion = line.target_amount and 100 * line.actual_amount / line.target_amount

    @api.constrains("percentage")
    def _check_percentage(self):
        for line in self:
            if not 0 <= line.percentage <= 100:
                raise ValidationError(
                    _(
                        "The share of %(line)s must be between 0 and 100 %%, not %(percentage)s.",
                        line=line.name,
                        percentage=line.percentage,
                    )
                )

    @api.constrains("target_amount", "target_qty")
    def _check_target(self):
        for line in self:
            if line.target_amount < 0 or line.target_qty < 0:
                raise ValidationError(
                    _(
                        "The targets of %(line)s cannot be negative (amount %(amount)s, quantity %(qty)s).",
                        line=line.name,
                        amount=line.target_amount,
                        qty=line.target_qty,
                    )
                )

    @api.constrains("date_from", "date_to", "plan_id")
    def _check_period_in_plan(self):
        for line in self:
            if (
                line.date_from > line.date_to
                or line.date_from < line.plan_id.date_from
                or line.date_to > line.plan_id.date_to
            ):
                raise ValidationError(
                    _(
                        "%(line)s (%(start)s - %(end)s) lies outside its plan's period "
                        "(%(plan_start)s - %(plan_end)s).",
                        line=line.name,
                        start=line.date_from,
                        end=line.date_to,
                        plan_start=line.plan_id.date_from,
                        plan_end=line.plan_id.date_to,
                    )
                )

    @api.constrains(
        "parent_id",
        "team_id",
        "user_id",
        "partner_id",
        "is_other_customers",
        "region_id",
        "categ_id",
        "product_id",
        "is_unplanned",
        "date_from",
    )
    def _check_unique_dimensions(self):
        duplicates = self.env["sales.plan.line"]._read_group(
            [("parent_id", "in", self.parent_id.ids)],
            [
                "parent_id",
                "dimension",
                "team_id",
                "user_id",
                "partner_id",
                "is_other_customers",
                "region_id",
                "categ_id",
                "product_id",
                "is_unplanned",
                "date_from:day",
                "date_to:day",
            ],
            having=[("__count", ">", 1)],
        )
        if duplicates:
            parent = duplicates[0][0]
            raise ValidationError(
                _(
                    "%(parent)s has the same breakdown line twice; each team, salesperson, customer, category and "
                    "period appears once under a line.",
                    parent=parent.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("sales_plan_decomposing"):
            for vals in vals_list:
                if vals.get("parent_id"):
                    vals.update({**self.browse(vals["parent_id"])._get_new_child_defaults(), **vals})
            plans = self.env["sales.plan"].browse({vals["plan_id"] for vals in vals_list})
            plans._check_editable()
            plans._lock_lines()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("sales_plan_decomposing") and vals.keys() - {"actual_amount", "projected_amount"}:
            self.plan_id._check_editable()
            self.plan_id._lock_lines()
        return super().write(vals)

    def unlink(self):
        if not self.env.context.get("sales_plan_decomposing"):
            self.plan_id._check_editable()
            self.plan_id._lock_lines()
        return super().unlink()

    def _get_period_label(self):
        self.ensure_one()
        return self._format_period(self.period_type, self.date_from, self.plan_id)

    @api.model
    def _format_period(self, period_type, date_from, plan):
        if period_type == "quarter":
            return _("Q%(quarter)s %(year)s", quarter=(date_from.month - 1) // 3 + 1, year=date_from.year)
        if period_type == "month":
            return date_from.strftime("%Y-%m")
        return plan.name

    @api.model
    def _get_value_label(self, dimension, record):
        if dimension == "customer" and not record:
            return _("Other customers")
        return record.display_name or _("(none)")

    def _get_key(self, order):
        """The line's place in the plan: per dimension (team, salesperson, customer, category) its value, False
        for none (the other customers), None where the line does not break down by it.

        :param order: the plan's dimensions, in its order
        """
        self.ensure_one()
        if self.dimension == "company":
            known = ()
        elif self.dimension == "time":
            known = order
        else:
            known = order[: order.index(self.dimension) + 1]
        # only the known values are read: this runs for every line of large plans
        return tuple(self[DIMENSION_FIELDS[slot]].id if slot in known else None for slot in SLOTS)

    def _prepare_child_vals(self, dimension, value, amount, period=None, qty=0.0):
        """A breakdown line of this one: its dimension values plus ``value`` for ``dimension``.

        The precomputed fields come with it: creating a large plan then costs no computation.
        """
        self.ensure_one()
        vals = {
            "plan_id": self.plan_id.id,
            "parent_id": self.id,
            "dimension": dimension,
            "target_amount": amount,
            "target_qty": qty,
            "company_id": self.company_id.id,
            "gap_amount": amount,
            "gap_qty": qty,
            "completion": 0.0,
            "is_unplanned": self.is_unplanned,
            **{field: self[field].id for field in DIMENSION_FIELDS.values()},
            "is_other_customers": self.is_other_customers,
            "period_type": self.period_type,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }
        if dimension == "time":
            vals.update(period)
            vals["name"] = self._format_period(vals["period_type"], vals["date_from"], self.plan_id)
            return vals
        field = DIMENSION_FIELDS[dimension]
        vals[field] = value or False
        if dimension == "customer":
            vals["is_other_customers"] = not value
        vals["name"] = self._get_value_label(dimension, self[field].browse(value or []))
        return vals

    def _prepare_unplanned_vals(self, dimension):
        """The "Other / unplanned" line under this one: the sales along ``dimension`` none of its planned lines
        covers, with no target."""
        vals = self._prepare_child_vals(dimension, False, 0.0)
        vals.update(is_unplanned=True, is_other_customers=False, name=_("Other / unplanned"))
        return vals

    @api.model
    def _insert(self, vals_list):
        """Create the lines of a decomposition by one INSERT; return them.

        A plan of 2,000 salespeople's customers over twelve months has 28,000 lines: the ORM would take about
        0.5 ms each. Every stored field comes in ``vals_list`` (see _prepare_child_vals) and the values hold by
        construction what the constraints check: shares of a non-negative target, periods clipped to the plan,
        one line per value and period under each parent, parents already in the database.
        """
        if not vals_list:
            return self.browse()
        columns = {
            "plan_id": "int",
            "parent_id": "int",
            "dimension": "varchar",
            "company_id": "int",
            "name": "varchar",
            "team_id": "int",
            "user_id": "int",
            "partner_id": "int",
            "is_other_customers": "bool",
            "region_id": "int",
            "categ_id": "int",
            "product_id": "int",
            "is_unplanned": "bool",
            "period_type": "varchar",
            "date_from": "date",
            "date_to": "date",
            "target_amount": "numeric",
            "gap_amount": "numeric",
            "target_qty": "numeric",
            "gap_qty": "numeric",
            "completion": "float8",
        }
        self.flush_model()
        # the ids first: a line's parent_path ends with its own id
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT nextval(pg_get_serial_sequence('sales_plan_line', 'id')) FROM generate_series(1, %s)",
                    len(vals_list),
                )
            )
        ]
        paths = dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, parent_path FROM sales_plan_line WHERE id = ANY(%s)",
                    list({vals["parent_id"] for vals in vals_list}),
                )
            )
        )
        values = {"id": ids, "parent_path": [f"{paths[vals['parent_id']]}{id_}/" for id_, vals in zip(ids, vals_list)]}
        for column in columns:
            values[column] = [
                None if vals[column] is False and columns[column] != "bool" else vals[column] for vals in vals_list
            ]
        kinds = {"id": "int", "parent_path": "varchar", **columns}
        self.env.execute_query(
            SQL(
                """
            INSERT INTO sales_plan_line (%(columns)s, create_uid, write_uid, create_date, write_date)
            SELECT *, %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC' FROM unnest(%(arrays)s)
            """,
                columns=SQL(", ").join(SQL.identifier(column) for column in values),
                uid=self.env.uid,
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", column_values, SQL(kinds[column])) for column, column_values in values.items()
                ),
            )
        )
        # the parents' and plans' lists of lines now miss them
        self.invalidate_model(["child_ids"])
        self.env["sales.plan"].invalidate_model(["line_ids"])
        return self.browse(ids)

    def _set_targets(self, amount, qty):
        """Write the targets a decomposition computed, when they differ."""
        self.ensure_one()
        vals = {}
        if self.currency_id.compare_amounts(self.target_amount, amount):
            vals["target_amount"] = amount
        if float_compare(self.target_qty, qty, precision_digits=6):
            vals["target_qty"] = qty
        if vals:
            self.write(vals)

    def _get_new_child_defaults(self):
        """What a breakdown line entered by hand under this one inherits: plan, position, period, next dimension."""
        self.ensure_one()
        order = self.plan_id._get_dimension_order()
        position = order.index(self.dimension) + 1 if self.dimension in order else 0
        vals = self._prepare_child_vals(order[position] if position < len(order) else "time", False, 0.0, {})
        del vals["target_amount"], vals["target_qty"]
        return vals

    def action_revise(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Revise %(line)s", line=self.name),
            "res_model": "sales.plan.revise",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id, "default_new_amount": self.target_amount},
        }

    def action_open_breakdown(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("parent_id", "=", self.id)],
            "context": {"default_parent_id": self.id, "default_plan_id": self.plan_id.id},
        }

    def _get_projection(self, actual, today):
        """The actual extrapolated at the same daily pace to the end of the line's period."""
        self.ensure_one()
        if today > self.date_to:
            return actual
        if today < self.date_from:
            return 0.0
        elapsed = (today - self.date_from).days + 1
        return self.currency_id.round(actual * ((self.date_to - self.date_from).days + 1) / elapsed)
