"""The benchmark's scenarios. Each returns rows of the table and checks that the suite's answer is right (the same
totals as stock Odoo where both answer the same question), so a fast wrong answer cannot pass.

Both databases hold the same records under the same ids: the suite's is a copy of stock Odoo's, made after the
data and before installing the suite.
"""

import base64
import io
from dataclasses import dataclass

import xlsxwriter

from odoo import Command, fields

from .generate import DUNNING_DAYS
from .measure import Side, compare, environment, run_once

# two runs of one operation on this shared machine differ by a few percent
NOISE = " (5 % noise)"


@dataclass
class Row:
    operation: str
    size: str
    suite_seconds: float
    suite_queries: int
    goal: str
    stock_seconds: float = None
    stock_queries: int = None
    bare_seconds: float = None
    met: bool = None
    note: str = ""

    @property
    def ratio(self):
        return self.suite_seconds / self.stock_seconds if self.stock_seconds else None


def _row(operation, size, suite, goal, stock=None, note=""):
    return Row(
        operation,
        size,
        suite.seconds,
        suite.query_count,
        goal,
        stock.seconds if stock else None,
        stock.query_count if stock else None,
        note=note,
    )


def _ids(bench, model, domain, order="id", limit=None):
    with environment(bench.suite) as env:
        return env[model].search(domain, order=order, limit=limit).ids


def confirm_order(bench):
    """1. Confirming a three-line order for customers with short and long histories."""
    products = _ids(bench, "product.product", [("default_code", "=like", "BP%")], order="id desc", limit=3)
    rows = []
    for size in bench.scale["history"]:
        customer = _ids(bench, "res.partner", [("name", "=", f"Bench History {size}")])[0]

        def prepare(env, customer=customer):
            return env["sale.order"].create(
                {
                    "partner_id": customer,
                    "order_line": [
                        Command.create({"product_id": product, "product_uom_qty": 2}) for product in products
                    ],
                }
            )

        def prepare_without_totals(env, prepare=prepare):
            # the analysis's totals are triggers on the orders and their lines: dropped in this rolled-back
            # transaction, the confirmation shows what they cost
            env["sales.analysis.total"]._drop()
            return prepare(env)

        def operation(env, order):
            order.action_confirm()
            return order.state

        # one confirmation is short and noisy: more repetitions
        without_totals = Side(bench.suite, prepare_without_totals, operation)
        stock, suite = compare(
            bench.repeat * 5,
            Side(bench.suite, prepare, operation),
            Side(bench.stock, prepare, operation),
            bare=without_totals,
        )
        assert stock.result == suite.result == without_totals.result == "sale", (stock.result, suite.result)
        rows.append(
            _row(
                "Confirm a 3-line order (credit check)",
                f"{size:,} history lines",
                suite,
                "≤ +10 %, constant queries",
                stock,
                note=f"{without_totals.seconds * 1000:.0f} ms without the analysis's totals",
            )
        )
    constant = len({row.suite_queries for row in rows}) == 1
    for row in rows:
        row.met = constant and row.ratio <= 1.10
    return rows


def customer_exposure(bench):
    """2. The credit exposure of every customer, as the credit review list shows it."""
    customers = _ids(bench, "res.partner", [("customer_rank", ">", 0), ("is_company", "=", True)])
    rows = []
    for count in (len(customers) // 2, len(customers)):
        ids = customers[:count]

        def stock_operation(env, _prepared, ids=ids):
            return {
                values["id"]: values["credit"]
                for values in env["res.partner"].browse(ids).read(["credit", "credit_to_invoice"])
            }

        def suite_operation(env, _prepared, ids=ids):
            return {
                values["id"]: values["credit_open_receivable"]
                for values in env["res.partner"]
                .browse(ids)
                .read(["credit_exposure", "credit_open_receivable", "credit_available", "credit_overdue_amount"])
            }

        stock, suite = compare(
            bench.repeat, Side(bench.suite, _nothing, suite_operation), Side(bench.stock, _nothing, stock_operation)
        )
        assert all(round(stock.result[i] - suite.result[i], 2) == 0 for i in ids), "receivables differ"
        row = _row(
            "Credit exposure of all customers (read)",
            f"{count:,} customers",
            suite,
            "queries per batch, not per customer",
            stock,
            note="stock: receivable and amount to invoice; suite: four exposure components, "
            "three queries per batch of 1,000 (Odoo's prefetch)",
        )
        row.met = suite.query_count <= 10 + 5 * count / 1000
        rows.append(row)
    return rows


def allocation_run(bench):
    """3. Allocating short products to their waiting deliveries vs stock Odoo's reservation of the same moves."""
    short = _ids(bench, "product.product", [("default_code", "=like", "BP%")], limit=bench.scale["short_products"])
    rows = []
    for count in (len(short) // 2, len(short)):
        ids = short[:count]

        def stock_operation(env, _prepared, ids=ids):
            moves = env["stock.move"].search(
                [("product_id", "in", ids), ("state", "in", ("confirmed", "partially_available"))]
            )
            moves._action_assign()
            return len(moves), _reserved(env, ids)

        def suite_operation(env, _prepared, ids=ids):
            env["sales.allocation.run"]._run(env["product.product"].browse(ids))
            return None, _reserved(env, ids)

        stock, suite = compare(
            bench.repeat, Side(bench.suite, _nothing, suite_operation), Side(bench.stock, _nothing, stock_operation)
        )
        moves, reserved = stock.result
        assert suite.result[1] == reserved, f"reserved {suite.result[1]} vs {reserved}"
        row = _row(
            "Allocation run vs action_assign",
            f"{moves:,} moves, {count:,} products",
            suite,
            f"no slower{NOISE}, queries grow with products",
            stock,
        )
        row.met = row.ratio <= 1.05 and suite.query_count < moves
        row.note = (
            f"{suite.query_count / moves:.1f} queries per move ({stock.query_count / moves:.1f} in stock): "
            "the reservation is Odoo's own _action_assign"
        )
        rows.append(row)
    return rows


def _reserved(env, product_ids):
    env.flush_all()
    env.cr.execute("SELECT COALESCE(SUM(quantity), 0) FROM stock_move WHERE product_id = ANY(%s)", [product_ids])
    return env.cr.fetchone()[0]


def dunning_run(bench):
    """4. A dunning run (compute and confirm) over N and 2N overdue items."""
    rows = []
    for count in bench.scale["dunning_items"]:
        with environment(bench.suite) as env:
            env.cr.execute(
                """
                SELECT aml.date_maturity FROM account_move_line aml
                  JOIN account_account a ON a.id = aml.account_id AND a.account_type = 'asset_receivable'
                 WHERE aml.parent_state = 'posted' AND aml.amount_residual > 0 AND aml.reconciled IS NOT TRUE
              ORDER BY aml.date_maturity OFFSET %s LIMIT 1""",
                [count - 1],
            )
            date = fields.Date.add(env.cr.fetchone()[0], days=DUNNING_DAYS)

        def operation(env, _prepared, date=date):
            run = env["sales.dunning.run"].create({"date": date})
            run.action_compute()
            run.action_done()
            return run.item_count

        _stock, suite = compare(bench.repeat, Side(bench.suite, _in_the_request, operation))
        rows.append(
            _row(
                "Dunning run (compute + confirm)",
                f"{suite.result:,} overdue items",
                suite,
                "2× items ≤ 2× time; 200k < 60 s",
            )
        )
    small, large = rows
    # twice the items may take twice the time; 10 % over that is the machine's noise
    ratio = large.suite_seconds / small.suite_seconds
    for row in rows:
        row.met = ratio <= 2.2 and row.suite_seconds < 60
        row.note = f"time ×{ratio:.2f} for ×2 items"
    return rows


# the customer's and the product's tables, for the groupings that read them
CUSTOMER_JOINS = """JOIN res_partner partner ON partner.id = o.partner_id
                    JOIN res_partner customer ON customer.id = partner.commercial_partner_id"""
PRODUCT_JOINS = """JOIN product_product p ON p.id = l.product_id
                   JOIN product_template t ON t.id = p.product_tmpl_id"""

# label, sale.report's grouping, the analysis's, and the bare SQL aggregate's group keys and joins
ANALYSIS_GROUPINGS = [
    ("by month", ["date:month"], ["date:month"], "date_trunc('month', o.date_order)", ""),
    (
        "by category × region",
        ["categ_id", "country_id"],
        ["categ_id", "sales_region_id"],
        "t.categ_id, customer.sales_region_id",
        f"{PRODUCT_JOINS} {CUSTOMER_JOINS}",
    ),
    ("by category", ["categ_id"], ["categ_id"], "t.categ_id", PRODUCT_JOINS),
    ("by salesperson", ["user_id"], ["user_id"], "o.user_id", ""),
    ("by customer tier", ["partner_id"], ["customer_tier_id"], "customer.customer_tier_id", CUSTOMER_JOINS),
    ("by region", ["country_id"], ["sales_region_id"], "customer.sales_region_id", CUSTOMER_JOINS),
]
BARE_LIMIT = 1.2
# the groupings a pivot must answer in under two seconds even at ten million lines (issue 23)
COMMON_GROUPINGS = {"by month", "by category", "by salesperson", "by customer tier", "by region"}
COMMON_LIMIT = 2
STOCK_RATIO = 0.2


def analysis_reads(bench):
    """5. Grouped reads of the sales analysis vs the same groupings of stock Odoo's sale.report, and vs the bare SQL
    aggregate of the same lines: the confirmed orders' product lines, in company currency, with only the tables the
    grouping needs (what no report over these tables can beat)."""
    with environment(bench.suite) as env:
        # the totals the analysis reads instead of the lines where it can: checked against the lines first
        differences = env["sales.analysis.total"]._differences()
        assert not any(differences.values()), differences
        Totals = env["sales.analysis.total"]
        grains = {
            label: Totals._grain_for(env["sales.analysis"], [], groupby, ["amount_ordered:sum"], [], None)
            for label, _stock, groupby, _keys, _joins in ANALYSIS_GROUPINGS
        }
    rows = []
    for label, stock_groupby, suite_groupby, keys, joins in ANALYSIS_GROUPINGS:

        def stock_operation(env, _prepared, groupby=stock_groupby):
            groups = env["sale.report"]._read_group([("state", "=", "sale")], groupby, ["price_subtotal:sum"])
            return round(sum(group[-1] for group in groups), 2)

        def suite_operation(env, _prepared, groupby=suite_groupby):
            groups = env["sales.analysis"]._read_group([], groupby, ["amount_ordered:sum"])
            return round(sum(group[-1] for group in groups), 2)

        def bare_operation(env, _prepared, keys=keys, joins=joins):
            env.cr.execute(
                f"""SELECT {keys}, SUM(l.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1))
                      FROM sale_order_line l
                      JOIN sale_order o ON o.id = l.order_id
                      {joins}
                     WHERE o.state = 'sale' AND l.display_type IS NULL
                  GROUP BY {keys}"""
            )
            return round(sum(row[-1] for row in env.cr.fetchall()), 2)

        bare = Side(bench.suite, _nothing, bare_operation)
        stock, suite = compare(
            bench.repeat,
            Side(bench.suite, _nothing, suite_operation),
            Side(bench.stock, _nothing, stock_operation),
            stock_repeat=bench.scale.get("stock_repeat"),
            bare=bare,
        )
        assert stock.result == suite.result == bare.result, (label, stock.result, suite.result, bare.result)
        row = _row(
            f"Sales analysis {label}",
            f"{bench.order_lines:,} order lines",
            suite,
            f"≤ {BARE_LIMIT}× bare SQL, ≥ {1 / STOCK_RATIO:.0f}× faster than stock"
            + (f", < {COMMON_LIMIT} s" if label in COMMON_GROUPINGS else ""),
            stock,
            note="; ".join(
                note
                for note in (
                    {
                        "by category × region": "stock groups by country (it has no region)",
                        "by customer tier": "stock groups by customer (it has no tier)",
                        "by region": "stock groups by country (it has no region)",
                    }.get(label),
                    f"suite reads the totals per month and {grains[label]}"
                    if grains[label]
                    else "suite reads the lines",
                )
                if note
            ),
        )
        row.bare_seconds = bare.seconds
        row.met = (
            row.suite_seconds <= BARE_LIMIT * row.bare_seconds
            and row.ratio <= STOCK_RATIO
            and (label not in COMMON_GROUPINGS or row.suite_seconds < COMMON_LIMIT)
        )
        rows.append(row)
    return rows


def plan_decomposition(bench):
    """6. Decomposing a plan by team, salesperson and key customer, then over twelve months."""

    def prepare(env):
        _in_the_request(env)
        today = fields.Date.context_today(env.user)
        return env["sales.plan"].create(
            {
                "name": "Bench Plan",
                "target_amount": 12_000_000.0,
                "time_split": "month",
                "date_from": today.replace(month=1, day=1),
                "date_to": today.replace(month=12, day=31),
                "dimension_ids": [
                    Command.create({"sequence": i, "dimension": dimension, "basis": "equal"})
                    for i, dimension in enumerate(("team", "user", "customer"))
                ],
            }
        )

    def operation(env, plan):
        plan.action_decompose()
        leaves = plan.line_ids.filtered(lambda line: line.period_type == "month")
        assert round(sum(leaves.mapped("target_amount")), 2) == plan.target_amount
        return len(plan.line_ids)

    _stock, suite = compare(bench.repeat, Side(bench.suite, prepare, operation))
    scale = bench.scale
    row = _row(
        "Plan decomposition",
        f"{scale['teams']}×{scale['salespeople']}×{scale['key_customers']}×12 = {suite.result:,} lines",
        suite,
        "< 5 s",
    )
    row.met = row.suite_seconds < 5
    return [row]


# sale.report's columns closest to the eleven of the suite's line sheet
EXPORT_FIELDS = [
    "date",
    "name",
    "partner_id",
    "product_id",
    "categ_id",
    "user_id",
    "team_id",
    "product_uom_qty",
    "price_subtotal",
    "qty_delivered",
    "qty_invoiced",
]


def excel_export(bench):
    """7. Exporting the analysis's order lines to Excel vs stock Odoo's export of the same sale.report rows."""
    rows_wanted = bench.scale["export_rows"]
    with environment(bench.suite) as env:
        line = env["sales.analysis"].search([], order="date desc", offset=rows_wanted - 1, limit=1)
        date_from = line.date.date()
        count = env["sales.analysis"].search_count([("date", ">=", date_from)])
    today = fields.Date.today()

    def stock_operation(env, _prepared):
        # what Odoo's Export dialog does: export_data, then one xlsxwriter cell per value
        records = env["sale.report"].search([("state", "=", "sale"), ("date", ">=", date_from)])
        data = records.export_data(EXPORT_FIELDS)["datas"]
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = book.add_worksheet()
        for row_index, values in enumerate(data, 1):
            for col, value in enumerate(values):
                sheet.write(row_index, col, value)
        book.close()
        return len(data)

    def suite_operation(env, _prepared):
        wizard = env["sales.analysis.export"].create(
            {"date_from": date_from, "date_to": today, "include_lines": True, "compare": False}
        )
        wizard.action_export()
        return len(base64.b64decode(wizard.file))

    # stock Odoo's export re-reads the sale.report view per 1,000 rows: minutes at this size, so measured once
    # (hours at ten million lines: not at all)
    with_stock = bench.scale.get("stock_export", True)
    stock, suite = compare(
        bench.repeat,
        Side(bench.suite, _in_the_request, suite_operation),
        Side(bench.stock, _nothing, stock_operation) if with_stock else None,
        stock_repeat=1,
    )
    assert not stock or stock.result == count, (stock.result, count)
    peak = run_once(bench.suite, _in_the_request, suite_operation, memory=True)[3]
    row = _row(
        "Excel export of analysis lines",
        f"{count:,} rows",
        suite,
        "< 10 s, < 300 MB peak",
        stock,
        note=f"peak Python memory {peak / 2**20:.0f} MB; "
        + ("stock Odoo measured once" if stock else "stock Odoo not measured (hours at this size)"),
    )
    row.met = row.suite_seconds < 10 and peak < 300 * 2**20
    return [row]


def _nothing(env):
    return None


def _in_the_request(env):
    """Past the company's threshold, the suite runs long actions as a background job: measure the work itself."""
    env.company.sales_background_threshold = 0


SCENARIOS = [
    confirm_order,
    customer_exposure,
    allocation_run,
    dunning_run,
    analysis_reads,
    plan_decomposition,
    excel_export,
]
