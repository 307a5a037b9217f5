"""The replica check's client (tools/replica_check.sh starts the clusters and Odoo): the suite's read-only screens
are read over HTTP as the web client reads them, each with a marker in its domain (an id no record has), and the
statement logs of the two PostgreSQL servers tell which one answered: the replica, and not the primary (where Odoo
retries a read-only request that tried to write). An order's creation must go to the primary.
Prints "FAILED: ..." per problem and "replica check over HTTP: ok" when all passed.

python tools/replica_check.py --url URL --db DB --primary-log FILE --replica-log FILE [--server-pid PID]
"""

import argparse
import os
import random
import sys

from bench.jsonrpc import Session, wait_for_server


def many2one(*names):
    return {name: {"fields": {"display_name": {}}} for name in names}


def plain(*names):
    return {name: {} for name in names}


# (screen, model, method, keyword arguments but the domain); lists as their list views read them, pivots and
# graphs as read_group
SCREENS = [
    (
        "Sales Analysis (pivot)",
        "sales.analysis",
        "read_group",
        {"fields": ["amount_ordered:sum", "qty_ordered:sum"], "groupby": ["categ_id", "date:month"], "lazy": False},
    ),
    (
        "Order Execution (list)",
        "sales.order.execution",
        "web_search_read",
        {
            "specification": many2one("order_id", "product_id", "partner_id")
            | plain("date", "promised_date", "delivery_date", "qty_ordered", "qty_delivered", "is_late", "days_late"),
            "limit": 80,
        },
    ),
    (
        "Credit Review (list)",
        "res.partner",
        "web_search_read",
        {
            "specification": many2one("customer_tier_id", "user_id")
            | plain(
                "display_name",
                "credit_rating",
                "credit_rating_suggested",
                "credit_policy",
                "credit_hold",
                "credit_limit",
                "credit_exposure",
                "credit_available",
                "credit_overdue_amount",
                "credit_overdue_days",
            ),
            "limit": 80,
        },
    ),
    (
        "Shortages (list)",
        "sales.shortage",
        "web_search_read",
        {
            "specification": many2one("product_id", "warehouse_id")
            | plain(
                "order_count",
                "demand_qty",
                "reserved_qty",
                "waiting_qty",
                "on_hand_qty",
                "free_qty",
                "uncovered_qty",
                "designated_qty",
                "incoming_qty",
                "incoming_date",
            ),
            "limit": 80,
        },
    ),
    (
        "Ageing (pivot)",
        "sales.collection.item",
        "read_group",
        {"fields": ["residual:sum"], "groupby": ["user_id", "bucket"], "lazy": False},
    ),
    (
        "Ageing (list)",
        "sales.collection.item",
        "web_search_read",
        {
            "specification": many2one("move_id", "partner_id", "user_id", "level_id")
            | plain("date_due", "days_overdue", "bucket", "residual", "blocked", "promise_date"),
            "limit": 80,
        },
    ),
    (
        "Order Collections (list)",
        "sales.order.collection",
        "web_search_read",
        {
            "specification": many2one("order_id", "partner_id")
            | plain("amount_invoiced", "amount_paid", "amount_open", "amount_overdue"),
            "limit": 80,
        },
    ),
    (
        "Collection Scorecard (pivot)",
        "sales.collection.scorecard",
        "read_group",
        {"fields": ["amount_collected:sum", "amount_due:sum"], "groupby": ["date:month", "user_id"], "lazy": False},
    ),
    (
        "Monthly Completion (graph)",
        "sales.plan.completion.report",
        "read_group",
        {"fields": ["amount:sum"], "groupby": ["date:month", "figure"], "lazy": False},
    ),
]
# the Credit Review action's own domain
DOMAINS = {"res.partner": [("parent_id", "=", False), ("customer_rank", ">", 0)]}


def marker():
    """An id no record has; its figures are unique in a statement log."""
    return -random.randrange(10**8, 10**9)


def served_by(mark, primary_log, replica_log):
    with open(primary_log, errors="replace") as primary, open(replica_log, errors="replace") as replica:
        return {name for name, text in (("primary", primary.read()), ("replica", replica.read())) if str(mark) in text}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--primary-log", required=True)
    parser.add_argument("--replica-log", required=True)
    parser.add_argument("--server-pid", type=int, help="the server's process, to stop waiting when it stopped")
    args = parser.parse_args()
    wait_for_server(args.url, alive=lambda: not args.server_pid or os.path.exists(f"/proc/{args.server_pid}"))
    session = Session(args.url, args.db).login("admin", "admin")
    problems = []
    for screen, model, method, kwargs in SCREENS:
        mark = marker()
        domain = DOMAINS.get(model, []) + [("id", "!=", mark)]
        session.call(model, method, domain=domain, **kwargs)
        servers = served_by(mark, args.primary_log, args.replica_log)
        print(f"{screen}: {model}.{method} served by {' and '.join(sorted(servers)) or 'neither'}")
        if servers != {"replica"}:
            problems.append(f"{screen} ({model}.{method}) was served by {servers or 'no server that logs'}")
    mark = marker()
    partner = session.call("res.partner", "search", [("customer_rank", ">", 0)], limit=1)[0]
    session.call("sale.order", "create", {"partner_id": partner, "client_order_ref": str(mark)})
    servers = served_by(mark, args.primary_log, args.replica_log)
    print(f"creating an order: served by {' and '.join(sorted(servers)) or 'neither'}")
    if servers != {"primary"}:
        problems.append(f"creating an order was served by {servers or 'no server that logs'}, not the primary")
    for problem in problems:
        print(f"FAILED: {problem}")
    if problems:
        sys.exit(1)
    print("replica check over HTTP: ok")


if __name__ == "__main__":
    main()
