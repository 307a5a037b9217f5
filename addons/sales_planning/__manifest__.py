{
    "name": "Sales Planning",
    "summary": "Sales forecasts and plans decomposed by team, salesperson, customer, product and period",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Sales Suite Developers",
    "website": "https://example.com/sales-suite",
    "license": "LGPL-3",
    "depends": ["sales_credit"],
    "data": [
        "security/sales_planning_groups.xml",
        "security/ir.model.access.csv",
        "security/sales_planning_security.xml",
        "views/sales_plan_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
