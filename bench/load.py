"""`make bench-load`: a bounded load on an Odoo served in multi-process mode (tools/bench_load.sh starts it on a copy
of a benchmark database). CLIENTS threads, each a web client with its own session, for SECONDS: create a quotation
for one of the load's customers, confirm it (through the suite's credit check), read the sales analysis (stock Odoo:
sale.report). Half the customers have a small credit limit with the Block policy, so that concurrent confirmations
would take them over it without the suite's lock. Afterwards: no error, every order there once, each confirmed order
confirmed once (one delivery), no customer over its limit. Prints a JSON summary; exits 1 when a check failed.

python -m bench.load run --url URL --db DB --side suite|stock [--clients 20] [--seconds 60] [--json FILE]
python -m bench.load report --stock FILE --suite FILE --settings TEXT [--write docs/BENCHMARKS.md]
"""

import argparse
import json
import pathlib
import random
import re
import statistics
import sys
import textwrap
import threading
import time
import uuid
from collections import defaultdict

import requests

from .jsonrpc import RPCError, Session, wait_for_server

PRICE = 100.0  # one order line, no tax: an order is 100
LIMITED_ORDERS = 5  # a limited customer's credit covers five orders
CUSTOMERS = 20  # half limited
OPERATIONS = ("create quotation", "confirm", "read analysis")


def analysis(session, side):
    """The sales analysis by month, as its pivot reads it; stock Odoo's is sale.report."""
    if side == "suite":
        return session.call(
            "sales.analysis", "read_group", [], ["amount_ordered:sum"], ["date:month"], lazy=False, limit=80
        )
    return session.call("sale.report", "read_group", [], ["price_subtotal:sum"], ["date:month"], lazy=False, limit=80)


def setup(session, side):
    """The load's customers (half with a limit of five orders and the Block policy on the suite) and product."""
    tag = uuid.uuid4().hex[:6]
    product = session.call(
        "product.product",
        "create",
        {"name": f"Load product {tag}", "type": "consu", "list_price": PRICE, "taxes_id": []},
    )
    customers, limited = [], []
    for index in range(CUSTOMERS):
        partner = session.call("res.partner", "create", {"name": f"Load customer {tag} {index}", "is_company": True})
        customers.append(partner)
        if index % 2 == 0 and side == "suite":
            session.call(
                "res.partner", "write", [partner], {"credit_limit": PRICE * LIMITED_ORDERS, "credit_policy": "block"}
            )
            limited.append(partner)
    return product, customers, limited


class Client(threading.Thread):
    """One web client: its own session, its own random choice of customers."""

    def __init__(self, index, args, product, customers, stop_at):
        super().__init__(name=f"load-client-{index}")
        self.args, self.product, self.customers, self.stop_at = args, product, customers, stop_at
        self.random = random.Random(index)
        self.latencies = defaultdict(list)
        self.errors = []
        self.orders = {}  # order id: "confirmed" or "held"

    def timed(self, operation, call, *args, **kwargs):
        start = time.perf_counter()
        try:
            return call(*args, **kwargs)
        except (RPCError, requests.RequestException) as error:
            self.errors.append(f"{operation}: {error}")
            return None
        finally:
            self.latencies[operation].append(time.perf_counter() - start)

    def run(self):
        session = Session(self.args.url, self.args.db).login("admin", "admin")
        while time.monotonic() < self.stop_at:
            partner = self.random.choice(self.customers)
            order = self.timed(
                "create quotation",
                session.call,
                "sale.order",
                "create",
                {"partner_id": partner, "order_line": [[0, 0, {"product_id": self.product, "price_unit": PRICE}]]},
            )
            if order is None:
                continue
            answer = self.timed("confirm", session.button, "sale.order", "action_confirm", [order])
            if answer is not None:
                # the suite answers a held order with a notification; a confirmation answers nothing
                self.orders[order] = "held" if isinstance(answer, dict) else "confirmed"
            self.timed("read analysis", analysis, session, self.args.side)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def check(session, side, clients, limited):
    """The checks after the load; returns the list of problems and the counts."""
    problems = [f"{len(c.errors)} error(s), first: {c.errors[0]}" for c in clients if c.errors]
    seen = {order: outcome for client in clients for order, outcome in client.orders.items()}
    states = {row["id"]: row["state"] for row in session.call("sale.order", "read", list(seen), ["state"])}
    if len(states) != len(seen):
        problems.append(f"{len(seen) - len(states)} order(s) lost")
    wrong = [order for order, outcome in seen.items() if (states.get(order) == "sale") != (outcome == "confirmed")]
    if wrong:
        problems.append(f"{len(wrong)} order(s) whose state is not what their confirmation answered, e.g. {wrong[:5]}")
    deliveries = defaultdict(int)
    for picking in session.call("stock.picking", "search_read", [("sale_id", "in", list(seen))], ["sale_id"]):
        deliveries[picking["sale_id"][0]] += 1
    confirmed = [order for order, state in states.items() if state == "sale"]
    twice = [order for order in confirmed if deliveries[order] != 1]
    if twice:
        problems.append(f"{len(twice)} confirmed order(s) without exactly one delivery, e.g. {twice[:5]}")
    over, totals = [], defaultdict(float)
    if side == "suite":
        for row in session.call("sale.order", "search_read", [("id", "in", confirmed)], ["partner_id", "amount_total"]):
            totals[row["partner_id"][0]] += row["amount_total"]
        for partner in session.call("res.partner", "read", limited, ["credit_limit", "credit_exposure"]):
            if max(totals[partner["id"]], partner["credit_exposure"]) > partner["credit_limit"] + 0.005:
                over.append(partner["id"])
        if over:
            problems.append(f"{len(over)} customer(s) over their credit limit: {over}")
    counts = {"orders": len(seen), "confirmed": len(confirmed), "held": len(seen) - len(confirmed)}
    if side == "suite":
        full = sum(1 for partner in limited if totals[partner] >= PRICE * LIMITED_ORDERS - 0.005)
        counts["limited customers at their limit"] = f"{full} of {len(limited)}"
    return problems, counts


def server_log(path):
    """What the server logged: transactions Odoo ran again after a concurrency failure (the client saw nothing),
    and ERROR lines (Odoo logs the failed statement of each such retry as a bad query)."""
    with open(path, errors="replace") as log:
        lines = log.readlines()
    return {
        "transactions retried": sum(1 for line in lines if "tries left, try again" in line),
        "server ERROR lines": sum(1 for line in lines if " ERROR " in line or " CRITICAL " in line),
    }


def run(args):
    wait_for_server(args.url)
    admin = Session(args.url, args.db).login("admin", "admin")
    product, customers, limited = setup(admin, args.side)
    analysis(admin, args.side)  # the first read warms the server's caches, as a user's first screen does
    stop_at = time.monotonic() + args.seconds
    clients = [Client(index, args, product, customers, stop_at) for index in range(args.clients)]
    start = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.monotonic() - start
    problems, counts = check(admin, args.side, clients, limited)
    operations = {}
    for operation in OPERATIONS:
        values = [value for client in clients for value in client.latencies[operation]]
        operations[operation] = {
            "count": len(values),
            "per_second": len(values) / elapsed,
            "p50_ms": statistics.median(values) * 1000 if values else None,
            "p95_ms": percentile(values, 0.95) * 1000 if values else None,
        }
    if args.log:
        counts |= server_log(args.log)
    summary = {
        "side": args.side,
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "operations": operations,
        "counts": counts,
        "problems": problems,
    }
    print(json.dumps(summary, indent=2))
    if args.json:
        with open(args.json, "w") as output:
            json.dump(summary, output, indent=2)
    return 1 if problems else 0


def section(stock, suite, settings):
    """The Load section of docs/BENCHMARKS.md from the two summaries."""

    def cells(summary, operation):
        figures = summary["operations"][operation]
        if not figures["count"]:
            return "— | — | —"
        return f"{figures['per_second']:.1f} | {figures['p50_ms']:.0f} ms | {figures['p95_ms']:.0f} ms"

    rows = [
        f"| {operation}{' (stock: sale.report)' if operation == 'read analysis' else ''} | "
        f"{cells(stock, operation)} | {cells(suite, operation)} |"
        for operation in OPERATIONS
    ]

    def outcome(summary):
        counts = ", ".join(f"{key} {value}" for key, value in summary["counts"].items())
        problems = summary["problems"]
        return f"{counts}; " + ("FAILED: " + "; ".join(problems) if problems else "checks passed")

    paragraphs = [
        "`make bench-load` serves a copy of each benchmark database in Odoo's multi-process mode and puts a bounded "
        "load on it over loopback (`bench/load.py`): each client, a thread with its own web session, creates a "
        "one-line quotation for one of 20 customers, confirms it and reads the sales analysis by month (stock Odoo: "
        "`sale.report`), again and again. On the suite, half the customers have a credit limit of five orders with "
        "the Block policy, so that concurrent confirmations would take them over it without the credit check's lock. "
        "Afterwards the run checks that no call failed, every order is there with the state its confirmation "
        "answered, each confirmed order has exactly one delivery (confirmed once), and no customer is over its "
        "limit.",
        settings,
        "| Operation | Stock Odoo: per s | p50 | p95 | Suite: per s | p50 | p95 |\n|---|---|---|---|---|---|---|\n"
        + "\n".join(rows),
        "Each client makes the three calls in turn, so the three rates are the same: iterations per second, bounded "
        "by the machine; the latencies include the wait for a free worker. A retried transaction is one Odoo ran "
        "again after a concurrency failure (the client saw no error; Odoo logs the failed statement as an ERROR "
        "`bad query`).",
        f"Stock Odoo: {outcome(stock)}. Suite: {outcome(suite)}.",
    ]
    wrapped = [
        text if text.startswith("|") else textwrap.fill(text, 115, break_on_hyphens=False) for text in paragraphs
    ]
    return "## Load\n\n" + "\n\n".join(wrapped) + "\n"


def write(path, text):
    """Replace the Load section of ``path``, or put it before the scales' sections (which `make bench` rewrites)."""
    content = path.read_text() if path.exists() else ""
    pattern = re.compile(r"## Load\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(content):
        content = pattern.sub(lambda _match: text.rstrip("\n") + "\n", content)
    elif "\n## Scale: " in content:
        content = content.replace("\n## Scale: ", "\n" + text + "\n## Scale: ", 1)
    else:
        content = content.rstrip("\n") + "\n\n" + text
    path.write_text(content)


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("run", help="put the load on one server and check the result")
    load.add_argument("--url", required=True)
    load.add_argument("--db", required=True)
    load.add_argument("--side", choices=["suite", "stock"], required=True)
    load.add_argument("--clients", type=int, default=20)
    load.add_argument("--seconds", type=float, default=60)
    load.add_argument("--json", help="write the summary to this file too")
    load.add_argument("--log", help="the server's log, for its ERROR lines and concurrency retries")
    table = commands.add_parser("report", help="the Load section from the two sides' summaries")
    table.add_argument("--stock", required=True)
    table.add_argument("--suite", required=True)
    table.add_argument("--settings", required=True, help="the sentence saying how and where it ran")
    table.add_argument("--write", help="the Markdown file whose Load section to replace")
    args = parser.parse_args()
    if args.command == "run":
        sys.exit(run(args))
    with open(args.stock) as stock, open(args.suite) as suite:
        text = section(json.load(stock), json.load(suite), args.settings)
    print(text)
    if args.write:
        write(pathlib.Path(args.write), text)


if __name__ == "__main__":
    main()
