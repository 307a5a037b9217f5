"""Each addon of the suite is a proper, documented, installable Odoo 18.0 addon."""

import ast
import csv
import pathlib
import re

import pytest

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
SUITE = ["sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning"]


def manifest(addon):
    return ast.literal_eval((ADDONS / addon / "__manifest__.py").read_text())


def suite_depends(addon):
    """The suite's addons that installing ``addon`` installs with it (its manifests' depends, recursively)."""
    found, todo = set(), [addon]
    while todo:
        for name in manifest(todo.pop())["depends"]:
            if name in SUITE and name not in found:
                found.add(name)
                todo.append(name)
    return found


def test_the_suite_is_its_six_addons():
    assert sorted(p.parent.name for p in ADDONS.glob("*/__manifest__.py")) == sorted(SUITE)


def test_every_addon_rests_on_the_base():
    assert not suite_depends("sales_base")
    for addon in SUITE[1:]:
        assert "sales_base" in suite_depends(addon), addon


@pytest.mark.parametrize("addon", ["sales_planning", "sales_analytics"])
def test_planning_and_analytics_install_without_credit_control(addon):
    # they need the vocabulary (tiers, regions, background jobs), not the credit checks
    assert suite_depends(addon) == {"sales_base"}


@pytest.mark.parametrize("addon", SUITE)
def test_manifest(addon):
    data = manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", data["version"])
    assert data["license"] == "LGPL-3"
    assert data["category"].startswith("Sales")
    assert data["author"]
    assert data.get("installable", True)
    for path in data["data"]:
        assert (ADDONS / addon / path).is_file(), path
    # manifest data order: security first, menus last
    assert data["data"][0].startswith("security/")
    assert data["data"][-1] == "views/menus.xml"


@pytest.mark.parametrize("addon", SUITE)
def test_documented_and_tested(addon):
    assert len((ADDONS / addon / "readme" / "DESCRIPTION.md").read_text().strip()) > 100
    assert list((ADDONS / addon / "tests").glob("test_*.py"))


@pytest.mark.parametrize("addon", SUITE)
def test_access_rules_file(addon):
    with (ADDONS / addon / "security" / "ir.model.access.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert rows
    assert all(row["model_id:id"] and row["group_id:id"] for row in rows), "no access rule for everybody"


@pytest.mark.parametrize("addon", SUITE)
def test_the_functional_addons_are_apps(addon):
    """Odoo's Apps opens filtered on applications: the five a user installs show there, the base comes with them."""
    assert manifest(addon).get("application", False) == (addon != "sales_base")
