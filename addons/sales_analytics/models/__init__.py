from . import res_company, res_config_settings, sales_analysis_export, sales_daily_report
