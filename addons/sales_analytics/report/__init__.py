from . import sales_analysis, sales_order_execution
