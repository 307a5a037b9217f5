from . import sales_analysis, sales_analysis_total, sales_order_execution
