from . import sales_analysis_export, sales_trend_line, sales_trend_report
