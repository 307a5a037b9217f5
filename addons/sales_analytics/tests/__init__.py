from . import test_sales_analysis
from . import test_order_execution
from . import test_trend_and_export
