"""docs/SECURITY.md's access tables are the suite's real access rights, and companies do not see each other."""

from pathlib import Path

from odoo import Command
from odoo.tests import TransactionCase, tagged

SUITE = ("sales_base", "sales_credit", "sales_analytics", "sales_dunning", "sales_reservation", "sales_planning")
DOC = Path(__file__).resolve().parent.parent / "docs" / "SECURITY.md"
GROUPS = {
    "Employee": "base.group_user",
    "Portal": "base.group_portal",
    "Salesperson": "sales_team.group_sale_salesman",
    "Sales Manager": "sales_team.group_sale_manager",
    "Credit User": "sales_credit.group_credit_user",
    "Credit Manager": "sales_credit.group_credit_manager",
    "Billing": "account.group_account_invoice",
    "Dunning User": "sales_dunning.group_dunning_user",
    "Dunning Manager": "sales_dunning.group_dunning_manager",
    "Accounting Manager": "account.group_account_manager",
    "Inventory User": "stock.group_stock_user",
    "Reservation User": "sales_reservation.group_reservation_user",
    "Reservation Manager": "sales_reservation.group_reservation_manager",
    "Plan User": "sales_planning.group_plan_user",
    "Plan Manager": "sales_planning.group_plan_manager",
}


def documented_access():
    """{addon: {model: {group label: "rwcu"}}} from the tables of docs/SECURITY.md."""
    tables, addon, header = {}, None, None
    for line in DOC.read_text().splitlines():
        if line.startswith("### "):
            addon, header = line[4:].strip(), None
            tables[addon] = {}
        elif addon and line.startswith("| Model |"):
            header = [cell.strip() for cell in line.strip("|").split("|")][1:]
        elif addon and header and line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            tables[addon][cells[0].strip("`")] = dict(zip(header, cells[1:]))
    return tables


@tagged("post_install", "-at_install")
class TestSecurity(TransactionCase):
    def user(self, label):
        return self.env["res.users"].create(
            {
                "name": label,
                "login": f"security-{label}",
                "groups_id": [Command.set([self.env.ref(GROUPS[label]).id])],
            }
        )

    def suite_models(self, addon):
        return sorted(
            name
            for name in self.env.registry.models
            if self.env[name]._original_module == addon and not self.env[name]._abstract
        )

    def test_access_rights_are_as_documented(self):
        documented = documented_access()
        self.assertEqual(set(documented), set(SUITE))
        users = {}
        for addon in SUITE:
            self.assertEqual(sorted(documented[addon]), self.suite_models(addon), f"{addon}: models documented")
            for model, cells in documented[addon].items():
                for label, expected in cells.items():
                    if label not in users:
                        users[label] = self.user(label)
                    user = users[label]
                    actual = (
                        "".join(
                            perm[0]
                            for perm in ("read", "write", "create", "unlink")
                            if self.env[model].with_user(user).has_access(perm)
                        )
                        or "-"
                    )
                    self.assertEqual(actual, expected, f"{model} for {label}")

    def test_another_company_sees_none_of_this_companys_records(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        managers = [
            GROUPS[label]
            for label in (
                "Sales Manager",
                "Credit Manager",
                "Dunning Manager",
                "Reservation Manager",
                "Plan Manager",
                "Accounting Manager",
            )
        ]
        stranger = self.env["res.users"].create(
            {
                "name": "Stranger",
                "login": "security-stranger",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "groups_id": [Command.set([self.env.ref(xmlid).id for xmlid in managers])],
            }
        )
        checked, company_models = 0, 0
        for addon in SUITE:
            for model in self.suite_models(addon):
                Model = self.env[model]
                if Model._transient or "company_id" not in Model._fields:
                    continue
                company_models += 1
                mine = Model.sudo().search([("company_id", "=", self.env.company.id)], limit=20)
                checked += bool(mine)
                self.assertFalse(
                    Model.with_user(stranger).search([("id", "in", mine.ids)]),
                    f"{model}: another company's user reads this company's records",
                )
        self.assertGreaterEqual(checked, company_models / 2, "the demo data holds records of most models")
