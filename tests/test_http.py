"""The installed suite serves Odoo's login page (as `make run` does for the demo database)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import odoo


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_login_page_is_served():
    port = _free_port()
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    server = subprocess.Popen(
        [sys.executable, odoo_bin, "-c", os.environ["ODOO_RC"], "-d", os.environ["ODOO_TEST_DB"],
         "--http-port", str(port), "--max-cron-threads", "0", "--log-level", "warn"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=10) as response:
                    body = response.read().decode()
                break
            except OSError:
                assert server.poll() is None, "Odoo stopped before serving"
                assert time.monotonic() < deadline, "no login page within 2 minutes"
                time.sleep(1)
        assert response.status == 200
        assert 'name="login"' in body and 'name="password"' in body
    finally:
        server.terminate()
        server.wait(timeout=30)
