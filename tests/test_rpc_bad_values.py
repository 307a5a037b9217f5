"""Every number and date field of the suite, written over JSON-RPC (what the web client speaks) with a value no
form would send: a number beyond PostgreSQL's integers, a day that does not exist. Each call is refused and the
record keeps its value; a number is refused with Odoo's own error (a validation error that names the field, or
no right to write there), not a database error."""

import itertools
import json
import os
import urllib.request

import pytest

DB = os.environ.get("ODOO_TEST_DB")
SUITE = ["sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning"]
HUGE = 2**31  # one past PostgreSQL's integer
CLEAR = ("odoo.exceptions.ValidationError", "odoo.exceptions.UserError", "odoo.exceptions.AccessError")
_ids = itertools.count()


class JsonRpc:
    def __init__(self, url):
        self.url = f"{url}/jsonrpc"
        self.uid = self.call("common", "login", DB, "admin", "admin")

    def call(self, service, method, *args):
        """The result, or the error's data ({"name": exception class, "message": ...})."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(_ids),
            "params": {"service": service, "method": method, "args": list(args)},
        }
        request = urllib.request.Request(self.url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
        return answer["error"]["data"] if "error" in answer else answer["result"]

    def __call__(self, model, method, *args, **kwargs):
        return self.call("object", "execute_kw", DB, self.uid, "admin", model, method, list(args), kwargs)


@pytest.fixture(scope="module")
def rpc(odoo_server):
    return JsonRpc(odoo_server)


def _suite_fields(rpc, types):
    """The suite's own stored fields of these types that a user can write (sequences excepted: set by drag); the
    models nobody may write (dunned items, plan revisions: written by runs and revisions only) are left out."""
    ids = [
        row["res_id"]
        for row in rpc(
            "ir.model.data",
            "search_read",
            [("model", "=", "ir.model.fields"), ("module", "in", SUITE)],
            fields=["res_id"],
        )
    ]
    fields = rpc(
        "ir.model.fields",
        "search_read",
        [
            ("id", "in", ids),
            ("ttype", "in", types),
            ("store", "=", True),
            ("readonly", "=", False),
            ("related", "=", False),
            ("compute", "=", False),
            ("name", "!=", "sequence"),
        ],
        fields=["model", "name"],
    )
    writable = {
        model
        for model in {field["model"] for field in fields}
        if rpc("ir.model.access", "check", model, "write", False) is True
    }
    assert writable
    return [(field["model"], field["name"]) for field in fields if field["model"] in writable]


def _record(rpc, model):
    """A record to write on: the first one, or a new one for wizards (their defaults fill them)."""
    ids = rpc(model, "search", [], limit=1)
    if not ids and rpc("ir.model", "search_read", [("model", "=", model)], fields=["transient"])[0]["transient"]:
        ids = [rpc(model, "create", {})]
    assert ids, f"no {model} in the test database to write on"
    return ids[0]


def test_integers_beyond_the_database_get_a_clear_error(rpc):
    unclear = []
    for model, name in _suite_fields(rpc, ["integer"]):
        record = _record(rpc, model)
        before = rpc(model, "read", [record], [name])[0][name]
        error = rpc(model, "write", [record], {name: HUGE})
        if not (isinstance(error, dict) and error.get("name") in CLEAR):
            unclear.append(
                f"{model}.{name}: "
                + (f"{error['name']}: {error['message']}" if isinstance(error, dict) else "accepted")
            )
        assert rpc(model, "read", [record], [name])[0][name] == before, f"{model}.{name} changed"
    assert not unclear, "\n".join(unclear)


def test_days_that_do_not_exist_change_nothing(rpc):
    for model, name in _suite_fields(rpc, ["date", "datetime"]):
        record = _record(rpc, model)
        before = rpc(model, "read", [record], [name])[0][name]
        error = rpc(model, "write", [record], {name: "2026-02-30"})
        # Odoo's date parser names the problem; a record closed to edits refuses before it parses
        assert isinstance(error, dict) and ("day is out of range" in error["message"] or error["name"] in CLEAR), (
            f"{model}.{name}: {error.get('name')}: {error.get('message')}" if isinstance(error, dict) else "accepted"
        )
        assert rpc(model, "read", [record], [name])[0][name] == before, f"{model}.{name} changed"
