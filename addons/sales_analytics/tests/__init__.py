from . import test_order_execution, test_sales_analysis, test_tours, test_trend_and_export
