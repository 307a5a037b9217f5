{
    "name": "Sales Stock Reservation",
    "summary": "Allocate scarce stock by customer tier and order priority, with a log; "
    "designated reservations that expire",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "author": "Sales Suite Developers",
    "website": "https://github.com/odoo-sales-suite/sales-suite",
    "license": "LGPL-3",
    "application": True,
    "assets": {
        "web.assets_tests": ["sales_reservation/static/tests/tours/*.js"],
    },
    "depends": ["sales_credit", "sale_stock"],
    "data": [
        "security/sales_reservation_groups.xml",
        "security/ir.model.access.csv",
        "security/sales_reservation_security.xml",
        "data/sales_reservation_data.xml",
        "views/sales_customer_tier_views.xml",
        "views/sales_reservation_views.xml",
        "views/sales_allocation_run_views.xml",
        "views/stock_move_views.xml",
        "report/sales_shortage_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/sales_reservation_demo.xml"],
}
