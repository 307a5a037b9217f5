"""Take the README's pictures: each addon's main screen, one in Chinese, and the first page of a dunning letter.

Drives headless Chromium through its DevTools protocol on a running Odoo holding the suite's demo data
(tools/screenshots.sh starts one), logged in as the demo administrator. Usage:
    screenshots.py URL DATABASE OUTPUT_FOLDER
"""

import base64
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import requests
import websocket

WIDTH, HEIGHT = 1440, 860

# (file, window action, record of the action shown in its form or None, what is on screen once loaded)
SCREENS = [
    ("sales_credit_review.png", "sales_credit.res_partner_action_credit_review", None, ".o_data_row"),
    ("sales_credit_holds.png", "sales_credit.sales_credit_hold_action", None, ".o_data_row"),
    (
        "sales_analytics_analysis.png",
        "sales_analytics.sales_analysis_action",
        None,
        ".o_pivot table, .o_graph_canvas_container canvas",
    ),
    (
        "sales_dunning_run.png",
        "sales_dunning.sales_dunning_run_action",
        "sales_dunning.dunning_run_today",
        ".o_form_view .o_field_widget",
    ),
    (
        "sales_dunning_ageing.png",
        "sales_dunning.sales_collection_item_action_ageing",
        None,
        ".o_pivot table, .o_data_row, canvas",
    ),
    ("sales_reservation_shortage.png", "sales_reservation.sales_shortage_action", None, ".o_data_row"),
    (
        "sales_planning_plan.png",
        "sales_planning.sales_plan_action",
        "sales_planning.sales_plan_current_year",
        ".o_form_view .o_field_widget",
    ),
    (
        "sales_planning_completion.png",
        "sales_planning.sales_plan_completion_report_action",
        None,
        ".o_pivot table, canvas",
    ),
    ("sales_credit_early_warnings.png", "sales_credit.sales_warning_action", None, ".o_data_row"),
    ("sales_credit_golive_orders.png", "sales_credit.sales_golive_order_line_action", None, ".o_data_row"),
    ("sales_planning_replenishment.png", "stock.action_orderpoint", None, ".o_data_row"),
]
# the screen shown again to a user working in Chinese
CHINESE = ("sales_credit_review_zh_CN.png", "sales_credit.res_partner_action_credit_review", None, ".o_data_row")


class Odoo:
    """JSON-RPC as the demo administrator."""

    def __init__(self, url, db):
        self.url, self.session = url, requests.Session()
        self._call("/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})

    def _call(self, path, params):
        answer = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params}).json()
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self._call(
            "/web/dataset/call_kw", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        )

    def res_id(self, xmlid):
        module, name = xmlid.split(".")
        [row] = self.call("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"])
        return row["res_id"]


class Chromium:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="sales-suite-screens-")
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not binary:
            sys.exit("screenshots need Chromium: on Debian, apt-get install chromium")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             f"--window-size={WIDTH},{HEIGHT}", "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        port_file = pathlib.Path(self.profile, "DevToolsActivePort")
        for _ in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
            page = next(target for target in json.load(answer) if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def shoot(self, url, ready, path):
        """Open ``url``, wait until ``ready`` (a CSS selector) shows and Odoo has stopped loading, save a PNG."""
        self.send("Page.navigate", url=url)
        check = f"!!document.querySelector({json.dumps(ready)}) && !document.querySelector('.o_loading_indicator')"
        for _ in range(300):
            if self.send("Runtime.evaluate", expression=check, returnByValue=True)["result"].get("value"):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"{url}: {ready} never showed")
        time.sleep(1)  # charts animate in
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"]))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def login(url, db, lang):
    """A session of the demo administrator working in ``lang``: the web client takes the language at login."""
    odoo = Odoo(url, db)
    odoo.call("res.users", "write", odoo.call("res.users", "search", [("login", "=", "admin")]), {"lang": lang})
    return Odoo(url, db)


def shoot_screens(url, db, output, screens, lang):
    odoo = login(url, db, lang)
    browser = Chromium()
    try:
        browser.send("Network.setCookie", name="session_id", value=odoo.session.cookies["session_id"], url=url)
        for name, action, record, ready in screens:
            path = f"/odoo/action-{action}" + (f"/{odoo.res_id(record)}" if record else "")
            browser.shoot(url + path, ready, output / name)
            print(output / name)
    finally:
        browser.close()


def main(url, db, output):
    output = pathlib.Path(output)
    output.mkdir(parents=True, exist_ok=True)
    # Chinese added as an administrator does, in Settings: the translations of every installed module load
    odoo = Odoo(url, db)
    chinese = odoo.call("res.lang", "search", [("code", "=", "zh_CN")], context={"active_test": False})
    odoo.call(
        "base.language.install", "lang_install", odoo.call("base.language.install", "create", {"lang_ids": chinese})
    )
    shoot_screens(url, db, output, [CHINESE], "zh_CN")
    shoot_screens(url, db, output, SCREENS, "en_US")
    # a letter as the customer reads it: wkhtmltopdf fetches the styles from this server
    odoo.call("ir.config_parameter", "set_param", "report.url", url)
    run = odoo.res_id("sales_dunning.dunning_run_today")
    [letter] = odoo.call("sales.dunning.letter", "search", [("run_id", "=", run)], limit=1)
    pdf = odoo.session.get(f"{url}/report/pdf/sales_dunning.report_dunning_letter/{letter}")
    pdf.raise_for_status()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf.content)
        file.flush()
        stem = output / "sales_dunning_letter"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", file.name, stem], check=True
        )
    print(f"{stem}.png")


if __name__ == "__main__":
    main(*sys.argv[1:4])
