"""Reproducible sales data for the benchmark, at a scale of bench/scales.py.

Stock part, on a database with only the suite's dependencies: sales teams and salespeople, product categories,
customers with credit limits, products, three years of sale orders in every state (delivered and invoiced,
partly delivered, quotations, cancelled), three customers with 10 / 1,000 / 50,000-line histories, deliveries
competing for short products, stock levels and open receivable items (overdue, partly paid).
Suite part, on a copy with the suite installed: tiers (key customers per salesperson), ratings and settings.

One record of each kind is made through the ORM and copied by SQL ``INSERT ... SELECT`` with the values that vary
(a million order lines would take the ORM hours); the waiting deliveries are confirmed through the ORM, so their
pickings, moves and procurement groups are Odoo's own. Figures follow fixed arithmetic on the row number, not a
random source: the same scale gives the same data, relative to today.
"""

import math
from datetime import timedelta

from odoo import Command, fields

SALE_LINES_PER_ORDER = 5
DAYS_OF_HISTORY = 3 * 365
DUNNING_DAYS = 15  # the one level of the benchmark's dunning policy: 15 days overdue


def clone(cr, table, template_id, source, overrides, params, where="TRUE"):
    """Insert one copy of row ``template_id`` of ``table`` per row of ``source`` (a FROM clause not using the
    alias ``t``), with ``overrides`` {column: SQL expression}; return the number of rows inserted."""
    cr.execute(
        """SELECT column_name FROM information_schema.columns
                   WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position""",
        [table],
    )
    columns = [name for (name,) in cr.fetchall()]
    assert set(overrides) <= set(columns), set(overrides) - set(columns)
    select = ", ".join(overrides.get(column, f"t.{column}") for column in columns)
    cr.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} t, {source} "  # noqa: S608
        f"WHERE t.id = %(template)s AND {where}",
        dict(params, template=template_id),
    )
    return cr.rowcount


def max_id(cr, table):
    cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
    return cr.fetchone()[0]


def generate_stock(env, scale):
    """The stock part; returns a summary {what: count}."""
    env.company.write({"name": "Bench Company"})
    users = _salespeople(env, scale)
    categories = env["product.category"].create(
        [{"name": f"Bench Category {i:02d}"} for i in range(1, scale["categories"] + 1)]
    )
    templates = _templates(env, categories[0])
    customers = _customers(env, templates["partner"], users, scale["customers"], "Bench Customer")
    products = _products(env, templates, categories, scale["products"])
    lines = _orders(env, templates, customers, products, scale["order_lines"], "BS")
    history = []
    for size in scale["history"]:
        customer = _customers(env, templates["partner"], users, 1, f"Bench History {size}")
        # a limit their history stays under: the benchmark confirms, it does not hold
        env.cr.execute(
            "UPDATE res_partner SET credit_limit = jsonb_build_object(%s::text, 1e9) WHERE id = %s",
            [env.company.id, customer.id],
        )
        history.append(customer)
        lines += _orders(env, templates, customer, products, size, f"BH{size}-")
    short = products[: scale["short_products"]]
    moves = _waiting_deliveries(env, customers, short, scale["waiting_moves"])
    _stock_levels(env, products, short)
    items = _open_items(env, templates, customers, scale["open_items"])
    env.invalidate_all()
    # the planner's statistics, as autovacuum would have them on a live database
    env.cr.execute("ANALYZE")
    return {
        "customers": len(customers) + len(history),
        "products": len(products),
        "order lines": lines,
        "waiting delivery moves": moves,
        "short products": len(short),
        "open receivable items": items,
    }


def _salespeople(env, scale):
    """Sales teams of salespeople (plain sales users)."""
    group = env.ref("sales_team.group_sale_salesman")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"Bench Seller {team:02d}-{seller:02d}",
                    "login": f"bench.seller.{team}.{seller}",
                    "groups_id": [Command.set([group.id])],
                }
                for team in range(1, scale["teams"] + 1)
                for seller in range(1, scale["salespeople"] + 1)
            ]
        )
    )
    size = scale["salespeople"]
    env["crm.team"].create(
        [
            {
                "name": f"Bench Team {team + 1:02d}",
                "member_ids": [Command.set(users[team * size : (team + 1) * size].ids)],
            }
            for team in range(scale["teams"])
        ]
    )
    return users


def _templates(env, category):
    """One customer, product, order line and posted invoice made by the ORM: the rows the SQL copies."""
    china = env.ref("base.cn")
    partner = env["res.partner"].create(
        {"name": "Bench Template Customer", "is_company": True, "country_id": china.id, "customer_rank": 1}
    )
    product = env["product.product"].create(
        {
            "name": "Bench Template Product",
            "is_storable": True,
            "list_price": 100.0,
            "standard_price": 60.0,
            "invoice_policy": "delivery",
            "categ_id": category.id,
            "taxes_id": False,
        }
    )
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1, "tax_id": False})],
        }
    )
    journal = env["account.journal"].create({"name": "Bench Invoices", "code": "BINV", "type": "sale"})
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "journal_id": journal.id,
            "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 100.0, "tax_ids": False})],
        }
    )
    invoice.action_post()
    receivable = invoice.line_ids.filtered(lambda l: l.account_id.account_type == "asset_receivable")
    env.flush_all()
    return {
        "partner": partner,
        "product": product,
        "order": order,
        "line": order.order_line,
        "invoice": invoice,
        "receivable": receivable,
        "income": invoice.invoice_line_ids,
    }


def _customers(env, template, users, count, prefix):
    """Companies in Chinese provinces, each with a salesperson; four in five with a credit limit."""
    cr = env.cr
    states = env["res.country.state"].search([("country_id", "=", env.ref("base.cn").id)], order="id").ids
    before = max_id(cr, "res_partner")
    name = "format('%%s %%s', %(prefix)s::text, lpad(g::text, 6, '0'))" if count > 1 else "%(prefix)s::text"
    clone(
        cr,
        "res_partner",
        template.id,
        "generate_series(1, %(count)s) g",
        {
            "name": name,
            "complete_name": name,
            "ref": "format('%%s-%%s', %(prefix)s::text, g)",
            "email": "format('c%%s.%%s@bench.example', %(before)s, g)",
            "email_normalized": "format('c%%s.%%s@bench.example', %(before)s, g)",
            "state_id": "(%(states)s::int[])[1 + (g * 31) %% cardinality(%(states)s::int[])]",
            "user_id": "(%(users)s::int[])[1 + g %% cardinality(%(users)s::int[])]",
            "credit_limit": "CASE WHEN g %% 5 != 0 THEN jsonb_build_object(%(company)s::text, "
            "50000 + (g * 37 %% 20) * 10000) END",
            "create_date": "now() at time zone 'UTC'",
            "write_date": "now() at time zone 'UTC'",
        },
        {
            "count": count,
            "prefix": prefix,
            "before": before,
            "states": states,
            "users": users.ids,
            "company": env.company.id,
        },
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id > %s", [before])
    return env["res.partner"].search([("id", ">", before)], order="id")


def _products(env, templates, categories, count):
    """Storable products over the categories, delivered then invoiced, priced 10 to 509 at a 40 % margin."""
    cr = env.cr
    template = templates["product"]
    before = max_id(cr, "product_template")
    clone(
        cr,
        "product_template",
        template.product_tmpl_id.id,
        "generate_series(1, %(count)s) g",
        {
            "name": "jsonb_build_object('en_US', format('Bench Product %%s', lpad(g::text, 5, '0')))",
            "default_code": "format('BP%%s', lpad(g::text, 5, '0'))",
            "categ_id": "(%(categories)s::int[])[1 + g %% cardinality(%(categories)s::int[])]",
            "list_price": "10 + (g * 17) %% 500",
            "create_date": "now() at time zone 'UTC'",
            "write_date": "now() at time zone 'UTC'",
        },
        {"count": count, "categories": categories.ids},
    )
    clone(
        cr,
        "product_product",
        template.id,
        "product_template pt",
        {
            "product_tmpl_id": "pt.id",
            "default_code": "pt.default_code",
            "standard_price": "jsonb_build_object(%(company)s::text, round(pt.list_price * 0.6, 2))",
            "create_date": "now() at time zone 'UTC'",
            "write_date": "now() at time zone 'UTC'",
        },
        {"company": env.company.id},
        where=f"pt.id > {int(before)}",
    )
    return env["product.product"].search([("product_tmpl_id", ">", before)], order="id")


def _orders(env, templates, customers, products, line_count, prefix):
    """Orders of five lines over the last three years: older than a month delivered and invoiced (one in ten of
    the second month not invoiced yet), recent ones partly delivered; 3 % cancelled, recent quotations."""
    cr = env.cr
    order_count = math.ceil(line_count / SALE_LINES_PER_ORDER)
    members = env["crm.team.member"].search([])
    teams = {member.user_id.id: member.crm_team_id.id for member in members}
    before = max_id(cr, "sale_order")
    # bigint: ten million lines are two million orders
    age = f"((g::bigint * 7919) %% {DAYS_OF_HISTORY})::int"
    clone(
        cr,
        "sale_order",
        templates["order"].id,
        "generate_series(1, %(count)s) g "
        "JOIN res_partner c "
        "ON c.id = (%(customers)s::int[])[(1 + (g::bigint * 1009) %% cardinality(%(customers)s::int[]))::int] "
        "LEFT JOIN (SELECT unnest(%(users)s::int[]) AS user_id, unnest(%(teams)s::int[]) AS team_id) ut "
        "ON ut.user_id = c.user_id",
        {
            "name": "format('%%s%%s', %(prefix)s::text, lpad(g::text, 7, '0'))",
            "partner_id": "c.id",
            "partner_invoice_id": "c.id",
            "partner_shipping_id": "c.id",
            "user_id": "c.user_id",
            "team_id": "ut.team_id",
            "date_order": f"(now() at time zone 'UTC') - make_interval(days => {age}, hours => g %% 9)",
            "create_date": f"(now() at time zone 'UTC') - make_interval(days => {age}, hours => g %% 9)",
            "write_date": "now() at time zone 'UTC'",
            "state": f"CASE WHEN g %% 100 < 3 THEN 'cancel' WHEN g %% 100 < 8 AND {age} < 60 THEN 'draft' "
            "ELSE 'sale' END",
            "procurement_group_id": "NULL",
            "access_token": "NULL",
            "origin": "NULL",
        },
        {
            "count": order_count,
            "prefix": prefix,
            "customers": customers.ids,
            "users": list(teams),
            "teams": list(teams.values()),
        },
    )
    # each line's quantities from the order's age: older than 30 days delivered and invoiced
    line_source = f"""(
        SELECT o.id AS order_id, o.partner_id, o.user_id, o.state, o.date_order, k,
               p.id AS product_id, pt.list_price AS price, 1 + (o.id * 13 + k * 7) %% 20 AS qty,
               (now() at time zone 'UTC')::date - o.date_order::date AS age
          FROM sale_order o
          JOIN generate_series(1, {SALE_LINES_PER_ORDER}) k ON TRUE
          JOIN product_product p
            ON p.id = (%(products)s::int[])[1 + (o.id * 7 + k * 7919) %% cardinality(%(products)s::int[])]
          JOIN product_template pt ON pt.id = p.product_tmpl_id
         WHERE o.id > {int(before)}) s0
        CROSS JOIN LATERAL (SELECT
               CASE WHEN s0.state != 'sale' THEN 0 WHEN s0.age > 30 THEN s0.qty
                    ELSE floor(s0.qty * ((s0.order_id + s0.k) %% 3) / 2.0) END AS delivered) s1
        CROSS JOIN LATERAL (SELECT
               CASE WHEN s0.state = 'sale' AND s0.age > 30 AND NOT (s0.age < 60 AND s0.order_id %% 10 = 0)
                    THEN s0.qty ELSE 0 END AS invoiced) s2"""
    count = clone(
        cr,
        "sale_order_line",
        templates["line"].id,
        line_source,
        {
            "order_id": "s0.order_id",
            "sequence": "s0.k * 10",
            "order_partner_id": "s0.partner_id",
            "salesman_id": "s0.user_id",
            "product_id": "s0.product_id",
            "state": "s0.state",
            "name": "'Bench line'",
            "product_uom_qty": "s0.qty",
            "price_unit": "s0.price",
            "technical_price_unit": "s0.price",
            "price_reduce_taxexcl": "s0.price",
            "price_reduce_taxinc": "s0.price",
            "price_subtotal": "s0.qty * s0.price",
            "price_total": "s0.qty * s0.price",
            "price_tax": "0",
            "qty_delivered": "s1.delivered",
            "qty_invoiced": "s2.invoiced",
            "qty_to_invoice": "s1.delivered - s2.invoiced",
            "untaxed_amount_invoiced": "s2.invoiced * s0.price",
            "untaxed_amount_to_invoice": "(s1.delivered - s2.invoiced) * s0.price",
            "invoice_status": "CASE WHEN s0.state != 'sale' THEN 'no' WHEN s2.invoiced >= s0.qty THEN 'invoiced' "
            "WHEN s1.delivered > s2.invoiced THEN 'to invoice' ELSE 'no' END",
            "create_date": "s0.date_order",
            "write_date": "now() at time zone 'UTC'",
        },
        {"products": products.ids},
    )
    cr.execute(
        """
        UPDATE sale_order o
           SET amount_untaxed = s.total, amount_total = s.total, amount_tax = 0,
               invoice_status = CASE WHEN o.state != 'sale' THEN 'no' WHEN s.to_invoice THEN 'to invoice'
                                     WHEN s.all_invoiced THEN 'invoiced' ELSE 'no' END,
               delivery_status = CASE WHEN o.state != 'sale' THEN NULL WHEN s.all_delivered THEN 'full'
                                      WHEN s.some_delivered THEN 'partial' ELSE 'pending' END,
               effective_date = CASE WHEN o.state = 'sale' AND s.all_delivered THEN o.date_order + interval '3 days' END
          FROM (SELECT order_id, SUM(price_subtotal) AS total, bool_or(invoice_status = 'to invoice') AS to_invoice,
                       bool_and(invoice_status = 'invoiced') AS all_invoiced,
                       bool_and(qty_delivered >= product_uom_qty) AS all_delivered,
                       bool_or(qty_delivered > 0) AS some_delivered
                  FROM sale_order_line WHERE order_id > %s GROUP BY order_id) s
         WHERE o.id = s.order_id
    """,
        [before],
    )
    return count


def _waiting_deliveries(env, customers, short, move_count):
    """Confirmed orders whose deliveries wait for the short products (no stock yet): Odoo's own pickings."""
    Order = env["sale.order"].with_context(mail_create_nolog=True, tracking_disable=True)
    per_order = min(SALE_LINES_PER_ORDER, len(short))
    vals_list = []
    for index in range(math.ceil(move_count / per_order)):
        customer = customers[(index * 7919) % len(customers)]
        vals_list.append(
            {
                "partner_id": customer.id,
                "user_id": customer.user_id.id,
                "commitment_date": fields.Datetime.now() + timedelta(days=index % 20),
                "order_line": [
                    Command.create(
                        {
                            "product_id": short[(index * per_order + k) % len(short)].id,
                            "product_uom_qty": 1 + (index + k) % 10,
                            "tax_id": False,
                        }
                    )
                    for k in range(per_order)
                ],
            }
        )
    orders = Order.browse()
    for start in range(0, len(vals_list), 200):
        batch = Order.create(vals_list[start : start + 200])
        batch.action_confirm()
        orders |= batch
        env.invalidate_all()
    return len(orders.order_line.move_ids)


def _stock_levels(env, products, short):
    """Every product on hand in the main warehouse; the short ones cover 60 % of what their deliveries wait for."""
    cr = env.cr
    stock = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1).lot_stock_id
    env.flush_all()
    cr.execute(
        """
        INSERT INTO stock_quant (product_id, company_id, location_id, quantity, reserved_quantity, in_date,
                                 create_date, write_date, create_uid, write_uid)
        SELECT p.id, %(company)s, %(location)s,
               CASE WHEN p.id = ANY(%(short)s) THEN ceil(0.6 * COALESCE(w.demand, 0)) ELSE 50 + p.id %% 100 END,
               0, now() at time zone 'UTC', now() at time zone 'UTC', now() at time zone 'UTC', 1, 1
          FROM product_product p
          LEFT JOIN (SELECT product_id, SUM(product_uom_qty) AS demand FROM stock_move
                      WHERE state IN ('confirmed', 'partially_available') GROUP BY product_id) w
            ON w.product_id = p.id
         WHERE p.id = ANY(%(products)s)
    """,
        {"company": env.company.id, "location": stock.id, "short": short.ids, "products": products.ids},
    )


def _open_items(env, templates, customers, count):
    """Posted invoices not paid (one in five paid at 60 %), due from a year ago to a month ahead."""
    cr = env.cr
    invoice = templates["invoice"]
    before = max_id(cr, "account_move")
    due = "((now() at time zone 'UTC')::date - (g * 7919) %% 395 + 30)"
    amount = "(100 + (g * 37) %% 5000)::numeric"
    residual = f"CASE WHEN g %% 5 = 0 THEN round({amount} * 0.4, 2) ELSE {amount} END"
    clone(
        cr,
        "account_move",
        invoice.id,
        "generate_series(1, %(count)s) g "
        "JOIN res_partner c ON c.id = (%(customers)s::int[])[1 + (g * 7) %% cardinality(%(customers)s::int[])]",
        {
            "name": "format('BINV/%%s', lpad(g::text, 7, '0'))",
            "sequence_prefix": "'BINV/'",
            "sequence_number": "g",
            "payment_reference": "format('BINV/%%s', lpad(g::text, 7, '0'))",
            "partner_id": "c.id",
            "commercial_partner_id": "c.id",
            "partner_shipping_id": "c.id",
            "invoice_partner_display_name": "c.name",
            "invoice_user_id": "c.user_id",
            "date": f"{due} - 30",
            "invoice_date": f"{due} - 30",
            "invoice_date_due": due,
            "amount_untaxed": amount,
            "amount_total": amount,
            "amount_untaxed_signed": amount,
            "amount_untaxed_in_currency_signed": amount,
            "amount_total_signed": amount,
            "amount_total_in_currency_signed": amount,
            "amount_residual": residual,
            "amount_residual_signed": residual,
            "payment_state": "CASE WHEN g %% 5 = 0 THEN 'partial' ELSE 'not_paid' END",
            "access_token": "NULL",
            "inalterable_hash": "NULL",
            "create_date": f"{due} - 30",
            "write_date": "now() at time zone 'UTC'",
        },
        {"count": count, "customers": customers.ids},
    )
    common = {
        "move_id": "m.id",
        "partner_id": "m.partner_id",
        "move_name": "m.name",
        "date": "m.date",
        "invoice_date": "m.invoice_date",
        "create_date": "m.create_date",
        "write_date": "m.write_date",
    }
    clone(
        cr,
        "account_move_line",
        templates["receivable"].id,
        "account_move m",
        dict(
            common,
            date_maturity="m.invoice_date_due",
            debit="m.amount_total",
            balance="m.amount_total",
            amount_currency="m.amount_total",
            price_unit="-m.amount_total",
            price_subtotal="-m.amount_total",
            price_total="-m.amount_total",
            amount_residual="m.amount_residual",
            amount_residual_currency="m.amount_residual",
            name="m.name",
        ),
        {},
        where=f"m.id > {int(before)}",
    )
    clone(
        cr,
        "account_move_line",
        templates["income"].id,
        "account_move m",
        dict(
            common,
            credit="m.amount_total",
            balance="-m.amount_total",
            amount_currency="-m.amount_total",
            price_unit="m.amount_total",
            price_subtotal="m.amount_total",
            price_total="m.amount_total",
        ),
        {},
        where=f"m.id > {int(before)}",
    )
    return count


def generate_suite(env, scale):
    """The suite part: tiers (each salesperson's first customers are key customers), ratings, four sales regions
    over China's provinces, allocation by priority with redistribution, a one-level dunning policy."""
    cr = env.cr
    tiers = [env.ref(f"sales_base.tier_{name}").id for name in ("strategic", "key", "normal", "occasional")]
    customers = env["res.partner"].search([("name", "=like", "Bench Customer %")], order="id")
    cr.execute(
        """
        UPDATE res_partner p
           SET customer_tier_id = CASE WHEN r.rank <= %(key)s THEN (%(tiers)s::int[])[1 + r.rank %% 2]
                                       ELSE (%(tiers)s::int[])[3 + p.id %% 2] END,
               credit_rating = (ARRAY['a', 'b', 'c', 'd'])[1 + (p.id * 7) %% 4]
          FROM (SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS rank
                  FROM res_partner WHERE id = ANY(%(customers)s)) r
         WHERE p.id = r.id
    """,
        {"key": scale["key_customers"], "tiers": tiers, "customers": customers.ids},
    )
    states = env["res.country.state"].search([("country_id", "=", env.ref("base.cn").id)], order="id")
    quarter = math.ceil(len(states) / 4)
    env["sales.region"].create(
        [
            {"name": f"Bench Region {i + 1}", "state_ids": [Command.set(states[i * quarter : (i + 1) * quarter].ids)]}
            for i in range(4)
        ]
    )
    env.company.write({"allocation_by_priority": True, "allocation_redistribute": True})
    policy = env["sales.dunning.policy"].create(
        {
            "name": "Bench Reminders",
            "level_ids": [
                Command.create({"sequence": 1, "name": "First reminder", "days": DUNNING_DAYS, "channel": "letter"})
            ],
        }
    )
    env["ir.default"].set("res.partner", "dunning_policy_id", policy.id, company_id=env.company.id)
    env.invalidate_all()
    cr.execute("ANALYZE")
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE customer_tier_id = ANY(%s)", [tiers[:2]])
    return {"key customers": cr.fetchone()[0]}
