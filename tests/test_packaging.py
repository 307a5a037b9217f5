"""Each addon builds into a wheel named like the OCA's (pip install ./addons/<addon>), and Odoo finds the addons
installed that way without this repository on its addons path."""

import ast
import os
import pathlib
import subprocess
import sys
import zipfile

import odoo

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
SUITE = ["sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning"]
ODOO_SRC = pathlib.Path(odoo.__file__).resolve().parent.parent


def _pip(*args):
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)


def test_wheels_install_where_odoo_finds_them(tmp_path):
    wheels = tmp_path / "wheels"
    for addon in SUITE:
        _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ADDONS / addon))
    for addon in SUITE:
        manifest = ast.literal_eval((ADDONS / addon / "__manifest__.py").read_text())
        version = manifest["version"]
        (wheel,) = wheels.glob(f"odoo_addon_{addon}-{version}*.whl")
        with zipfile.ZipFile(wheel) as archive:
            assert f"odoo/addons/{addon}/__manifest__.py" in archive.namelist()
            metadata = next(
                archive.read(name).decode() for name in archive.namelist() if name.endswith(".dist-info/METADATA")
            )
        assert f"Name: odoo-addon-{addon}" in metadata
        assert "Requires-Dist: odoo==18.0.*" in metadata
        for name in set(manifest["depends"]) & set(SUITE):
            assert f"Requires-Dist: odoo-addon-{name}" in metadata, metadata
    # Odoo comes from its source here, not from pip: the addons alone, into a folder on the Python path
    site = tmp_path / "site"
    _pip("install", "--no-deps", "--target", str(site), *map(str, wheels.glob("*.whl")))
    script = (
        f"from odoo.tools import config; config.parse_config(['--addons-path', {str(ODOO_SRC / 'addons')!r}]);"
        "from odoo.modules import module; module.initialize_sys_path();"
        f"print({{name: module.get_module_path(name) for name in {SUITE!r}}})"
    )
    found = subprocess.run(
        [sys.executable, "-c", script],
        env=dict(os.environ, PYTHONPATH=f"{site}:{ODOO_SRC}"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for addon in SUITE:
        assert f"'{addon}': '{site}/odoo/addons/{addon}'" in found, found
