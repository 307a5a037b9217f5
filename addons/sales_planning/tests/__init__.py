from . import test_sales_plan
from . import test_plan_decomposition
from . import test_plan_concurrency
