"""A real Odoo server on the test database, for the tests that talk to it as a browser or an RPC client does."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import odoo


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def odoo_server():
    """The base URL of an Odoo serving ODOO_TEST_DB; stopped after the module's tests."""
    port = _free_port()
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    server = subprocess.Popen(
        [
            sys.executable,
            odoo_bin,
            "-c",
            os.environ["ODOO_RC"],
            "-d",
            os.environ["ODOO_TEST_DB"],
            "--http-port",
            str(port),
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=10):
                    break
            except OSError:
                assert server.poll() is None, "Odoo stopped before serving"
                assert time.monotonic() < deadline, "no login page within 2 minutes"
                time.sleep(1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
