from . import sales_analysis
from . import sales_order_execution
