from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


def migrate(cr, version):
    """The delivery check point was a Boolean (refuse deliveries of customers on manual hold); it is now a
    Selection. Refusing them is what "warn" still does; not refusing them is "off"."""
    if not column_exists(cr, "res_company", "credit_check_on_delivery") or column_exists(
        cr, "res_company", "credit_delivery_check"
    ):
        return
    create_column(cr, "res_company", "credit_delivery_check", "varchar")
    cr.execute(
        SQL(
            "UPDATE res_company SET credit_delivery_check = CASE WHEN credit_check_on_delivery THEN %s ELSE %s END",
            "warn",
            "off",
        )
    )
