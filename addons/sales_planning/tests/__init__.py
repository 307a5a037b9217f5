from . import test_sales_plan
