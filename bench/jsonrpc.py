"""A JSON-RPC client that talks to Odoo as its web client does: one session cookie from /web/session/authenticate,
then /web/dataset/call_kw and /web/dataset/call_button, the routes Odoo 18 sends to a read-only replica when the
method is marked read-only. Used by the load test (python -m bench.load) and the checks of tools/."""

import itertools
import time

import requests


class RPCError(Exception):
    """An error Odoo answered with: its message and, in ``name``, the exception's class."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        super().__init__(data.get("message") or error.get("message"))


class Session:
    def __init__(self, url, db, timeout=120):
        self.url = url.rstrip("/")
        self.db = db
        self.timeout = timeout
        self.http = requests.Session()
        self.ids = itertools.count(1)
        self.uid = None
        self.company_id = None
        self.context = {}

    def post(self, path, params):
        response = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": next(self.ids)},
            timeout=self.timeout,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RPCError(body["error"])
        return body["result"]

    def login(self, login, password):
        info = self.post("/web/session/authenticate", {"db": self.db, "login": login, "password": password})
        if not info.get("uid"):
            raise RPCError({"message": f"{login} cannot log in to {self.db}"})
        self.uid = info["uid"]
        self.company_id = info["user_companies"]["current_company"]
        self.context = dict(info["user_context"], allowed_company_ids=[self.company_id])
        return self

    def call(self, model, method, *args, **kwargs):
        """A model method as the web client calls it (/web/dataset/call_kw), in the user's context."""
        kwargs.setdefault("context", self.context)
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}", {"model": model, "method": method, "args": args, "kwargs": kwargs}
        )

    def button(self, model, method, ids, **kwargs):
        """A button of a form (/web/dataset/call_button)."""
        kwargs.setdefault("context", self.context)
        return self.post(
            f"/web/dataset/call_button/{model}/{method}",
            {"model": model, "method": method, "args": [ids], "kwargs": kwargs},
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"]
        )
        return rows[0]["res_id"]


def wait_for_server(url, seconds=120, alive=lambda: True, path="/web/health"):
    """Wait until Odoo at ``url`` serves ``path`` (its health check); ``alive`` says whether the server process still
    runs."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if requests.get(url + path, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        if not alive():
            raise RuntimeError(f"the server of {url} stopped before serving")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not serve {path} within {seconds} s")
        time.sleep(0.5)
