from . import test_sales_analysis
