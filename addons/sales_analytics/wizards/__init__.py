from . import sales_trend_line, sales_trend_report
