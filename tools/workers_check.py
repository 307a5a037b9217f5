"""The smoke run of Odoo's multi-process mode (tools/workers_check.sh starts the server): over HTTP as the web client,
an order over a blocked customer's credit limit goes on hold, the credit manager's activity comes through the gevent
worker's websocket, and a dunning run past the background threshold is queued, then finished by the cron worker.
Prints "FAILED: ..." per problem and "workers check over HTTP: ok" when all passed.

python tools/workers_check.py --url http://127.0.0.1:8170 --gevent-url ws://127.0.0.1:8171 --db DB [--server-pid PID]
"""

import argparse
import datetime
import json
import os
import sys
import time
import uuid

import websocket

from bench.jsonrpc import Session, wait_for_server

JOB_SECONDS = 60


def credit_hold(session):
    """A customer with a limit of 100 and the Block policy orders for 1,000: the confirmation leaves it held."""
    tag = uuid.uuid4().hex[:8]
    partner = session.call("res.partner", "create", {"name": f"Workers check {tag}", "is_company": True})
    session.call("res.partner", "write", [partner], {"credit_limit": 100.0, "credit_policy": "block"})
    product = session.call(
        "product.product", "create", {"name": f"Workers check service {tag}", "type": "service", "taxes_id": []}
    )
    order = session.call(
        "sale.order",
        "create",
        {"partner_id": partner, "order_line": [[0, 0, {"product_id": product, "price_unit": 1000.0}]]},
    )
    answer = session.button("sale.order", "action_confirm", [order])
    [read] = session.call("sale.order", "read", [order], ["state", "on_credit_hold", "credit_hold_ids"])
    problems = []
    if read["state"] not in ("draft", "sent") or not read["on_credit_hold"] or not read["credit_hold_ids"]:
        problems.append(f"the order over the credit limit is not held: {read}")
    if not isinstance(answer, dict) or answer.get("tag") != "display_notification":
        problems.append(f"confirming the held order did not answer with the 'Not confirmed' notice: {answer}")
    return problems


def free_run_date(session):
    """The first day after today without a dunning run of the company (one run per company and date)."""
    taken = {run["date"] for run in session.call("sales.dunning.run", "search_read", [], ["date"])}
    day = datetime.date.today()
    while True:
        day += datetime.timedelta(days=1)
        if day.isoformat() not in taken:
            return day.isoformat()


def background_job(session):
    """A dunning run over a threshold of one row is queued, and the cron worker runs it at once (ir.cron._trigger)."""
    session.call("res.company", "write", [session.company_id], {"sales_background_threshold": 1})
    run = session.call("sales.dunning.run", "create", {"date": free_run_date(session)})
    session.button("sales.dunning.run", "action_compute", [run])
    # the cron worker may have run it already: a run made in the request leaves no job method
    [read] = session.call("sales.dunning.run", "read", [run], ["job_method"])
    if not read["job_method"]:
        return ["the dunning run over the threshold ran in the request instead of being queued"]
    start = time.monotonic()
    while time.monotonic() - start < JOB_SECONDS:
        [read] = session.call("sales.dunning.run", "read", [run], ["job_state", "job_error", "letter_count"])
        if read["job_state"] != "queued":
            break
        time.sleep(0.5)
    seconds = time.monotonic() - start
    if read["job_state"] == "queued":
        return [f"the cron worker did not run the queued dunning run within {JOB_SECONDS} s"]
    if read["job_state"] or not read["letter_count"]:
        return [f"the background dunning run did not finish well: {read}"]
    print(f"the cron worker ran the queued dunning run in {seconds:.1f} s ({read['letter_count']} letters)")
    return job_message(session, run)


def job_message(session, run):
    """The cron worker's message to the requester is on the run, addressed to him."""
    partner = session.call("res.users", "read", [session.uid], ["partner_id"])[0]["partner_id"][0]
    messages = session.call(
        "mail.message",
        "search_read",
        [("model", "=", "sales.dunning.run"), ("res_id", "=", run), ("partner_ids", "in", [partner])],
        ["needaction"],
    )
    if not messages:
        return ["the background job left no message for its requester on the run"]
    if not any(message["needaction"] for message in messages):
        return ["the job's message is addressed to its requester but is not in his inbox"]
    return []


def websocket_notification(ws, seconds=10):
    """The gevent worker delivers over the websocket what an HTTP worker notified: here the credit manager's
    activity on the held order."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            continue
        if "mail.activity/updated" in frame:
            return []
    return [f"the websocket of the gevent worker brought no activity notification within {seconds} s"]


def open_websocket(session, gevent_url):
    """The web client's websocket on the gevent port, subscribed to the user's own channels (the user takes his
    notifications in Odoo: the inbox)."""
    session.call("res.users", "write", [session.uid], {"notification_type": "inbox"})
    host = gevent_url.split("//", 1)[1]
    ws = websocket.create_connection(
        f"{gevent_url}/websocket",
        cookie=f"session_id={session.http.cookies['session_id']}",
        origin=f"http://{host}",
        timeout=1,  # short reads: websocket_notification waits until its own deadline
    )
    ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
    return ws


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--gevent-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--server-pid", type=int, help="the server's process, to stop waiting when it stopped")
    args = parser.parse_args()
    alive = lambda: not args.server_pid or os.path.exists(f"/proc/{args.server_pid}")  # noqa: E731
    wait_for_server(args.url, alive=alive)
    wait_for_server(args.gevent_url.replace("ws://", "http://"), alive=alive, path="/websocket/health")
    session = Session(args.url, args.db).login("admin", "admin")
    ws = open_websocket(session, args.gevent_url)
    try:
        problems = credit_hold(session)
        problems += websocket_notification(ws)
    finally:
        ws.close()
    problems += background_job(session)
    for problem in problems:
        print(f"FAILED: {problem}")
    if problems:
        sys.exit(1)
    print("workers check over HTTP: ok")


if __name__ == "__main__":
    main()
