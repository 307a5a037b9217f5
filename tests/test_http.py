"""The installed suite serves Odoo's login page (as `make run` does for the demo database)."""

import urllib.request


def test_login_page_is_served(odoo_server):
    with urllib.request.urlopen(f"{odoo_server}/web/login", timeout=10) as response:
        body = response.read().decode()
    assert response.status == 200
    assert 'name="login"' in body and 'name="password"' in body
