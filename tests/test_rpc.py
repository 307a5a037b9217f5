"""Sensitive fields are guarded on the server: a salesperson's RPC call cannot change them, bad values change
nothing."""

import os
import uuid
import xmlrpc.client

import pytest

DB = os.environ.get("ODOO_TEST_DB")


class Client:
    def __init__(self, url, login, password):
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(DB, login, password, {})
        assert self.uid, f"{login} cannot log in"
        self.password = password

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(DB, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        return self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"])[
            0
        ]["res_id"]


@pytest.fixture(scope="module")
def clients(odoo_server):
    admin = Client(odoo_server, "admin", "admin")
    login = f"rpc-seller-{uuid.uuid4().hex[:8]}"
    admin(
        "res.users",
        "create",
        {
            "name": "RPC Seller",
            "login": login,
            "password": login,
            "groups_id": [
                (6, 0, [admin.ref("sales_team.group_sale_salesman"), admin.ref("base.group_partner_manager")])
            ],
        },
    )
    return admin, Client(odoo_server, login, login)


@pytest.mark.parametrize(
    "vals",
    [
        {"credit_limit": 1.0},
        {"credit_rating": "d"},
        {"credit_hold": True},
        {"credit_policy": "none"},
        {"dunning_excluded": True},
    ],
)
def test_salesperson_cannot_set_credit_and_dunning_fields(clients, vals):
    admin, seller = clients
    partner = admin("res.partner", "create", {"name": "RPC Customer", "is_company": True})
    before = admin("res.partner", "read", [partner], list(vals))[0]
    # a field the salesperson may not even read is refused as such
    with pytest.raises(xmlrpc.client.Fault, match="You cannot set|enough rights"):
        seller("res.partner", "write", [partner], vals)
    assert admin("res.partner", "read", [partner], list(vals))[0] == before


def test_salesperson_cannot_change_approved_plan_targets(clients):
    admin, seller = clients
    plan = admin(
        "sales.plan",
        "create",
        {
            "name": "RPC plan",
            "date_from": "2035-01-01",
            "date_to": "2035-12-31",
            "target_amount": 1000.0,
            "time_split": "month",
            "season_basis": "equal",
        },
    )
    admin("sales.plan", "action_decompose", [plan])
    admin("sales.plan", "action_approve", [plan])
    line = admin("sales.plan.line", "search", [("plan_id", "=", plan), ("period_type", "=", "month")], limit=1)
    assert line
    with pytest.raises(xmlrpc.client.Fault, match="access to|not allowed"):
        seller("sales.plan.line", "write", line, {"target_amount": 1.0})
    with pytest.raises(xmlrpc.client.Fault, match="recorded revision"):
        admin("sales.plan.line", "write", line, {"target_amount": 1.0})


def test_text_where_a_number_goes_changes_nothing(clients):
    admin, _seller = clients
    partner = admin("res.partner", "create", {"name": "RPC Customer", "is_company": True, "credit_limit": 500.0})
    with pytest.raises(xmlrpc.client.Fault):
        admin("res.partner", "write", [partner], {"credit_limit": "five hundred", "name": "Renamed"})
    assert admin("res.partner", "read", [partner], ["credit_limit", "name"])[0] == {
        "id": partner,
        "credit_limit": 500.0,
        "name": "RPC Customer",
    }


def _blocked_customer(admin, name, limit):
    partner = admin("res.partner", "create", {"name": name, "is_company": True})
    admin("res.partner", "write", [partner], {"credit_limit": limit, "credit_policy": "block"})
    return partner


def _order(admin, client, partner, amount):
    product = admin("product.product", "create", {"name": "RPC service", "type": "service", "taxes_id": [(5,)]})
    return client(
        "sale.order",
        "create",
        {"partner_id": partner, "order_line": [(0, 0, {"product_id": product, "price_unit": amount})]},
    )


def test_salesperson_cannot_move_a_confirmed_order_to_a_blocked_customer(clients):
    admin, seller = clients
    good = admin("res.partner", "create", {"name": "RPC Good Payer", "is_company": True})
    blocked = _blocked_customer(admin, "RPC Blocked", 10.0)
    order = _order(admin, seller, good, 500.0)
    seller("sale.order", "action_confirm", [order])
    assert seller("sale.order", "read", [order], ["state"])[0]["state"] == "sale"
    for vals in ({"partner_id": blocked, "partner_invoice_id": blocked}, {"partner_invoice_id": blocked}):
        with pytest.raises(xmlrpc.client.Fault, match="credit limit"):
            seller("sale.order", "write", [order], vals)
    assert seller("sale.order", "read", [order], ["partner_invoice_id"])[0]["partner_invoice_id"][0] == good


def test_nobody_rewrites_a_credit_hold(clients, odoo_server):
    admin, seller = clients
    login = f"rpc-credit-{uuid.uuid4().hex[:8]}"
    admin(
        "res.users",
        "create",
        {
            "name": "RPC Credit Manager",
            "login": login,
            "password": login,
            "groups_id": [(6, 0, [admin.ref("sales_credit.group_credit_manager")])],
        },
    )
    manager = Client(odoo_server, login, login)
    order = _order(admin, seller, _blocked_customer(admin, "RPC Held", 10.0), 500.0)
    seller("sale.order", "action_confirm", [order])
    (hold,) = manager("sales.credit.hold", "search", [("order_id", "=", order)])
    for client in (seller, manager):
        for vals in ({"state": "released"}, {"amount": 1e9}, {"decision_note": "fine"}):
            with pytest.raises(xmlrpc.client.Fault, match="not allowed|enough rights|only through their decisions"):
                client("sales.credit.hold", "write", [hold], vals)
    assert manager("sales.credit.hold", "read", [hold], ["state"])[0]["state"] == "pending"
