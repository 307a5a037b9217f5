import logging
import time
from collections import defaultdict
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round

from .res_company import ACTUAL_SOURCES, SEASON_FALLBACKS
from .sales_plan_line import DIMENSION_FIELDS, SLOTS

_logger = logging.getLogger(__name__)


def largest_remainder(total, weights, digits):
    """Split ``total`` in proportion to ``weights`` into amounts of ``digits`` decimals summing exactly to it.

    Every amount is first rounded down; the units left go one by one to the largest remainders, ties to the
    earlier weight.
    """
    unit = 10**digits
    units = round(total * unit)
    weights = [Fraction(max(weight, 0)) for weight in weights]
    weight_sum = sum(weights) or len(weights)
    exact = [units * (weight if sum(weights) else 1) / weight_sum for weight in weights]
    floors = [int(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[: units - sum(floors)]:
        floors[i] += 1
    return [floor / unit for floor in floors]


class SalesPlan(models.Model):
    _name = "sales.plan"
    _description = "Sales Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "sales.background.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Start", required=True, default=lambda self: fields.Date.today().replace(month=1, day=1)
    )
    date_to = fields.Date(
        string="End", required=True, default=lambda self: fields.Date.today().replace(month=12, day=31)
    )
    target_amount = fields.Monetary(tracking=True)
    target_qty = fields.Float(
        string="Target Quantity",
        digits="Product Unit of Measure",
        tracking=True,
        help="Quantities add up only in one unit: the quantity target is split with the amount, in the plan's "
        "unit, and a plan whose sales include products in units that do not convert to it is refused. Break it "
        "down by product or product category to read quantities per product.",
    )
    uom_id = fields.Many2one(
        "uom.uom",
        string="Quantity Unit",
        tracking=True,
        help="The unit of the quantity target and of the actual quantities (sales in other units of the same "
        "kind are converted to it).",
    )
    actual_source = fields.Selection(
        ACTUAL_SOURCES,
        string="Actuals From",
        required=True,
        default=lambda self: self.env.company.sales_plan_actual_source,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    dimension_ids = fields.One2many(
        "sales.plan.dimension",
        "plan_id",
        string="Breakdown",
        copy=True,
        help="The dimensions the plan breaks down along, from the top: e.g. sales team, then salesperson, then "
        "key customer, then product category.",
    )
    time_split = fields.Selection(
        [("none", "No Split"), ("month", "Months"), ("quarter", "Quarters, then Months")],
        default="month",
        required=True,
        help="The last lines of the breakdown are split over the plan's periods.",
    )
    season_basis = fields.Selection(
        [("history", "Last Year's Months"), ("manual", "Manual Profile"), ("equal", "Equal Months")],
        string="Seasonality",
        default="history",
        required=True,
    )
    season_ids = fields.One2many("sales.plan.season", "plan_id", string="Seasonality Profile", copy=True)
    season_min_months = fields.Integer(
        string="Months of History Needed",
        default=lambda self: self.env.company.sales_plan_season_min_months,
        help="With last year's months as seasonality: a line whose own sales last year fall in fewer months is "
        "split by the fallback instead, and the plan says so.",
    )
    season_fallback = fields.Selection(
        SEASON_FALLBACKS,
        string="Thin History Fallback",
        required=True,
        default=lambda self: self.env.company.sales_plan_season_fallback,
    )
    season_warning = fields.Text(
        string="Seasonality Warning", readonly=True, copy=False, help="What the last decomposition fell back on."
    )
    forecast_id = fields.Many2one(
        "sales.forecast",
        check_company=True,
        help="The forecast used by the breakdown levels split by forecast.",
    )
    line_ids = fields.One2many("sales.plan.line", "plan_id", string="Plan Lines")
    line_count = fields.Integer(compute="_compute_line_figures")
    unbalanced_count = fields.Integer(string="Unbalanced Lines", compute="_compute_line_figures")
    actual_amount = fields.Monetary(string="Actual", compute="_compute_line_figures")
    completion = fields.Float(string="Completion (%)", compute="_compute_line_figures")
    breakdown_target_amount = fields.Monetary(
        string="Target of the Lines",
        compute="_compute_breakdown_target_amount",
        help="The target the plan's lines were last split from.",
    )
    is_target_changed = fields.Boolean(
        string="Target Changed since Decomposition",
        compute="_compute_breakdown_target_amount",
        help="The plan's target is not the one its lines were split from: decompose the plan again.",
    )
    revision_ids = fields.One2many("sales.plan.revision", "plan_id", string="Revisions")

    def _compute_line_figures(self):
        counts = dict(self.env["sales.plan.line"]._read_group([("plan_id", "in", self.ids)], ["plan_id"], ["__count"]))
        unbalanced = dict(
            self.env["sales.plan.line"]._read_group(
                [("plan_id", "in", self.ids), ("is_unbalanced", "=", True)], ["plan_id"], ["__count"]
            )
        )
        roots = {
            line.plan_id: line
            for line in self.env["sales.plan.line"].search([("plan_id", "in", self.ids), ("parent_id", "=", False)])
        }
        for plan in self:
            plan.line_count = counts.get(plan, 0)
            plan.unbalanced_count = unbalanced.get(plan, 0)
            plan.actual_amount = roots[plan].actual_amount if plan in roots else 0.0
            plan.completion = roots[plan].completion if plan in roots else 0.0

    @api.depends("target_amount", "line_ids.target_amount", "line_ids.parent_id")
    def _compute_breakdown_target_amount(self):
        Line = self.env["sales.plan.line"]
        # the root lines by one search, not the plan's thousands of lines; while a form is edited too
        roots = {
            line.plan_id.id: line
            for line in Line.search([("plan_id", "in", self._origin.ids), ("parent_id", "=", False)])
        }
        for plan in self:
            root = roots.get(plan._origin.id, Line)
            plan.breakdown_target_amount = root.target_amount
            plan.is_target_changed = bool(root) and bool(
                plan.currency_id.compare_amounts(root.target_amount, plan.target_amount)
            )

    @api.constrains("target_amount", "target_qty", "uom_id")
    def _check_targets(self):
        for plan in self:
            if plan.target_qty and not plan.uom_id:
                raise ValidationError(
                    _(
                        "Choose the unit of the quantity target of %(plan)s: quantities add up in one unit.",
                        plan=plan.name,
                    )
                )
            if plan.target_amount < 0 or plan.target_qty < 0:
                raise ValidationError(
                    _(
                        "The targets of %(plan)s cannot be negative (amount %(amount)s, quantity %(qty)s).",
                        plan=plan.name,
                        amount=self.env["sales.formatter"]._money(plan.target_amount, plan.currency_id),
                        qty=self.env["sales.formatter"]._quantity(plan.target_qty, plan.uom_id),
                    )
                )

    @api.constrains("target_amount", "target_qty")
    def _check_locked_lines(self):
        """A draft plan's new target must still hold its locked lines: Decompose would refuse it after the save,
        leaving a target its lines contradict."""
        for plan in self.filtered(lambda plan: plan.state == "draft" and plan.line_ids):
            locked = plan._get_top_locked_lines()
            fields_to_check = ["target_amount"] + (["target_qty"] if plan.target_qty else [])
            for field in fields_to_check:
                digits = plan.currency_id.decimal_places if field == "target_amount" else plan._get_qty_digits()
                held = sum(locked.mapped(field))
                if float_compare(held, plan[field], precision_digits=digits) > 0:
                    raise ValidationError(
                        _(
                            "The locked lines of %(plan)s (%(lines)s) keep %(held)s, more than the new target "
                            "of %(target)s. Keep a target of at least %(held)s, or unlock lines in Plan Lines "
                            "first.",
                            plan=plan.name,
                            lines=", ".join(locked.mapped("name")),
                            held=plan._format_target(held, field),
                            target=plan._format_target(plan[field], field),
                        )
                    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_from > plan.date_to:
                raise ValidationError(
                    _(
                        "The plan %(plan)s ends (%(end)s) before it starts (%(start)s).",
                        plan=plan.name,
                        start=plan.date_from,
                        end=plan.date_to,
                    )
                )

    @api.constrains("dimension_ids", "time_split", "season_min_months")
    def _check_breakdown(self):
        for plan in self:
            if not 0 <= plan.season_min_months <= 12:
                raise ValidationError(
                    _("%(plan)s: the months of history a seasonality needs are from 0 to 12.", plan=plan.name)
                )
            if len(plan.dimension_ids) != len(set(plan.dimension_ids.mapped("dimension"))):
                raise ValidationError(_("%(plan)s breaks down along a dimension twice.", plan=plan.name))

    def write(self, vals):
        locked = self._get_locked_fields() & vals.keys()
        if (
            locked
            and not self.env.context.get("sales_plan_decomposing")
            and any(plan.state != "draft" for plan in self)
        ):
            raise UserError(
                _(
                    "%(plans)s are approved or closed: their targets and period cannot be changed. "
                    "Set the plan back to draft first.",
                    plans=", ".join(self.filtered(lambda p: p.state != "draft").mapped("name")),
                )
            )
        return super().write(vals)

    def action_approve(self):
        self._check_plan_manager()
        self.write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})
        return True

    def action_close(self):
        self._check_plan_manager()
        self.write({"state": "closed"})
        return True

    def action_reset_to_draft(self):
        self._check_plan_manager()
        self.write({"state": "draft", "approved_by_id": False, "approved_date": False})
        return True

    @api.model
    def _get_locked_fields(self):
        """Fields frozen once a plan is approved."""
        return {
            "target_amount",
            "target_qty",
            "uom_id",
            "date_from",
            "date_to",
            "company_id",
            "actual_source",
            "dimension_ids",
            "time_split",
            "season_basis",
            "season_ids",
            "season_min_months",
            "season_fallback",
            "forecast_id",
        }

    def _lock_lines(self):
        """Serialise the changes of these plans' lines until the end of the transaction.

        The row update (not a mere lock) makes a concurrent change of the same plan fail to serialise once this one
        commits; Odoo then retries it on the plan as this one left it, so no planner's edit is lost.
        """
        if self.ids:
            # a serialization failure here is expected under concurrency and retried: not a bad query
            self.env.cr.execute(
                SQL("UPDATE sales_plan SET write_date = write_date WHERE id IN %s", tuple(self.ids)),
                log_exceptions=False,
            )

    def _check_editable(self):
        """Lines change freely in draft plans; in approved ones only through recorded revisions."""
        if self.env.context.get("sales_plan_revision"):
            return
        closed = self.filtered(lambda plan: plan.state != "draft")
        if closed:
            raise UserError(
                _(
                    "%(plans)s are approved or closed: their lines change only through a recorded revision "
                    "(Revise on the line), or after setting the plan back to draft.",
                    plans=", ".join(closed.mapped("name")),
                )
            )

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_planning.sales_plan_line_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id, "search_default_top": 1, "create": False}
        return action

    def action_view_levels(self):
        """The whole breakdown on one screen: the plan's last lines grouped level by level (team > salesperson >
        ... > month), each group row carrying its level's totals."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_planning.sales_plan_line_action")
        action["name"] = _("%(plan)s by Level", plan=self.name)
        # the last lines only: every sale and target counted once, the levels above are their groups
        action["domain"] = [("plan_id", "=", self.id), ("child_ids", "=", False)]
        action["context"] = {"default_plan_id": self.id, "group_by": self._get_level_group_by(), "create": False}
        return action

    def _get_level_group_by(self):
        """The plan's breakdown levels as group-bys, from the top, then its periods."""
        self.ensure_one()
        group_by = [DIMENSION_FIELDS[dimension] for dimension in self._get_dimension_order()]
        if self.time_split == "quarter":
            group_by.append("date_from:quarter")
        if self.time_split != "none":
            group_by.append("date_from:month")
        return group_by

    def action_view_completion(self):
        """Monthly Completion of this plan alone (of all plans if none): target against actual by month."""
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_planning.sales_plan_completion_report_action")
        action["context"] = {"searchpanel_default_plan_id": self[:1].id} if self else {}
        return action

    @api.model
    def _get_default_completion_plan(self):
        """The plan Monthly Completion opens on: the latest approved one, else the latest one."""
        return self.search([("state", "=", "approved")], limit=1) or self.search([], limit=1)

    def _check_plan_manager(self):
        if not self.env.user.has_group("sales_planning.group_plan_manager"):
            raise UserError(_("Only a sales plan manager can approve, close or reopen a sales plan."))

    # ------------------------------------------------------------
    # DECOMPOSITION
    # ------------------------------------------------------------

    def action_decompose(self):
        """Break the plan's target down along its dimensions, then over time; locked lines keep their target.
        A plan with more sales rows to split than the background threshold decomposes as a scheduled job."""
        for plan in self:
            plan._check_editable()
            if not plan.dimension_ids and plan.time_split == "none":
                raise UserError(
                    _("Choose the breakdown dimensions or the time split of %(plan)s first.", plan=plan.name)
                )
            history = plan._get_last_year_rows()
            size, unit = len(history), _("sales rows of last year")
            if plan._run_or_queue("_decompose", size=size, unit=unit, history=history) is False:
                return plan._queued_notification()
        return True

    def _decompose(self, history=None):
        """One grouped query for last year's sales (unless given) and one insert per level, whatever the size of
        the plan."""
        self.ensure_one()
        self._lock_lines()
        self._check_editable()
        plan = self.with_context(sales_plan_decomposing=True)
        order = plan._get_dimension_order()
        if history is None:
            history = plan._get_last_year_rows()
        start = time.monotonic()
        plan.season_warning = False
        parents = plan._get_root_line()
        for level in plan.dimension_ids.sorted("sequence"):
            parents = plan._decompose_level(parents, level, order, history)
        if plan.time_split != "none":
            plan._decompose_time(parents, history)
        # what the planner sees happened, in the plan's chatter
        plan._message_log(body=plan._get_decomposition_message(time.monotonic() - start))
        return True

    def _get_decomposition_message(self, seconds):
        message = _(
            "Decomposed into %(lines)s lines in %(seconds)s s.",
            lines=self.env["sales.plan.line"].search_count([("plan_id", "=", self.id)]),
            seconds=round(seconds, 1),
        )
        return f"{message} {self.season_warning}" if self.season_warning else message

    def _notify_job_done(self, result, seconds):
        self._notify_job(_("%(plan)s: %(result)s", plan=self.name, result=self._get_decomposition_message(seconds)))

    def _get_last_year_rows(self):
        return self._get_sales_rows(self.date_from - relativedelta(years=1), self.date_to - relativedelta(years=1))

    def action_roll_up(self):
        """Bottom-up: each line with a breakdown takes the sum of its breakdown, up to the plan's target."""
        self._lock_lines()
        for plan in self:
            plan._check_editable()
            plan = plan.with_context(sales_plan_decomposing=True)
            for line in plan.line_ids.sorted(lambda l: -l.parent_path.count("/")):
                if line.child_ids:
                    line.target_amount = sum(line.child_ids.mapped("target_amount"))
            plan.target_amount = plan._get_root_line().target_amount
        return True

    def _get_dimension_order(self):
        return tuple(self.dimension_ids.sorted("sequence").mapped("dimension"))

    def _get_root_line(self):
        """The company line of the plan, for its whole period, carrying the plan's target."""
        self.ensure_one()
        root = self.line_ids.filtered(lambda line: not line.parent_id)
        if not root:
            root = self.env["sales.plan.line"].create(
                {
                    "plan_id": self.id,
                    "dimension": "company",
                    "period_type": "plan",
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "target_amount": self.target_amount,
                    "target_qty": self.target_qty,
                }
            )
        else:
            if root.currency_id.compare_amounts(root.target_amount, self.target_amount):
                root.target_amount = self.target_amount
            if float_compare(root.target_qty, self.target_qty, precision_digits=self._get_qty_digits()):
                root.target_qty = self.target_qty
        return root

    def _get_top_locked_lines(self):
        """The locked lines under no other locked line: what they keep, any target must hold."""
        self.ensure_one()
        locked = self.line_ids.filtered("locked")
        locked_ids = {str(line_id) for line_id in locked.ids}
        return locked.filtered(lambda line: not locked_ids & set(line.parent_path.split("/")[:-2]))

    def _get_qty_digits(self):
        """The decimals quantities are split to: those of the plan's unit."""
        rounding = self.uom_id.rounding or 1.0
        return max(0, len(f"{rounding:.10f}".rstrip("0").split(".")[1]))

    def _get_key_customers(self):
        """The key customers of the plan's company (by their tier): each gets its own lines."""
        return self.env["res.partner"].search(
            [
                ("customer_tier_id.is_key_customer", "=", True),
                ("is_company", "=", True),
                ("company_id", "in", (False, self.company_id.id)),
            ]
        )

    def _get_sales_rows(self, date_from, date_to):
        """The company's sales in the period from the plan's source, by team, salesperson, customer (key customers
        by themselves, the others as False), the plan's other dimensions and month (see sales.history)."""
        self.ensure_one()
        return self.env["sales.history"]._read_sales(
            self.company_id,
            date_from,
            date_to,
            self.actual_source,
            self._get_key_customers(),
            set(self._get_dimension_order()),
            uom=self.uom_id if self.target_qty else None,
        )

    @api.model
    def _project(self, row, known):
        """A sales row's key at a level that knows the ``known`` dimensions."""
        return tuple(value if slot in known else None for slot, value in zip(SLOTS, row[:6]))

    def _decompose_level(self, parents, level, order, history):
        """Create or update the breakdown of ``parents`` along the level's dimension; return it."""
        Line = self.env["sales.plan.line"]
        dimension = level.dimension
        known = order[: order.index(dimension) + 1]
        slot = SLOTS.index(dimension)
        weights, qty_weights = defaultdict(float), defaultdict(float)
        if level.basis == "last_year":
            for row in history:
                weights[self._project(row, known)] += row[7]
                qty_weights[self._project(row, known)] += row[8]
        elif level.basis == "forecast":
            weights = self._get_forecast_weights(known)
        # the children of each parent, by share then by record id: the order that settles rounding ties
        by_parent = defaultdict(list)
        for key in sorted(weights, key=lambda key: (-weights[key], tuple(value or 0 for value in key))):
            if weights[key] > 0:
                by_parent[key[:slot] + (None,) + key[slot + 1 :]].append(key)
        customers_by_seller = self._get_customers_by_seller() if dimension == "customer" else None
        vals_list, kept = [], Line
        for parent in parents:
            parent_key = parent._get_key(order)
            existing = {child._get_key(order): child for child in parent.child_ids if not child.is_unplanned}
            if level.basis in ("last_year", "forecast"):
                keys = list(by_parent.get(parent_key, ()))
            elif level.basis == "equal":
                keys = [
                    parent_key[:slot] + (value,) + parent_key[slot + 1 :]
                    for value in self._get_dimension_values(dimension, parent, customers_by_seller)
                ]
            else:
                keys = list(existing)
                if not keys:
                    raise UserError(
                        _(
                            "Add the breakdown lines of %(line)s with their shares before decomposing "
                            "it by manual shares.",
                            line=parent.name,
                        )
                    )
            keys += [key for key, child in existing.items() if child.locked and key not in keys]
            if level.basis == "manual":
                shares = [existing[key].percentage for key in keys]
                if float_compare(sum(shares), 100, precision_digits=2):
                    raise ValidationError(
                        _(
                            "The shares under %(line)s sum to %(total)s; manual shares must sum to 100 %%.",
                            line=parent.name,
                            total=self.env["sales.formatter"]._percent(sum(shares)),
                        )
                    )
            else:
                shares = [weights[key] if level.basis != "equal" else 1.0 for key in keys]
            # last year's quantities split the quantity target, when there were any
            qty_shares = [qty_weights[key] for key in keys] if any(qty_weights[key] for key in keys) else shares
            amounts = self._split_target(parent, keys, shares, existing)
            quantities = self._split_qty(parent, keys, qty_shares, existing)
            for key, amount, qty in zip(keys, amounts, quantities):
                child = existing.pop(key, None)
                if child:
                    if not child.locked:
                        child._set_targets(amount, qty)
                    kept |= child
                else:
                    vals_list.append(parent._prepare_child_vals(dimension, key[slot], amount, qty=qty))
            # what left the breakdown goes, unless a planner locked it
            Line.union(*existing.values()).unlink()
        return kept | Line._insert(vals_list)

    def _get_dimension_values(self, dimension, parent, customers_by_seller):
        """The breakdown of ``parent`` along ``dimension`` for the equal basis, in a fixed order."""
        if dimension == "customer":
            if parent.user_id:
                customers = customers_by_seller[parent.user_id.id]
            elif parent.team_id:
                customers = sorted(sum((customers_by_seller[user] for user in parent.team_id.member_ids.ids), []))
            else:
                customers = customers_by_seller[None]
            return customers + [False]
        if dimension == "team":
            teams = self.env["crm.team"].search(
                [("company_id", "in", (False, self.company_id.id))], order="sequence, id"
            )
            if parent.user_id:
                teams = teams.filtered(lambda team: parent.user_id in team.member_ids)
            return teams.ids
        if dimension == "user":
            teams = parent.team_id or self.env["crm.team"].search([("company_id", "in", (False, self.company_id.id))])
            return teams.member_ids.sorted("id").ids
        if dimension == "region":
            return self.env["sales.region"].search([("active", "=", True)], order="sequence, id").ids
        if dimension == "product":
            domain = [("sale_ok", "=", True), ("company_id", "in", (False, self.company_id.id))]
            if parent.categ_id:
                domain.append(("categ_id", "child_of", parent.categ_id.id))
            return self.env["product.product"].search(domain, order="id").ids
        categories = self.env["product.category"].search([("parent_id", "=", False)], order="id")
        return categories.ids

    def _get_customers_by_seller(self):
        """{salesperson id: ids of his key customers}, and all the key customers under None."""
        customers = self._get_key_customers().sorted("id")
        by_seller = defaultdict(list, {None: customers.ids})
        for customer in customers:
            by_seller[customer.user_id.id].append(customer.id)
        return by_seller

    def _get_forecast_weights(self, known):
        """The plan's forecast by level key; a key customer's forecast counts for its salesperson and his team."""
        if not self.forecast_id:
            raise UserError(_("Choose the forecast of %(plan)s to decompose by forecast.", plan=self.name))
        key_customers = set(self._get_key_customers().ids)
        weights = defaultdict(float)
        for line in self.forecast_id.line_ids:
            partner = line.partner_id if line.partner_id.id in key_customers else line.partner_id.browse()
            row = (
                partner.user_id.sale_team_id.id or False,
                partner.user_id.id or False,
                partner.id or False,
                partner.sales_region_id.id or False,
                (line.categ_id or line.product_id.categ_id).id or False,
                line.product_id.id or False,
            )
            weights[self._project(row, known)] += line.amount
        return weights

    def _split_target(self, parent, keys, shares, existing, field="target_amount"):
        """Split the parent's target over ``keys`` by ``shares``, to the cent, locked lines keeping theirs.

        The cents left by rounding go to the largest remainders; ties to the earlier key (keys come in the
        breakdown's order: by share, then by record id).

        :param field: "target_amount", or "target_qty" to split the quantity in the decimals of the plan's unit
        """
        digits = parent.currency_id.decimal_places if field == "target_amount" else self._get_qty_digits()
        locked = [existing[key] for key in keys if key in existing and existing[key].locked]
        locked_total = sum(line[field] for line in locked)
        if float_compare(locked_total, parent[field], precision_digits=digits) > 0:
            raise ValidationError(
                _(
                    "The locked lines %(lines)s hold %(locked)s, more than the %(target)s of %(parent)s: "
                    "unlock some or raise the target.",
                    lines=", ".join(line.name for line in locked),
                    locked=self._format_target(locked_total, field),
                    target=self._format_target(parent[field], field),
                    parent=parent.name,
                )
            )
        free = [i for i, key in enumerate(keys) if not (key in existing and existing[key].locked)]
        free_shares = [shares[i] for i in free]
        if not any(free_shares):
            free_shares = [1.0] * len(free)
        amounts = [existing[key][field] if i not in free else 0.0 for i, key in enumerate(keys)]
        total = float_round(parent[field] - locked_total, precision_digits=digits)
        for i, amount in zip(free, largest_remainder(total, free_shares, digits)):
            amounts[i] = amount
        return amounts

    def _split_qty(self, parent, keys, shares, existing):
        """The quantity target split as ``_split_target`` splits the amount (nothing without a quantity target)."""
        if not self.target_qty:
            return [0.0] * len(keys)
        return self._split_target(parent, keys, shares, existing, field="target_qty")

    def _format_target(self, value, field="target_amount"):
        if field == "target_amount":
            return self.env["sales.formatter"]._money(value, self.currency_id)
        return self.env["sales.formatter"]._quantity(value, self.uom_id)

    def _decompose_time(self, leaves, history):
        """Split each leaf over the plan's quarters and months by its seasonality."""
        Line = self.env["sales.plan.line"]
        profiles = self._get_seasonality(leaves, history)
        months = self._get_months()
        vals_list = []
        for leaf in leaves:
            profile = profiles[leaf.id]
            existing = {child.date_from: child for child in leaf.child_ids}
            if self.time_split == "quarter":
                quarters = defaultdict(list)
                for month in months:
                    quarters[(month.year, (month.month - 1) // 3)].append(month)
                periods = [
                    (group[0], group[-1] + relativedelta(day=31), "quarter", sum(profile[m] for m in group))
                    for group in quarters.values()
                ]
            else:
                periods = [(month, month + relativedelta(day=31), "month", profile[month]) for month in months]
            starts, shares = [p[0] for p in periods], [p[3] for p in periods]
            amounts = self._split_target(leaf, starts, shares, existing)
            quantities = self._split_qty(leaf, starts, shares, existing)
            for (start, end, period_type, _share), amount, qty in zip(periods, amounts, quantities):
                child = existing.get(start)
                if child:
                    if not child.locked:
                        child._set_targets(amount, qty)
                else:
                    vals_list.append(
                        leaf._prepare_child_vals("time", None, amount, self._period(start, end, period_type), qty)
                    )
        quarters = Line._insert(vals_list)
        if self.time_split == "quarter":
            # and each quarter over its months
            vals_list = []
            for quarter in quarters | leaves.child_ids.filtered(lambda l: l.period_type == "quarter"):
                profile = profiles[quarter.parent_id.id]
                quarter_months = [m for m in months if quarter.date_from <= m <= quarter.date_to]
                existing = {child.date_from: child for child in quarter.child_ids}
                shares = [profile[m] for m in quarter_months]
                amounts = self._split_target(quarter, quarter_months, shares, existing)
                quantities = self._split_qty(quarter, quarter_months, shares, existing)
                for month, amount, qty in zip(quarter_months, amounts, quantities):
                    if month in existing:
                        if not existing[month].locked:
                            existing[month]._set_targets(amount, qty)
                    else:
                        period = self._period(month, month + relativedelta(day=31), "month")
                        vals_list.append(quarter._prepare_child_vals("time", None, amount, period, qty))
            Line._insert(vals_list)

    def _period(self, start, end, period_type):
        """The values of a period line from ``start`` to ``end``, clipped to the plan."""
        return {"period_type": period_type, "date_from": max(start, self.date_from), "date_to": min(end, self.date_to)}

    def _get_months(self):
        return self.env["sales.history"]._get_months(self.date_from, self.date_to)

    def _get_seasonality(self, leaves, history):
        """{leaf id: {first day of month: weight}}: by the manual profile, equal, or each leaf's own sales in last
        year's months; a leaf whose own sales fall in fewer months than the plan asks for takes the fallback (the
        company's months, or equal months), and the plan says which."""
        months = self._get_months()
        equal = dict.fromkeys(months, 1.0)
        if self.season_basis == "manual":
            shares = {int(season.month): season.percentage for season in self.season_ids}
            if float_compare(sum(shares.values()), 100, precision_digits=2):
                raise ValidationError(
                    _(
                        "The seasonality of %(plan)s sums to %(total)s; it must sum to 100 %%.",
                        plan=self.name,
                        total=self.env["sales.formatter"]._percent(sum(shares.values())),
                    )
                )
            return dict.fromkeys(leaves.ids, {month: shares.get(month.month, 0.0) for month in months})
        if self.season_basis == "equal":
            return dict.fromkeys(leaves.ids, equal)
        order = self._get_dimension_order()
        company_months = defaultdict(float)
        own = defaultdict(lambda: defaultdict(float))
        for row in history:
            company_months[row[6].month] += row[7]
            own[self._project(row, order)][row[6].month] += row[7]
        fallback = equal
        if self.season_fallback == "company" and self._covers_enough(company_months, months):
            fallback = {month: max(company_months[month.month], 0.0) for month in months}
        profiles, thin = {}, []
        for leaf in leaves:
            by_month = own.get(leaf._get_key(order), {})
            if self._covers_enough(by_month, months):
                profiles[leaf.id] = {month: max(by_month.get(month.month, 0.0), 0.0) for month in months}
            else:
                profiles[leaf.id] = fallback
                thin.append(leaf.name)
        if thin:
            self.season_warning = self._get_thin_history_warning(thin, fallback is equal)
        return profiles

    def _covers_enough(self, by_month, months):
        """Whether sales by month number fall in enough of the plan's months to be a seasonality."""
        covered = sum(1 for month in months if by_month.get(month.month, 0.0) > 0)
        return covered >= max(self.season_min_months, 1)

    def _get_thin_history_warning(self, names, equal):
        return _(
            "%(count)s line(s) sold in fewer than %(months)s of last year's months and were split by %(fallback)s "
            "instead of their own months: %(lines)s.",
            count=len(names),
            months=max(self.season_min_months, 1),
            fallback=_("equal months") if equal else _("the company's months"),
            lines=", ".join(names[:10]) + (", ..." if len(names) > 10 else ""),
        )

    def _resplit(self, line):
        """Spread a revised line's target over its breakdown in proportion to the breakdown's targets, all the way
        down, to the cent; locked lines keep theirs, the "Other / unplanned" lines keep none."""
        parents = line
        while parents:
            changed = self.env["sales.plan.line"]
            for parent in parents:
                children = parent.child_ids.filtered(lambda child: not child.is_unplanned)
                if not children:
                    continue
                existing = {child.id: child for child in children}
                amounts = self._split_target(parent, children.ids, children.mapped("target_amount"), existing)
                for child, amount in zip(children, amounts):
                    if not child.locked and child.currency_id.compare_amounts(child.target_amount, amount):
                        child.target_amount = amount
                        changed |= child
            parents = changed

    # ------------------------------------------------------------
    # PLAN VERSUS ACTUAL
    # ------------------------------------------------------------

    def action_update_actuals(self):
        """Measure every line against the sales of its dimensions and period; one query per plan.

        A sale that no planned line of a level covers (a new customer, category, team...) counts on the "Other /
        unplanned" line of that level, made for it: every line's actual is the sum of its breakdown's.
        """
        today = fields.Date.context_today(self)
        self._lock_lines()
        for plan in self:
            plan = plan.with_context(sales_plan_decomposing=True)
            rows = plan._get_sales_rows(plan.date_from, plan.date_to)
            tree = plan._get_line_tree()
            if not tree:
                continue
            places = [plan._place_row(tree, row) for row in rows]
            if plan._add_unplanned_lines(tree, rows, places):
                tree = plan._get_line_tree()
                places = [plan._place_row(tree, row) for row in rows]
            plan._write_actuals(plan._measure(tree, rows, places, today))
        return True

    def _get_line_tree(self):
        """The plan's lines as plain values, by their place, for measuring many sales rows fast: {"root": id,
        "children": {(parent id, key): id}, "unplanned": {parent id: id}, "months": {(owner id, month): id},
        "lines": {id: values}}, where a period line's owner is the line it splits over time. One query."""
        self.env["sales.plan.line"].flush_model()
        fields_ = ["parent_id", "dimension", "is_unplanned", "period_type", "date_from", "date_to", "target_amount"]
        fields_ += [DIMENSION_FIELDS[slot] for slot in SLOTS]
        rows = self.env.execute_query_dict(
            SQL(
                "SELECT id, %s FROM sales_plan_line WHERE plan_id = %s",
                SQL(", ").join(SQL.identifier(field) for field in fields_),
                self.id,
            )
        )
        lines = {row["id"]: row for row in rows}
        order = self._get_dimension_order()
        tree = {"root": None, "children": {}, "unplanned": {}, "months": {}, "lines": lines}
        for line in rows:
            if not line["parent_id"]:
                tree["root"] = line["id"]
            elif line["dimension"] == "time":
                owner = line["parent_id"]
                if lines[owner]["dimension"] == "time":
                    owner = lines[owner]["parent_id"]
                line["owner"] = owner
                if line["period_type"] == "month":
                    tree["months"][(owner, line["date_from"].replace(day=1))] = line["id"]
            elif line["is_unplanned"]:
                tree["unplanned"][line["parent_id"]] = line["id"]
            elif line["dimension"] in order:
                known = order[: order.index(line["dimension"]) + 1]
                key = tuple(line[DIMENSION_FIELDS[slot]] or False if slot in known else None for slot in SLOTS)
                tree["children"][(line["parent_id"], key)] = line["id"]
        return tree if tree["root"] else None

    def _place_row(self, tree, row):
        """Where a sales row counts: (the lines it counts on from the top, the line it stopped under and the
        dimension of that level, or None if a planned line of every level covers it)."""
        order = self._get_dimension_order()
        node, path = tree["root"], [tree["root"]]
        for depth, dimension in enumerate(order):
            child = tree["children"].get((node, self._project(row, order[: depth + 1])))
            if child is None:
                unplanned = tree["unplanned"].get(node)
                return path + ([unplanned] if unplanned else []), (node, dimension)
            node = child
            path.append(child)
        return path, None

    def _add_unplanned_lines(self, tree, rows, places):
        """Make the missing "Other / unplanned" lines, and their months; whether any was made."""
        Line = self.env["sales.plan.line"]
        missing = {stop for _path, stop in places if stop and stop[0] not in tree["unplanned"]}
        parents = Line.browse(sorted({parent for parent, _dimension in missing}))
        dimensions = dict(missing)
        created = Line._insert([parent._prepare_unplanned_vals(dimensions[parent.id]) for parent in parents])
        if self.time_split == "none":
            return bool(created)
        owners = dict(tree["unplanned"])
        owners.update(zip(parents.ids, created.ids))
        needed = set()
        for row, (_path, stop) in zip(rows, places):
            if stop:
                owner = owners[stop[0]]
                if (owner, row[6]) not in tree["months"]:
                    needed.add((owner, row[6]))
        vals_list = [
            owner._prepare_child_vals("time", None, 0.0, self._period(month, month + relativedelta(day=31), "month"))
            for owner_id, month in sorted(needed)
            for owner in Line.browse(owner_id)
        ]
        months = Line._insert(vals_list)
        return bool(created or months)

    def _measure(self, tree, rows, places, today):
        """[(line id, actual, projection, actual quantity)] for every line of the plan."""
        amounts, quantities, by_month = defaultdict(float), defaultdict(float), defaultdict(float)
        for row, (path, _stop) in zip(rows, places):
            for line_id in path:
                amounts[line_id] += row[7]
                quantities[line_id] += row[8]
            by_month[(path[-1], row[6])] += row[7]
            by_month[(path[-1], row[6], "qty")] += row[8]
        values = []
        digits = self._get_qty_digits() if self.target_qty else 3
        for line_id, line in tree["lines"].items():
            actual, qty = amounts[line_id], quantities[line_id]
            if line["dimension"] == "time":
                months = self.env["sales.history"]._get_months(line["date_from"], line["date_to"])
                actual = sum(by_month[(line["owner"], month)] for month in months)
                qty = sum(by_month[(line["owner"], month, "qty")] for month in months)
            actual = self.currency_id.round(actual)
            projected = self.currency_id.round(self._get_projection(actual, line["date_from"], line["date_to"], today))
            values.append((line_id, actual, projected, float_round(qty, precision_digits=digits)))
        return values

    @api.model
    def _get_projection(self, actual, date_from, date_to, today):
        """The actual extrapolated at the same daily pace to the end of the period."""
        if today > date_to:
            return actual
        if today < date_from:
            return 0.0
        return actual * ((date_to - date_from).days + 1) / ((today - date_from).days + 1)

    def _write_actuals(self, values):
        """One UPDATE for all the lines of the plan (and their derived figures)."""
        if not values:
            return
        self.env["sales.plan.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
            UPDATE sales_plan_line l
               SET actual_amount = v.actual, projected_amount = v.projected,
                   gap_amount = l.target_amount - v.actual,
                   completion = CASE WHEN l.target_amount != 0 THEN 100 * v.actual / l.target_amount ELSE 0 END,
                   actual_qty = v.qty, gap_qty = COALESCE(l.target_qty, 0) - v.qty
              FROM (VALUES %s) AS v(id, actual, projected, qty)
             WHERE l.id = v.id
            """,
                SQL(", ").join(SQL("(%s, %s::numeric, %s::numeric, %s::numeric)", *value) for value in values),
            )
        )
        self.env["sales.plan.line"].invalidate_model(
            ["actual_amount", "projected_amount", "gap_amount", "completion", "actual_qty", "gap_qty"]
        )

    @api.model
    def _cron_update_actuals(self):
        for plan in self.search([("state", "=", "approved")]):
            try:
                with self.env.cr.savepoint():
                    # no user's time zone at night: the company's, as res.company._sales_tz() falls back to
                    plan.with_context(tz=plan.company_id.partner_id.tz).action_update_actuals()
            except UserError as error:
                # one plan's bad data (mixed units) must not stop the others' figures
                _logger.warning("Actuals of sales plan %s not updated: %s", plan.id, error)
