{
    "name": "Sales Analytics",
    "summary": "Sales structure, trend and comparison analysis, order execution, daily report, Excel export",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Sales Suite Developers",
    "website": "https://example.com/sales-suite",
    "license": "LGPL-3",
    "depends": ["sales_credit"],
    "data": [
        "security/ir.model.access.csv",
        "security/sales_analytics_security.xml",
        "report/sales_analysis_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
