from . import res_company, res_config_settings, sales_daily_report
